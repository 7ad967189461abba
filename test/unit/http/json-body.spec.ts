import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { BODY_LIMIT_BYTES, jsonBody } from '../../../src/http/json-body';

/** A request-like stream with headers; `chunks` are written and the stream ended. */
function request(headers: Record<string, string>, chunks: (string | Buffer)[] = []): IncomingMessage & { body?: unknown; _body?: boolean } {
  const req = new PassThrough() as unknown as IncomingMessage & { body?: unknown; _body?: boolean };
  req.headers = headers;
  setImmediate(() => {
    for (const c of chunks) (req as unknown as PassThrough).write(typeof c === 'string' ? Buffer.from(c, 'utf8') : c);
    (req as unknown as PassThrough).end();
  });
  return req;
}

function run(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => jsonBody()(req, {} as ServerResponse, (err?: unknown) => resolve(err)));
}

describe('jsonBody: the common JSON body read without body-parser', () => {
  const text = '{"receiptId":"R-1","payer":"张三","n":[1,2]}';
  const length = String(Buffer.byteLength(text));

  it('reads an application/json body with a Content-Length, split anywhere, into req.body, marked as parsed', async () => {
    const bytes = Buffer.from(text, 'utf8');
    const mid = bytes.indexOf(0xe5) + 1; // inside the first Chinese character
    const req = request({ 'content-type': 'application/json; charset=utf-8', 'content-length': length }, [bytes.subarray(0, mid), bytes.subarray(mid)]);
    expect(await run(req)).toBeUndefined();
    expect(req.body).toEqual({ receiptId: 'R-1', payer: '张三', n: [1, 2] });
    expect(req._body).toBe(true);
  });

  it.each([
    ['no Content-Length (chunked)', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }],
    ['a Content-Encoding', { 'content-type': 'application/json', 'content-length': length, 'content-encoding': 'gzip' }],
    ['another charset', { 'content-type': 'application/json; charset=latin1', 'content-length': length }],
    ['another media type', { 'content-type': 'text/plain', 'content-length': length }],
    ['an empty body', { 'content-type': 'application/json', 'content-length': '0' }],
    ['a body over the limit', { 'content-type': 'application/json', 'content-length': String(BODY_LIMIT_BYTES + 1) }],
    ['no body at all', {}],
  ])('leaves %s unread, for body-parser', async (_what, headers) => {
    const req = request(headers as Record<string, string>, [text]);
    expect(await run(req)).toBeUndefined();
    expect(req.body).toBeUndefined();
    expect(req._body).toBeUndefined();
    await new Promise((r) => setImmediate(r));
    expect(String((req as unknown as PassThrough).read())).toBe(text); // still there, for body-parser
  });

  it.each([
    ['malformed JSON', '{"a":'],
    ['a top-level string', '"x"'],
    ['a top-level number', ' 1'],
  ])('fails %s with body-parser\'s error shape (entity.parse.failed, 400)', async (_what, body) => {
    const req = request({ 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }, [body]);
    const err = (await run(req)) as { type?: string; status?: number; message?: string };
    expect(err).toBeInstanceOf(SyntaxError);
    expect({ type: err.type, status: err.status }).toEqual({ type: 'entity.parse.failed', status: 400 });
    expect(req.body).toBeUndefined();
  });
});
