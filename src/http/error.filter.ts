import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { DomainError } from '../shared/domain/domain-error';

/**
 * The one place coded errors become HTTP: `{error, message, field?}` with the error's status.
 * Anything unexpected is a 500 that says only that, and is logged.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse();
    const { status, body } = toErrorBody(exception);
    if (status >= 500) this.log.error(exception instanceof Error ? exception.stack : String(exception));
    res.status(status).json(body);
  }
}

export function toErrorBody(exception: unknown): { status: number; body: { error: string; message: string; field?: string } } {
  if (exception instanceof DomainError) {
    return { status: exception.status, body: { error: exception.code, message: exception.message, ...(exception.field ? { field: exception.field } : {}) } };
  }
  // body-parser: malformed JSON, or a body too large.
  const e = exception as { type?: string; status?: number; message?: string };
  if (e && e.type === 'entity.parse.failed') return { status: 400, body: { error: 'invalid-json', message: `the request body is not valid JSON: ${e.message}` } };
  if (e && e.type === 'entity.too.large') return { status: 413, body: { error: 'body-too-large', message: 'the request body exceeds 1 MB' } };
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code = status === 404 ? 'not-found' : status === 400 && /JSON/.test(exception.message) ? 'invalid-json' : status === 413 ? 'body-too-large' : 'http-error';
    return { status, body: { error: code, message: exception.message } };
  }
  return { status: 500, body: { error: 'internal-error', message: 'an unexpected error occurred; it has been logged' } };
}
