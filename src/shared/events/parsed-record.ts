import type { EventRegistry, TypedEvent } from '../domain/event-registry';
import type { RecordedEvent } from './recorded-event';

/** Where a stored event sits in the log. */
export interface LogPlace {
  readonly position: bigint;
  readonly streamId: string;
  readonly revision: bigint;
  readonly eventId: string;
}

/**
 * A stored event read by its registry: the typed `{type, data}` (upcast to its current version)
 * and its place in the log. What projections take: a switch over `type` narrows `data`.
 */
export type ParsedRecord<E extends TypedEvent> = E & LogPlace;

/** The same with its metadata (actor, correlation, time of its command): for reactors, whose writes carry them on. */
export type ParsedRecordWithMetadata<E extends TypedEvent> = ParsedRecord<E> & Pick<RecordedEvent, 'metadata'>;

/**
 * Parses a stored event with `events` (an unknown type or a malformed event throws a
 * StoredEventError, see event-registry.ts) and keeps its place in the log beside it.
 */
export function parseRecord<E extends TypedEvent>(
  events: EventRegistry<E>,
  stored: RecordedEvent,
): ParsedRecordWithMetadata<E> {
  const { type, data } = events.parse(stored);
  const record: ParsedRecordWithMetadata<TypedEvent> = new Parsed(type, data, stored);
  // The registry answered an E with this type and data; the record carries them unchanged.
  return record as ParsedRecordWithMetadata<E>;
}

/**
 * Position, type and data are its own fields; the others are read from the stored event when
 * asked for, never copied: a subscription page of the SQLite store loads them lazily (one query
 * per event, see PagedEvent) and a rebuild reads none of them. One class, so every record has one
 * shape for the projections' hot loops.
 */
class Parsed {
  readonly position: bigint;
  readonly #stored: RecordedEvent;

  constructor(
    readonly type: string,
    readonly data: unknown,
    stored: RecordedEvent,
  ) {
    this.position = stored.position;
    this.#stored = stored;
  }

  get streamId(): string {
    return this.#stored.streamId;
  }

  get revision(): bigint {
    return this.#stored.revision;
  }

  get eventId(): string {
    return this.#stored.eventId;
  }

  get metadata(): RecordedEvent['metadata'] {
    return this.#stored.metadata;
  }
}
