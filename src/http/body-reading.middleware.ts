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

/** The media types an imported file (a bank statement, a treasury payment file) may be sent as, the body itself (docs/reconciliation.md). */
export const STATEMENT_MEDIA_TYPES = [
  'text/csv',
  'application/csv',
  // What browsers and Windows call a .csv file.
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
] as const;

/** An imported file as it came: its bytes, and its name when a multipart upload gave one. */
export interface UploadedFile {
  bytes: Buffer;
  fileName?: string;
}

// busboy (multipart/form-data, the parser multer uses), required with its type written here, as it ships none.
type Busboy = NodeJS.WritableStream & {
  on(
    event: 'file',
    listener: (
      name: string,
      stream: NodeJS.ReadableStream & { truncated?: boolean },
      info: { filename?: string },
    ) => void,
  ): Busboy;
  on(event: 'close' | 'finish', listener: () => void): Busboy;
  on(event: 'error', listener: (err: Error) => void): Busboy;
  on(event: 'filesLimit' | 'partsLimit' | 'fieldsLimit', listener: () => void): Busboy;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const busboy = require('busboy') as (options: {
  headers: IncomingMessage['headers'];
  limits: { files: number; fileSize: number; fields: number; parts: number };
}) => Busboy;

/**
 * Reads a file sent to an import route (a bank statement to `POST /api/bank-accounts/:id/statements`,
 * a treasury payment file to `POST /api/treasury-files`), the routes whose body is not JSON: the
 * file as the body (`text/csv` with or without a charset, the xlsx type), or the field `file` of a
 * multipart/form-data upload. Up to `limit` bytes (larger: 413 `body-too-large`); any other media
 * type, or a compressed body, is 415 `unsupported-media-type`, its message naming the file as
 * `kind` does ("statement", "treasury payment file"). Called by the route's handler, after the
 * guards: a request without a valid token or role is refused before a byte of its file is read.
 */
export async function readFileUpload(req: IncomingMessage, limit: number, kind: string): Promise<UploadedFile> {
  const contentType = req.headers['content-type'] ?? '';
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity') throw unsupportedMedia(`a ${kind} is sent uncompressed (Content-Encoding ${encoding})`);
  if (mediaType === 'multipart/form-data') return readMultipartFile(req, limit, kind);
  if (!(STATEMENT_MEDIA_TYPES as readonly string[]).includes(mediaType))
    throw unsupportedMedia(
      `a ${kind} is sent as ${STATEMENT_MEDIA_TYPES.join(', ')} or as the field "file" of multipart/form-data (got "${mediaType || 'no Content-Type'}")`,
    );
  return { bytes: await readAtMost(req, limit, kind) };
}

function readAtMost(stream: NodeJS.ReadableStream, limit: number, kind: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stream.removeAllListeners('data');
        stream.resume();
        reject(tooLarge(limit, kind));
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
    stream.on('close', () => {
      if ((stream as { complete?: boolean }).complete === false) reject(requestAborted());
    });
  });
}

function readMultipartFile(req: IncomingMessage, limit: number, kind: string): Promise<UploadedFile> {
  return new Promise((resolve, reject) => {
    let parser: Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: limit, fields: 10, parts: 11 } });
    } catch (err) {
      return reject(invalidBody(`a multipart body that cannot be read: ${(err as Error).message}`));
    }
    let file: Promise<UploadedFile> | undefined;
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || file !== undefined) {
        stream.resume();
        return;
      }
      file = new Promise((done, fail) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('limit', () => fail(tooLarge(limit, kind)));
        stream.on('end', () =>
          done({ bytes: Buffer.concat(chunks), ...(info.filename ? { fileName: info.filename } : {}) }),
        );
        stream.on('error', fail);
      });
      file.catch(() => undefined);
    });
    parser.on('error', (err) => reject(invalidBody(`a multipart body that cannot be read: ${err.message}`)));
    parser.on('close', () => {
      if (file === undefined) reject(invalidBody(`a multipart upload sends the ${kind} as the field "file"`));
      else file.then(resolve, reject);
    });
    req.pipe(parser);
  });
}

function httpError(status: number, type: string, message: string): Error {
  // Shaped like body-parser's refusals (an http-error), so the one error filter answers them.
  return Object.assign(new Error(message), { status, statusCode: status, expose: true, type });
}

function unsupportedMedia(message: string): Error {
  return httpError(415, 'media.unsupported', message);
}

function invalidBody(message: string): Error {
  return httpError(400, 'multipart.invalid', message);
}

function tooLarge(limit: number, kind: string): Error {
  return Object.assign(httpError(413, 'entity.too.large', `a ${kind} over ${limit / (1024 * 1024)} MB`), { limit });
}
