import { DuplicateEventIdError, EventStore, NewEvent, RecordedEvent, WrongExpectedRevisionError } from './event-store.port';

export interface CopyProgress {
  copied: number;
  skipped: number;
  position: bigint;
  head: bigint;
}

export interface CopyOptions {
  /** Source position already copied (exclusive lower bound): where a resumed copy starts. */
  after?: bigint;
  pageSize?: number;
  /** Called after each page is durable in the target, with the source position reached. */
  onCheckpoint?: (position: bigint) => Promise<void> | void;
  onProgress?: (progress: CopyProgress) => void;
}

export class CopyMismatchError extends Error {
  override name = 'CopyMismatchError';
}

/**
 * Copies the whole event log from one store to another, in global order, keeping stream ids,
 * revisions, event ids, types, data and metadata. The target recomputes the hash chain over the
 * same canonical form, so every copied event must hash exactly as in the source: a difference
 * stops the copy (the target would not be a faithful copy).
 *
 * Resumable: it starts after `after`, and an event the target already holds (same id at the same
 * revision, e.g. written just before a crash and before the checkpoint) is skipped, not doubled.
 */
export async function copyLog(source: EventStore, target: EventStore, options: CopyOptions = {}): Promise<CopyProgress> {
  const pageSize = options.pageSize ?? 1000;
  const progress: CopyProgress = { copied: 0, skipped: 0, position: options.after ?? 0n, head: await source.headPosition() };
  for (;;) {
    const page = await source.readAll({ after: progress.position, limit: pageSize });
    if (page.length === 0) break;
    for (const run of runsOfOneAppend(page)) await copyRun(target, run, progress);
    progress.position = page[page.length - 1].position;
    await options.onCheckpoint?.(progress.position);
    options.onProgress?.({ ...progress });
  }
  return progress;
}

/** Consecutive events of one stream and one command: they were one append, and stay one. */
function runsOfOneAppend(events: RecordedEvent[]): RecordedEvent[][] {
  const runs: RecordedEvent[][] = [];
  for (const e of events) {
    const run = runs[runs.length - 1];
    const prev = run?.[run.length - 1];
    if (prev && prev.streamId === e.streamId && prev.metadata.commandId === e.metadata.commandId && prev.revision + 1n === e.revision) run.push(e);
    else runs.push([e]);
  }
  return runs;
}

async function copyRun(target: EventStore, run: RecordedEvent[], progress: CopyProgress): Promise<void> {
  const first = run[0];
  const toAppend: NewEvent[] = run.map((e) => {
    const { prevHash: _prev, hash: _hash, ...metadata } = e.metadata;
    return { eventId: e.eventId, type: e.type, data: e.data, metadata };
  });
  try {
    await target.append(first.streamId, toAppend, first.revision === 0n ? 'no_stream' : first.revision - 1n);
    progress.copied += run.length;
  } catch (err) {
    if (!(err instanceof WrongExpectedRevisionError) && !(err instanceof DuplicateEventIdError)) throw err;
    // Already there from an interrupted run? Then the target holds these very events.
    const held = await target.readStream(first.streamId, first.revision, run.length);
    const same = run.every((e, i) => held[i]?.eventId === e.eventId && held[i]?.revision === e.revision);
    if (!same) throw new CopyMismatchError(`target stream ${first.streamId} differs from the source at revision ${first.revision}: ${(err as Error).message}`);
    progress.skipped += run.length;
  }
  const written = await target.readStream(first.streamId, first.revision, run.length);
  for (const [i, e] of run.entries()) {
    if (written[i]?.metadata.hash !== e.metadata.hash) {
      throw new CopyMismatchError(`event ${e.eventId} (${e.streamId}@${e.revision}) hashes differently in the target: ${written[i]?.metadata.hash} vs ${e.metadata.hash}`);
    }
  }
}
