import { HttpCode, applyDecorators } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.guard';
import { WRITE_ROLES } from '../../auth/tokens';
import { CommandWrite, Refuses, WRITE_RESPONSE_HEADERS, WriteResponse } from '../../http/openapi-responses';

/**
 * A route recording a matching decision (match-decisions.ts): a bank account's, or the treasury's.
 * Both take RecordMatchDto, answer and refuse alike; `notFound` adds the stream's own 404s.
 */
export function RecordMatchRoute(stream: string, summary: string, notFound: string[] = []): MethodDecorator {
  return applyDecorators(
    Roles(...WRITE_ROLES.accounts),
    ApiOperation({ summary }),
    ApiCreatedResponse({ type: WriteResponse, headers: WRITE_RESPONSE_HEADERS, description: 'written (or replayed)' }),
    CommandWrite({ ifMatch: stream }),
    Refuses({
      400: ['match-reason-required', 'invalid-id'],
      ...(notFound.length > 0 ? { 404: notFound } : {}),
      409: ['match-id-exists', 'statement-line-already-matched', 'ledger-entry-already-matched', 'chain-broken'],
      422: ['statement-line-not-found', 'ledger-entry-not-found'],
    }),
    HttpCode(201),
  );
}
