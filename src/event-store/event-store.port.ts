/**
 * The event-store port. Two adapters implement it (embedded SQLite, EventStoreDB) and one contract
 * suite (test/contract) holds both to the same behaviour, so no caller can tell them apart.
 *
 * Conventions, the same on every adapter:
 * - a stream's revision is 0-based: the first event is revision 0; an empty stream has none;
 * - an expected revision is always explicit: 'no_stream', 'stream_exists', or the revision of the
 *   stream's last event; there is no "any";
 * - global positions start at 1 and have no gaps on the embedded store; `readAll` and subscriptions
 *   take an exclusive lower bound (`after`), 0n meaning "from the beginning".
 */

import { DomainError } from '../shared/domain/domain-error';
import type { EventMetadata, RecordedEvent } from '../shared/events/recorded-event';
export type { ActorRef, EventMetadata, RecordedEvent } from '../shared/events/recorded-event';

export type ExpectedRevision = 'no_stream' | 'stream_exists' | bigint;

export interface NewEvent {
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

export interface AppendResult {
  streamId: string;
  /** Revision of the last event appended. */
  revision: bigint;
  /** Global position of the last event appended. */
  position: bigint;
  /** Hash of the last event appended (its metadata.hash). */
  hash: string;
}

export interface ReadAllOptions {
  /** Exclusive lower bound; 0n reads from the first event. */
  after: bigint;
  /** Page size; adapters cap it. */
  limit: number;
}

export interface Subscription {
  close(): Promise<void>;
}

export interface EventStore {
  readonly kind: 'sqlite' | 'eventstoredb';
  /**
   * Appends at `expected`. `lastHash` is the hash of the stream's event at `expected` (GENESIS_HASH
   * for 'no_stream') when the caller has just read and verified it (the write path): an adapter that
   * would read the stream's last event to chain on may take it instead, since the append still holds
   * only at `expected`. Without it, the adapter reads it.
   */
  append(streamId: string, events: NewEvent[], expected: ExpectedRevision, lastHash?: string): Promise<AppendResult>;
  /** Events of one stream from `fromRevision` on (at most `maxCount`), oldest first; [] for a stream that does not exist. */
  readStream(streamId: string, fromRevision?: bigint, maxCount?: number): Promise<RecordedEvent[]>;
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /** The events written under one command id (the idempotency key), in order; [] if none. */
  readByCommand(commandId: string): Promise<RecordedEvent[]>;
  /** Position of the newest event, 0n for an empty store. */
  headPosition(): Promise<bigint>;
  /**
   * Catch-up subscription to $all: history after `after`, then live events, in order, one page at
   * a time. A page the subscriber throws on is reported to `onError` and offered again, with
   * back-off; it is never skipped and never crashes the process.
   */
  subscribeToAll(
    after: bigint,
    onEvents: (events: RecordedEvent[]) => Promise<void> | void,
    onError?: (error: Error) => void,
  ): Subscription;
  close(): Promise<void>;
}

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: bigint | 'no_stream',
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, found ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** Refuses an append whose expectation does not hold on the stream's last revision (`undefined`: no stream). */
export function checkExpected(streamId: string, expected: ExpectedRevision, actual: bigint | undefined): void {
  const holds =
    expected === 'no_stream'
      ? actual === undefined
      : expected === 'stream_exists'
        ? actual !== undefined
        : actual === expected;
  if (!holds) throw new WrongExpectedRevisionError(streamId, expected, actual ?? 'no_stream');
}

/**
 * An event id is already stored. Event ids derive from their command's id, so stores check them
 * within the same command id (metadata.commandId): two writers raced on one command, or a command
 * was retried, and the other one's events are stored.
 */
export class DuplicateEventIdError extends Error {
  constructor(readonly eventId: string) {
    super(`event ${eventId} is already stored`);
    this.name = 'DuplicateEventIdError';
  }
}

/** The append's event ids; DuplicateEventIdError when one of them comes twice (both stores, before anything else). */
export function eventIdsOf(events: NewEvent[]): Set<string> {
  const ids = new Set<string>();
  for (const e of events) {
    if (ids.has(e.eventId)) throw new DuplicateEventIdError(e.eventId);
    ids.add(e.eventId);
  }
  return ids;
}

/**
 * The most one append may hold, as EventStoreDB 24.10 counts it: per event its data and metadata
 * in bytes plus twice its type's length (Data/Event.cs SizeOnDisk), summed over the append, may
 * not exceed the server's default MaxAppendSize of 1 MiB (Configuration/ClusterVNodeOptions.cs).
 * Both stores refuse the same appends, before anything is sent or written, so no ledger holds an
 * event that another store cannot copy.
 */
export const MAX_APPEND_BYTES = 1024 * 1024;

/**
 * What EventStoreDB counts for one event, given its data and its metadata (with the hash chain)
 * as JSON: the EventStoreDB adapter stores the metadata with `$correlationId` and `$causationId`
 * added, so those are counted on both stores.
 */
export function storedBytes(e: NewEvent, dataJson: string, metadataJson: string): number {
  const added = JSON.stringify({ $correlationId: e.metadata.correlationId, $causationId: e.metadata.causationId });
  const addedBytes = added === '{}' ? 0 : Buffer.byteLength(added) - 1; // `,"$correlationId":…` inside the object
  return Buffer.byteLength(dataJson) + Buffer.byteLength(metadataJson) + addedBytes + 2 * e.type.length;
}

/**
 * At least storedBytes, from string lengths alone: a UTF-16 unit takes at most 3 bytes in UTF-8,
 * and a JSON string at most 6 characters per unit (`\u001f`); the added keys and quotes take 40.
 */
function storedBytesBound(e: NewEvent, dataJson: string, metadataJson: string): number {
  const ids = (e.metadata.correlationId?.length ?? 0) + (e.metadata.causationId?.length ?? 0);
  return 3 * (dataJson.length + metadataJson.length) + 6 * ids + 40 + 2 * e.type.length;
}

/**
 * 413 `event-too-large` when `events` take more than MAX_APPEND_BYTES as stored; `texts[k]` is
 * event k's data and metadata (with the hash chain) as JSON. Counting bytes walks every string of
 * every append, and appends are mostly far below the limit: the exact count is made only when the
 * bound from lengths is over it.
 */
export function refuseOversize(
  streamId: string,
  events: NewEvent[],
  texts: readonly (readonly [string, string])[],
): void {
  let bound = 0;
  for (let k = 0; k < events.length; k++) bound += storedBytesBound(events[k], texts[k][0], texts[k][1]);
  if (bound <= MAX_APPEND_BYTES) return;
  let bytes = 0;
  for (let k = 0; k < events.length; k++) bytes += storedBytes(events[k], texts[k][0], texts[k][1]);
  if (bytes <= MAX_APPEND_BYTES) return;
  throw new DomainError(
    'event-too-large',
    `the events for ${streamId} take ${bytes} bytes as stored, over the ${MAX_APPEND_BYTES} one append may hold`,
    413,
  );
}

export const EVENT_STORE = Symbol('EVENT_STORE');

/** Streams are `<category>-<id>`, with no dash inside the category (product.md). */
export function streamCategory(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash);
}
