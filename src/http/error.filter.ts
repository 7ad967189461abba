import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger, Optional } from '@nestjs/common';
import { Actor } from '../auth/tokens';
import { personalDataViewOf } from '../auth/personal-data';
import { UnreadableEventError, chainBroken } from '../event-store/integrity';
import { MASKED } from '../events/personal-fields';
import { MetricsService } from '../ops/metrics.service';
import { DomainError, RuleReference } from '../shared/domain/domain-error';
import { isClientAbort } from './body-reading.middleware';
import { BODY_LIMIT_BYTES } from './validation';

/**
 * The one place coded errors become HTTP: `{error, message, field?}` with the error's status.
 * Anything unexpected is a 500 that says only that, and is logged.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('http');

  constructor(@Optional() private readonly metrics?: MetricsService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse();
    const req = host.switchToHttp().getRequest<{ method?: string; originalUrl?: string; complete?: boolean }>();
    if (isClientAbort(exception, req)) {
      // Nobody reads this answer; the line says what happened, with no stack to alarm anyone.
      this.log.warn(`client abort: the client closed the connection during ${req.method} ${req.originalUrl}`);
      res.status(400).json(CLIENT_ABORT);
      return;
    }
    const { status, body } = toErrorBody(exception);
    // A household id the message names (one the register holds, not the caller's own input, as
    // often as not) is personal data: masked as every read masks it for this caller.
    const personal = exception instanceof DomainError ? exception.personal : undefined;
    if (personal?.length && personalDataViewOf((req as { actor?: Actor }).actor) === 'masked')
      // The longest first: an id that another begins with would leave the longer one's tail.
      for (const value of [...personal].sort((a, b) => b.length - a.length))
        body.message = body.message.split(value).join(MASKED);
    this.metrics?.countError(body.error, status);
    // Refused before its body was read (authentication comes first): close the connection rather
    // than let Node drain an upload nobody will read.
    if (host.switchToHttp().getRequest()?.complete === false) res.setHeader('Connection', 'close');
    if (status >= 500) this.log.error(exception instanceof Error ? exception.stack : String(exception));
    res.status(status).json(body);
  }
}

const CLIENT_ABORT = {
  error: 'request-aborted',
  message: 'the client closed the connection before its request was read',
};

export function toErrorBody(exception: unknown): {
  status: number;
  body: { error: string; message: string; field?: string; rule?: RuleReference };
} {
  // A stored event that cannot be read, met by any read (a page of the log, say): its stream is
  // broken, and the answer says so as every read of a broken stream does (integrity.ts).
  if (exception instanceof UnreadableEventError) return toErrorBody(chainBroken(exception.fault));
  if (exception instanceof DomainError) {
    return {
      status: exception.status,
      body: {
        error: exception.code,
        message: exception.message,
        ...(exception.field ? { field: exception.field } : {}),
        ...(exception.rule ? { rule: exception.rule } : {}),
      },
    };
  }
  // body-parser: malformed JSON, or a body too large.
  const e = exception as { type?: string; status?: number; message?: string; expose?: boolean; limit?: unknown };
  if (e && e.type === 'entity.parse.failed') {
    // The parser takes an object or an array only (strict): valid JSON of another kind is told so.
    const scalar = jsonScalarOf((e as { body?: unknown }).body);
    return {
      status: 400,
      body: {
        error: 'invalid-json',
        message:
          scalar === undefined
            ? `the request body is not valid JSON: ${e.message}`
            : `the request body must be a JSON object (got ${scalar})`,
      },
    };
  }
  if (e && e.type === 'entity.too.large')
    return {
      status: 413,
      body: {
        error: 'body-too-large',
        // The route's own limit (a bank statement's is larger than a JSON body's).
        message: `the request body exceeds ${(typeof e.limit === 'number' ? e.limit : BODY_LIMIT_BYTES) / (1024 * 1024)} MB`,
      },
    };
  // body-parser's other refusals (another charset or Content-Encoding: 415; a body that does not
  // decompress or is cut short: 400), all http-errors marked safe to show.
  if (
    e &&
    (typeof e.type === 'string' || e.expose === true) &&
    !(exception instanceof HttpException) &&
    typeof e.status === 'number' &&
    e.status >= 400 &&
    e.status < 500
  ) {
    return {
      status: e.status,
      body: {
        error: e.status === 415 ? 'unsupported-media-type' : 'invalid-body',
        message: `the request body cannot be read: ${e.message}`,
      },
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code =
      status === 404
        ? 'not-found'
        : status === 400 && /JSON/.test(exception.message)
          ? 'invalid-json'
          : status === 413
            ? 'body-too-large'
            : status === 400
              ? 'invalid-request' // e.g. a path whose percent-encoding does not decode
              : 'http-error';
    return { status, body: { error: code, message: exception.message } };
  }
  return {
    status: 500,
    body: { error: 'internal-error', message: 'an unexpected error occurred; it has been logged' },
  };
}

/** A body that is valid JSON but not an object or array (null, a string, a number, a boolean), as JSON, cut short; else undefined. */
function jsonScalarOf(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (value !== null && typeof value === 'object') return undefined;
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
