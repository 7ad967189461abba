/**
 * The child-process half of bench (k): a bank's statement of `lines` lines as a GBK CSV, the
 * ledger's receipts and payments it reconciles against, and interleaved rounds of
 *   - decode and parse only: readStatement (GBK decoded, CSV parsed, each row read into a line);
 *   - import and match: readStatement, then the import as POST /api/bank-accounts/:id/statements
 *     runs it after the upload is read (ImportStatementHandler: the account's state, planImport,
 *     the decider, one statement-imported.v1 appended to an SQLite store), then the match as
 *     GET .../reconciliation runs it (the account's state read back from the store, reconcile()
 *     against the ledger's entries).
 * The ledger's entries are handed to reconcile() as the reconciliation query builds them
 * (LedgerItem); reading them from 100,000 project events is a project-stream read like any other
 * (bench f) and is not in the figure.
 */
import iconv from 'iconv-lite';
import { join } from 'node:path';
import { BankAccountQueries } from '../../src/funding/bank-accounts/bank-account-queries';
import { ImportStatementCommand, ImportStatementHandler } from '../../src/funding/bank-accounts/bank-account.handlers';
import { BankAccountCommand } from '../../src/bank-account/bank-account.commands';
import { bankAccountDecider } from '../../src/bank-account/bank-account.decider';
import { bankAccountStreamId } from '../../src/bank-account/bank-account.events';
import { LedgerItem, monthEnd, reconcile } from '../../src/bank-account/reconciliation';
import { readStatement } from '../../src/bank-account/statement-file';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { writerFor } from '../../src/event-store/write-path';
import { ruleInForce } from '../../src/policy/policies';
import { MatchWindowSettings, RECONCILIATION_FAMILIES } from '../../src/policy/rules/reconciliation.rules';
import { Fen, formatFen } from '../../src/shared/money/money';
import { contextOf } from '../lib/fixtures';
import { nowMs } from '../lib/util';
import { LogIndex } from '../../src/event-store/log-index';

const YEAR = 2022;
const MONTH = `${YEAR}-12`;
const PAYERS = ['潼南区财政局', '重庆市财政局', '潼南区住房和城乡建设委员会', '国网重庆市电力公司潼南供电分公司'];
const TOWNS = ['梓潼', '桂林', '凉风垭', '柏梓', '宝龙', '崇龛', '古溪', '龙形', '米心', '群力', '双江', '太安'];
const TRADES = ['建设工程', '建筑劳务', '市政工程', '园林绿化', '电梯安装', '物业服务'];

/** The counterparty of line `i`: a payer for money in, one of some 70 contractors for money out. */
function partyOf(i: number, credit: boolean): string {
  if (credit) return PAYERS[i % PAYERS.length];
  return `重庆市潼南区${TOWNS[i % TOWNS.length]}${TRADES[Math.floor(i / TOWNS.length) % TRADES.length]}有限公司`;
}

/** "1,234,567.89": as banks print amounts. */
const withSeparators = (fen: Fen): string => formatFen(fen).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

function dayOf(i: number, lines: number, shift = 0): string {
  const day = Math.min(364, Math.max(0, Math.floor((i * 365) / lines) + shift));
  return new Date(Date.UTC(YEAR, 0, 1 + day)).toISOString().slice(0, 10);
}

/**
 * What each line's ledger entry is, by i mod 20: 0-7 the same voucher as the line's 流水号 (matched
 * by reference); 8-15 and 19 another voucher, the date 0-3 days off (by amount, date and
 * counterparty; 19 writes the counterparty with spaces, which matching ignores); 16-17 the right
 * voucher but an amount keyed wrong (an amount mismatch); 18 no entry for the line (statement
 * only) and an entry the bank never saw (ledger only).
 */
type Fate = 'reference' | 'amount-date-party' | 'mismatch' | 'missing';
function fateOf(i: number): Fate {
  const r = i % 20;
  return r < 8 ? 'reference' : r < 16 || r === 19 ? 'amount-date-party' : r < 18 ? 'mismatch' : 'missing';
}

export interface StatementFixture {
  bytes: Buffer;
  entries: LedgerItem[];
  expected: { matched: number; statementOnly: number; ledgerOnly: number; amountMismatch: number };
}

/** A GBK CSV of `lines` lines over one year, headers and footer as a bank exports them, and the ledger's entries. */
export function statementFixture(lines: number): StatementFixture {
  const rows = [
    '中国农业银行账户交易明细',
    '账号：3105010104001234，户名：潼南区老旧小区改造资金专户',
    `查询期间：${YEAR}-01-01 至 ${YEAR}-12-31`,
    '交易日期,交易流水号,摘要,收入金额,支出金额,余额,对方户名,对方账号',
  ];
  const entries: LedgerItem[] = [];
  let balance: Fen = 500_000_000_00n;
  let inFen: Fen = 0n;
  let outFen: Fen = 0n;
  const expected = { matched: 0, statementOnly: 0, ledgerOnly: 0, amountMismatch: 0 };
  for (let i = 0; i < lines; i++) {
    const credit = i % 5 < 3;
    // Some 5,000 amounts, so that many entries share one (the matcher's index holds lists, not one entry).
    const fen = BigInt(1000 + ((i * 7919) % 4999)) * 100n + BigInt(i % 3 === 0 ? 0 : i % 100);
    balance += credit ? fen : -fen;
    if (credit) inFen += fen;
    else outFen += fen;
    const serial = `YH${YEAR}${String(i).padStart(9, '0')}`;
    const party = partyOf(i, credit);
    const date = dayOf(i, lines);
    rows.push(
      [
        date,
        serial,
        credit ? '财政拨款' : '工程款',
        credit ? `"${withSeparators(fen)}"` : '',
        credit ? '' : `"${withSeparators(fen)}"`,
        `"${withSeparators(balance)}"`,
        party,
        `5001${String(100000000 + (i % 997)).padStart(12, '0')}`,
      ].join(','),
    );
    const fate = fateOf(i);
    const entry: LedgerItem = {
      projectId: `TN${YEAR}-${String(1 + (i % 40)).padStart(3, '0')}`,
      entryId: `${credit ? 'R' : 'P'}-${i}`,
      kind: credit ? 'receipt' : 'payment',
      amount: formatFen(fate === 'mismatch' ? fen + 1000n : fate === 'missing' ? fen + 1n : fen),
      date: fate === 'amount-date-party' ? dayOf(i, lines, (i % 7) - 3) : date,
      reference: fate === 'reference' || fate === 'mismatch' ? serial : `PZ-${i}`,
      counterparty:
        fate === 'missing' ? '未入账往来单位' : i % 20 === 19 ? party.replace('有限公司', ' 有限公司') : party,
    };
    entries.push(entry);
    if (fate === 'missing') {
      expected.statementOnly += 1;
      expected.ledgerOnly += 1;
    } else if (fate === 'mismatch') expected.amountMismatch += 1;
    // reconcile() lists the matches of its month (line or entry dated in it); the rest are to the month's end.
    else if (date >= `${MONTH}-01` || entry.date >= `${MONTH}-01`) expected.matched += 1;
  }
  rows.push(`合计,,,"${withSeparators(inFen)}","${withSeparators(outFen)}",,,`);
  return { bytes: iconv.encode(rows.join('\r\n'), 'gbk'), entries, expected };
}

export interface StatementRounds {
  lines: number;
  fileBytes: number;
  rounds: number;
  /** Lines per statement-imported.v1: the handler cuts a file too large for one event into parts. */
  linesPerPart: number;
  /** Wall milliseconds per round. */
  parseMs: number[];
  importMatchMs: number[];
  /** Parts of import and match: readStatement and the imports; the state read back; reconcile(). */
  importMs: number[];
  stateReadMs: number[];
  reconcileMs: number[];
  /** CPU milliseconds (user + system) per round: the machine is shared, and its load moves. */
  parseCpuMs: number[];
  importMatchCpuMs: number[];
  importCpuMs: number[];
  reconcileCpuMs: number[];
  result: StatementFixture['expected'];
}

const cpuMsSince = (from: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1000;
};

/** One size's statement, ledger and account store, and its two passes. */
async function statementBench(lines: number, rounds: number, dir: string) {
  const fixture = statementFixture(lines);
  const store = new SqliteEventStore(join(dir, `events-${lines}.sqlite`));
  const queries = new BankAccountQueries(store, new LogIndex(store));
  const writer = writerFor(store, bankAccountDecider);
  const handler = new ImportStatementHandler(store, writer, queries);
  const windowDays = ruleInForce<MatchWindowSettings>(RECONCILIATION_FAMILIES.matchWindow, monthEnd(MONTH)).settings
    .days;
  const out: StatementRounds = {
    lines,
    fileBytes: fixture.bytes.length,
    rounds,
    linesPerPart: 0,
    parseMs: [],
    importMatchMs: [],
    importMs: [],
    stateReadMs: [],
    reconcileMs: [],
    parseCpuMs: [],
    importMatchCpuMs: [],
    importCpuMs: [],
    reconcileCpuMs: [],
    result: { matched: 0, statementOnly: 0, ledgerOnly: 0, amountMismatch: 0 },
  };

  const parseOnly = async () => {
    const cpu0 = process.cpuUsage();
    const t0 = nowMs();
    const read = await readStatement(fixture.bytes);
    out.parseMs.push(nowMs() - t0);
    out.parseCpuMs.push(cpuMsSince(cpu0));
    if (read.lines.length !== lines || read.problems.length > 0)
      throw new Error(`read ${read.lines.length} lines and ${read.problems.length} problems of ${lines}`);
  };

  const importAndMatch = async (round: number) => {
    const accountId = `ZH-${lines}-${round}`;
    const open: BankAccountCommand = {
      type: 'OpenBankAccount',
      accountId,
      name: '潼南区老旧小区改造资金专户',
      bank: '中国农业银行潼南支行',
      accountNo: '3105 0101 0400 1234',
      projectIds: [],
    };
    await writer.execute(bankAccountStreamId(accountId), open, contextOf(`open-${accountId}`, 'open', accountId, open));
    const cpu0 = process.cpuUsage();
    const t0 = nowMs();
    const read = await readStatement(fixture.bytes);
    // The whole file in one import, as a finance user sends it: the handler cuts it into parts.
    const outcome = await handler.execute(
      new ImportStatementCommand(
        accountId,
        read,
        'statement.csv',
        false,
        'shown',
        contextOf(`import-${accountId}`, 'POST /api/bank-accounts/:id/statements', accountId, {
          fileHash: read.fileHash,
        }),
      ),
    );
    if (outcome.write === undefined) throw new Error(`the import of ${accountId} wrote nothing`);
    const imported = outcome.imported;
    out.linesPerPart = Math.ceil(read.lines.length / (outcome.parts ?? 1));
    const t1 = nowMs();
    const cpu1 = cpuMsSince(cpu0);
    const { state } = await queries.state(accountId);
    const t2 = nowMs();
    const cpu2 = process.cpuUsage();
    const r = reconcile({
      month: MONTH,
      lines: [...state.lines.values()],
      entries: fixture.entries,
      decisions: [...state.matches.values()],
      windowDays,
    });
    const t3 = nowMs();
    out.reconcileCpuMs.push(cpuMsSince(cpu2));
    out.importMatchCpuMs.push(cpuMsSince(cpu0));
    out.importCpuMs.push(cpu1);
    out.importMatchMs.push(t3 - t0);
    out.importMs.push(t1 - t0);
    out.stateReadMs.push(t2 - t1);
    out.reconcileMs.push(t3 - t2);
    if (imported !== lines) throw new Error(`imported ${imported} of ${lines} lines`);
    out.result = {
      matched: r.matched.length,
      statementOnly: r.statementOnly.length,
      ledgerOnly: r.ledgerOnly.length,
      amountMismatch: r.amountMismatch.length,
    };
    for (const k of Object.keys(fixture.expected) as (keyof StatementFixture['expected'])[])
      if (out.result[k] !== fixture.expected[k])
        throw new Error(`reconciliation found ${out.result[k]} ${k}, the fixture planted ${fixture.expected[k]}`);
  };

  return { out, parseOnly, importAndMatch, close: () => store.close() };
}

/**
 * `rounds` rounds, each running both passes at every size, in one process: the sizes interleave
 * too, so the growth from one size to the next is not the machine's load changing between them.
 * The order alternates from round to round (sizes, and the two passes), so neither always runs
 * first, on a warmer or a more collected heap. Each import is on a fresh account.
 */
export async function statementRounds(args: {
  sizes: number[];
  rounds: number;
  dir: string;
}): Promise<StatementRounds[]> {
  const benches = [];
  for (const lines of args.sizes) benches.push(await statementBench(lines, args.rounds, args.dir));
  try {
    for (let round = 0; round < args.rounds; round++) {
      for (const b of round % 2 === 0 ? benches : [...benches].reverse()) {
        if (round % 2 === 0) {
          await b.parseOnly();
          await b.importAndMatch(round);
        } else {
          await b.importAndMatch(round);
          await b.parseOnly();
        }
      }
    }
  } finally {
    for (const b of benches) await b.close();
  }
  return benches.map((b) => b.out);
}
