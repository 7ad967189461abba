/**
 * A SQLite file's WAL checkpoints in a worker thread. SQLite checkpoints a WAL file in the commit
 * that crosses its limit (1,000 pages), on the connection that commits: on the main thread, inside
 * a live page of the projection runner (a page's commit took 2 ms at the median and 14 ms at p90 in
 * bench (g), 2 ms at p90 without them) or a group commit of the events. Here a second connection, in
 * its own thread, checkpoints every CHECKPOINT_EVERY_MS (PASSIVE: it never waits for, nor holds up,
 * the other connections' transactions), and the committing connection turns its own off while the
 * worker runs (offMainThread).
 */
import Database from 'better-sqlite3';
import { isMainThread, workerData } from 'node:worker_threads';
import { startWorker } from '../worker/ts-worker';

const TASK = 'read-model-wal-checkpoints';
const CHECKPOINT_EVERY_MS = 200;

export interface WalCheckpointer {
  stop(): Promise<void>;
}

/** SQLite's default: the commit that grows the WAL past this many pages checkpoints it. */
export const SQLITE_AUTOCHECKPOINT_PAGES = 1000;

/**
 * Hands `db`'s checkpoints (the connection to `file`) to a worker until stop(); if the worker ends
 * by itself, `db` checkpoints on commit again and `failed` is told why.
 */
export function offMainThread(
  db: Database.Database,
  file: string,
  failed: (err: Error) => void,
): WalCheckpointer | null {
  db.pragma('wal_autocheckpoint = 0');
  // A WAL grown while the worker fell behind is cut back when it restarts.
  db.pragma(`journal_size_limit = ${SQLITE_AUTOCHECKPOINT_PAGES * 4096}`);
  const onCommit = () => {
    if (db.open) db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
  };
  let worker: WalCheckpointer;
  try {
    worker = checkpointInWorker(file, (err) => {
      onCommit();
      failed(err);
    });
  } catch (err) {
    // A worker that cannot start (no thread, no memory) is a failed one: the commits checkpoint again.
    onCommit();
    failed(err as Error);
    return null;
  }
  return {
    async stop() {
      await worker.stop();
      onCommit();
    },
  };
}

/** Starts the worker on `file`; `failed` is told if it ends by itself (the caller checkpoints again). */
export function checkpointInWorker(file: string, failed: (err: Error) => void): WalCheckpointer {
  const worker = startWorker(__filename, { task: TASK, file, everyMs: CHECKPOINT_EVERY_MS });
  worker.unref();
  let stopping = false;
  // A crash emits 'error' and then 'exit': the caller is told once.
  const end = (err: Error) => {
    if (stopping) return;
    stopping = true;
    failed(err);
  };
  worker.on('error', end);
  worker.on('exit', (code) => end(new Error(`the checkpoint worker exited (${code})`)));
  return {
    async stop() {
      stopping = true;
      await worker.terminate();
    },
  };
}

if (!isMainThread && (workerData as { task?: string } | null)?.task === TASK) {
  const { file, everyMs } = workerData as { file: string; everyMs: number };
  const db = new Database(file);
  setInterval(() => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch (err) {
      // Busy (another checkpoint, a writer opening the file): the next turn checkpoints.
      if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
    }
  }, everyMs);
}
