import {
  BACKWARDS,
  CancelledError,
  DeadlineExceededError,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  NotLeaderError,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  TimeoutError as ServerTimeoutError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
  eventTypeFilter,
  jsonEvent,
} from '@eventstore/db-client';
import type { AllStreamResolvedEvent, Position, ResolvedEvent } from '@eventstore/db-client';
import { createHash, randomUUID } from 'node:crypto';
import {
  AppendResult,
  DuplicateEventIdError,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  RecordedEvent,
  Subscription,
  WrongExpectedRevisionError,
  checkExpected,
  eventIdsOf,
  refuseOversize,
} from '../event-store.port';
import { GENESIS_HASH, chainedMetadata } from '../hashing';
import { brokenStreamsOf, chainBroken, throwingPart, unreadable } from '../integrity';
import { DomainError, assert } from '../../shared/domain/domain-error';
import { ShapeError, arrayOf, shape, string } from '../../shared/domain/data-shape';
import { storedMetadata } from '../../shared/events/recorded-event';
import { wakeableSleep, withTimeout } from '../../shared/time/timeout';
import { packPosition, unpackPosition } from './positions';

/** Largest page `readAll` returns, as on the embedded store. */
const MAX_PAGE = 10_000;
/** Our own bookkeeping streams: per command id, the claims on where its events go (see `claim`). */
export const COMMAND_INDEX_CATEGORY = 'ledgercommand';
/** A claim's type: not `name.vN`, so the type filter of subscriptions never sends claims at all. */
const CLAIM_TYPE = 'ledger-command-claimed';
/** Metadata keys EventStoreDB itself reads; they mirror ours and are left out of the hash. */
const SYSTEM_METADATA_KEYS = ['$correlationId', '$causationId'];
/**
 * The ledger's events in $all: streams `<category>-<id>` (port) and types `name.vN` (the event
 * registry), our index streams excepted. The server's own `$` streams and types, our index streams
 * (their claims' type is not `name.vN` either) and other applications' events are left out, by
 * readAll and subscriptions alike.
 */
const LEDGER_STREAM = /^[a-z][a-z0-9]*-/;
const LEDGER_TYPE = /^[a-z][a-z0-9-]*\.v[0-9]+$/;
const RESUBSCRIBE_MS = 1_000;
const RESUBSCRIBE_MAX_MS = 30_000;
/** First wait before a call that met a leader change, an election or a write timeout goes again (doubling, within our deadline). */
const RETRY_MS = 50;
const RETRY_MAX_MS = 1_000;
/** headPosition's later pages, when the newest event of $all is not the ledger's, and how many it reads at most. */
const HEAD_PAGE = 200;
const HEAD_SEARCH_PAGES = 1_000;
/** What servers before 22.6 put in a stream read's position fields: 2⁶⁴ − 1. */
const NO_POSITION = (1n << 64n) - 1n;

export interface EventStoreDbOptions {
  /** Our own deadline on every call, retries included: the client waits for ever on a host that never answers. */
  timeoutMs: number;
}

/** Where one command's events go: its event ids at revisions first..last of one stream. */
type Claim = {
  commandId: string;
  streamId: string;
  eventIds: string[];
  firstRevision: string;
  lastRevision: string;
};
const claimOf = shape<Claim>({
  commandId: string,
  streamId: string,
  eventIds: arrayOf(string),
  firstRevision: string,
  lastRevision: string,
});

/**
 * The event-store port on EventStoreDB (`@eventstore/db-client` 6.x), held to the same contract
 * suite as the embedded store, against a test double written from the server's source
 * (test/contract/support/fake-eventstoredb.js; docs/eventstoredb.md says what that leaves untested):
 * - every append carries an explicit expected revision (never ANY) and deterministic event ids;
 * - the server answers a repeat of event ids it holds below the current revision with success,
 *   whatever the bodies, so it cannot tell two writers of one command apart: a command's events
 *   are claimed first in `ledgercommand-<sha256(id)>` (see `claim`), and an append's answer counts
 *   only once the server holds this very append's last event (its hash) where it says;
 * - the per-stream hash chain is computed here as on SQLite, over the same canonical form;
 *   `$correlationId`/`$causationId` are added for the server's own tools and left out of the hash;
 * - positions pack (commit, prepare) into one bigint (positions.ts); they increase, with gaps;
 * - a ledger stream deleted on the server is a broken stream (integrity.ts), never an empty one;
 * - NotLeader, NotReady and write timeouts are retried with back-off within the deadline.
 */
export class EventStoreDbEventStore implements EventStore {
  readonly kind = 'eventstoredb' as const;
  private closed = false;
  private client: EventStoreDBClient;
  /** Clients given up on (see `renew`), disposed at close. */
  private readonly retired: EventStoreDBClient[] = [];

  constructor(
    private readonly url: string,
    private readonly options: EventStoreDbOptions,
  ) {
    this.client = newClient(url);
  }

  /** Connects and proves the server answers, within the timeout; the error names the cause. */
  static async connect(url: string, options: EventStoreDbOptions): Promise<EventStoreDbEventStore> {
    if (/[?&]throwOnAppendFailure=false\b/i.test(url)) {
      throw new Error('throwOnAppendFailure=false is not supported: a conflict must raise WrongExpectedVersionError');
    }
    const store = new EventStoreDbEventStore(url, options);
    try {
      await store.headPosition();
    } catch (err) {
      await store.close().catch(() => undefined);
      throw err;
    }
    return store;
  }

  async append(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedRevision,
    lastHash?: string,
  ): Promise<AppendResult> {
    assert(!this.closed, 'store is open');
    assert(events.length > 0, 'an append carries at least one event');
    eventIdsOf(events);
    const last = await this.chainHead(streamId, expected, lastHash);
    const firstRevision = last ? last.revision + 1n : 0n;
    const chained = chainedMetadata(streamId, firstRevision - 1n, last?.hash ?? GENESIS_HASH, events);
    // The client serialises inside a promise it never rejects: what JSON cannot encode (a bigint,
    // a cycle) would crash the process there. Fail here instead, as SQLite does.
    const texts = events.map((e, k) => [JSON.stringify(e.data), JSON.stringify(chained[k])] as const);
    refuseOversize(streamId, events, texts);
    for (const commandId of new Set(events.map((e) => e.metadata.commandId))) {
      const own = events.flatMap((e, k) => (e.metadata.commandId === commandId ? [k] : []));
      const revisionOf = (k: number) => String(firstRevision + BigInt(k));
      const eventIds = own.map((k) => events[k].eventId);
      const [first, lastOwn] = [revisionOf(own[0]), revisionOf(own[own.length - 1])];
      await this.claim({ commandId, streamId, eventIds, firstRevision: first, lastRevision: lastOwn }, expected);
    }
    const data = events.map((e, k) =>
      jsonEvent({
        id: e.eventId,
        type: e.type,
        data: e.data,
        metadata: { ...chained[k], $correlationId: e.metadata.correlationId, $causationId: e.metadata.causationId },
      }),
    );
    let result;
    try {
      // The hashes were computed for exactly these revisions: pin the append to them. A retry
      // after a timeout sends the same ids at the same revision: if the first send was written,
      // the server answers it again.
      result = await this.call(`append to ${streamId}`, () =>
        this.client.appendToStream(streamId, data, { expectedRevision: last ? last.revision : NO_STREAM }),
      );
    } catch (err) {
      if (err instanceof StreamDeletedError) throw this.deleted(streamId, 'tombstoned');
      if (!(err instanceof WrongExpectedVersionError)) throw err;
      const actual = err.actualVersion === NO_STREAM ? 'no_stream' : (err.actualVersion as bigint);
      throw new WrongExpectedRevisionError(streamId, expected, actual);
    }
    assert(result.position !== undefined, 'EventStoreDB returns the position of an append');
    // Another writer of the same command may have got these ids in first: then the server
    // answered success for its events, not ours. The stored hash says whose they are.
    const hash = String(chained[chained.length - 1].hash);
    const [stored] = await this.readStream(streamId, result.nextExpectedRevision, 1, true);
    if (stored?.metadata.hash !== hash) throw new DuplicateEventIdError(events[0].eventId);
    return { streamId, revision: result.nextExpectedRevision, position: packPosition(result.position), hash };
  }

  async readStream(
    streamId: string,
    fromRevision = 0n,
    maxCount?: number,
    requiresLeader = false,
  ): Promise<RecordedEvent[]> {
    if (maxCount === 0) return [];
    const count = maxCount !== undefined && maxCount >= 0 ? { maxCount } : {};
    return this.read(streamId, { fromRevision, direction: FORWARDS, ...count }, requiresLeader, (r) =>
      toRecorded(r, this),
    );
  }

  async readAll({ after, limit }: ReadAllOptions): Promise<RecordedEvent[]> {
    const page = Math.max(1, Math.min(limit, MAX_PAGE));
    const out: RecordedEvent[] = [];
    let from = after;
    // $all also holds system, index and foreign events: read on until the page is full.
    for (;;) {
      const chunk = await this.readAllChunk(from, page - out.length + 1);
      for (const e of chunk.events) {
        out.push(e);
        if (out.length === page) return out;
      }
      if (chunk.lastPosition === null) return out;
      from = chunk.lastPosition;
    }
  }

  async readByCommand(commandId: string): Promise<RecordedEvent[]> {
    const found = new Map<string, RecordedEvent>();
    for (const claim of (await this.readClaims(commandId)).claims) {
      const state = await this.settle(claim);
      if (Array.isArray(state)) for (const e of state) found.set(e.eventId, e);
    }
    return [...found.values()].sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
  }

  async headPosition(): Promise<bigint> {
    // The newest ledger event. It is most often the newest event of $all (a command's claim goes
    // before its events), so the first page is that one event; the newest events of $all may also
    // all be system or index events, and then the search goes on back from there in larger pages.
    let before: bigint | null = null;
    for (let page = 0; page < HEAD_SEARCH_PAGES; page++) {
      const from: typeof END | Position = before === null ? END : unpackPosition(before);
      const maxCount = before === null ? 1 : HEAD_PAGE;
      const read: AllStreamResolvedEvent[] = await this.collect('read the head of $all', () =>
        this.client.readAll({ fromPosition: from, direction: BACKWARDS, maxCount }),
      );
      let oldest: bigint | null = null;
      for (const resolved of read) {
        const position = resolved.event?.position ? packPosition(resolved.event.position) : null;
        if (position === null || (before !== null && position >= before)) continue;
        if (toRecorded(resolved, this)) return position;
        oldest = position;
      }
      if (oldest === null) return 0n;
      before = oldest;
    }
    throw new Error(`no ledger event among the newest ${HEAD_SEARCH_PAGES * HEAD_PAGE} events of $all`);
  }

  subscribeToAll(
    after: bigint,
    onEvents: (events: RecordedEvent[]) => Promise<void> | void,
    onError?: (error: Error) => void,
  ): Subscription {
    let checkpoint = after;
    let stopped = false;
    let current: ReturnType<EventStoreDBClient['subscribeToAll']> | null = null;
    let failures = 0;
    const { sleep, wake } = wakeableSleep();
    const backOff = (n: number) => sleep(Math.min(RESUBSCRIBE_MAX_MS, RESUBSCRIBE_MS * 2 ** Math.min(n - 1, 10)));
    const deliver = async (events: RecordedEvent[]) => {
      // A page the subscriber throws on is offered again (never skipped), backing off.
      for (let attempt = 1; !stopped; attempt++) {
        try {
          await onEvents(events);
          checkpoint = events[events.length - 1].position;
          return;
        } catch (err) {
          onError?.(err as Error);
          await backOff(attempt);
        }
      }
    };
    const loop = (async () => {
      while (!stopped && !this.closed) {
        try {
          // The client does not resubscribe by itself: this loop does, from our checkpoint. The
          // server filters by type; each event is then held to the same test as readAll's.
          const sub = this.client.subscribeToAll({
            fromPosition: checkpoint === 0n ? START : unpackPosition(checkpoint),
            filter: eventTypeFilter({ regex: LEDGER_TYPE.source }),
          });
          current = sub;
          // A host that accepts and never answers never confirms: our own deadline ends the wait.
          await withTimeout(
            new Promise<void>((resolve, reject) => {
              sub.once('confirmation', () => resolve());
              sub.once('error', reject);
            }),
            this.options.timeoutMs,
            'EventStoreDB (subscribe to $all)',
            () => void sub.unsubscribe().catch(() => undefined),
          );
          let batch: RecordedEvent[] = [];
          for await (const resolved of sub) {
            if (stopped) break;
            const e = toRecorded(resolved, this);
            if (e && e.position > checkpoint) batch.push(e);
            // Deliver in pages: whatever has already arrived, up to a bound, in one call.
            if (batch.length > 0 && (batch.length >= 500 || sub.readableLength === 0)) {
              await deliver(batch);
              batch = [];
              failures = 0;
            }
          }
          if (batch.length > 0 && !stopped) await deliver(batch);
          if (!stopped) throw new Error('the server ended the subscription');
        } catch (err) {
          if (stopped) break;
          failures += 1;
          onError?.(err as Error);
          await backOff(failures);
        }
      }
    })();
    return {
      close: async () => {
        stopped = true;
        wake();
        const sub = current;
        if (sub)
          await withTimeout(sub.unsubscribe(), this.options.timeoutMs, 'EventStoreDB unsubscribe').catch(
            () => undefined,
          );
        await withTimeout(loop, this.options.timeoutMs, 'EventStoreDB subscription close').catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const clients = [this.client, ...this.retired].map((c) => c.dispose());
    await withTimeout(Promise.all(clients), this.options.timeoutMs, 'EventStoreDB dispose').catch(() => undefined);
  }

  // -------------------------------------------------------------------------------------------

  /**
   * Runs `attempt` within our deadline. What a leader change, an election or a write timeout
   * throws is tried again after a growing wait: the client moves to the new leader for the next
   * call (NotLeader) but not for NotReady, and a timed-out write may or may not have been written
   * (sent again, the same ids at the same revision are answered from the log).
   */
  private async call<T>(what: string, attempt: (onTimeout: (cancel: () => void) => void) => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.options.timeoutMs;
    for (let wait = RETRY_MS; ; wait = Math.min(RETRY_MAX_MS, wait * 2)) {
      let cancel: (() => void) | undefined;
      const ms = deadline - Date.now();
      const client = this.client;
      try {
        return await withTimeout(
          attempt((c) => (cancel = c)),
          ms,
          `EventStoreDB (${what})`,
          () => cancel?.(),
        );
      } catch (err) {
        if (this.closed || !isTransient(err) || Date.now() + wait >= deadline) throw err;
        if (isDiscoveryFailure(err)) this.renew(client);
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  /**
   * A new client in place of one whose discovery failed (no leader during an election): client
   * 6.2.1 keeps the failed server-features lookup, and every later append of that client fails
   * with it, while reads recover. The old client's calls in flight finish; it is disposed at close.
   */
  private renew(failed: EventStoreDBClient): void {
    if (this.client !== failed) return;
    this.retired.push(failed);
    this.client = newClient(this.url);
  }

  /** Everything a read of the client yields, through `call` (so retried whole). */
  private collect<E>(what: string, open: () => AsyncIterable<E> & { cancel(): Promise<void> }): Promise<E[]> {
    return this.call(what, async (onTimeout) => {
      const read = open();
      onTimeout(() => void read.cancel());
      const items: E[] = [];
      for await (const item of read) items.push(item);
      return items;
    });
  }

  /**
   * A stream's events, each through `parse` (null leaves it out); [] for no stream. A ledger stream
   * deleted on the server is marked broken (health degraded, nothing decided on it) and refused,
   * never read as empty: an append to a soft-deleted stream would recreate it past its old revisions.
   */
  private async read<T>(
    streamId: string,
    options: {
      fromRevision: bigint | typeof START | typeof END;
      direction: typeof FORWARDS | typeof BACKWARDS;
      maxCount?: number;
    },
    requiresLeader: boolean,
    parse: (resolved: ResolvedEvent) => T | null,
  ): Promise<T[]> {
    try {
      const read = await this.collect(`read ${streamId}`, () =>
        this.client.readStream(streamId, { ...options, requiresLeader }),
      );
      return read.map(parse).filter((e): e is T => e !== null);
    } catch (err) {
      if (err instanceof StreamDeletedError) throw this.deleted(streamId, 'tombstoned');
      if (!(err instanceof StreamNotFoundError)) throw err;
    }
    if (LEDGER_STREAM.test(streamId) && !streamId.startsWith(`${COMMAND_INDEX_CATEGORY}-`)) {
      const { metadata } = await this.call(`read the metadata of ${streamId}`, () =>
        this.client.getStreamMetadata(streamId, { requiresLeader }),
      );
      if (metadata?.truncateBefore !== undefined) throw this.deleted(streamId, 'deleted (soft delete)');
    }
    return [];
  }

  private deleted(streamId: string, how: string): DomainError {
    const broken = brokenStreamsOf(this);
    broken.mark({
      streamId,
      revision: '0',
      eventId: '-',
      position: '-',
      problem: `the stream was ${how} on the EventStoreDB server`,
      foundBy: 'read',
      foundAt: new Date().toISOString(),
    });
    return chainBroken(broken.faultOf(streamId)!);
  }

  /**
   * The revision and hash the append chains on (undefined: no stream), checked against `expected`.
   * From the caller's `lastHash` when it gives one at an exact expectation: a stream not at
   * `expected` then fails at the server, which the append is pinned to, as it would fail here.
   */
  private async chainHead(
    streamId: string,
    expected: ExpectedRevision,
    lastHash: string | undefined,
  ): Promise<{ revision: bigint; hash: string } | undefined> {
    if (lastHash !== undefined && expected === 'no_stream') return undefined;
    if (lastHash !== undefined && typeof expected === 'bigint') return { revision: expected, hash: lastHash };
    const [last] = await this.read(streamId, { fromRevision: END, direction: BACKWARDS, maxCount: 1 }, true, (r) =>
      toRecorded(r, this),
    );
    checkExpected(streamId, expected, last?.revision);
    return last && { revision: last.revision, hash: last.metadata.hash };
  }

  /**
   * Events of $all after `after` (readAll's fromPosition is inclusive, so the event at `after`
   * is dropped here): the ledger's own, and the position of the last event seen of any kind
   * (null when there was none), from which the next chunk goes on.
   */
  private async readAllChunk(
    after: bigint,
    maxCount: number,
  ): Promise<{ events: RecordedEvent[]; lastPosition: bigint | null }> {
    const from = after === 0n ? START : unpackPosition(after);
    const read = await this.collect('read $all', () =>
      this.client.readAll({ fromPosition: from, direction: FORWARDS, maxCount }),
    );
    const events: RecordedEvent[] = [];
    let lastPosition: bigint | null = null;
    for (const resolved of read) {
      const position = resolved.event?.position ? packPosition(resolved.event.position) : null;
      if (position === null || position <= after) continue;
      lastPosition = position;
      const e = toRecorded(resolved, this);
      if (e) events.push(e);
    }
    return { events, lastPosition };
  }

  /** The claims of one command, in order, and the revision of its index stream's last event. */
  private async readClaims(commandId: string): Promise<{ claims: Claim[]; last?: bigint }> {
    // From the leader: a follower behind it could miss a claim.
    const events = await this.read(indexStream(commandId), { fromRevision: START, direction: FORWARDS }, true, (r) =>
      r.event
        ? { revision: r.event.revision, claim: r.event.type === CLAIM_TYPE ? claimOf(r.event.data) : null }
        : null,
    );
    const claims = events.flatMap((e) => (e.claim ? [e.claim] : []));
    return { claims, last: events[events.length - 1]?.revision };
  }

  /** What became of a claim: its events where it says, its revisions not yet written, or others there. */
  private async settle(claim: Claim): Promise<RecordedEvent[] | 'pending' | 'void'> {
    const first = BigInt(claim.firstRevision);
    const count = Number(BigInt(claim.lastRevision) - first) + 1;
    const events = await this.readStream(claim.streamId, first, count, true);
    if (events.length === 0) return 'pending';
    if (events[0].eventId !== claim.eventIds[0]) return 'void';
    const wanted = new Set(claim.eventIds);
    return events.filter((e) => wanted.has(e.eventId));
  }

  /**
   * Claims where a command's events go before they are appended, so that two writers of one
   * command (two processes, the same Idempotency-Key) never both write, nor write one event id
   * into two streams. Claims are appended to the command's index stream at explicit revisions,
   * each with a fresh id (a repeated id would be answered as already written), so of two racing
   * claims one is written and the other writer reads it. An earlier claim sharing an event id:
   * - written where it says: the ids are stored, DuplicateEventIdError (the write path decides
   *   again and answers from what is stored: the same answer, or 409 for another body);
   * - revisions not yet written on the same stream at the same revisions: this append goes on
   *   (the server keeps one of two appends of the same ids there, and the read-back after the
   *   append tells each writer whose it kept), also when the claimant died;
   * - not yet written elsewhere: wait for it within the deadline, then 409;
   * - overtaken by other events: void, ignored.
   */
  private async claim(claim: Claim, expected: ExpectedRevision): Promise<void> {
    const id = randomUUID();
    // Most commands are claimed once: no index stream yet, so no other claim to look at. Only
    // when one is there are the claims read.
    if (await this.appendClaim(claim, id, undefined)) return;
    const deadline = Date.now() + this.options.timeoutMs;
    const shared = (other: Claim) => other.eventIds.some((e) => claim.eventIds.includes(e));
    for (let wait = RETRY_MS; ; wait = Math.min(RETRY_MAX_MS, wait * 2)) {
      const { claims, last } = await this.readClaims(claim.commandId);
      let elsewhere: Claim | null = null;
      for (const other of claims.filter(shared)) {
        const state = await this.settle(other);
        if (state === 'void') continue;
        if (Array.isArray(state)) {
          const stored = claim.eventIds.find((e) => state.some((s) => s.eventId === e));
          throw new DuplicateEventIdError(stored ?? claim.eventIds[0]);
        }
        if (other.streamId !== claim.streamId) elsewhere = other;
        else if (other.firstRevision === claim.firstRevision) return;
        // The claimant read the stream further on than this append did: this one is behind.
        else throw new WrongExpectedRevisionError(claim.streamId, expected, BigInt(other.firstRevision) - 1n);
      }
      if (elsewhere) {
        if (Date.now() + wait > deadline) {
          throw new DomainError(
            'idempotency-key-reused',
            `command ${claim.commandId} is being written to ${elsewhere.streamId} by another request`,
            409,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, wait));
        continue;
      }
      if (await this.appendClaim(claim, id, last)) return;
    }
  }

  /** Appends `claim` after the index stream's revision `last` (undefined: no stream); false when another claim came first. */
  private async appendClaim(claim: Claim, id: string, last: bigint | undefined): Promise<boolean> {
    try {
      await this.call(`claim command ${claim.commandId}`, () =>
        this.client.appendToStream(indexStream(claim.commandId), jsonEvent({ id, type: CLAIM_TYPE, data: claim }), {
          expectedRevision: last ?? NO_STREAM,
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof WrongExpectedVersionError) return false;
      throw err;
    }
  }
}

/**
 * A client for `url`. Client 6.2.1 reconnects in `handleError`, which it never awaits and which
 * awaits its next channel: when that channel's discovery fails (no leader yet), the rejection is
 * unhandled and ends the process. The call that failed is retried by `call`; the rejection is
 * dropped here.
 */
function newClient(url: string): EventStoreDBClient {
  return QuietClient.quieten(EventStoreDBClient.connectionString(url));
}

/**
 * Reaches the client's protected `handleError` by a typed downcast (a subclass may touch a
 * protected member of its own type): `connectionString` builds the base class, so nothing of this
 * class is ever constructed. A client that no longer has it fails here, not at the first election.
 */
class QuietClient extends EventStoreDBClient {
  static quieten(client: EventStoreDBClient): EventStoreDBClient {
    const quiet = client as QuietClient;
    const handleError = quiet.handleError;
    assert(typeof handleError === 'function', 'the EventStoreDB client reconnects in handleError (client 6.x)');
    quiet.handleError = (...args) => handleError(...args).catch(() => undefined);
    return client;
  }
}

function isTransient(err: unknown): boolean {
  return (
    err instanceof NotLeaderError ||
    err instanceof UnavailableError ||
    err instanceof CancelledError ||
    err instanceof DeadlineExceededError ||
    err instanceof ServerTimeoutError ||
    // BatchAppend's NotReady and TooBusy carry no detail: client 6.2.1 calls them UnknownError.
    (err instanceof UnknownError && /Server Is (Not Ready|Busy|Too Busy)/.test(err.message)) ||
    isDiscoveryFailure(err)
  );
}

/** No node was leader (an election): the client's discovery gave up. */
function isDiscoveryFailure(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('Failed to discover after');
}

/** The ledger's own events of $all and of its streams: see LEDGER_STREAM. */
function isLedgerEvent(e: { streamId: string; type: string }): boolean {
  return (
    LEDGER_STREAM.test(e.streamId) && !e.streamId.startsWith(`${COMMAND_INDEX_CATEGORY}-`) && LEDGER_TYPE.test(e.type)
  );
}

function indexStream(commandId: string): string {
  return `${COMMAND_INDEX_CATEGORY}-${createHash('sha256').update(commandId, 'utf8').digest('hex').slice(0, 40)}`;
}

/**
 * A ledger event as the port returns it, or null for any other (not JSON, or not the ledger's: a
 * system, index or foreign event). Its metadata is checked as an import checks it: what the chain
 * says is verify's, but the fields it reads must be there. Data or metadata that is not a JSON
 * object (the client hands malformed JSON over as it came) or metadata without those fields makes
 * an unreadable event, as on the embedded store: its stream marked broken in `store`'s registry,
 * that part throwing the fault when read (integrity.ts), the rest of the read going on.
 */
function toRecorded(resolved: ResolvedEvent | AllStreamResolvedEvent, store: EventStore): RecordedEvent | null {
  const e = resolved.event;
  if (!e || !e.isJson || !isLedgerEvent(e)) return null;
  if (e.position && e.position.commit === NO_POSITION) {
    throw new Error('EventStoreDB 22.6 or later is required: this server gives stream reads no $all position');
  }
  const event = {
    streamId: e.streamId,
    revision: e.revision,
    position: e.position ? packPosition(e.position) : 0n,
    eventId: e.id,
    type: e.type,
  } as RecordedEvent;
  if (isJsonObject(e.data)) event.data = e.data;
  else throwingPart(event, 'data', unreadable(store, event, 'its data is not a JSON object'));
  const given = e.metadata ?? {};
  if (!isJsonObject(given)) {
    throwingPart(event, 'metadata', unreadable(store, event, 'its metadata is not a JSON object'));
    return event;
  }
  const stored = { ...given };
  for (const k of SYSTEM_METADATA_KEYS) delete stored[k];
  try {
    event.metadata = storedMetadata(stored);
  } catch (err) {
    if (!(err instanceof ShapeError)) throw err;
    throwingPart(event, 'metadata', unreadable(store, event, `its ${err.at('metadata')}`));
  }
  return event;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}
