/**
 * A statement too large for one event (a year of a busy account: one append holds at most
 * MAX_APPEND_BYTES) is imported in parts, one statement-imported.v1 each: every line once, the
 * balance checked across the cuts, all or nothing when the file's balance breaks, nothing twice
 * when the file (or the same request) comes again.
 */
import iconv from 'iconv-lite';
import { TOKENS, TestLedger, expectOk } from './support/test-app';

const LINE_COUNT = 6_000;

/** A GBK statement of `count` receipts of 100.00 to 199.99, one a day from 2022-01-01, its balance running. */
function statement(count: number, breakAt?: number): Buffer {
  const rows: string[] = [];
  let balanceFen = 0n;
  for (let i = 0; i < count; i++) {
    const day = new Date(Date.UTC(2022, 0, 1) + Math.floor(i / 20) * 86_400_000).toISOString().slice(0, 10);
    const amountFen = 10_000n + BigInt((i * 7919) % 10_000);
    balanceFen += amountFen;
    const stated = i === breakAt ? balanceFen + 1n : balanceFen;
    const money = (fen: bigint) => `${fen / 100n}.${(fen % 100n).toString().padStart(2, '0')}`;
    rows.push(
      `${day},YH${String(i).padStart(8, '0')},住户自筹款,${money(amountFen)},,${money(stated)},住户${i},6222000000${i}`,
    );
  }
  return iconv.encode(
    ['交易日期,交易流水号,摘要,收入金额,支出金额,余额,对方户名,对方账号', ...rows].join('\r\n'),
    'gbk',
  );
}

describe('a statement imported in parts', () => {
  let ledger: TestLedger;

  const upload = async (accountId: string, bytes: Buffer, headers: Record<string, string> = {}) => {
    const res = await fetch(`${ledger.url}/api/bank-accounts/${accountId}/statements`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.finance}`, 'content-type': 'text/csv', ...headers },
      body: bytes,
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const open = (accountId: string) =>
    ledger.post(
      '/api/bank-accounts',
      {
        accountId,
        name: '潼南区老旧小区改造居民出资专户',
        bank: '中国农业银行潼南支行',
        accountNo: '3105010104009999',
      },
      { role: 'finance' },
    );

  beforeAll(async () => {
    ledger = await TestLedger.start();
  });
  afterAll(() => ledger.stop());

  it('writes every line once, in parts that each fit one append, and nothing the second time', async () => {
    expectOk(await open('ZH-BIG'));
    const file = statement(LINE_COUNT);
    const before = await ledger.eventCount();
    const first = await upload('ZH-BIG', file);
    expect(first.status).toBe(201);
    expect(first.body.imported).toBe(LINE_COUNT);
    expect(first.body.parts).toBeGreaterThan(1);
    expect(await ledger.eventCount()).toBe(before + BigInt(first.body.parts));
    const events = (await ledger.get('/api/events?limit=1000', 'auditor')).body;
    const parts = (events.events ?? events).filter((e: { type: string }) => e.type === 'statement-imported.v1');
    expect(parts.map((e: { data: { part: { index: number; of: number } } }) => e.data.part)).toEqual(
      Array.from({ length: first.body.parts }, (_, i) => ({ index: i + 1, of: first.body.parts })),
    );
    const lines = parts.flatMap((e: { data: { lines: { row: number; lineId: string }[] } }) => e.data.lines);
    expect(lines.map((l: { row: number }) => l.row)).toEqual(Array.from({ length: LINE_COUNT }, (_, i) => i + 2));
    expect(new Set(lines.map((l: { lineId: string }) => l.lineId)).size).toBe(LINE_COUNT);
    for (const e of parts) expect(e.data.duplicateRows).toEqual([]);

    const again = await upload('ZH-BIG', file);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ imported: 0 });
    expect(again.body.duplicateRows).toHaveLength(LINE_COUNT);
    expect(await ledger.eventCount()).toBe(before + BigInt(first.body.parts));
  });

  it('answers the same request sent again with its first writes, writing nothing more', async () => {
    expectOk(await open('ZH-KEY'));
    const file = statement(LINE_COUNT);
    const key = { 'idempotency-key': 'stmt-ZH-KEY-2022' };
    const first = await upload('ZH-KEY', file, key);
    expect(first.status).toBe(201);
    const after = await ledger.eventCount();
    const again = await upload('ZH-KEY', file, key);
    expect(again.body.write ?? again.body).toMatchObject({ position: first.body.position });
    expect(await ledger.eventCount()).toBe(after);
  });

  it('refuses the whole file when its balance breaks in its last part, writing no part', async () => {
    expectOk(await open('ZH-BRK'));
    const before = await ledger.eventCount();
    const reply = await upload('ZH-BRK', statement(LINE_COUNT, LINE_COUNT - 3));
    expect(reply.status).toBe(422);
    expect(reply.body.error).toBe('statement-balance-break');
    expect(reply.body.message).toContain(`row ${LINE_COUNT - 3 + 2}`);
    expect(await ledger.eventCount()).toBe(before);
  });
});
