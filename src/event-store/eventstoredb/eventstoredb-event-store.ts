import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
} from '@eventstore/db-client';
import type { AllStreamResolvedEvent, ResolvedEvent } from '@eventstore/db-client';
import { createHash } from 'node:crypto';
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
} from '../event-store.port';
import { GENESIS_HASH, chainedMetadata, uuidFromSeed } from '../hashing';
import { assert } from '../../shared/domain/domain-error';
import { wakeableSleep, withTimeout } from '../../shared/time/timeout';
import { packPosition, unpackPosition } from './positions';

/** Largest page `readAll` returns, as on the embedded store. */
const MAX_PAGE = 10_000;
/** Our own bookkeeping streams: which events each command id wrote (the idempotency index). */
export const COMMAND_INDEX_CATEGORY = 'ledgercommand';
const COMMAND_INDEX_TYPE = 'command-appended.v1';
/** Metadata keys EventStoreDB itself reads; they mirror ours and are left out of the hash. */
const SYSTEM_METADATA_KEYS = ['$correlationId', '$causationId'];
const RESUBSCRIBE_MS = 1_000;
/** How far back (in pages of 200) headPosition looks for the newest ledger event. */
const HEAD_SEARCH_PAGES = 1_000;
/** What servers before 22.6 put in a stream read's position fields: 2⁶⁴ − 1. */
const NO_POSITION = (1n << 64n) - 1n;
const RESUBSCRIBE_MAX_MS = 30_000;

export interface EventStoreDbOptions {
  /** Our own deadline on every call: the client waits for ever on a host that never answers. */
  timeoutMs: number;
}

interface CommandIndexEntry {
  commandId: string;
  streamId: string;
  eventIds: string[];
  firstRevision: string;
  lastRevision: string;
}

/**
 * The event-store port on EventStoreDB (`@eventstore/db-client` 6.x), held to the same contract
 * suite as the embedded store:
 * - every append carries an explicit expected revision (never ANY) and deterministic event ids,
 *   so the server's own de-duplication and our idempotency agree;
 * - each command's events are recorded in a small index stream `ledgercommand-<sha256(id)>`
 *   (written right after the append), which is how `readByCommand` finds them;
 * - the per-stream hash chain is computed here as on SQLite, over the same canonical form, so an
 *   event hashes the same in both stores; `$correlationId`/`$causationId` are added for the
 *   server's own tools and left out of the hash and of what is read back;
 * - positions pack (commit, prepare) into one bigint (see positions.ts); they increase but, unlike
 *   the embedded store's, have gaps;
 * - system events and the index streams never appear in `readAll` or subscriptions.
 */
export class EventStoreDbEventStore implements EventStore {
  readonly kind = 'eventstoredb' as const;
  private closed = false;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: EventStoreDbOptions,
  ) {}

  /** Connects and proves the server answers, within the timeout; the error names the cause. */
  static async connect(url: string, options: EventStoreDbOptions): Promise<EventStoreDbEventStore> {
    if (/[?&]throwOnAppendFailure=false\b/i.test(url)) {
      throw new Error('throwOnAppendFailure=false is not supported: a conflict must raise WrongExpectedVersionError');
    }
    const client = EventStoreDBClient.connectionString(url);
    const store = new EventStoreDbEventStore(client, options);
    try {
      await store.headPosition();
    } catch (err) {
      await store.close().catch(() => undefined);
      throw err;
    }
    return store;
  }

  async append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    assert(!this.closed, 'store is open');
    assert(events.length > 0, 'an append carries at least one event');
    await this.refuseDuplicates(events);
    const last = await this.lastEvent(streamId);
    checkExpected(streamId, expected, last?.revision);
    const firstRevision = last ? last.revision + 1n : 0n;
    const revision = firstRevision + BigInt(events.length) - 1n;
    const chained = chainedMetadata(
      streamId,
      firstRevision - 1n,
      last ? String(last.metadata.hash ?? GENESIS_HASH) : GENESIS_HASH,
      events,
    );
    const data = events.map((e, k) => {
      const withHash = {
        ...chained[k],
        $correlationId: e.metadata.correlationId,
        $causationId: e.metadata.causationId,
      };
      // The client serialises inside a promise it never rejects: what JSON cannot encode (a
      // bigint, a cycle) would crash the process there. Fail here instead, as SQLite does.
      JSON.stringify(e.data);
      JSON.stringify(withHash);
      return jsonEvent({ id: e.eventId, type: e.type, data: e.data, metadata: withHash });
    });
    // The index entry goes first: if the append then fails or never lands, the entry points at
    // revisions that do not hold these event ids, and readByCommand ignores it.
    await this.indexCommands(streamId, events, firstRevision, revision);
    let result;
    try {
      // The hashes were computed for exactly these revisions: pin the append to them, whatever
      // the caller's expectation was (it has been checked above).
      result = await this.call(
        this.client.appendToStream(streamId, data, { expectedRevision: last ? last.revision : NO_STREAM }),
        `append to ${streamId}`,
      );
    } catch (err) {
      if (err instanceof WrongExpectedVersionError) {
        throw new WrongExpectedRevisionError(
          streamId,
          expected,
          err.actualVersion === NO_STREAM ? 'no_stream' : (err.actualVersion as bigint),
        );
      }
      throw err;
    }
    assert(result.position !== undefined, 'EventStoreDB returns the position of an append');
    return {
      streamId,
      revision: result.nextExpectedRevision,
      position: packPosition(result.position),
      hash: String(chained[chained.length - 1].hash),
    };
  }

  async readStream(
    streamId: string,
    fromRevision = 0n,
    maxCount?: number,
    requiresLeader = false,
  ): Promise<RecordedEvent[]> {
    if (maxCount === 0) return [];
    const read = this.client.readStream(streamId, {
      fromRevision,
      direction: FORWARDS,
      requiresLeader,
      ...(maxCount !== undefined && maxCount >= 0 ? { maxCount } : {}),
    });
    try {
      const out: RecordedEvent[] = [];
      await this.call(
        (async () => {
          for await (const resolved of read) {
            const e = toRecorded(resolved);
            if (e) out.push(e);
          }
        })(),
        `read ${streamId}`,
        () => void read.cancel(),
      );
      return out;
    } catch (err) {
      if (err instanceof StreamNotFoundError) return [];
      throw err;
    }
  }

  async readAll({ after, limit }: ReadAllOptions): Promise<RecordedEvent[]> {
    const page = Math.max(1, Math.min(limit, MAX_PAGE));
    const out: RecordedEvent[] = [];
    let from = after;
    // $all also holds system events and our index streams: read on until the page is full.
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
    const out: RecordedEvent[] = [];
    const seen = new Set<string>();
    for (const entry of await this.readIndex(commandId)) {
      // An entry counts only where the stream holds its very event ids at its revisions.
      const events = await this.readStream(entry.streamId, BigInt(entry.firstRevision), entry.eventIds.length);
      const wanted = new Set(entry.eventIds);
      for (const e of events) {
        if (wanted.has(e.eventId) && !seen.has(e.eventId)) {
          seen.add(e.eventId);
          out.push(e);
        }
      }
    }
    return out.sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
  }

  async headPosition(): Promise<bigint> {
    // The newest ledger event; the newest events of $all may all be system or index events.
    let before: bigint | null = null;
    for (let page = 0; page < HEAD_SEARCH_PAGES; page++) {
      const read = this.client.readAll({
        fromPosition: before === null ? END : unpackPosition(before),
        direction: BACKWARDS,
        maxCount: 200,
      });
      let found: bigint | null = null;
      let oldest: bigint | null = null;
      await this.call(
        (async () => {
          for await (const resolved of read) {
            const position = resolved.event?.position ? packPosition(resolved.event.position) : null;
            if (position === null || (before !== null && position >= before)) continue;
            oldest = position;
            const e = toRecorded(resolved);
            if (e && isLedgerStream(e.streamId)) {
              found = position;
              break;
            }
          }
        })(),
        'read the head of $all',
        () => void read.cancel(),
      );
      await read.cancel().catch(() => undefined);
      if (found !== null) return found;
      if (oldest === null) return 0n;
      before = oldest;
    }
    throw new Error(`no ledger event among the newest ${HEAD_SEARCH_PAGES * 200} events of $all`);
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
          // The client does not resubscribe by itself: this loop does, from our checkpoint.
          const sub = this.client.subscribeToAll({
            fromPosition: checkpoint === 0n ? START : unpackPosition(checkpoint),
            filter: excludeSystemEvents(),
          });
          current = sub;
          // A host that accepts and never answers never confirms: our own deadline ends the wait.
          await this.call(
            new Promise<void>((resolve, reject) => {
              sub.once('confirmation', () => resolve());
              sub.once('error', reject);
            }),
            'subscribe to $all',
            () => void sub.unsubscribe().catch(() => undefined),
          );
          let batch: RecordedEvent[] = [];
          for await (const resolved of sub) {
            if (stopped) break;
            const e = toRecorded(resolved);
            if (e && isLedgerStream(e.streamId) && e.position > checkpoint) batch.push(e);
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
    await withTimeout(this.client.dispose(), this.options.timeoutMs, 'EventStoreDB dispose').catch(() => undefined);
  }

  // -------------------------------------------------------------------------------------------

  private call<T>(promise: Promise<T>, what: string, onTimeout?: () => void): Promise<T> {
    return withTimeout(promise, this.options.timeoutMs, `EventStoreDB (${what})`, onTimeout);
  }

  private async lastEvent(streamId: string): Promise<RecordedEvent | undefined> {
    const read = this.client.readStream(streamId, {
      fromRevision: END,
      direction: BACKWARDS,
      maxCount: 1,
      requiresLeader: true,
    });
    try {
      let last: RecordedEvent | undefined;
      await this.call(
        (async () => {
          for await (const resolved of read) last = toRecorded(resolved) ?? last;
        })(),
        `read the last event of ${streamId}`,
        () => void read.cancel(),
      );
      return last;
    } catch (err) {
      if (err instanceof StreamNotFoundError) return undefined;
      throw err;
    }
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
    const read = this.client.readAll({
      fromPosition: after === 0n ? START : unpackPosition(after),
      direction: FORWARDS,
      maxCount,
    });
    const events: RecordedEvent[] = [];
    let lastPosition: bigint | null = null;
    await this.call(
      (async () => {
        for await (const resolved of read) {
          const position = resolved.event?.position ? packPosition(resolved.event.position) : null;
          if (position === null || position <= after) continue;
          lastPosition = position;
          const e = toRecorded(resolved);
          if (e && isLedgerStream(e.streamId)) events.push(e);
        }
      })(),
      'read $all',
      () => void read.cancel(),
    );
    return { events, lastPosition };
  }

  /** Refuses event ids already stored, within the batch or under their commands' earlier appends. */
  private async refuseDuplicates(events: NewEvent[]): Promise<void> {
    const seen = new Set<string>();
    for (const e of events) {
      if (seen.has(e.eventId)) throw new DuplicateEventIdError(e.eventId);
      seen.add(e.eventId);
    }
    for (const commandId of new Set(events.map((e) => e.metadata.commandId))) {
      const stored = new Set((await this.readByCommand(commandId)).map((e) => e.eventId));
      const dup = events.find((e) => stored.has(e.eventId));
      if (dup) throw new DuplicateEventIdError(dup.eventId);
    }
  }

  private async readIndex(commandId: string): Promise<CommandIndexEntry[]> {
    // From the leader: a follower behind it could miss an entry and let a duplicate through.
    const events = await this.readStream(indexStream(commandId), 0n, undefined, true);
    const byFirstEvent = new Map<string, CommandIndexEntry>();
    for (const e of events) {
      if (e.type !== COMMAND_INDEX_TYPE) continue;
      const entry = e.data as unknown as CommandIndexEntry;
      byFirstEvent.set(`${entry.streamId}@${entry.firstRevision}:${entry.eventIds.join(',')}`, entry);
    }
    return [...byFirstEvent.values()];
  }

  private async indexCommands(
    streamId: string,
    events: NewEvent[],
    firstRevision: bigint,
    lastRevision: bigint,
  ): Promise<void> {
    for (const commandId of new Set(events.map((e) => e.metadata.commandId))) {
      const stream = indexStream(commandId);
      const last = await this.lastEvent(stream);
      const entry: CommandIndexEntry = {
        commandId,
        streamId,
        eventIds: events.filter((e) => e.metadata.commandId === commandId).map((e) => e.eventId),
        firstRevision: firstRevision.toString(),
        lastRevision: lastRevision.toString(),
      };
      const id = indexEventId(commandId, entry.eventIds[0]);
      await this.call(
        this.client.appendToStream(stream, jsonEvent({ id, type: COMMAND_INDEX_TYPE, data: { ...entry } }), {
          expectedRevision: last ? last.revision : NO_STREAM,
        }),
        `index command ${commandId}`,
      );
    }
  }
}

function isLedgerStream(streamId: string): boolean {
  return !streamId.startsWith('$') && !streamId.startsWith(`${COMMAND_INDEX_CATEGORY}-`);
}

function indexStream(commandId: string): string {
  return `${COMMAND_INDEX_CATEGORY}-${createHash('sha256').update(commandId, 'utf8').digest('hex').slice(0, 40)}`;
}

/** The index event's id derives from the first event id, so a retried index write is de-duplicated too. */
function indexEventId(commandId: string, firstEventId: string): string {
  return uuidFromSeed(`index:${commandId}:${firstEventId}`);
}

function toRecorded(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | null {
  const e = resolved.event;
  if (!e || !e.isJson) return null;
  if (e.position && e.position.commit === NO_POSITION) {
    throw new Error('EventStoreDB 22.6 or later is required: this server gives stream reads no $all position');
  }
  const metadata = { ...((e.metadata ?? {}) as Record<string, unknown>) };
  for (const k of SYSTEM_METADATA_KEYS) delete metadata[k];
  return {
    streamId: e.streamId,
    revision: e.revision,
    position: e.position ? packPosition(e.position) : 0n,
    eventId: e.id,
    type: e.type,
    data: e.data as Record<string, unknown>,
    metadata: metadata as unknown as RecordedEvent['metadata'],
  };
}
