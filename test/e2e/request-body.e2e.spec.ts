/**
 * How a write's body is read (src/http/json-body.ts, then body-parser): the common JSON body and
 * every other kind (chunked, gzip, another charset or media type, too large, malformed) over real
 * HTTP, each either written once or refused with a code, and nothing written.
 */
import { gzipSync } from 'node:zlib';
import { TOKENS, TestLedger, expectOk } from './support/test-app';

const P = '/api/projects/TN2021-031';
const register = { projectId: 'TN2021-031', name: '桂林街道 东风路小区改造', community: '东风路小区', town: '桂林街道', builtYear: 1995, buildingArea: 21000, households: 260 };
const receipt = (receiptId: string) => ({ receiptId, source: 'resident_direct', amount: '100.00', payer: '王五', reference: '银行流水', receivedOn: '2022-03-01', fiscalYear: 2022, householdId: 'H-1' });

describe('request bodies', () => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await TestLedger.start();
    expectOk(await ledger.post('/api/projects', register, { role: 'housing' }));
  });
  afterAll(() => ledger.stop());

  /** POSTs raw bytes to the receipts route as the clerk, with the given headers. */
  async function send(body: string | Buffer | ReadableStream, headers: Record<string, string>, init: Record<string, unknown> = {}) {
    const res = await fetch(`${ledger.url}${P}/receipts`, { method: 'POST', headers: { authorization: `Bearer ${TOKENS.clerk}`, ...headers }, body, ...init });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  async function writesOne(reply: Promise<{ status: number; body: any }>) {
    const before = await ledger.eventCount();
    const r = await reply;
    expect(r.status).toBe(201);
    expect(await ledger.eventCount()).toBe(before + 1n);
  }

  async function refuses(reply: Promise<{ status: number; body: any }>, status: number, error: string) {
    const before = await ledger.eventCount();
    const r = await reply;
    expect({ status: r.status, error: r.body?.error }).toEqual({ status, error });
    expect(await ledger.eventCount()).toBe(before);
  }

  it('application/json, bare or with charset=utf-8, with a Content-Length: written', async () => {
    await writesOne(send(JSON.stringify(receipt('B1')), { 'content-type': 'application/json' }));
    await writesOne(send(JSON.stringify(receipt('B2')), { 'content-type': 'application/json; charset=UTF-8' }));
    await writesOne(send(Buffer.from(JSON.stringify({ ...receipt('B3'), payer: '张三丰' }), 'utf8'), { 'content-type': 'Application/JSON;charset="utf-8"' }));
  });

  it('a chunked body (no Content-Length) is read by body-parser: written', async () => {
    const text = JSON.stringify(receipt('B4'));
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(text.slice(0, 20)));
        controller.enqueue(new TextEncoder().encode(text.slice(20)));
        controller.close();
      },
    });
    await writesOne(send(stream, { 'content-type': 'application/json' }, { duplex: 'half' }));
  });

  it('a gzip body is inflated by body-parser: written', async () => {
    await writesOne(send(gzipSync(JSON.stringify(receipt('B5'))), { 'content-type': 'application/json', 'content-encoding': 'gzip' }));
  });

  it('malformed JSON, a top-level string or number, and an empty object: 400 with a code', async () => {
    await refuses(send('{"receiptId": "B6",', { 'content-type': 'application/json' }), 400, 'invalid-json');
    await refuses(send('"just a string"', { 'content-type': 'application/json' }), 400, 'invalid-json');
    await refuses(send('  42', { 'content-type': 'application/json' }), 400, 'invalid-json');
    await refuses(send('[]', { 'content-type': 'application/json' }), 400, 'invalid-body');
    await refuses(send('{}', { 'content-type': 'application/json' }), 400, 'missing-field');
  });

  it('a body over 1 MB is 413 body-too-large', async () => {
    const big = JSON.stringify({ ...receipt('B7'), reference: 'x'.repeat(1024 * 1024) });
    await refuses(send(big, { 'content-type': 'application/json' }), 413, 'body-too-large');
  });

  it('another charset or media type is refused, never read as something else', async () => {
    await refuses(send(JSON.stringify(receipt('B8')), { 'content-type': 'application/json; charset=latin1' }), 415, 'unsupported-media-type');
    await refuses(send(JSON.stringify(receipt('B9')), { 'content-type': 'text/plain' }), 400, 'invalid-body');
    await refuses(send('receiptId=B10&amount=1.00', { 'content-type': 'application/x-www-form-urlencoded' }), 400, 'invalid-body');
    await refuses(send(gzipSync('x'), { 'content-type': 'application/json', 'content-encoding': 'compress' }), 415, 'unsupported-media-type');
    await refuses(send(gzipSync('x'), { 'content-type': 'application/json', 'content-encoding': 'br' }), 400, 'invalid-body'); // not brotli: does not decompress
  });
});
