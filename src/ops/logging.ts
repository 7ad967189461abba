import { LoggerService } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { DestinationStream, Logger } from 'pino';
import type { Options } from 'pino-http';
import type { TokenEntry } from '../auth/tokens';
import type { LogLevel } from '../config/config';

/** Ids a client or a proxy may hand us (X-Request-Id, X-Correlation-Id): like idempotency keys. */
const ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Whatever might carry a secret is cut out of every line, should a header object ever be logged
 * (the request serializer below logs none).
 */
const REDACTED = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  'authorization',
];

/**
 * The one pino logger of the process: JSON lines on standard output (or `stream`), the level as
 * a word, the time in ISO 8601. Service logs, the request lines and start-up failures all go here.
 */
export function rootLogger(level: LogLevel, stream?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'renovation-ledger' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED, remove: true },
    },
    stream ?? pino.destination({ dest: 1, sync: true }),
  );
}

interface LoggedRequest extends IncomingMessage {
  actor?: TokenEntry;
}

/**
 * pino-http's options: a request id on every line (the client's X-Request-Id when it is a plain
 * id, else a new UUID, answered in X-Request-Id), and on each request's last line the actor
 * (id and role, never the token) and the correlation id. No header is logged.
 */
export function requestLogOptions(logger: Logger): Options<LoggedRequest, ServerResponse> {
  return {
    logger,
    genReqId: (req, res) => {
      const given = firstHeader(req, 'x-request-id');
      const id = given !== undefined && ID_PATTERN.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // Lines logged while a request is handled carry its reqId only; the actor is added once known
    // (RequestContextInterceptor), and the request itself is described on its last line.
    quietReqLogger: true,
    serializers: {
      req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({
        method: req.method,
        url: req.url,
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessObject: (req, res, value) => ({ ...value, ...requestContext(req, res) }),
    customErrorObject: (req, res, _err, value) => ({ ...value, ...requestContext(req, res) }),
  };
}

/**
 * Who made the request and which correlation id it belongs to: the X-Correlation-Id header, or
 * for a write without one, its command id (the Idempotency-Key answered), which its events carry.
 */
export function requestContext(
  req: LoggedRequest,
  res?: ServerResponse,
): { actorId?: string; role?: string; correlationId?: string } {
  const header = firstHeader(req, 'x-correlation-id');
  const answered = res?.getHeader('idempotency-key');
  const correlationId =
    header !== undefined ? (ID_PATTERN.test(header) ? header : '(not a valid id)') : stringOrUndefined(answered);
  return {
    ...(req.actor ? { actorId: req.actor.actorId, role: req.actor.role } : {}),
    ...(correlationId !== undefined ? { correlationId } : {}),
  };
}

function firstHeader(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Nest's own start-up chatter (a line per module and route): debug, not info. */
const BOOT_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

/** Nest's logger interface over nestjs-pino's, with Nest's start-up lines moved down to debug. */
export class LedgerNestLogger implements LoggerService {
  constructor(private readonly inner: LoggerService) {}

  log(message: unknown, ...rest: unknown[]): void {
    if (BOOT_CONTEXTS.has(rest[rest.length - 1] as string)) this.inner.debug?.(message, ...rest);
    else this.inner.log(message, ...rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.inner.error(message, ...rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.inner.warn(message, ...rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.inner.debug?.(message, ...rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.inner.verbose?.(message, ...rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.inner.fatal?.(message, ...rest);
  }
}
