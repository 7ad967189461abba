import { randomUUID } from 'node:crypto';
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * The lock file a service (or the demo) keeps in its data directory while it uses it: the holder's
 * pid on its first line, then who the holder is beyond its pid (see Holder).
 */
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
      if (holderOf(path)?.nonce === NONCE) unlinkQuietly(path);
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
    writeFileSync(mine, contentOf(me()));
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
      const text = textOf(path);
      if (text === undefined) continue; // gone meanwhile: try again
      const holder = parseHolder(text);
      if (holder.nonce === NONCE) return; // ours, from a hold this process forgot
      const state = stateOf(holder);
      if (state === 'alive') throw new LockHeldError(describe(holder.pid));
      if (state === 'elsewhere')
        throw new LockHeldError(
          `${describe(holder.pid)}. It was taken on host ${holder.host}, another machine or container, where this ` +
            `process cannot tell whether it still runs: if that service is gone (its container stopped, its machine ` +
            `down), delete ${path}`,
        );
      takeOver(path, text);
    }
    throw new LockHeldError(describe(holderOf(path)?.pid ?? 0));
  } finally {
    unlinkQuietly(mine);
  }
}

/**
 * Moves a dead holder's file aside (a rename: of two that take over at once, one moves it). If
 * what was moved is not the dead holder's (another took it over between our read and our move),
 * it is put back unless yet another lock took the place.
 */
function takeOver(path: string, deadHolder: string): void {
  const aside = `${path}.${process.pid}.stale`;
  try {
    renameSync(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    if (textOf(aside) !== deadHolder) linkSync(aside, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkQuietly(aside);
  }
}

/**
 * Who holds a lock. A pid alone does not say it: in a container the service is process 1, and a
 * second container on the same volume is process 1 too; after a crash or a reboot the pid may be
 * another program's. So the file also names the host (a container's own hostname), the kernel's
 * boot (Linux: /proc/sys/kernel/random/boot_id), the process's start time (Linux: /proc/PID/stat)
 * and a nonce of the holding process. A file of a pid alone (no other line) is read as this
 * host's, its start unknown.
 */
interface Holder {
  pid: number;
  host?: string;
  boot?: string;
  start?: string;
  nonce?: string;
}

/** This process's own mark: its nonce tells its file from any other's, whatever the pids. */
const NONCE = randomUUID();

function me(): Holder {
  return { pid: process.pid, host: hostname(), boot: bootId(), start: startOf(process.pid) ?? '', nonce: NONCE };
}

function contentOf(h: Holder): string {
  return `${h.pid}\nhost=${h.host}\nboot=${h.boot}\nstart=${h.start}\nnonce=${h.nonce}\n`;
}

function parseHolder(text: string): Holder {
  const [first, ...rest] = text.split('\n');
  const holder: Holder = { pid: /^\d+\s*$/.test(first) ? Number(first) : 0 };
  for (const line of rest) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const [key, value] = [line.slice(0, eq), line.slice(eq + 1)];
    if (key === 'host' || key === 'boot' || key === 'start' || key === 'nonce') holder[key] = value;
  }
  return holder;
}

/**
 * Whether a holder (not this process) still runs: 'elsewhere' when it held the lock on another host
 * (or container), where it cannot be asked; 'dead' for one from before a reboot, one with this
 * process's own pid (this process did not write it), or one whose pid now names a process started
 * at another time.
 */
function stateOf(h: Holder): 'alive' | 'dead' | 'elsewhere' {
  if (h.pid <= 0) return 'dead';
  if (h.host !== undefined && h.host !== hostname()) return 'elsewhere';
  const boot = bootId();
  if (h.boot && boot && h.boot !== boot) return 'dead';
  if (h.pid === process.pid) return 'dead';
  if (h.start) return startOf(h.pid) === h.start ? 'alive' : 'dead';
  try {
    process.kill(h.pid, 0);
    return 'alive';
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? 'alive' : 'dead'; // EPERM: alive, another user's
  }
}

/** The holder named by a lock file; undefined when there is no file; a file without a pid reads as pid 0 (dead). */
function holderOf(path: string): Holder | undefined {
  const text = textOf(path);
  return text === undefined ? undefined : parseHolder(text);
}

function textOf(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
}

/** A process's start time in clock ticks since boot (Linux, /proc/PID/stat field 22); undefined if there is no such process or no /proc. */
function startOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
