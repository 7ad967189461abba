import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** The lock file a service (or the demo) keeps in its data directory while it uses it: the holder's pid. */
export const DATA_DIR_LOCK_FILE = 'ledger.lock';

/** The lock cannot be taken: the message says why, naming the directory (main and the CLI print it as one line). */
export class LockError extends Error {
  override name = 'LockError';
}

/** The lock is held by another live process: the message names what is locked and the pid. */
export class LockHeldError extends LockError {
  override name = 'LockHeldError';
}

/** The lock file cannot be written: the directory is read-only (a read-only mount, a copy without write permission). */
export class LockNotWritableError extends LockError {
  override name = 'LockNotWritableError';
}

export interface PidLock {
  /** The lock file. */
  readonly file: string;
  /** Gives this hold back; the file goes when the process's last hold on it is given back. Idempotent. */
  release(): void;
}

/** Holds of this process, by lock file: one process may take its own lock more than once (the demo, then its app). */
const held = new Map<string, number>();

/**
 * Takes the pid lock file `file`: created whole (written aside, then hard-linked into place, so
 * no reader sees it empty); if it exists and names a live process other than this one, refuses
 * with `describe(pid)`; if it names a dead one (a process killed without cleaning up), takes it
 * over. Taken again by the same process, it counts the holds.
 */
export function takePidLock(file: string, describe: (pid: number) => string): PidLock {
  const path = resolve(file);
  if (!held.has(path)) acquire(path, describe);
  held.set(path, (held.get(path) ?? 0) + 1);
  let released = false;
  return {
    file: path,
    release() {
      if (released) return;
      released = true;
      const left = (held.get(path) ?? 1) - 1;
      if (left > 0) return void held.set(path, left);
      held.delete(path);
      if (holderOf(path) === process.pid) unlinkQuietly(path);
    },
  };
}

/** The data directory's lock: one service (or demo) per DATA_DIR. */
export function lockDataDir(dir: string): PidLock {
  const file = join(resolve(dir), DATA_DIR_LOCK_FILE);
  return takePidLock(
    file,
    (pid) =>
      `data directory ${resolve(dir)} is in use by process ${pid} (lock file ${file}): stop that service or demo first, ` +
      `or use another DATA_DIR`,
  );
}

function acquire(path: string, describe: (pid: number) => string): void {
  const mine = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(mine, `${process.pid}\n`);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EROFS' && code !== 'EPERM') throw err;
    throw new LockNotWritableError(
      `${dirname(path)} is read-only (${code}: cannot create ${basename(path)} there): the service writes its log and ` +
        'read models in DATA_DIR, so give it a writable one; a read-only copy can still be read with ' +
        '`renovation-ledger verify`, `export` or `replay`',
    );
  }
  try {
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        linkSync(mine, path);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const pid = holderOf(path);
      if (pid === undefined) continue; // gone meanwhile: try again
      if (pid === process.pid) return; // ours, from a hold this process forgot (it cannot be another's)
      if (alive(pid)) throw new LockHeldError(describe(pid));
      takeOver(path, pid);
    }
    throw new LockHeldError(describe(holderOf(path) ?? 0));
  } finally {
    unlinkQuietly(mine);
  }
}

/**
 * Moves a dead holder's file aside (a rename: of two that take over at once, one moves it). If
 * what was moved is not the dead holder's (another took it over between our read and our move),
 * it is put back unless yet another lock took the place.
 */
function takeOver(path: string, deadPid: number): void {
  const aside = `${path}.${process.pid}.stale`;
  try {
    renameSync(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    if (holderOf(aside) !== deadPid) linkSync(aside, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkQuietly(aside);
  }
}

/** The pid in a lock file; undefined when there is no file; NaN-free: a file without a pid reads as pid 0 (dead). */
function holderOf(path: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return /^\d+\s*$/.test(text) ? Number(text) : 0;
}

function alive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
