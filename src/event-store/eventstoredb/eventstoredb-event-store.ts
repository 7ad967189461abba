import {
  BACKWARDS, END, EventStoreDBClient, FORWARDS, NO_STREAM, START, STREAM_EXISTS, StreamNotFoundError,
  WrongExpectedVersionError, excludeSystemEvents, jsonEvent,
} from '@eventstore/db-client';
import type { AllStreamResolvedEvent, AppendExpectedRevision, ResolvedEvent } from '@eventstore/db-client';
import { createHash } from 'node:crypto';
import {
  AppendResult, DuplicateEventIdError, EventStore, ExpectedRevision, NewEvent, ReadAllOptions, RecordedEvent, Subscription,
  WrongExpectedRevisionError,
} from '../event-store.port';
import { GENESIS_HASH, eventHash, uuidFromSeed } from '../hashing';
import { assert } from '../../shared/domain/domain-error';
import { withTimeout } from '../../shared/time/timeout';
import { packPosition, unpackPosition } from './positions';

/** Largest page `readAll` returns, as on the embedded store. */
const MAX_PAGE = 10_000;
/** Our own bookkeeping streams: which events each command id wrote (the idempotency index). */
export const COMMAND_INDEX_CATEGORY = 'ledgercommand';
const COMMAND_INDEX_TYPE = 'command-appended.v1';
/** Metadata keys EventStoreDB itself reads; they mirror ours and are left out of the hash. */
const SYSTEM_METADATA_KEYS = ['$correlationId', '$causationId'];
const RESUBSCRIBE_MS = 1_000;
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
    let revision = last ? last.revision : -1n;
    let prevHash = last ? String(last.metadata.hash ?? GENESIS_HASH) : GENESIS_HASH;
    const data = events.map((e) => {
      revision += 1n;
      const metadata: Record<string, unknown> = { ...e.metadata, eventId: e.eventId, prevHash };
      delete metadata.hash;
      const hash = eventHash(streamId, revision, e.type, e.data, metadata);
      prevHash = hash;
      return jsonEvent({
        id: e.eventId,
        type: e.type,
        data: e.data,
        metadata: { ...metadata, hash, $correlationId: e.metadata.correlationId, $causationId: e.metadata.causationId },
      });
    });
    let result;
    try {
      result = await this.call(
        this.client.appendToStream(streamId, data, { expectedRevision: toClientRevision(expected) }),
        `append to ${streamId}`,
      );
    } catch (err) {
      if (err instanceof WrongExpectedVersionError) {
        throw new WrongExpectedRevisionError(streamId, expected, err.actualVersion === NO_STREAM ? 'no_stream' : (err.actualVersion as bigint));
      }
      throw err;
    }
    assert(result.position !== undefined, 'EventStoreDB returns the position of an append');
    await this.indexCommands(streamId, events, result.nextExpectedRevision - BigInt(events.length) + 1n, result.nextExpectedRevision);
    return { streamId, revision: result.nextExpectedRevision, position: packPosition(result.position) };
  }

  async readStream(streamId: string, fromRevision = 0n, maxCount?: number): Promise<RecordedEvent[]> {
    if (maxCount === 0) return [];
    const read = this.client.readStream(streamId, { fromRevision, direction: FORWARDS, ...(maxCount !== undefined && maxCount >= 0 ? { maxCount } : {}) });
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
    const index = await this.readIndex(commandId);
    const out: RecordedEvent[] = [];
    for (const entry of index) {
      const events = await this.readStream(entry.streamId, BigInt(entry.firstRevision));
      const wanted = new Set(entry.eventIds);
      out.push(...events.filter((e) => wanted.has(e.eventId)));
    }
    return out;
  }

  async headPosition(): Promise<bigint> {
    const read = this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 200 });
    let head = 0n;
    await this.call(
      (async () => {
        for await (const resolved of read) {
          const e = toRecorded(resolved);
          if (e && isLedgerStream(e.streamId)) {
            head = e.position;
            break;
          }
        }
      })(),
      'read the head of $all',
      () => void read.cancel(),
    );
    if (head === 0n) return head;
    await read.cancel().catch(() => undefined);
    return head;
  }

  subscribeToAll(after: bigint, onEvents: (events: RecordedEvent[]) => Promise<void> | void, onError?: (error: Error) => void): Subscription {
    let checkpoint = after;
    let stopped = false;
    let current: ReturnType<EventStoreDBClient['subscribeToAll']> | null = null;
    let failures = 0;
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const deliver = async (events: RecordedEvent[]) => {
      // A page the subscriber throws on is offered again (never skipped), backing off.
      for (let attempt = 1; !stopped; attempt++) {
        try {
          await onEvents(events);
          checkpoint = events[events.length - 1].position;
          return;
        } catch (err) {
          onError?.(err as Error);
          await sleep(Math.min(RESUBSCRIBE_MAX_MS, RESUBSCRIBE_MS * 2 ** Math.min(attempt - 1, 10)));
        }
      }
    };
    const loop = (async () => {
      while (!stopped && !this.closed) {
        try {
          // fromPosition is exclusive for subscriptions; the client does not resubscribe by itself.
          current = this.client.subscribeToAll({
            fromPosition: checkpoint === 0n ? START : unpackPosition(checkpoint),
            filter: excludeSystemEvents(),
          });
          let batch: RecordedEvent[] = [];
          for await (const resolved of current) {
            const e = toRecorded(resolved);
            if (!e || !isLedgerStream(e.streamId) || e.position <= checkpoint) continue;
            batch.push(e);
            // Deliver in pages: whatever has already arrived, up to a bound, in one call.
            if (batch.length >= 500 || current.readableLength === 0) {
              await deliver(batch);
              batch = [];
              failures = 0;
            }
            if (stopped) break;
          }
          if (batch.length > 0) await deliver(batch);
        } catch (err) {
          if (stopped) break;
          failures += 1;
          onError?.(err as Error);
          await sleep(Math.min(RESUBSCRIBE_MAX_MS, RESUBSCRIBE_MS * 2 ** Math.min(failures - 1, 10)));
        }
      }
    })();
    return {
      close: async () => {
        stopped = true;
        await current?.unsubscribe().catch(() => undefined);
        await loop.catch(() => undefined);
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
    const read = this.client.readStream(streamId, { fromRevision: END, direction: BACKWARDS, maxCount: 1 });
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
  private async readAllChunk(after: bigint, maxCount: number): Promise<{ events: RecordedEvent[]; lastPosition: bigint | null }> {
    const read = this.client.readAll({ fromPosition: after === 0n ? START : unpackPosition(after), direction: FORWARDS, maxCount });
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
      const stored = new Set((await this.readIndex(commandId)).flatMap((entry) => entry.eventIds));
      const dup = events.find((e) => stored.has(e.eventId));
      if (dup) throw new DuplicateEventIdError(dup.eventId);
    }
  }

  private async readIndex(commandId: string): Promise<CommandIndexEntry[]> {
    const events = await this.readStream(indexStream(commandId));
    return events.filter((e) => e.type === COMMAND_INDEX_TYPE).map((e) => e.data as unknown as CommandIndexEntry);
  }

  private async indexCommands(streamId: string, events: NewEvent[], firstRevision: bigint, lastRevision: bigint): Promise<void> {
    for (const commandId of new Set(events.map((e) => e.metadata.commandId))) {
      const stream = indexStream(commandId);
      const last = await this.lastEvent(stream);
      const entry: CommandIndexEntry = {
        commandId, streamId, eventIds: events.filter((e) => e.metadata.commandId === commandId).map((e) => e.eventId),
        firstRevision: firstRevision.toString(), lastRevision: lastRevision.toString(),
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

function checkExpected(streamId: string, expected: ExpectedRevision, actual: bigint | undefined): void {
  const found = actual === undefined ? 'no_stream' : actual;
  if (expected === 'no_stream' ? actual !== undefined : expected === 'stream_exists' ? actual === undefined : actual !== expected) {
    throw new WrongExpectedRevisionError(streamId, expected, found);
  }
}

function toClientRevision(expected: ExpectedRevision): AppendExpectedRevision {
  return expected === 'no_stream' ? NO_STREAM : expected === 'stream_exists' ? STREAM_EXISTS : expected;
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
