import { Decider, DomainEvent } from '../shared/domain/decider';
import { DomainError, assert } from '../shared/domain/domain-error';
import {
  DuplicateEventIdError, EventMetadata, EventStore, NewEvent, RecordedEvent, WrongExpectedRevisionError,
} from './event-store.port';
import { deriveEventId } from './hashing';

/**
 * Who, why and when of one command; everything that is not the command's own content. It becomes
 * the metadata of every event the command writes (commandId is the idempotency key: the client's
 * `Idempotency-Key`, or one the server generated).
 */
export interface CommandContext extends Omit<EventMetadata, 'eventId' | 'prevHash' | 'hash'> {
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

/** A check on the current state before deciding (e.g. "the project exists"), with the stream revision (-1n: none). */
export type Guard<S> = (state: S, revision: bigint) => void;

/** What the service writes with: one of the two writers below, chosen by the store. */
export interface Writer<S, C> {
  execute(streamId: string, command: C, ctx: CommandContext, guard?: Guard<S>): Promise<WriteResult>;
}

/** How many times a write that lost a race is decided again on the new state. */
export const MAX_DECIDE_ATTEMPTS = 8;
/** How many folded streams a writer keeps in memory. */
export const STREAM_CACHE_LIMIT = 10_000;

// ---------------------------------------------------------------------------------------------
// Pieces both writers share

export interface CachedStream<S> {
  revision: bigint; // -1n: no stream
  state: S;
}

/**
 * Folded state per stream, bounded (least recently used goes first). A cached state is only ever
 * advanced by events at exactly the next revision, so it never counts an event twice; whoever
 * finds it stale (another process wrote) catches it up from the store.
 */
export class StreamStateCache<S, E> {
  private readonly entries = new Map<string, CachedStream<S>>();

  constructor(private readonly decider: Decider<S, unknown, E>) {}

  /** The cached entry (or a fresh one), caught up with `newer`: events read from revision+1 on. */
  take(streamId: string): CachedStream<S> {
    let entry = this.entries.get(streamId);
    if (entry) this.entries.delete(streamId); // re-inserted by `put`: the Map's order is the LRU order
    else entry = { revision: -1n, state: this.decider.initialState() };
    this.put(streamId, entry);
    return entry;
  }

  catchUp(entry: CachedStream<S>, newer: RecordedEvent[]): void {
    for (const e of newer) {
      if (e.revision !== entry.revision + 1n) break; // a concurrent catch-up got there first
      entry.state = this.decider.evolve(entry.state, { type: e.type, data: e.data } as unknown as E);
      entry.revision = e.revision;
    }
  }

  /** Folds just-appended events in, if the entry is still cached and exactly where they follow. */
  advance(streamId: string, entry: CachedStream<S>, firstRevision: bigint, events: E[]): void {
    if (this.entries.get(streamId) !== entry || entry.revision !== firstRevision - 1n) {
      this.entries.delete(streamId);
      return;
    }
    for (const e of events) entry.state = this.decider.evolve(entry.state, e);
    entry.revision = firstRevision + BigInt(events.length) - 1n;
  }

  invalidate(streamId: string): void {
    this.entries.delete(streamId);
  }

  private put(streamId: string, entry: CachedStream<S>): void {
    this.entries.set(streamId, entry);
    if (this.entries.size > STREAM_CACHE_LIMIT) this.entries.delete(this.entries.keys().next().value as string);
  }
}

/** The events to append for a decision: ids derived from the command id, metadata from the context. */
export function toNewEvents(decided: DomainEvent<string, object>[], ctx: CommandContext): NewEvent[] {
  assert(decided.length > 0, 'a successful decision yields at least one event');
  return decided.map((e, i) => {
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
}

/** The stored answer to a command id, or null; the same key with another request is 409. */
export function priorAnswer(prior: RecordedEvent[], ctx: CommandContext): WriteResult | null {
  if (prior.length === 0) return null;
  if (prior[0].metadata.requestHash !== ctx.requestHash) {
    throw new DomainError('idempotency-key-reused', `Idempotency-Key ${ctx.commandId} was already used for a different request`, 409);
  }
  const last = prior[prior.length - 1];
  return { streamId: last.streamId, revision: last.revision, position: last.position, events: prior.map(({ type, eventId }) => ({ type, eventId })), replayed: true };
}

export function staleRevision(streamId: string, expected: bigint, actual: bigint): DomainError {
  return new DomainError('revision-mismatch', `If-Match ${expected} is stale: ${streamId} is at revision ${actual}`, 412);
}

export function writeResultOf(streamId: string, revision: bigint, position: bigint, events: NewEvent[]): WriteResult {
  return { streamId, revision, position, events: events.map(({ type, eventId }) => ({ type, eventId })), replayed: false };
}

// ---------------------------------------------------------------------------------------------
// The write path on any store (EventStoreDB): optimistic, one append per command

/**
 * The one write path: read → evolve → decide → append with an explicit expected revision.
 *
 * - Idempotent: events of a command are found by its id before anything is decided; a repeat with
 *   the same request hash returns the first answer, another request with the same key is 409.
 *   Event ids derive from the command id, so two racing repeats cannot both write.
 * - Without `If-Match`, a write that loses a race is decided again on the new state, at most
 *   MAX_DECIDE_ATTEMPTS times, so concurrent writers never see a spurious conflict and never
 *   break a rule together (the append's revision check makes the second decision see the first).
 * - A stale cached state (another process wrote) costs one failed append, not a wrong decision,
 *   because the expected revision is checked by the store.
 *
 * On the embedded store the service uses PipelinedWriter instead (same contract, batched, committed on a write thread).
 */
export class CommandWriter<S, C, E extends DomainEvent<string, object>> implements Writer<S, C> {
  private readonly cache: StreamStateCache<S, E>;

  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<S, C, E>,
  ) {
    this.cache = new StreamStateCache(decider as Decider<S, unknown, E>);
  }

  /** Per stream, the last command queued in this process: see `execute`. */
  private readonly tails = new Map<string, Promise<unknown>>();

  /**
   * Commands on one stream from this process run one after the other, so they never race each
   * other (a race costs an append, and under many concurrent writers could exhaust the attempts);
   * only writers in other processes can make an append lose, and then the command is decided again.
   */
  execute(streamId: string, command: C, ctx: CommandContext, guard?: Guard<S>): Promise<WriteResult> {
    const run = () => this.executeNow(streamId, command, ctx, guard);
    const previous = this.tails.get(streamId);
    const result = previous ? previous.then(run, run) : run();
    const tail = result.catch(() => undefined);
    this.tails.set(streamId, tail);
    void tail.then(() => {
      if (this.tails.get(streamId) === tail) this.tails.delete(streamId);
    });
    return result;
  }

  private async executeNow(streamId: string, command: C, ctx: CommandContext, guard?: Guard<S>): Promise<WriteResult> {
    const prior = priorAnswer(await this.store.readByCommand(ctx.commandId), ctx);
    if (prior) return prior;
    for (let attempt = 1; attempt <= MAX_DECIDE_ATTEMPTS; attempt++) {
      const current = await this.load(streamId);
      if (ctx.ifMatch !== undefined && ctx.ifMatch !== current.revision) throw staleRevision(streamId, ctx.ifMatch, current.revision);
      guard?.(current.state, current.revision);
      const decided = this.decider.decide(command, current.state);
      const toAppend = toNewEvents(decided, ctx);
      try {
        const result = await this.store.append(streamId, toAppend, current.revision < 0n ? 'no_stream' : current.revision);
        this.cache.advance(streamId, current, result.revision - BigInt(decided.length) + 1n, decided);
        return writeResultOf(streamId, result.revision, result.position, toAppend);
      } catch (err) {
        if (err instanceof DuplicateEventIdError) {
          const again = priorAnswer(await this.store.readByCommand(ctx.commandId), ctx);
          if (again) return again;
          throw err;
        }
        if (!(err instanceof WrongExpectedRevisionError)) throw err;
        this.cache.invalidate(streamId);
        if (ctx.ifMatch !== undefined) throw staleRevision(streamId, ctx.ifMatch, err.actual === 'no_stream' ? -1n : err.actual);
        const again = priorAnswer(await this.store.readByCommand(ctx.commandId), ctx);
        if (again) return again;
      }
    }
    throw new DomainError('write-conflict', `stream ${streamId} changed under ${MAX_DECIDE_ATTEMPTS} attempts in a row; try again`, 409);
  }

  /** Current folded state of a stream and its revision (-1n when it does not exist). */
  async load(streamId: string): Promise<CachedStream<S>> {
    const entry = this.cache.take(streamId);
    this.cache.catchUp(entry, await this.store.readStream(streamId, entry.revision + 1n));
    return entry;
  }
}
