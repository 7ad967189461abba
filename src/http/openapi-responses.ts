import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiProperty, ApiPropertyOptional, HeadersObject } from '@nestjs/swagger';
import { KEY_PATTERN } from './command-context';

/**
 * What the OpenAPI document says a route answers beside its success: the refusals, by status and
 * code. Cross-cutting ones (authentication, roles, bodies, query parameters, time travel) are
 * derived from the route itself by the document builder (openapi.ts); a route declares only the
 * rest with `Refuses`, and a write through the command context with `CommandWrite`.
 */
export type RefusalStatus = 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 422 | 429 | 503;
export type Refusals = Partial<Record<RefusalStatus, readonly string[]>>;

const REFUSALS_KEY = 'ledger:openapi-refusals';

/** The policy rule a refusal applies (src/policy; GET /api/policies lists them). */
export class RuleReferenceDto {
  @ApiProperty({ description: 'the rule id, as GET /api/policies lists it', example: 'provident-fund-earmark' })
  ruleId!: string;
  @ApiProperty({ description: 'the document and clause it comes from', example: '潼南府办发〔2021〕71号 四(一)' })
  citation!: string;
}

/**
 * The body of every refusal (error.filter.ts): a stable code, a sentence, the field at fault, and
 * the policy rule when the refusal applies one.
 */
export class ErrorResponse {
  @ApiProperty({ description: 'a stable code clients match on (docs/api.md, "Error codes")', example: 'invalid-query' })
  error!: string;
  @ApiProperty({ description: 'what was refused and why, in words', example: 'limit must be a whole number 1-1000' })
  message!: string;
  @ApiPropertyOptional({ description: 'the body field, query parameter or header at fault', example: 'limit' })
  field?: string;
  @ApiPropertyOptional({
    type: RuleReferenceDto,
    description: 'the policy rule the refusal applies (a broken business rule with a policy source)',
  })
  rule?: RuleReferenceDto;
}

/** The codes a route answers besides those derived from it; repeated use adds to them. */
export function Refuses(refusals: Refusals): MethodDecorator {
  return (target, key, descriptor) => {
    const handler = descriptor.value as object;
    SetMetadata(REFUSALS_KEY, mergeRefusals(declaredRefusals(handler), refusals))(target, key, descriptor);
  };
}

export function declaredRefusals(handler: object): Refusals {
  return (Reflect.getMetadata(REFUSALS_KEY, handler) as Refusals | undefined) ?? {};
}

export function mergeRefusals(...all: Refusals[]): Refusals {
  const merged: Refusals = {};
  for (const refusals of all)
    for (const [status, codes] of Object.entries(refusals) as [`${RefusalStatus}`, readonly string[]][]) {
      const s = Number(status) as RefusalStatus;
      merged[s] = [...new Set([...(merged[s] ?? []), ...codes])];
    }
  return merged;
}

/** One event a write appended. */
export class WrittenEvent {
  @ApiProperty({ example: 'funds-received.v1' }) type!: string;
  @ApiProperty({ example: '3b0a2f0e-6a4c-5d7e-9f10-2b3c4d5e6f70' }) eventId!: string;
}

/** The body every write answers with (command-context.ts, writeResponse). */
export class WriteResponse {
  @ApiProperty({ example: 'project-TN2021-017' }) streamId!: string;
  @ApiProperty({ type: 'integer', example: 3, description: 'the stream revision after the write (0-based)' })
  revision!: number;
  @ApiProperty({ example: '1042', description: 'the global position of the last event written (a decimal string)' })
  position!: string;
  @ApiProperty({ type: [WrittenEvent] }) events!: WrittenEvent[];
}

/** The response headers of a write (command-context.ts, answerWrite). */
export const WRITE_RESPONSE_HEADERS: HeadersObject = {
  ETag: {
    description: 'the stream revision after the write, e.g. "3": send it as If-Match',
    schema: { type: 'string' },
  },
  'Idempotency-Key': {
    description: 'the key the write is stored under: the one sent, or the one the server made',
    schema: { type: 'string' },
  },
  'Idempotent-Replayed': {
    description: '`true` when this is the stored answer to an earlier request with the same key (nothing written)',
    schema: { type: 'string', enum: ['true'] },
  },
};

const KEY_RULE = '1-128 letters, digits or . _ : -';
const KEY_SCHEMA = { type: 'string', pattern: KEY_PATTERN.source };

/**
 * A write that goes through the command context (command-context.ts): the request headers it reads
 * and the refusals they bring. `ifMatch` names the stream whose revision the client may pin, or is
 * false where there is none to pin (a seal makes a new stream each time).
 */
export function CommandWrite(options: { ifMatch: string | false }): MethodDecorator {
  return applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      schema: KEY_SCHEMA,
      description: `repeat a write safely: the same key and body return the first answer and write nothing (${KEY_RULE})`,
    }),
    ...(options.ifMatch
      ? [
          ApiHeader({
            name: 'If-Match',
            required: false,
            description: `${options.ifMatch}'s revision (ETag) the write is decided on, e.g. "3" (a whole number from 0); a stale one is 412`,
          }),
        ]
      : []),
    ApiHeader({
      name: 'X-Correlation-Id',
      required: false,
      schema: KEY_SCHEMA,
      description: `recorded on the events (${KEY_RULE}); the idempotency key by default`,
    }),
    ApiHeader({
      name: 'X-Causation-Id',
      required: false,
      schema: KEY_SCHEMA,
      description: `recorded on the events (${KEY_RULE}); the correlation id by default`,
    }),
    Refuses({
      400: [
        'invalid-idempotency-key',
        'invalid-correlation-id',
        'invalid-causation-id',
        ...(options.ifMatch ? ['invalid-if-match'] : []),
      ],
      409: ['idempotency-key-reused', 'write-conflict', 'chain-broken'],
      ...(options.ifMatch ? { 412: ['revision-mismatch'] } : {}),
      413: ['event-too-large'],
    }),
  );
}

/** A write of a two-stream flow that has not been made yet: it follows by itself (docs/api.md, "Allocations: two streams"). */
export class PendingWrite {
  @ApiProperty({ example: 'project-TN2021-017' }) streamId!: string;
  @ApiProperty({ enum: ['pending'] }) status!: 'pending';
}
