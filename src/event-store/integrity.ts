import { DomainError } from '../shared/domain/domain-error';
import type { EventStore, RecordedEvent } from './event-store.port';
import { GENESIS_HASH, storedEventFault } from './hashing';

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

export function faultAt(e: RecordedEvent, problem: string, foundBy: StreamFault['foundBy']): StreamFault {
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
