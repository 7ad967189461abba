import { randomUUID } from 'node:crypto';
import { Actor } from '../auth/tokens';
import { EventStore } from '../event-store/event-store.port';
import { CommandContext, WriteResult } from '../event-store/write-path';
import { canonicalJson, sha256Hex } from '../event-store/hashing';
import { DomainError } from '../shared/domain/domain-error';
import { Clock } from '../shared/time/clock';

export const KEY_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export interface HttpRequestLike {
  headers: Record<string, string | string[] | undefined>;
  actor?: Actor;
}

/** A command's context as HTTP builds it: with the key the client sent (or was given), which answers echo. */
export interface HttpCommandContext extends CommandContext {
  idempotencyKey: string;
}

/**
 * Builds a command's context from the HTTP request: the idempotency key (the client's, or a new
 * one the response returns) and the command id stored for it (scopedCommandId), the hash of the
 * request it guards, the actor, correlation and causation ids, the recorded time, and `If-Match`.
 * Use commandContextFor, which also recognises keys stored before they were scoped.
 */
function commandContextOf(
  req: HttpRequestLike,
  route: string,
  params: Record<string, string>,
  body: unknown,
  clock: Clock,
): HttpCommandContext {
  const idempotencyKey = keyHeader(req, 'Idempotency-Key') ?? randomUUID();
  const actor = req.actor!;
  const commandId = scopedCommandId(actor.actorId, idempotencyKey);
  // Stored on every event, like the key: held to the same pattern and length.
  const correlationId = keyHeader(req, 'X-Correlation-Id') ?? idempotencyKey;
  return {
    idempotencyKey,
    commandId,
    requestHash: sha256Hex(canonicalJson({ route, params, body })),
    actor: { id: actor.actorId, role: actor.role, org: actor.org },
    correlationId,
    causationId: keyHeader(req, 'X-Causation-Id') ?? correlationId,
    recordedAt: clock.now().toISOString(),
    ifMatch: ifMatchOf(header(req, 'if-match')),
  };
}

/**
 * The command id stored for an actor's Idempotency-Key: `<key>@<actorId>`. Keys are scoped per
 * actor, so another actor sending the same key makes its own write and never replays (or is
 * refused by) someone else's answer. Unambiguous: a key has no `@` (KEY_PATTERN).
 */
export function scopedCommandId(actorId: string, idempotencyKey: string): string {
  return `${idempotencyKey}@${actorId}`;
}

/**
 * commandContextOf, with one look in the store: a ledger written before keys were scoped stored
 * the client's key itself as the command id. When that key's events are this actor's, the command
 * keeps that id, so a request sent before an upgrade and repeated after it replays its first
 * answer (or is refused as another request) as it always did; another actor's are left alone.
 */
export async function commandContextFor(
  store: Pick<EventStore, 'readByCommand'>,
  req: HttpRequestLike,
  route: string,
  params: Record<string, string>,
  body: unknown,
  clock: Clock,
): Promise<HttpCommandContext> {
  const context = commandContextOf(req, route, params, body, clock);
  if (header(req, 'idempotency-key') === undefined) return context;
  const [unscoped] = await store.readByCommand(context.idempotencyKey);
  return unscoped?.metadata.actor.id === context.actor.id ? { ...context, commandId: context.idempotencyKey } : context;
}

/**
 * `If-Match: "3"` (or W/"3", or 3): the stream revision the client last saw, as ETag gave it: a
 * whole number from 0. ETag never gives a negative one, so "-1" is a malformed header (400), not a
 * stale revision (412); a write that creates a stream is refused by its own rule when it exists.
 */
function ifMatchOf(value: string | undefined): bigint | undefined {
  if (value === undefined) return undefined;
  const m = /^(?:W\/)?"?(\d{1,18})"?$/.exec(value.trim());
  if (!m)
    throw new DomainError(
      'invalid-if-match',
      'If-Match must be a stream revision as given by ETag, a whole number from 0, e.g. "3"',
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

/** Sets the write's headers (its key as the client knows it, the new revision as ETag, whether it was a repeat) and answers its body. */
export function answerWrite(res: WriteResponseHeaders, idempotencyKey: string, result: WriteResult) {
  res.setHeader('Idempotency-Key', idempotencyKey);
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
