import { DomainError } from '../shared/domain/domain-error';
import type { EventStore, RecordedEvent } from './event-store.port';
import { GENESIS_HASH, storedEventFault, storedEventHash } from './hashing';

/** A stored event that does not verify, and so the stream it breaks. */
export interface StreamFault {
  streamId: string;
  revision: string;
  eventId: string;
  position: string;
  /** What does not hold, in words. */
  problem: string;
  /** Who found it: a command folding the stream, a read of it, or the background verifier. */
  foundBy: 'write-path' | 'read' | 'verifier';
  foundAt: string;
}

/**
 * The streams of one store whose stored events do not verify (issue 14, defect 2): nothing is
 * decided on them and their reads say so, until the store is restored from a good copy and the
 * service restarted. Kept per store object, so the write path, the reads and the background
 * verifier of one process share it without wiring.
 */
export class BrokenStreams {
  private readonly faults = new Map<string, StreamFault>();
  /** Per stream, the last event a read verified: the next read of it checks only what is newer. */
  private readonly verified = new Map<string, { revision: bigint; hash: string }>();

  /** Records the first fault found in a stream (later ones follow from it). */
  mark(fault: StreamFault): void {
    if (!this.faults.has(fault.streamId)) this.faults.set(fault.streamId, fault);
  }

  /** Where a read may resume verifying: the last verified event, if it is still stored as it was. */
  verifiedThrough(streamId: string): { revision: bigint; hash: string } | undefined {
    return this.verified.get(streamId);
  }

  markVerified(streamId: string, revision: bigint, hash: string): void {
    this.verified.set(streamId, { revision, hash });
  }

  faultOf(streamId: string): StreamFault | undefined {
    return this.faults.get(streamId);
  }

  all(): StreamFault[] {
    return [...this.faults.values()];
  }

  /** Throws 409 `chain-broken` when the stream is broken: for writes and for reads of it. */
  refuseBroken(streamId: string): void {
    const fault = this.faults.get(streamId);
    if (fault) throw chainBroken(fault);
  }
}

const registries = new WeakMap<EventStore, BrokenStreams>();

export function brokenStreamsOf(store: EventStore): BrokenStreams {
  let registry = registries.get(store);
  if (!registry) registries.set(store, (registry = new BrokenStreams()));
  return registry;
}

/** Where a stored event sits: what a store knows of it before its data and metadata are read. */
export type StoredPlace = Pick<RecordedEvent, 'streamId' | 'revision' | 'eventId' | 'position'>;

export function faultAt(e: StoredPlace, problem: string, foundBy: StreamFault['foundBy']): StreamFault {
  return {
    streamId: e.streamId,
    revision: e.revision.toString(),
    eventId: e.eventId,
    position: e.position.toString(),
    problem,
    foundBy,
    foundAt: new Date().toISOString(),
  };
}

export function chainBroken(fault: StreamFault): DomainError {
  return new DomainError(
    'chain-broken',
    `${fault.streamId} does not verify at revision ${fault.revision} (event ${fault.eventId}, position ${fault.position}): ` +
      `${fault.problem}. Nothing is decided on this stream until the store is restored (renovation-ledger verify names the fault).`,
    409,
  );
}

/**
 * A stored event whose data or metadata can no longer be read (not JSON: changed on disk, a damaged
 * disk, or written outside the ledger). A store returns such an event with that part throwing this
 * when it is read, so the rest of its page reads as usual, and marks its stream broken when it
 * meets it (unreadable). Whoever reads the part gets the fault named, as 409 `chain-broken` names
 * it (the HTTP filter answers exactly that), never a SyntaxError.
 */
export class UnreadableEventError extends Error {
  constructor(
    readonly fault: StreamFault,
    /** What cannot be read, and why: `its data is not JSON (…)`. */
    readonly what: string,
  ) {
    super(chainBroken(fault).message);
    this.name = 'UnreadableEventError';
  }
}

/** For a store: a part of the stored event at `place` that cannot be read, its stream marked broken in `store`'s registry. */
export function unreadable(store: EventStore, place: StoredPlace, problem: string): UnreadableEventError {
  const fault = faultAt(place, `it cannot be read: ${problem}`, 'read');
  brokenStreamsOf(store).mark(fault);
  return new UnreadableEventError(fault, problem);
}

/** For a store: makes reading `part` of `target` (a stored event, or the columns a page left out of one) throw `error`. */
export function throwingPart(target: object, part: 'data' | 'metadata', error: UnreadableEventError): void {
  Object.defineProperty(target, part, {
    enumerable: true,
    configurable: true,
    get() {
      throw error;
    },
  });
}

/**
 * Why a stored event a reader could not parse by its registry is damaged in the store rather than
 * written by another version of the code: a part of it cannot be read, or it no longer hashes to
 * its recorded hash. Null when it is as written (a type this code does not know, say): a reader
 * must not skip that one. What the projections and replays go past (projection-runner.ts, parsePage).
 */
export function damageOf(e: RecordedEvent, parseError: unknown): StreamFault | null {
  if (parseError instanceof UnreadableEventError) return parseError.fault;
  try {
    const metadata = e.metadata;
    if (storedEventHash(e.streamId, e.revision, e.type, e.data, metadata) === metadata.hash) return null;
  } catch (err) {
    if (err instanceof UnreadableEventError) return err.fault;
    throw err;
  }
  return faultAt(e, 'its type, data or metadata was changed: it no longer hashes to its recorded hash', 'read');
}

/**
 * Checks that `e` follows `prevHash` at `prevRevision` and still hashes to its recorded hash; if
 * not, marks its stream broken and throws 409 `chain-broken` naming it.
 */
export function verifyStored(
  broken: BrokenStreams,
  e: RecordedEvent,
  prevRevision: bigint,
  prevHash: string,
  foundBy: StreamFault['foundBy'],
): void {
  let problem: string | null;
  try {
    problem = storedEventFault(e, prevRevision, prevHash);
  } catch (err) {
    if (err instanceof UnreadableEventError) {
      broken.mark(err.fault);
      throw chainBroken(broken.faultOf(e.streamId)!);
    }
    problem = `it cannot be read: ${(err as Error).message}`;
  }
  if (problem === null) return;
  const fault = faultAt(e, problem, foundBy);
  broken.mark(fault);
  throw chainBroken(fault);
}

/**
 * A whole stream, read and verified: what reads that fold a stream use. Events a read already
 * verified are not hashed again, as long as the last of them still carries the hash it had (the
 * background verifier re-checks the whole log, chain-watch.ts); anything newer is verified.
 */
export async function readVerifiedStream(store: EventStore, streamId: string): Promise<RecordedEvent[]> {
  const broken = brokenStreamsOf(store);
  broken.refuseBroken(streamId);
  const events = await store.readStream(streamId);
  const known = broken.verifiedThrough(streamId);
  const resume = known !== undefined && events[Number(known.revision)]?.metadata.hash === known.hash;
  let revision = resume ? known.revision : -1n;
  let hash = resume ? known.hash : GENESIS_HASH;
  for (let i = Number(revision + 1n); i < events.length; i++) {
    const e = events[i];
    verifyStored(broken, e, revision, hash, 'read');
    revision = e.revision;
    hash = e.metadata.hash as string;
  }
  if (revision >= 0n) broken.markVerified(streamId, revision, hash);
  return events;
}
