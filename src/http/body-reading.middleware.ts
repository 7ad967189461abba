import type { IncomingMessage } from 'node:http';
import { Writable } from 'node:stream';

type Next = (err?: unknown) => void;

/** The spellings of UTF-8 a JSON body may name (RFC 8259 §8.1: JSON is UTF-8). */
const UTF8_SPELLINGS = new Set(['utf-8', 'utf8']);

/**
 * Runs before body-parser's JSON parser (bootstrap.ts). That parser takes any charset spelled
 * `utf-*` (utf-16, utf-16le, utf-32, utf-7 were decoded and written) and refuses `utf8`; the API
 * reads UTF-8 only. So a JSON body naming UTF-8 in either spelling is read as UTF-8, and one
 * naming any other charset is 415 `unsupported-media-type` before a byte of it is read.
 */
export function jsonCharsetOnlyUtf8(req: IncomingMessage, _res: unknown, next: Next): void {
  const contentType = req.headers['content-type'];
  if (contentType === undefined || !hasBody(req)) return next();
  const [mediaType, ...params] = contentType.split(';');
  if (mediaType.trim().toLowerCase() !== 'application/json') return next();
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    const charset = param
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase();
    if (!UTF8_SPELLINGS.has(charset)) {
      // Shaped like body-parser's own refusal (an http-error), so the one error filter answers it.
      return next(
        Object.assign(new Error(`unsupported charset "${charset.toUpperCase()}": a JSON body is UTF-8`), {
          status: 415,
          statusCode: 415,
          expose: true,
          type: 'charset.unsupported',
          charset,
        }),
      );
    }
    // body-parser only knows the hyphenated spelling.
    req.headers['content-type'] = 'application/json; charset=utf-8';
  }
  next();
}

/** Whether a request carries a body, as body-parser judges it (type-is's `hasBody`). */
function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || !Number.isNaN(Number(req.headers['content-length']));
}

/**
 * A compressed body is piped from the request into a decompression stream, and body-parser waits
 * on that stream; when the client goes away mid-body, nothing ends it and the request hangs for
 * ever, holding its memory. So a request that closes before its body is complete ends the streams
 * it was piped to with the error body-parser gives a plain aborted body (`request.aborted`).
 */
export function endPipesOnClientAbort(req: IncomingMessage, _res: unknown, next: Next): void {
  if (req.headers['content-encoding'] === undefined) return next(); // read from the request itself
  const pipe = req.pipe.bind(req);
  req.pipe = <T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T => {
    req.once('close', () => {
      if (!req.complete && destination instanceof Writable) destination.destroy(requestAborted());
    });
    return pipe(destination, options);
  };
  next();
}

/** The error raw-body raises when the client closes the connection before the whole body came. */
export function requestAborted(): Error {
  return Object.assign(new Error('request aborted'), {
    status: 400,
    statusCode: 400,
    expose: true,
    code: 'ECONNABORTED',
    type: 'request.aborted',
  });
}

/**
 * True when the client went away before its request was read: body-parser's `request.aborted`,
 * or any error on a request whose connection closed mid-body. Not a fault of the service, so it
 * is logged as a client abort, without a stack, and never counted as a 500.
 */
export function isClientAbort(exception: unknown, req: { complete?: boolean; destroyed?: boolean }): boolean {
  const type = (exception as { type?: unknown } | null)?.type;
  return type === 'request.aborted' || (req.complete === false && req.destroyed === true);
}
