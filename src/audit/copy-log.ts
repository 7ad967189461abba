import {
  DuplicateEventIdError,
  EventStore,
  NewEvent,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '../event-store/event-store.port';

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
  /** For a source given as pages: the last position it will yield, shown as `head` in progress. */
  head?: bigint;
}

/** Where a copy reads from: a store (read in global order, from `after`), or pages of its events in that order (an import file). */
export type CopySource = EventStore | AsyncIterable<RecordedEvent[]>;

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
 *
 * The source may also be pages of recorded events in global order (an export file being imported):
 * then `after` and `pageSize` do not apply, and `head` is only shown in progress.
 */
export async function copyLog(
  source: CopySource,
  target: EventStore,
  options: CopyOptions = {},
): Promise<CopyProgress> {
  const after = options.after ?? 0n;
  const fromStore = isEventStore(source);
  const head = fromStore ? await source.headPosition() : (options.head ?? 0n);
  const progress: CopyProgress = { copied: 0, skipped: 0, position: after, head };
  const pages = fromStore ? readAllPages(source, { after, pageSize: options.pageSize }) : source;
  for await (const page of pages) {
    if (page.length === 0) continue;
    for (const run of runsOfOneAppend(page)) await copyRun(target, run, progress);
    progress.position = page[page.length - 1].position;
    await options.onCheckpoint?.(progress.position);
    options.onProgress?.({ ...progress });
  }
  return progress;
}

/**
 * A store's events in global order, one page at a time, after `after` and up to `until`
 * (inclusive; default: to the end, including events appended while reading).
 */
export async function* readAllPages(
  store: EventStore,
  options: { after?: bigint; until?: bigint; pageSize?: number } = {},
): AsyncGenerator<RecordedEvent[]> {
  const pageSize = options.pageSize ?? 1000;
  let after = options.after ?? 0n;
  for (;;) {
    if (options.until !== undefined && after >= options.until) return;
    const read = await store.readAll({ after, limit: pageSize });
    const page = options.until === undefined ? read : read.filter((e) => e.position <= options.until!);
    if (page.length > 0) yield page;
    if (page.length < read.length || read.length === 0) return;
    after = read[read.length - 1].position;
  }
}

function isEventStore(source: CopySource): source is EventStore {
  return typeof (source as EventStore).readAll === 'function';
}

/** Consecutive events of one stream and one command: they were one append, and stay one. */
function runsOfOneAppend(events: RecordedEvent[]): RecordedEvent[][] {
  const runs: RecordedEvent[][] = [];
  for (const e of events) {
    const run = runs[runs.length - 1];
    const prev = run?.[run.length - 1];
    if (
      prev &&
      prev.streamId === e.streamId &&
      prev.metadata.commandId === e.metadata.commandId &&
      prev.revision + 1n === e.revision
    )
      run.push(e);
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
    if (!same)
      throw new CopyMismatchError(
        `target stream ${first.streamId} differs from the source at revision ${first.revision}: ${(err as Error).message}`,
      );
    progress.skipped += run.length;
  }
  const written = await target.readStream(first.streamId, first.revision, run.length);
  for (const [i, e] of run.entries()) {
    if (written[i]?.metadata.hash !== e.metadata.hash) {
      throw new CopyMismatchError(
        `event ${e.eventId} (${e.streamId}@${e.revision}) hashes differently in the target: ${written[i]?.metadata.hash} vs ${e.metadata.hash}`,
      );
    }
  }
}
