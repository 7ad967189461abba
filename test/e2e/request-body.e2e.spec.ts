/**
 * How a write's body is read (body-parser's JSON parser, bootstrap.ts): every kind of body
 * (plain, chunked, compressed, another charset or media type, too large, malformed) over real
 * HTTP, each either written once or refused with a code, and nothing written.
 */
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { TOKENS, TestLedger, expectOk } from './support/test-app';

const P = '/api/projects/TN2021-031';
const register = {
  projectId: 'TN2021-031',
  name: '桂林街道 东风路小区改造',
  community: '东风路小区',
  town: '桂林街道',
  builtYear: 1995,
  buildingArea: 21000,
  households: 260,
};
const receipt = (receiptId: string) => ({
  receiptId,
  source: 'resident_direct',
  amount: '100.00',
  payer: '王五',
  reference: '银行流水',
  receivedOn: '2022-03-01',
  fiscalYear: 2022,
  householdId: 'H-1',
});

describe('request bodies', () => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await TestLedger.start();
    expectOk(await ledger.post('/api/projects', register, { role: 'housing' }));
  });
  afterAll(() => ledger.stop());

  /** POSTs raw bytes to the receipts route as the clerk, with the given headers. */
  async function send(
    body: string | Buffer | ReadableStream,
    headers: Record<string, string>,
    init: Record<string, unknown> = {},
  ) {
    const res = await fetch(`${ledger.url}${P}/receipts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.clerk}`, ...headers },
      body,
      ...init,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  // Each takes the request to send, not one in flight: the count before is read before it is sent
  // (a request already sent can be written before the count is read, on a loaded machine).
  async function writesOne(sendIt: () => Promise<{ status: number; body: any }>) {
    const before = await ledger.eventCount();
    const r = await sendIt();
    expect(r.status).toBe(201);
    expect(await ledger.eventCount()).toBe(before + 1n);
  }

  async function refuses(sendIt: () => Promise<{ status: number; body: any }>, status: number, error: string) {
    const before = await ledger.eventCount();
    const r = await sendIt();
    expect({ status: r.status, error: r.body?.error }).toEqual({ status, error });
    expect(await ledger.eventCount()).toBe(before);
    return r.body as { message: string };
  }

  it('application/json, bare or with charset=utf-8, with a Content-Length: written', async () => {
    await writesOne(() => send(JSON.stringify(receipt('B1')), { 'content-type': 'application/json' }));
    await writesOne(() => send(JSON.stringify(receipt('B2')), { 'content-type': 'application/json; charset=UTF-8' }));
    await writesOne(() =>
      send(Buffer.from(JSON.stringify({ ...receipt('B3'), payer: '张三丰' }), 'utf8'), {
        'content-type': 'Application/JSON;charset="utf-8"',
      }),
    );
  });

  it('a chunked body (no Content-Length), split inside a Chinese character, is written', async () => {
    const bytes = new TextEncoder().encode(JSON.stringify(receipt('B4')));
    const mid = bytes.indexOf(0xe7) + 1; // inside 王 (e7 8e 8b), the payer
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(bytes.subarray(0, mid));
        controller.enqueue(bytes.subarray(mid));
        controller.close();
      },
    });
    await writesOne(() => send(stream, { 'content-type': 'application/json' }, { duplex: 'half' }));
    const history = (await ledger.get(`${P}/events?limit=1000`, 'auditor')).body as {
      data: { receiptId?: string; payer?: string };
    }[];
    expect(history.find((e) => e.data.receiptId === 'B4')?.data.payer).toBe('王五');
  });

  it('a gzip, deflate or br body is inflated: written', async () => {
    await writesOne(() =>
      send(gzipSync(JSON.stringify(receipt('B5'))), { 'content-type': 'application/json', 'content-encoding': 'gzip' }),
    );
    await writesOne(() =>
      send(deflateSync(JSON.stringify(receipt('B5d'))), {
        'content-type': 'application/json',
        'content-encoding': 'deflate',
      }),
    );
    await writesOne(() =>
      send(brotliCompressSync(JSON.stringify(receipt('B5b'))), {
        'content-type': 'application/json',
        'content-encoding': 'br',
      }),
    );
  });

  it('malformed JSON, a top-level string or number, and an empty object: 400 with a code', async () => {
    const malformed = await refuses(
      () => send('{"receiptId": "B6",', { 'content-type': 'application/json' }),
      400,
      'invalid-json',
    );
    expect(malformed.message).toMatch(/^the request body is not valid JSON: /);
    // Valid JSON that is not an object: the answer says what the body must be, not that it is not JSON.
    for (const [body, got] of [
      ['"just a string"', '"just a string"'],
      ['  42', '42'],
      ['null', 'null'],
      ['true', 'true'],
    ]) {
      const r = await refuses(() => send(body, { 'content-type': 'application/json' }), 400, 'invalid-json');
      expect(r.message).toBe(`the request body must be a JSON object (got ${got})`);
    }
    await refuses(() => send('[]', { 'content-type': 'application/json' }), 400, 'invalid-body');
    await refuses(() => send('{}', { 'content-type': 'application/json' }), 400, 'missing-field');
  });

  it('a body over 1 MB is 413 body-too-large, naming the limit', async () => {
    const big = JSON.stringify({ ...receipt('B7'), reference: 'x'.repeat(1024 * 1024) });
    const refusal = await refuses(() => send(big, { 'content-type': 'application/json' }), 413, 'body-too-large');
    expect(refusal.message).toBe('the request body exceeds 1 MB');
  });

  it('UTF-8 named either way (utf-8, utf8, any case, quoted) is written', async () => {
    await writesOne(() => send(JSON.stringify(receipt('B20')), { 'content-type': 'application/json; charset=utf8' }));
    await writesOne(() => send(JSON.stringify(receipt('B21')), { 'content-type': 'application/json; charset=UTF8' }));
    await writesOne(() => send(JSON.stringify(receipt('B22')), { 'content-type': 'application/json; charset="utf8"' }));
  });

  it.each<[string, BufferEncoding]>([
    ['utf-16', 'utf16le'],
    ['utf-16le', 'utf16le'],
    ['utf-16be', 'utf16le'],
    ['utf-32', 'utf8'],
    ['utf-7', 'utf8'],
    ['UTF-16LE', 'utf16le'],
  ])('a JSON body in charset=%s is 415, never decoded and written', async (charset, encoding) => {
    const refusal = await refuses(
      () =>
        send(Buffer.from(JSON.stringify(receipt(`B-${charset}`)), encoding), {
          'content-type': `application/json; charset=${charset}`,
        }),
      415,
      'unsupported-media-type',
    );
    expect(refusal.message).toContain(charset.toUpperCase());
  });

  it('a request without a body is not judged by the charset its Content-Type names', async () => {
    const list = await ledger.request('GET', '/api/projects', {
      role: 'viewer',
      headers: { 'content-type': 'application/json; charset=utf-16' },
    });
    expect(list.status).toBe(200);
  });

  it('another charset or media type is refused, never read as something else', async () => {
    await refuses(
      () => send(JSON.stringify(receipt('B8')), { 'content-type': 'application/json; charset=latin1' }),
      415,
      'unsupported-media-type',
    );
    await refuses(() => send(JSON.stringify(receipt('B9')), { 'content-type': 'text/plain' }), 400, 'invalid-body');
    await refuses(
      () => send('receiptId=B10&amount=1.00', { 'content-type': 'application/x-www-form-urlencoded' }),
      400,
      'invalid-body',
    );
    await refuses(
      () => send(gzipSync('x'), { 'content-type': 'application/json', 'content-encoding': 'compress' }),
      415,
      'unsupported-media-type',
    );
    await refuses(
      () => send(gzipSync('x'), { 'content-type': 'application/json', 'content-encoding': 'br' }),
      400,
      'invalid-body',
    ); // not brotli: does not decompress
  });
});
