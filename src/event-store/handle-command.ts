import { Decider, DomainEvent } from '../shared/domain/decider';
import { DomainError, assert } from '../shared/domain/domain-error';
import {
  ActorRef, DuplicateEventIdError, EventStore, NewEvent, RecordedEvent, WrongExpectedRevisionError,
} from './event-store.port';
import { deriveEventId } from './hashing';

/** Who, why and when of one command; everything that is not the command's own content. */
export interface CommandContext {
  /** The idempotency key: the client's `Idempotency-Key`, or one the server generated. */
  commandId: string;
  /** SHA-256 of the canonical request; the same key with another request is refused. */
  requestHash: string;
  actor: ActorRef;
  correlationId: string;
  causationId: string;
  recordedAt: string;
  /** From `If-Match`: the stream revision the client decided on. A mismatch is 412, never retried. */
  ifMatch?: bigint;
}

export interface WriteResult {
  streamId: string;
  revision: bigint;
  position: bigint;
  events: { type: string; eventId: string }[];
  /** True when this answer is the stored answer to an earlier request with the same key. */
  replayed: boolean;
}

/** How many times a write that lost a race is decided again on the new state. */
export const MAX_DECIDE_ATTEMPTS = 8;
/** How many folded streams the write path keeps in memory. */
export const STREAM_CACHE_LIMIT = 10_000;

interface CachedStream<S> {
  revision: bigint; // -1n: no stream
  state: S;
}

/**
 * The one write path: read → evolve → decide → append with an explicit expected revision.
 *
 * - Idempotent: events of a command are found by its id before anything is decided; a repeat with
 *   the same request hash returns the first answer, another request with the same key is 409.
 *   Event ids derive from the command id, so two racing repeats cannot both write.
 * - Without `If-Match`, a write that loses a race is decided again on the new state, at most
 *   MAX_DECIDE_ATTEMPTS times, so concurrent writers never see a spurious conflict and never
 *   break a rule together (the append's revision check makes the second decision see the first).
 * - Folded state is cached per stream and only ever advanced by events read back or appended at
 *   the next revision; a stale cache (another process wrote) costs one failed append, not a wrong
 *   decision, because the expected revision is checked by the store.
 */
export class CommandWriter<S, C, E extends DomainEvent<string, object>> {
  private readonly cache = new Map<string, CachedStream<S>>();

  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<S, C, E>,
  ) {}

  async execute(streamId: string, command: C, ctx: CommandContext, guard?: (state: S, revision: bigint) => void): Promise<WriteResult> {
    const prior = await this.priorAnswer(ctx);
    if (prior) return prior;
    for (let attempt = 1; attempt <= MAX_DECIDE_ATTEMPTS; attempt++) {
      const current = await this.load(streamId);
      if (ctx.ifMatch !== undefined && ctx.ifMatch !== current.revision) throw staleRevision(streamId, ctx.ifMatch, current.revision);
      guard?.(current.state, current.revision);
      const decided = this.decider.decide(command, current.state);
      assert(decided.length > 0, 'a successful decision yields at least one event');
      const toAppend: NewEvent[] = decided.map((e, i) => {
        const eventId = deriveEventId(ctx.commandId, i);
        return {
          eventId,
          type: e.type,
          data: e.data as unknown as Record<string, unknown>,
          metadata: {
            eventId, commandId: ctx.commandId, requestHash: ctx.requestHash, actor: ctx.actor,
            correlationId: ctx.correlationId, causationId: ctx.causationId, recordedAt: ctx.recordedAt,
          },
        };
      });
      try {
        const result = await this.store.append(streamId, toAppend, current.revision < 0n ? 'no_stream' : current.revision);
        this.advance(streamId, current, result.revision - BigInt(decided.length) + 1n, decided);
        return { streamId, revision: result.revision, position: result.position, events: toAppend.map(({ type, eventId }) => ({ type, eventId })), replayed: false };
      } catch (err) {
        if (err instanceof DuplicateEventIdError) {
          const again = await this.priorAnswer(ctx);
          if (again) return again;
          throw err;
        }
        if (!(err instanceof WrongExpectedRevisionError)) throw err;
        this.cache.delete(streamId);
        if (ctx.ifMatch !== undefined) throw staleRevision(streamId, ctx.ifMatch, err.actual === 'no_stream' ? -1n : err.actual);
        const again = await this.priorAnswer(ctx);
        if (again) return again;
      }
    }
    throw new DomainError('write-conflict', `stream ${streamId} changed under ${MAX_DECIDE_ATTEMPTS} attempts in a row; try again`, 409);
  }

  /** Current folded state of a stream and its revision (-1n when it does not exist). */
  async load(streamId: string): Promise<{ revision: bigint; state: S }> {
    let entry = this.cache.get(streamId);
    if (entry) {
      this.cache.delete(streamId); // re-inserted below: the Map's order is the LRU order
    } else {
      entry = { revision: -1n, state: this.decider.initialState() };
    }
    const newer = await this.store.readStream(streamId, entry.revision + 1n);
    for (const e of newer) {
      if (e.revision !== entry.revision + 1n) break; // a concurrent advance got there first
      entry.state = this.decider.evolve(entry.state, { type: e.type, data: e.data } as unknown as E);
      entry.revision = e.revision;
    }
    this.cache.set(streamId, entry);
    if (this.cache.size > STREAM_CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
    return entry;
  }

  /** Folds just-appended events into the cached state, if the cache is exactly where they follow. */
  private advance(streamId: string, entry: CachedStream<S>, firstRevision: bigint, events: E[]): void {
    if (this.cache.get(streamId) !== entry || entry.revision !== firstRevision - 1n) {
      this.cache.delete(streamId);
      return;
    }
    for (const e of events) entry.state = this.decider.evolve(entry.state, e);
    entry.revision = firstRevision + BigInt(events.length) - 1n;
  }

  private async priorAnswer(ctx: CommandContext): Promise<WriteResult | null> {
    const prior = await this.store.readByCommand(ctx.commandId);
    if (prior.length === 0) return null;
    if (prior[0].metadata.requestHash !== ctx.requestHash) {
      throw new DomainError('idempotency-key-reused', `Idempotency-Key ${ctx.commandId} was already used for a different request`, 409);
    }
    return answerFrom(prior);
  }
}

function answerFrom(events: RecordedEvent[]): WriteResult {
  const last = events[events.length - 1];
  return { streamId: last.streamId, revision: last.revision, position: last.position, events: events.map(({ type, eventId }) => ({ type, eventId })), replayed: true };
}

function staleRevision(streamId: string, expected: bigint, actual: bigint): DomainError {
  return new DomainError('revision-mismatch', `If-Match ${expected} is stale: ${streamId} is at revision ${actual}`, 412);
}
