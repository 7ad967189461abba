import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { assert } from '../shared/domain/domain-error';
import { moduleWorker } from '../shared/threads/module-worker';
import { ProjectionDefinition } from '../shared/projection/projection-definition';
import { PROJECTIONS, ReadModels } from './read-models';

/** What the projection thread is told (see projection-thread.entry.ts). */
export type ToProjectionThread =
  | { start: true }
  | { stop: number }
  | { close: number }
  | { rebuild: string; id: number }
  | { waitFor: bigint; timeoutMs: number };

/** What it tells: after each page the position reached (or why the page failed), its log lines, the end of a request. */
export type FromProjectionThread =
  | { started: bigint }
  | { applied: bigint }
  | { failed: string }
  | { log: string }
  | { done: number; error?: string };

export interface ProjectionThreadData {
  storeFile: string;
  busyTimeoutMs: number;
  readModelFile: string;
  /** Names from PROJECTIONS: a definition's functions cannot cross to another thread, its name can. */
  projections: string[];
}

/** First and longest wait before a projection thread that stopped is started again. */
export const RESTART_MS = 1_000;
export const RESTART_MAX_MS = 30_000;
/** How long close() lets the thread finish its page before it is terminated. */
const CLOSE_TIMEOUT_MS = 10_000;

/**
 * The read models of the embedded store, fed on a thread of their own: a ProjectionRunner runs
 * there (projection-thread.entry.ts) with its own connections to the event log and to the
 * read-model file, so reading pages of events and applying them never holds up the main thread,
 * which parses requests and decides commands. The main thread keeps a connection of its own to
 * the read-model file for queries (`read` gives one snapshot and the position it reflects).
 *
 * The thread finds new events as the runner finds another process's: it polls the log (every
 * 250 ms when it has caught up), since a message per commit would cost the main thread a wake-up
 * of the thread each time. A reader that waits for its own write (`waitFor`) tells the thread,
 * which then reads at once and skips its gathering pause. After each page the thread reports the
 * position reached, which resolves `waitFor`.
 * Should the thread stop (a bug, an exception), `error()` says so and it is started again, after
 * 1 s and then up to 30 s between attempts; it resumes from its checkpoints, so nothing is applied
 * twice or skipped.
 */
export class ProjectionThread extends ReadModels {
  private worker: Worker | null = null;
  private running = false;
  private closed = false;
  private lastError: Error | null = null;
  private readonly requests = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private restartTimer: NodeJS.Timeout | null = null;
  private restarts = 0;

  constructor(
    private readonly store: SqliteEventStore,
    projections: readonly ProjectionDefinition[],
    private readonly file: string,
    private readonly log: (message: string) => void = (m) => console.error(m),
  ) {
    super(projections, file);
    for (const p of projections) assert(PROJECTIONS.includes(p), `projection ${p.name} is one of PROJECTIONS (the thread loads them by name)`);
  }

  override start(): void {
    if (this.running || this.closed) return;
    this.running = true;
    this.thread().postMessage({ start: true } satisfies ToProjectionThread);
  }

  override async stop(): Promise<void> {
    this.running = false;
    this.clearRestart();
    if (this.worker) await this.request((id) => ({ stop: id }));
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.running = false;
    this.clearRestart();
    const worker = this.worker;
    if (worker) {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      const timer = setTimeout(() => void worker.terminate(), CLOSE_TIMEOUT_MS);
      await this.request((id) => ({ close: id })).catch(() => undefined);
      await exited;
      clearTimeout(timer);
    }
    this.abandonWaiters();
    this.db.close();
  }

  override async rebuild(name: string): Promise<void> {
    assert(!this.closed, 'read models are open');
    this.thread();
    await this.request((id) => ({ rebuild: name, id }));
  }

  /** The runner on the thread gets a waiter of its own: it reads at once and skips its gathering pause until it gets there. */
  protected override hurry(position: bigint, timeoutMs: number): void {
    this.post({ waitFor: position, timeoutMs });
  }

  override error(): Error | null {
    return this.lastError;
  }

  /** Tests only: the thread dies as a bug would kill it. */
  async killThreadForTests(): Promise<void> {
    await this.worker?.terminate();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const data: ProjectionThreadData = {
      storeFile: this.store.file, busyTimeoutMs: this.store.busyTimeoutMs, readModelFile: this.file, projections: this.projections.map((p) => p.name),
    };
    const worker = moduleWorker(join(__dirname, 'projection-thread.entry'), { workerData: data });
    worker.unref(); // only an unanswered request keeps the process alive
    worker.on('message', (m: FromProjectionThread) => this.received(m));
    worker.on('error', (err) => {
      this.lastError = new Error(`projection thread failed: ${err.message}`);
      this.log(this.lastError.message);
    });
    worker.on('exit', (code) => this.exited(worker, code));
    this.worker = worker;
    return worker;
  }

  private received(m: FromProjectionThread): void {
    if ('started' in m) {
      this.lastError = null; // running again (the backoff resets only once a page is applied)
      this.reached(m.started);
    } else if ('applied' in m) {
      this.lastError = null;
      this.restarts = 0;
      this.reached(m.applied);
    } else if ('failed' in m) {
      this.lastError = new Error(m.failed);
    } else if ('log' in m) {
      this.log(m.log);
    } else if ('done' in m) {
      const r = this.requests.get(m.done);
      if (!r) return;
      this.requests.delete(m.done);
      if (this.requests.size === 0) this.worker?.unref();
      if (m.error === undefined) r.resolve();
      else r.reject(new Error(m.error));
    }
  }

  private exited(worker: Worker, code: number): void {
    if (this.worker !== worker) return;
    this.worker = null;
    const pending = [...this.requests.values()];
    this.requests.clear();
    const error = new Error(`projection thread stopped (exit code ${code})`);
    for (const r of pending) r.reject(error);
    if (this.closed || !this.running) return;
    this.lastError ??= error;
    const delay = Math.min(RESTART_MAX_MS, RESTART_MS * 2 ** Math.min(this.restarts, 10));
    this.restarts += 1;
    this.log(`${error.message}; starting it again in ${delay} ms`);
    this.running = false;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.start();
    }, delay);
    this.restartTimer.unref();
  }

  private clearRestart(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
  }

  private post(message: ToProjectionThread): void {
    this.worker?.postMessage(message);
  }

  private request(message: (id: number) => ToProjectionThread): Promise<void> {
    const worker = this.thread();
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.requests.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage(message(id));
    });
  }
}
