/**
 * The HTTP side of a file import, shared by `POST /api/bank-accounts/:id/statements` and
 * `POST /api/treasury-files`: the file read from the request (readFileUpload), the `dryRun`
 * parameter, the OpenAPI description of the body and the two answers (201 written, 200 not), and
 * the answer itself; and the `month` parameter of both reconciliations.
 */
import { applyDecorators } from '@nestjs/common';
import { Command, CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';
import type { IncomingMessage } from 'node:http';
import { AuthedRequest } from '../../auth/auth.guard';
import { EventStore } from '../../event-store/event-store.port';
import { STATEMENT_MEDIA_TYPES, readFileUpload } from '../../http/body-reading.middleware';
import {
  HttpCommandContext,
  WriteResponseHeaders,
  answerWrite,
  commandContextFor,
  writeResponse,
} from '../../http/command-context';
import { WRITE_RESPONSE_HEADERS } from '../../http/openapi-responses';
import { QueryParamDoc } from '../../http/query-param.decorator';
import { STATEMENT_LIMIT_BYTES } from '../../http/validation';
import { DomainError } from '../../shared/domain/domain-error';
import { Clock } from '../../shared/time/clock';
import { ImportOutcome } from './import-flow';

export const DRY_RUN: QueryParamDoc = {
  name: 'dryRun',
  description: '`true`: read the file and answer the lines and problems found, writing nothing',
  schema: { type: 'string', enum: ['true', 'false'] },
};

export const MONTH: QueryParamDoc = {
  name: 'month',
  description: 'YYYY-MM: reconcile as of the last day of that month (default: the current month)',
  schema: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$', example: '2023-06' },
};

/** The month a reconciliation is as of: `month`, or the current one; 400 `invalid-query` unless YYYY-MM from 2000-01 to 2100-12. */
export function reconciliationMonth(month: string | undefined, clock: Clock): string {
  const m = month ?? clock.now().toISOString().slice(0, 7);
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(m) || m < '2000-01' || m > '2100-12')
    throw new DomainError('invalid-query', `month must be YYYY-MM from 2000-01 to 2100-12 (got "${m}")`, 400, 'month');
  return m;
}

/**
 * An import route's body and answers in the OpenAPI document: the file (the media types
 * readFileUpload takes, or multipart), 201 with `written` when written or replayed, 200 with
 * `notWritten` for a preview or a file all imported before.
 */
export function FileImportBody(doc: {
  body: string;
  written: abstract new (...args: never[]) => unknown;
  notWritten: abstract new (...args: never[]) => unknown;
  notWrittenDescription: string;
}): MethodDecorator {
  return applyDecorators(
    ApiConsumes(...STATEMENT_MEDIA_TYPES, 'multipart/form-data'),
    ApiBody({ description: doc.body, schema: { type: 'string', format: 'binary' } }),
    ApiCreatedResponse({ type: doc.written, headers: WRITE_RESPONSE_HEADERS, description: 'written (or replayed)' }),
    ApiOkResponse({ type: doc.notWritten, description: doc.notWrittenDescription }),
  );
}

/** What an import route needs of its controller. */
export interface ImportRouteDeps {
  commands: CommandBus;
  store: EventStore;
  clock: Clock;
}

export interface FileImportRequest<R, V> {
  /** The route as the command context names it, and its path parameters. */
  route: string;
  params: Record<string, string>;
  /** The `dryRun` parameter as sent. */
  dryRun: string | undefined;
  /** What the file is, as the refusals of its upload name it ("statement"). */
  kind: string;
  readFile(bytes: Buffer): Promise<R & { fileHash: string }>;
  command(
    read: R,
    fileName: string | undefined,
    dryRun: boolean,
    context: HttpCommandContext,
  ): Command<ImportOutcome<V>>;
}

/**
 * An import request end to end: `dryRun` checked before the file is read (400 `invalid-query`),
 * the file read and its lines parsed, the command run with a context whose request is the file's
 * hash (the same file sent again with the same key answers the first write), and its outcome
 * answered: 201 and the write's body with the figures, or 200 with the figures and the preview.
 */
export async function importUpload<R, V>(
  deps: ImportRouteDeps,
  req: AuthedRequest & IncomingMessage,
  res: WriteResponseHeaders & { status(code: number): unknown },
  r: FileImportRequest<R, V>,
) {
  if (r.dryRun !== undefined && r.dryRun !== 'true' && r.dryRun !== 'false')
    throw new DomainError('invalid-query', `dryRun must be true or false (got "${r.dryRun}")`, 400, 'dryRun');
  const dryRun = r.dryRun === 'true';
  const upload = await readFileUpload(req, STATEMENT_LIMIT_BYTES, r.kind);
  const read = await r.readFile(upload.bytes);
  const context = await commandContextFor(
    deps.store,
    req,
    r.route,
    r.params,
    { fileHash: read.fileHash, dryRun },
    deps.clock,
  );
  const { write, preview, ...figures } = await deps.commands.execute(r.command(read, upload.fileName, dryRun, context));
  if (write === undefined) {
    res.status(200);
    return { ...figures, ...(preview ?? {}) };
  }
  answerWrite(res, context.idempotencyKey, write);
  return { ...writeResponse(write), ...figures };
}
