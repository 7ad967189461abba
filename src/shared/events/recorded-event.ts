import { shape, string } from '../domain/data-shape';

/** Who issued a command (from the bearer token). */
export interface ActorRef {
  id: string;
  role: string;
  org: string;
}

/**
 * Metadata every event carries; `prevHash` and `hash` are added by the store when it appends. A
 * type, not an interface, so that it is also a Record<string, unknown> where metadata is read as
 * data (hashing, verifying, exporting) with no cast.
 */
export type EventMetadata = {
  eventId: string;
  commandId: string;
  /** SHA-256 of the canonical command request; a repeated key with another body is refused. */
  requestHash: string;
  actor: ActorRef;
  correlationId: string;
  causationId: string;
  /** ISO-8601 time at which the command was decided (the ledger's "recorded" time axis). */
  recordedAt: string;
  prevHash?: string;
  hash?: string;
};

/** An event as the log holds it: what stores return and projections take. */
export interface RecordedEvent {
  streamId: string;
  revision: bigint;
  position: bigint;
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Required<EventMetadata>;
}

/**
 * The metadata every stored event carries, hash chain included: the check where a store's events
 * come in from outside its own rows (EventStoreDB's reads, an export file being imported).
 */
export const storedMetadata = shape<Required<EventMetadata>>({
  eventId: string,
  commandId: string,
  requestHash: string,
  actor: shape<ActorRef>({ id: string, role: string, org: string }),
  correlationId: string,
  causationId: string,
  recordedAt: string,
  prevHash: string,
  hash: string,
});
