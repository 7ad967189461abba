import { Logger } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { Decider, DomainEvent } from '../shared/domain/decider';
import { DomainError, assert } from '../shared/domain/domain-error';
import {
  DuplicateEventIdError,
  EventMetadata,
  EventStore,
  ExpectedRevision,
  NewEvent,
  RecordedEvent,
  WrongExpectedRevisionError,
} from './event-store.port';
import { GENESIS_HASH, deriveEventId } from './hashing';
import { BrokenStreams, brokenStreamsOf, verifyStored } from './integrity';
import { SnapshotStore } from './snapshots';
import { SqliteEventStore, SqliteWriteTx } from './sqlite/sqlite-event-store';
import { KeyedQueue } from '../shared/concurrency/keyed-queue';

/**
 * The one write path, for every command of every stream (seals included):
 *
 *   prior events of the command id + folded stream state ──decide()──▶ replay | events to append
 *
 * `decide` is the pure step: idempotency, If-Match and the decider, in one place and at one
 * moment. The state it decides on comes from one cache of folded stream state. Two appenders
 * differ only in how they append what was decided:
 * - GroupCommit (embedded store): the commands that arrive together are decided and appended in
 *   one IMMEDIATE transaction, so one fsync makes the group durable. Under SQLite's write lock
 *   every decision reads the newest events first, so it never loses a race.
 * - Optimistic (EventStoreDB): one append per command at the revision the decision saw; a lost
 *   race (another writer appended) decides again on the new state.
 * The store adds the hash chain as it appends (hashing.ts, chainedMetadata), so both stores
 * chain alike, and copies and imports, which append stored events, chain through the same code.
 */

/**
 * Who, why and when of one command: everything that is not the command's own content. It becomes
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

export interface Writer<S, C> {
  execute(streamId: string, command: C, ctx: CommandContext): Promise<WriteResult>;
}

/** How many times a command that lost a race (EventStoreDB) is decided again on the new state. */
export const MAX_DECIDE_ATTEMPTS = 8;
/** How many folded streams a writer keeps in memory. */
export const STREAM_CACHE_LIMIT = 10_000;

/** A stream folded up to `revision` (-1n: the stream does not exist). */
export interface Folded<S> {
  revision: bigint;
  state: S;
}

interface Job<C> {
  streamId: string;
  command: C;
  ctx: CommandContext;
}

/** What `decide` found: the stored answer of an earlier sending, or the events to append. */
export type Decision<S> = { replay: WriteResult } | { expected: ExpectedRevision; events: NewEvent[]; next: Folded<S> };

// ---------------------------------------------------------------------------------------------
// The pure step

/**
 * Decides one command on `folded`, the stream's state, given `prior`, the events already stored
 * under the command's id. Throws a coded DomainError for a refusal; writes nothing.
 */
export function decide<S, C, E extends DomainEvent<string, object>>(
  decider: Decider<S, C, E>,
  job: Job<C>,
  folded: Folded<S>,
  prior: RecordedEvent[],
): Decision<S> {
  const { streamId, ctx } = job;
  if (prior.length > 0) {
    // The same key again: the same request gets the first answer, another request is refused.
    if (prior[0].metadata.requestHash !== ctx.requestHash) {
      throw new DomainError(
        'idempotency-key-reused',
        `Idempotency-Key ${ctx.commandId} was already used for a different request`,
        409,
      );
    }
    const last = prior[prior.length - 1];
    return {
      replay: {
        streamId: last.streamId,
        revision: last.revision,
        position: last.position,
        events: prior.map(({ type, eventId }) => ({ type, eventId })),
        replayed: true,
      },
    };
  }
  if (ctx.ifMatch !== undefined && ctx.ifMatch !== folded.revision)
    throw staleRevision(streamId, ctx.ifMatch, folded.revision);
  const decided = decider.decide(job.command, folded.state);
  assert(decided.length > 0, 'a successful decision yields at least one event');
  let state = folded.state;
  for (const e of decided) state = decider.evolve(state, e);
  return {
    expected: folded.revision < 0n ? 'no_stream' : folded.revision,
    events: toNewEvents(decided, ctx),
    next: { revision: folded.revision + BigInt(decided.length), state },
  };
}

/** The events to append for a decision: ids derived from the command id, metadata from the context. */
export function toNewEvents(decided: DomainEvent<string, object>[], ctx: CommandContext): NewEvent[] {
  return decided.map((e, i) => {
    const eventId = deriveEventId(ctx.commandId, i);
    const { commandId, requestHash, actor, correlationId, causationId, recordedAt } = ctx;
    return {
      eventId,
      type: e.type,
      data: e.data as Record<string, unknown>,
      metadata: { eventId, commandId, requestHash, actor, correlationId, causationId, recordedAt },
    };
  });
}

/** If-Match named another revision than the stream's: 412, never decided again. */
export function staleRevision(streamId: string, expected: bigint, actual: bigint): DomainError {
  return new DomainError(
    'revision-mismatch',
    `If-Match ${expected} is stale: ${streamId} is at revision ${actual}`,
    412,
  );
}

function written(streamId: string, revision: bigint, position: bigint, events: NewEvent[]): WriteResult {
  return {
    streamId,
    revision,
    position,
    events: events.map(({ type, eventId }) => ({ type, eventId })),
    replayed: false,
  };
}

// ---------------------------------------------------------------------------------------------
// The one cache of folded stream state

/**
 * How many events past its last snapshot a stream's state is snapshotted again: the most a
 * command after a restart folds, against the cost of rewriting the entries changed since.
 */
export const SNAPSHOT_EVERY_EVENTS = 1000;

/** Snapshots for a writer: where, and how often (they are of the decider's `stateVersion`). */
export interface SnapshotOptions {
  store: SnapshotStore;
  /** A snapshot is written once a stream's state is this many events past its last one. */
  everyEvents: number;
}

/**
 * A cached stream: its state, the hash of its last event, the revision of its last snapshot, and
 * the cache's epoch when it was last read from the store or written (see `othersWrote`).
 */
type Entry<S> = Folded<S> & { hash: string; snapshotAt: bigint; epoch: number };

/** Where folding a stream starts: a cached state, a snapshot to check against the log, or nothing. */
interface Start<S> {
  folded: Folded<S>;
  /** The hash of the event at `folded.revision` (GENESIS_HASH before the first). */
  hash: string;
  /** The snapshot's event hash: the first event read must be at `folded.revision` with it. */
  snapshotHash?: string;
}

/**
 * Folded state per stream, bounded (least recently used goes first). An entry is only ever
 * advanced by events at exactly the next revision, so it never counts an event twice; whoever
 * uses one first catches it up from the store (another process may have written). A stream not
 * in memory starts from its snapshot, if it has one that still holds. Every event read from the
 * store is verified (its link, id and hash) before it is folded: a stream that does not verify is
 * marked broken (integrity.ts) and never decided on.
 */
class FoldedStreams<S, E extends DomainEvent<string, object>> {
  private readonly entries = new LRUCache<string, Entry<S>>({ max: STREAM_CACHE_LIMIT });

  constructor(
    private readonly decider: Decider<S, unknown, E>,
    private readonly broken: BrokenStreams,
    private readonly snapshots?: SnapshotOptions,
  ) {
    this.version = `${decider.events.name}.v${decider.stateVersion}`;
  }

  /** The version snapshots of this state are stored under. */
  private readonly version: string;

  /** The stream's state caught up with `read(fromRevision)`, the stored events from there on. */
  /** `cachedIsCurrent`: nobody can have written since this cache's own last write (no read needed). */
  current(streamId: string, read: (fromRevision: bigint) => RecordedEvent[], cachedIsCurrent = false): Folded<S> {
    this.broken.refuseBroken(streamId);
    const cached = cachedIsCurrent ? this.entries.get(streamId) : undefined;
    if (cached?.epoch === this.epoch) return cached;
    const start = this.start(streamId);
    return this.caughtUp(streamId, start, read(this.from(start))) ?? this.caughtUp(streamId, this.fresh(), read(0n))!;
  }

  async currentAsync(
    streamId: string,
    read: (fromRevision: bigint) => Promise<RecordedEvent[]>,
  ): Promise<Folded<S> & { hash: string }> {
    this.broken.refuseBroken(streamId);
    const start = this.start(streamId);
    return (
      this.caughtUp(streamId, start, await read(this.from(start))) ??
      this.caughtUp(streamId, this.fresh(), await read(0n))!
    );
  }

  /** Keeps a state just written, whose last event has `hash`; true when it is far enough past its last snapshot to take a new one. */
  advance(streamId: string, folded: Folded<S>, hash: string): boolean {
    const snapshotAt = this.entries.get(streamId)?.snapshotAt ?? -1n;
    this.set(streamId, { ...folded, hash, snapshotAt });
    return this.snapshots !== undefined && folded.revision - snapshotAt >= BigInt(this.snapshots.everyEvents);
  }

  /** Snapshots the stream's state as cached, which stands on its event with `hash`. */
  snapshot(streamId: string, hash: string): void {
    const cached = this.entries.get(streamId);
    if (!cached || !this.snapshots) return;
    try {
      const state = this.snapshots.store.save(
        streamId,
        this.version,
        cached.revision,
        hash,
        cached.state as object,
      ) as S;
      this.set(streamId, { revision: cached.revision, state, hash, snapshotAt: cached.revision }, cached.epoch);
    } catch (err) {
      // Derived data: a snapshot that cannot be written is made later, from the log.
      new Logger('write-path').warn(`snapshot of ${streamId} not written: ${(err as Error).message}`);
    }
  }

  forget(streamId: string): void {
    this.entries.delete(streamId);
  }

  /**
   * Another process wrote: any cached stream may be behind the store, so none is taken as current
   * until it has been read again (it is caught up from its cached revision, not folded afresh).
   * Without this, a writer that saw the other's commit while deciding on another stream went on
   * taking its stale streams as current: an append at an old revision, answered 500.
   */
  othersWrote(): void {
    this.epoch += 1;
  }

  private epoch = 0;

  private set(streamId: string, entry: Omit<Entry<S>, 'epoch'>, epoch = this.epoch): void {
    this.entries.set(streamId, { ...entry, epoch });
  }

  private start(streamId: string): Start<S> {
    const cached = this.entries.get(streamId);
    if (cached) return { folded: cached, hash: cached.hash };
    const head = this.snapshots?.store.head(streamId, this.version);
    return head
      ? { folded: { revision: head.revision, state: undefined as S }, hash: head.hash, snapshotHash: head.hash }
      : this.fresh();
  }

  private fresh(): Start<S> {
    return { folded: { revision: -1n, state: this.decider.initialState() }, hash: GENESIS_HASH };
  }

  /** A snapshot is checked against its own event, so reading starts there. */
  private from(start: Start<S>): bigint {
    return start.snapshotHash === undefined ? start.folded.revision + 1n : start.folded.revision;
  }

  /**
   * Folds `read` onto the start, with the hash of the last event folded; null when the snapshot
   * did not hold against the log (it is dropped).
   */
  private caughtUp(streamId: string, start: Start<S>, read: RecordedEvent[]): (Folded<S> & { hash: string }) | null {
    let { revision, state } = start.folded;
    let hash = start.hash;
    let snapshotAt = this.entries.get(streamId)?.snapshotAt ?? -1n;
    let events = read;
    if (start.snapshotHash !== undefined) {
      const [own, ...newer] = read;
      if (own?.revision !== revision || own.metadata.hash !== start.snapshotHash) {
        this.snapshots!.store.drop(streamId);
        return null;
      }
      // The snapshot's own event: its content must still hash to the hash the snapshot stands on.
      this.verify(own, revision - 1n, String(own.metadata.prevHash));
      state = this.snapshots!.store.restore<S>(streamId);
      snapshotAt = revision;
      events = newer;
    } else if (read.length === 0) {
      return { ...start.folded, hash: start.hash };
    }
    for (const e of events) {
      this.verify(e, revision, hash);
      state = this.decider.evolve(state, this.decider.events.parse(e));
      revision = e.revision;
      hash = e.metadata.hash as string;
    }
    this.set(streamId, { revision, state, hash, snapshotAt });
    return { revision, state, hash };
  }

  /** Refuses (409 chain-broken) to fold an event that does not follow `prevHash` at `prevRevision` or whose content changed. */
  private verify(e: RecordedEvent, prevRevision: bigint, prevHash: string): void {
    try {
      verifyStored(this.broken, e, prevRevision, prevHash, 'write-path');
    } catch (err) {
      this.forget(e.streamId);
      throw err;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The appenders

/** What the appenders report of each append (the service's metrics, src/ops/metrics.service.ts). */
export interface WriteObserver {
  /** A group committed: how many commands, and how long deciding, appending and committing took. */
  observeGroupCommit(commands: number, ms: number): void;
  /** One append to EventStoreDB, how long it took. */
  observeAppend(ms: number): void;
}

/** The write path for one kind of stream over the store the service runs on. */
export function writerFor<S, C, E extends DomainEvent<string, object>>(
  store: EventStore,
  decider: Decider<S, C, E>,
  snapshots?: SnapshotOptions,
  observer?: WriteObserver,
): Writer<S, C> {
  return store instanceof SqliteEventStore
    ? new GroupCommitWriter(store, decider, observer && ((n, ms) => observer.observeGroupCommit(n, ms)), snapshots)
    : new OptimisticWriter(store, decider, snapshots, observer);
}

/** Most commands decided and committed together in one transaction. */
export const MAX_GROUP = 256;

/**
 * Group commit on the embedded store. Commands that arrive in the same turn of the event loop
 * are decided and appended in one IMMEDIATE transaction: one fsync for the group. A command that
 * is refused wrote nothing and fails alone; every caller is answered after the commit. Holding
 * the write lock, each decision reads the newest events of its command id and stream first, so
 * it sees every earlier write, from this group or another process.
 */
export class GroupCommitWriter<S, C, E extends DomainEvent<string, object>> implements Writer<S, C> {
  private readonly cache: FoldedStreams<S, E>;
  private queue: (Job<C> & Settle)[] = [];
  /** The store transaction this writer last committed. */
  private lastSequence = -1;
  /** The store's count of other processes' commits seen, as of this writer's last transaction. */
  private othersSeen = 0;

  constructor(
    private readonly store: SqliteEventStore,
    private readonly decider: Decider<S, C, E>,
    /** Told each committed group's size and how long it took (metrics, bench, tests). */
    private readonly onCommit?: (size: number, ms: number) => void,
    snapshots?: SnapshotOptions,
  ) {
    this.cache = new FoldedStreams(decider as Decider<S, unknown, E>, brokenStreamsOf(store), snapshots);
  }

  execute(streamId: string, command: C, ctx: CommandContext): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      if (this.queue.push({ streamId, command, ctx, resolve, reject }) === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const group = this.queue.splice(0, MAX_GROUP);
    if (this.queue.length > 0) setImmediate(() => this.flush());
    const began = performance.now();
    const outcomes = this.commit(group);
    if ('appendFailed' in outcomes && outcomes.appendFailed) {
      // An append failed (it should not: revisions are read under the lock) and the transaction
      // was rolled back whole, its streams' folds dropped: each command goes again alone, decided
      // on what is stored. A revision the store still refuses then is a conflict (409), never a 500.
      for (const job of group) answer([job], conflictOf(job.streamId, this.commit([job])));
    } else {
      answer(group, outcomes);
    }
    if (Array.isArray(outcomes)) this.onCommit?.(group.length, performance.now() - began);
  }

  /** Decides and appends a group in one transaction: the outcome of each command, or why none committed. */
  private commit(group: Job<C>[]): Outcome[] | Failed {
    const touched: string[] = [];
    const snapshotDue = new Map<string, string>();
    let sequence = -1;
    try {
      const outcomes = this.store.writeBatch((tx) => {
        // The cached states are current when the store's last commit was this writer's and no
        // other process wrote since: then no stream needs reading before its decision.
        const current = !tx.othersWrote && tx.sequence === this.lastSequence + 1;
        if (tx.othersSeen !== this.othersSeen) this.cache.othersWrote();
        this.othersSeen = tx.othersSeen;
        sequence = tx.sequence;
        return group.map((job): Outcome => {
          let d: Decision<S>;
          try {
            const folded = this.cache.current(job.streamId, (from) => tx.readStream(job.streamId, from), current);
            d = decide(this.decider, job, folded, tx.readByCommand(job.ctx.commandId));
          } catch (error) {
            if (!(error instanceof DomainError)) this.cache.forget(job.streamId); // a bug may have half-folded it
            return { error };
          }
          if ('replay' in d) return { ok: d.replay };
          touched.push(job.streamId);
          let r;
          try {
            // `decide` read this command id in this transaction: the store need not look again.
            r = tx.append(job.streamId, d.events, d.expected, { commandRead: true });
          } catch (error) {
            throw new AppendFailed(error);
          }
          if (this.cache.advance(job.streamId, d.next, r.hash)) snapshotDue.set(job.streamId, r.hash);
          return { ok: written(job.streamId, r.revision, r.position, d.events) };
        });
      });
      this.lastSequence = sequence;
      // After the commit, so a snapshot never stands on events that were not written.
      for (const [streamId, hash] of snapshotDue) this.cache.snapshot(streamId, hash);
      return outcomes;
    } catch (error) {
      // Nothing of the group is durable: nobody is told otherwise, and its folds are dropped.
      for (const streamId of touched) this.cache.forget(streamId);
      return error instanceof AppendFailed
        ? { failed: error.cause, appendFailed: true }
        : { failed: error, appendFailed: false };
    }
  }
}

/**
 * Optimistic appends (EventStoreDB): per command, read what its id stored and the stream's newer
 * events, decide, append at the revision decided on. Commands on one stream from this process run
 * one after another, so they never race each other; a race lost to another process decides again.
 */
export class OptimisticWriter<S, C, E extends DomainEvent<string, object>> implements Writer<S, C> {
  private readonly cache: FoldedStreams<S, E>;
  /** Commands on one stream from this process, one after another. */
  private readonly queue = new KeyedQueue();

  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<S, C, E>,
    snapshots?: SnapshotOptions,
    private readonly observer?: WriteObserver,
  ) {
    this.cache = new FoldedStreams(decider as Decider<S, unknown, E>, brokenStreamsOf(store), snapshots);
  }

  execute(streamId: string, command: C, ctx: CommandContext): Promise<WriteResult> {
    return this.queue.run([streamId], () => this.attempt({ streamId, command, ctx }, 1));
  }

  /** The stream's state, caught up with what is stored, and the hash of its last event. */
  load(streamId: string): Promise<Folded<S> & { hash: string }> {
    return this.cache.currentAsync(streamId, (from) => this.store.readStream(streamId, from));
  }

  private async attempt(job: Job<C>, attempt: number): Promise<WriteResult> {
    const { streamId, ctx } = job;
    const prior = await this.store.readByCommand(ctx.commandId);
    const folded = await this.load(streamId);
    const d = decide(this.decider, job, folded, prior);
    if ('replay' in d) return d.replay;
    try {
      const began = performance.now();
      // The hash was just read and verified: the store need not read the stream's last event again.
      const r = await this.store.append(streamId, d.events, d.expected, folded.hash);
      this.observer?.observeAppend(performance.now() - began);
      if (this.cache.advance(streamId, d.next, r.hash)) this.cache.snapshot(streamId, r.hash);
      return written(streamId, r.revision, r.position, d.events);
    } catch (err) {
      this.cache.forget(streamId); // folded on by `decide`, but not written
      // Another writer got there first: this command's own repeat (its events are stored now)
      // or another command on the stream. Either way, decide again on what is stored.
      if (!(err instanceof WrongExpectedRevisionError || err instanceof DuplicateEventIdError)) throw err;
      if (ctx.ifMatch !== undefined && err instanceof WrongExpectedRevisionError) {
        throw staleRevision(streamId, ctx.ifMatch, err.actual === 'no_stream' ? -1n : err.actual);
      }
      if (attempt >= MAX_DECIDE_ATTEMPTS) {
        throw new DomainError(
          'write-conflict',
          `stream ${streamId} changed under ${MAX_DECIDE_ATTEMPTS} attempts in a row; try again`,
          409,
        );
      }
      return this.attempt(job, attempt + 1);
    }
  }
}

interface Settle {
  resolve: (result: WriteResult) => void;
  reject: (error: unknown) => void;
}
type Outcome = { ok: WriteResult } | { error: unknown };
/** The group's transaction did not commit. */
interface Failed {
  failed: unknown;
  appendFailed: boolean;
}

function answer(jobs: Settle[], outcomes: Outcome[] | Failed): void {
  jobs.forEach((job, i) => {
    const o = Array.isArray(outcomes) ? outcomes[i] : { error: outcomes.failed };
    if ('ok' in o) job.resolve(o.ok);
    else job.reject(o.error);
  });
}

/** A command's outcome alone, where an append the store refused on its revision is a 409 write-conflict. */
function conflictOf(streamId: string, outcome: Outcome[] | Failed): Outcome[] | Failed {
  if (Array.isArray(outcome) || !outcome.appendFailed || !(outcome.failed instanceof WrongExpectedRevisionError))
    return outcome;
  return {
    failed: new DomainError(
      'write-conflict',
      `stream ${streamId} changed while the command was decided; try again`,
      409,
    ),
    appendFailed: true,
  };
}

/** An append failed inside the group's transaction, which was then rolled back whole. */
class AppendFailed extends Error {
  constructor(override readonly cause: unknown) {
    super(`append failed: ${String((cause as Error)?.message ?? cause)}`);
  }
}
