import { randomUUID } from 'node:crypto';
import { TokenEntry } from '../auth/tokens';
import { CommandContext, WriteResult } from '../event-store/write-path';
import { canonicalJson, sha256Hex } from '../event-store/hashing';
import { DomainError } from '../shared/domain/domain-error';
import { Clock } from '../shared/time/clock';

const KEY_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export interface HttpRequestLike {
  headers: Record<string, string | string[] | undefined>;
  actor?: TokenEntry;
}

/**
 * Builds a command's context from the HTTP request: the idempotency key (the client's, or a new
 * one the response returns), the hash of the request it guards, the actor, correlation and
 * causation ids, the recorded time, and `If-Match`.
 */
export function commandContextOf(
  req: HttpRequestLike,
  route: string,
  params: Record<string, string>,
  body: unknown,
  clock: Clock,
): CommandContext {
  const commandId = keyHeader(req, 'Idempotency-Key') ?? randomUUID();
  const actor = req.actor!;
  // Stored on every event, like the key: held to the same pattern and length.
  const correlationId = keyHeader(req, 'X-Correlation-Id') ?? commandId;
  return {
    commandId,
    requestHash: sha256Hex(canonicalJson({ route, params, body })),
    actor: { id: actor.actorId, role: actor.role, org: actor.org },
    correlationId,
    causationId: keyHeader(req, 'X-Causation-Id') ?? correlationId,
    recordedAt: clock.now().toISOString(),
    ifMatch: ifMatchOf(header(req, 'if-match')),
  };
}

/** `If-Match: "3"` (or W/"3", or 3): the stream revision the client last saw. */
function ifMatchOf(value: string | undefined): bigint | undefined {
  if (value === undefined) return undefined;
  const m = /^(?:W\/)?"?(-1|\d{1,18})"?$/.exec(value.trim());
  if (!m)
    throw new DomainError(
      'invalid-if-match',
      'If-Match must be a stream revision as given by ETag, e.g. "3"',
      400,
      'If-Match',
    );
  return BigInt(m[1]);
}

/** The headers that hold a key, each with its refusal: 400 naming the header. */
const KEY_HEADER_ERRORS = {
  'Idempotency-Key': (rule: string) => new DomainError('invalid-idempotency-key', rule, 400, 'Idempotency-Key'),
  'X-Correlation-Id': (rule: string) => new DomainError('invalid-correlation-id', rule, 400, 'X-Correlation-Id'),
  'X-Causation-Id': (rule: string) => new DomainError('invalid-causation-id', rule, 400, 'X-Causation-Id'),
};

/** A key header's value: absent, or refused unless it fits KEY_PATTERN. */
function keyHeader(req: HttpRequestLike, name: keyof typeof KEY_HEADER_ERRORS): string | undefined {
  const value = header(req, name.toLowerCase());
  if (value !== undefined && !KEY_PATTERN.test(value))
    throw KEY_HEADER_ERRORS[name](`${name} must be 1-128 letters, digits or . _ : -`);
  return value;
}

function header(req: HttpRequestLike, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The part of the HTTP response a write route touches. */
export interface WriteResponseHeaders {
  setHeader(name: string, value: string): unknown;
}

/** Sets the write's headers (its key, the new revision as ETag, whether it was a repeat) and answers its body. */
export function answerWrite(res: WriteResponseHeaders, commandId: string, result: WriteResult) {
  res.setHeader('Idempotency-Key', commandId);
  res.setHeader('ETag', `"${result.revision}"`);
  if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
  return writeResponse(result);
}

/** The body every write answers with (product.md): revisions as numbers, positions as strings. */
export function writeResponse(result: WriteResult) {
  return {
    streamId: result.streamId,
    revision: Number(result.revision),
    position: result.position.toString(),
    events: result.events,
  };
}
