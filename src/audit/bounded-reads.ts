/**
 * Time-travel reads (`asOf` / `knownAt`) without blocking the service (issue 14, defect 4). A
 * bounded read replays the whole log (time-bounds.ts, replayInto): on the main thread, 25,000
 * events took 410 ms, and four at a time held health and writes for most of a second. On the
 * embedded store the replay runs in a worker thread instead, on its own connection to the log,
 * and the caller names what to read from it (`BOUNDED_READERS`), the worker
 * reads it and hands back those rows (a structured clone). Handing back the whole in-memory
 * database instead (its serialized image, opened here) cost the main thread about a millisecond
 * per read, which four readers in a loop turned into a fifth of the writes' throughput (bench g).
 * REPLAY_WORKERS long-lived
 * workers take one replay each at a time (the rest wait their turn), leaving the main thread a
 * core of its own. A worker keeps its recent replays and catches one up with the events appended
 * since, so asking again for the same bounds reads only the new events.
 * EventStoreDB's replay stays on the main thread: it awaits the server between pages.
 */
import { restForDuty } from '../shared/time/timeout';
import Database from 'better-sqlite3';
import { availableParallelism } from 'node:os';
import { LRUCache } from 'lru-cache';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { EventStore } from '../event-store/event-store.port';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { PROJECTIONS } from '../projection-runner/read-models';
import { readFundBatchData } from '../reports/fund-batch-reports';
import { readSourceLedgerData, readSourceSumsData } from '../reports/source-reports';
import { readTowns } from '../reports/towns-report';
import { readProjectList } from '../../projections/project-list/project-list.projection';
import { RedFlagScope, readRedFlagData } from '../../projections/red-flags/red-flags.query';
import { readTargetRows } from '../../projections/targets/targets.query';
import { startWorker } from '../shared/worker/ts-worker';
import { DomainError } from '../shared/domain/domain-error';
import { StreamFault, brokenStreamsOf, readVerifiedStream } from '../event-store/integrity';
import { ProjectErrors } from '../project/project.errors';
import { projectStreamId } from '../project/project.events';
import { ProjectReader, ProjectReaderArgs, ProjectReaderResult, runProjectReader } from '../funding/project-at-bounds';
import { BoundedReplay, BoundsUsed, CheckedBounds, replayInto } from './time-bounds';

/** Replays that may run at once, each in its own worker: one core is left to the main thread. */
export const REPLAY_WORKERS = Math.max(1, availableParallelism() - 1);

/**
 * The share of its time a replay worker may be busy, as the chain verifier's LEDGER_VERIFY_DUTY:
 * after a task that took t, the worker takes no other for t × (1 − duty) / duty. Readers in a
 * loop otherwise get an answer as fast as a core makes them, and on two cores that core's work,
 * the answers' HTTP side and the readers' own requests left the writes and health too little.
 */
export const REPLAY_DUTY = 0.25;
/**
 * The longest rest: a replay from the start of a large log takes seconds, and three times that
 * would hold every other past read queued behind it; readers in a loop are held back by the rests
 * of the quick replays (a kept replay catching up), a few milliseconds each.
 */
export const REPLAY_REST_MAX_MS = 1_000;
/**
 * The least time between the starts of two tasks on a worker. A replay kept and caught up takes the
 * worker a millisecond or two, but its answer costs the main thread about as much again (the
 * request's HTTP side: 1.8 ms per answer, bench g), which the duty does not see: readers in a
 * loop were answered about 85 times a second and took that share of the main thread from the writes.
 * At most 40 answers a second per worker holds it near 7 %, and a page's few past reads wait at most
 * this much each.
 */
export const REPLAY_MIN_INTERVAL_MS = 25;

const TASK = 'renovation-ledger:replay-at-bounds';

/**
 * What a bounded read may take from the replayed projections, by name, so that the worker can run
 * it: plain data (rows, Maps, bigints), which crosses to the main thread as a structured clone.
 */
export const BOUNDED_READERS = {
  projectList: (db: Database.Database, filter: { town?: string }) => readProjectList(db, filter),
  sourceLedger: (db: Database.Database, fiscalYear: number | null) => readSourceLedgerData(db, fiscalYear),
  sourceSums: (db: Database.Database, fiscalYear: number | null) => readSourceSumsData(db, fiscalYear),
  towns: (db: Database.Database, _none: null) => readTowns(db),
  fundBatches: (db: Database.Database, filter: Parameters<typeof readFundBatchData>[1]) =>
    readFundBatchData(db, filter),
  redFlags: (db: Database.Database, scope: RedFlagScope) => readRedFlagData(db, scope),
  targets: (db: Database.Database, _none: null) => readTargetRows(db),
};
export type BoundedReader = keyof typeof BOUNDED_READERS;
export type ReaderArgs<K extends BoundedReader> = Parameters<(typeof BOUNDED_READERS)[K]>[1];
export type ReaderResult<K extends BoundedReader> = ReturnType<(typeof BOUNDED_READERS)[K]>;

/** `reader` on `db`: a replayed database here or in the worker, or the live read models. */
export function runReader<K extends BoundedReader>(
  db: Database.Database,
  reader: K,
  args: ReaderArgs<K>,
): ReaderResult<K> {
  const read = BOUNDED_READERS[reader] as (db: Database.Database, args: ReaderArgs<K>) => ReaderResult<K>;
  return read(db, args);
}

/**
 * What every task carries: the log's file, and the faults this process knows (integrity.ts): a
 * worker's own store knows none of those found here (by the verifier, a command, a read), so each
 * task hands them over (inWorker), and the worker hands back every fault it knows after the task.
 */
interface TaskBase {
  file: string;
  known: StreamFault[];
}

interface ReplayTask extends TaskBase {
  kind: 'replay';
  bounds: CheckedBounds;
  /** Names of projections in PROJECTIONS. */
  projections: string[];
  reader: BoundedReader;
  args: unknown;
}

/** One project's stream read, verified and cut at the bounds, and `reader` on it (project-at-bounds.ts). */
interface ProjectTask extends TaskBase {
  kind: 'project';
  bounds: CheckedBounds;
  projectId: string;
  reader: ProjectReader;
  args: unknown;
}

type WorkerTask = ReplayTask | ProjectTask;
/** Omit over each member of a union (the built-in Omit merges them). */
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** A refusal (404, 409) crosses as its fields and is thrown again on the main thread as the DomainError it was. */
type Refusal = Pick<DomainError, 'code' | 'message' | 'status' | 'field' | 'rule' | 'personal'>;
type ReplayOutcome = { result: unknown; bounds?: BoundsUsed } | { error: string; refusal?: Refusal };
/** A task's outcome, with the faults the worker's store knew after it and how long the worker was busy with it (ms). */
type ReplayAnswer = ReplayOutcome & { faults: StreamFault[]; busyMs: number };

/**
 * The log replayed at the bounds through `projections`, then `reader` on what they hold. The live
 * read models are not involved.
 */
export async function replayAtBounds<K extends BoundedReader>(
  store: EventStore,
  bounds: CheckedBounds,
  projections: readonly { name: string }[],
  reader: K,
  args: ReaderArgs<K>,
): Promise<{ result: ReaderResult<K>; bounds: BoundsUsed }> {
  const names = projections.map((p) => p.name);
  if (store instanceof SqliteEventStore) {
    const answer = await inWorker(store, { kind: 'replay', bounds, projections: names, reader, args });
    return { result: answer.result as ReaderResult<K>, bounds: answer.bounds! };
  }
  const replayed = await replayInto(store, bounds, definitions(names));
  try {
    return { result: runReader(replayed.db, reader, args), bounds: replayed.bounds };
  } finally {
    replayed.db.close();
  }
}

/**
 * One project at the bounds (project-at-bounds.ts): its stream read, verified, cut and shown, in a
 * replay worker on the embedded store, as a whole-log replay is (the same workers, queue and duty).
 * 404 for a project never registered, 409 for a stream that does not verify, as the live reads.
 */
export async function readProjectAtBounds<K extends ProjectReader>(
  store: EventStore,
  projectId: string,
  bounds: CheckedBounds,
  reader: K,
  args: ProjectReaderArgs<K>,
): Promise<ProjectReaderResult<K>> {
  if (store instanceof SqliteEventStore) {
    const answer = await inWorker(store, { kind: 'project', bounds, projectId, reader, args });
    return answer.result as ProjectReaderResult<K>;
  }
  return projectTask(store, projectId, bounds, reader, args);
}

async function projectTask<K extends ProjectReader>(
  store: EventStore,
  projectId: string,
  bounds: CheckedBounds,
  reader: K,
  args: ProjectReaderArgs<K>,
): Promise<ProjectReaderResult<K>> {
  const stored = await readVerifiedStream(store, projectStreamId(projectId));
  if (stored.length === 0) throw ProjectErrors.projectNotFound(projectId);
  return runProjectReader(projectId, stored, bounds, reader, args);
}

function definitions(names: string[]) {
  return names.map((name) => {
    const p = PROJECTIONS.find((x) => x.name === name);
    if (!p) throw new Error(`no projection named ${name}`);
    return p;
  });
}

// ---------------------------------------------------------------------------------------------
// Main thread: long-lived workers (started on first use, never holding the process open, ended
// with the service: stopReplayWorkers), a queue

interface Pending {
  task: WorkerTask;
  resolve: (answer: ReplayAnswer) => void;
  reject: (err: Error) => void;
}

const idle: Worker[] = [];
const queue: Pending[] = [];
let started = 0;
/** Workers at a task, and those resting after one (see REPLAY_DUTY) with the timer that ends the rest. */
const busy = new Set<Worker>();
const resting = new Map<Worker, NodeJS.Timeout>();
/** Workers at a task when stopReplayWorkers was called: ended once the task is answered, then this is called. */
const retiring = new Map<Worker, () => void>();

/**
 * Ends the replay workers (the service's shutdown): idle and resting ones now, one at a task once it
 * is answered (no read loses its answer); a read after this starts a worker again. Unref'd, a worker
 * never holds a process open, but one left running outlives the app that used it: in a process that
 * opens one app after another (a Jest worker running spec after spec), each module registry started
 * its own, and the process's exit, which must end them all, outlasted the 500 ms Jest gives a worker.
 */
export async function stopReplayWorkers(): Promise<void> {
  const now = [...idle.splice(0), ...resting.keys()];
  for (const timer of resting.values()) clearTimeout(timer);
  resting.clear();
  const ending = now.map(end);
  const atTask = [...busy].map((worker) => new Promise<void>((resolve) => retiring.set(worker, resolve)));
  // A read still queued is not dropped: it starts a worker again.
  dispatch();
  await Promise.all([...ending, ...atTask]);
}

async function end(worker: Worker): Promise<void> {
  started -= 1;
  await worker.terminate();
}

/** `task` run in a worker on `store`'s file: the one place tasks are sent, with the faults known here, and the faults found there taken in. */
async function inWorker(
  store: SqliteEventStore,
  task: DistributiveOmit<WorkerTask, keyof TaskBase>,
): Promise<{ result: unknown; bounds?: BoundsUsed }> {
  const broken = brokenStreamsOf(store);
  const sent = { ...task, file: store.file, known: broken.all() } as WorkerTask;
  const answer = await new Promise<ReplayAnswer>((resolve, reject) => {
    queue.push({ task: sent, resolve, reject });
    dispatch();
  });
  for (const fault of answer.faults) broken.mark(fault);
  if ('error' in answer) {
    const r = answer.refusal;
    if (r) throw new DomainError(r.code, r.message, r.status, r.field, r.rule, r.personal);
    throw new Error(`time-travel replay failed: ${answer.error}`);
  }
  return answer;
}

function dispatch(): void {
  while (queue.length > 0) {
    if (idle.length === 0 && started < REPLAY_WORKERS) idle.push(spawn());
    const worker = idle.pop();
    if (!worker) return;
    const job = queue.shift()!;
    const settle = (err: Error | null, answer?: ReplayAnswer) => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      busy.delete(worker);
      const retired = retiring.get(worker);
      retiring.delete(worker);
      if (err) {
        retired?.();
        job.reject(err);
        dispatch();
        return;
      }
      job.resolve(answer!);
      if (retired) {
        void end(worker).then(retired, retired);
        dispatch();
        return;
      }
      // Its rest (see REPLAY_DUTY), then the worker takes the next task.
      const rest = setTimeout(
        () => {
          resting.delete(worker);
          idle.push(worker);
          dispatch();
        },
        Math.min(
          REPLAY_REST_MAX_MS,
          Math.max(restForDuty(answer!.busyMs, REPLAY_DUTY), REPLAY_MIN_INTERVAL_MS - answer!.busyMs),
        ),
      ).unref();
      resting.set(worker, rest);
    };
    const onMessage = (answer: ReplayAnswer) => settle(null, answer);
    // A worker that fails is gone: its job fails, the next job starts another.
    const onError = (err: Error) => {
      started -= 1;
      settle(err);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    busy.add(worker);
    worker.postMessage(job.task);
  }
}

function spawn(): Worker {
  started += 1;
  const worker = startWorker(__filename, { task: TASK });
  worker.unref();
  return worker;
}

// ---------------------------------------------------------------------------------------------
// The worker: its recent replays, kept and caught up with what was appended since

/** Replays a worker keeps (per log file, bounds and projections), least recently used first out. */
const KEPT_REPLAYS = 8;
const kept = new LRUCache<string, BoundedReplay>({
  max: KEPT_REPLAYS,
  // A replay dropped for a newer one closes its in-memory database; one taken out to be used does not.
  dispose: (replay, _key, reason) => {
    if (reason === 'evict') replay.db.close();
  },
});

async function replayTask(task: ReplayTask, store: SqliteEventStore): Promise<ReplayOutcome> {
  const key = JSON.stringify([task.file, task.bounds, task.projections]);
  let replay = kept.get(key);
  kept.delete(key);
  try {
    // A log shorter than what was read (restored from an older copy) is replayed afresh.
    if (replay && (await store.headPosition()) < replay.after) {
      replay.db.close();
      replay = undefined;
    }
    replay ??= new BoundedReplay(task.bounds, definitions(task.projections));
    await replay.catchUp(store);
    kept.set(key, replay);
    return { result: runReader(replay.db, task.reader, task.args as never), bounds: replay.used() };
  } catch (err) {
    replay?.db.close();
    return { error: (err as Error).message };
  }
}

/** One project at the bounds, on the worker's own connection to the log (nothing kept between tasks). */
async function projectTaskInWorker(task: ProjectTask, store: SqliteEventStore): Promise<ReplayOutcome> {
  try {
    return { result: await projectTask(store, task.projectId, task.bounds, task.reader, task.args as never) };
  } catch (err) {
    if (err instanceof DomainError) {
      const { code, message, status, field, rule, personal } = err;
      return { error: message, refusal: { code, message, status, field, rule, personal } };
    }
    return { error: (err as Error).message };
  }
}

/** A task on the worker's own connection to the log, which knows the faults the main thread sent; the faults it knows after. */
async function runTask(task: WorkerTask): Promise<ReplayOutcome & { faults: StreamFault[] }> {
  const store = new SqliteEventStore(task.file);
  const broken = brokenStreamsOf(store);
  for (const fault of task.known) broken.mark(fault);
  try {
    const outcome = task.kind === 'project' ? await projectTaskInWorker(task, store) : await replayTask(task, store);
    return { ...outcome, faults: broken.all() };
  } finally {
    await store.close();
  }
}

if (!isMainThread && (workerData as { task?: string } | null)?.task === TASK) {
  // One task at a time: the main thread sends the next only after this one's answer.
  parentPort!.on('message', (task: WorkerTask) => {
    const began = performance.now();
    void runTask(task).then(
      (answer) => parentPort!.postMessage({ ...answer, busyMs: performance.now() - began }),
      (err: Error) => parentPort!.postMessage({ error: err.message, faults: [], busyMs: performance.now() - began }),
    );
  });
}
