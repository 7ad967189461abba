import type { IncomingMessage, ServerResponse } from 'node:http';

type Next = (err?: unknown) => void;
type Middleware = (req: IncomingMessage, res: ServerResponse, next: Next) => void;

/** The one body limit of the API (README): a larger body is 413 body-too-large. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** `application/json`, bare or with `charset=utf-8`: the only body every write route takes. */
const PLAIN_JSON = /^application\/json[ \t]*(?:;[ \t]*charset[ \t]*=[ \t]*"?utf-8"?[ \t]*)?$/i;

/**
 * Reads a JSON request body into `req.body`. The common request (Content-Type application/json,
 * UTF-8, a Content-Length up to the limit, no Content-Encoding) is read here: its chunks joined
 * once and given to JSON.parse, which costs a fraction of body-parser's per-request work (content
 * type parsing, charset decoding through iconv-lite, stream bookkeeping) on every write. Anything
 * else (a chunked or compressed body, another charset or media type, an empty or too-large body)
 * is left unread for body-parser's JSON parser, registered right after this one with the same
 * limit (bootstrap.ts), so it is answered exactly as before; body-parser skips a body read here.
 * A request without a body passes through untouched.
 *
 * Like body-parser in strict mode, only an object or an array is a body; a malformed one fails
 * with body-parser's error shape (type entity.parse.failed, status 400), which the error filter
 * answers as 400 invalid-json.
 */
export function jsonBody(limit = BODY_LIMIT_BYTES): Middleware {
  return (req, _res, next) => {
    const headers = req.headers;
    const length = headers['content-length'];
    if (length === undefined && headers['transfer-encoding'] === undefined) return next(); // no body
    const type = headers['content-type'];
    const n = length === undefined ? NaN : Number(length);
    if (type === undefined || !(n > 0 && n <= limit) || headers['content-encoding'] !== undefined || !PLAIN_JSON.test(type)) {
      return next();
    }
    const chunks: Buffer[] = [];
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
    });
    req.once('error', next);
    req.once('end', () => {
      const text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received)).toString('utf8');
      let body: unknown;
      try {
        body = parseStrict(text);
      } catch (err) {
        next(Object.assign(err as Error, { type: 'entity.parse.failed', status: 400, statusCode: 400, expose: true, body: text }));
        return;
      }
      (req as IncomingMessage & { body?: unknown; _body?: boolean }).body = body;
      (req as IncomingMessage & { _body?: boolean })._body = true; // body-parser's mark: parsed, do not read again
      next();
    });
  };
}

/** JSON.parse, refusing a top-level value other than an object or array (body-parser's strict mode). */
function parseStrict(text: string): unknown {
  const first = /^[\x20\x09\x0a\x0d]*([^\x20\x09\x0a\x0d]?)/.exec(text)![1];
  if (first !== '{' && first !== '[') {
    throw new SyntaxError(first === '' ? 'Unexpected end of JSON input' : `Unexpected token '${first}': the body must be a JSON object`);
  }
  return JSON.parse(text);
}
