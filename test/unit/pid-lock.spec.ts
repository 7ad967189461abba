/**
 * Rule: one service per data directory. The lock is a file in DATA_DIR holding the holder's pid:
 * refused while that process lives (naming the directory and the pid), taken over when it is dead,
 * counted when the same process takes it again, removed when the last hold is given back.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATA_DIR_LOCK_FILE, LockHeldError, lockDataDir } from '../../src/shared/fs/pid-lock';

/** The pid of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid;

describe('the data directory lock', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pid-lock-'));
    file = join(dir, DATA_DIR_LOCK_FILE);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const firstLine = () => readFileSync(file, 'utf8').split('\n')[0];

  it('is a file holding our pid, removed when given back, and nothing else is left in the directory', () => {
    const lock = lockDataDir(dir);
    expect(firstLine()).toBe(`${process.pid}`);
    expect(readdirSync(dir)).toEqual([DATA_DIR_LOCK_FILE]);
    lock.release();
    lock.release(); // idempotent
    expect(readdirSync(dir)).toEqual([]);
  });

  it('is refused while another live process holds it, naming the directory and the pid; its file is left', () => {
    writeFileSync(file, `${process.ppid}\n`);
    expect(() => lockDataDir(dir)).toThrow(LockHeldError);
    expect(() => lockDataDir(dir)).toThrow(`data directory ${dir} is in use by process ${process.ppid}`);
    expect(readFileSync(file, 'utf8')).toBe(`${process.ppid}\n`);
  });

  it.each([
    ['a dead process', () => `${deadPid()}\n`],
    ['no pid (a holder that died writing it)', () => ''],
  ])('left by %s, is taken over', (_, content) => {
    writeFileSync(file, content());
    const lock = lockDataDir(dir);
    expect(firstLine()).toBe(`${process.pid}`);
    lock.release();
    expect(existsSync(file)).toBe(false);
  });

  it('held on another host (a second container on the same volume, both process 1) is refused, saying what to do if it is gone', () => {
    writeFileSync(file, `1\nhost=another-container-7f3a\nboot=x\nstart=1\nnonce=theirs\n`);
    expect(() => lockDataDir(dir)).toThrow(LockHeldError);
    expect(() => lockDataDir(dir)).toThrow(/on host another-container-7f3a, another machine or container.*delete /);
    expect(firstLine()).toBe('1');
  });

  it.each([
    ['by an earlier process with our own pid (a container restarted: process 1 again)', () => `${process.pid}`],
    ['by a process whose pid now names another, started at another time', () => `${process.ppid}\nstart=1`],
  ])('left on this host %s, is taken over', (_, head) => {
    if (!existsSync('/proc/self/stat')) {
      console.log("skipped: no /proc here to tell a process's start time");
      return;
    }
    writeFileSync(file, `${head()}\nhost=${hostname()}\nnonce=an-earlier-holder\n`);
    const lock = lockDataDir(dir);
    expect(readFileSync(file, 'utf8')).toContain(`host=${hostname()}`);
    expect(firstLine()).toBe(`${process.pid}`);
    lock.release();
    expect(existsSync(file)).toBe(false);
  });

  it('taken twice by one process (the demo, then its service), stays until both holds are given back', () => {
    const demo = lockDataDir(dir);
    const service = lockDataDir(dir);
    demo.release();
    expect(firstLine()).toBe(`${process.pid}`);
    service.release();
    expect(existsSync(file)).toBe(false);
  });

  it('given back, is not removed if another process has taken it since (it was taken over)', () => {
    const lock = lockDataDir(dir);
    writeFileSync(file, `${process.ppid}\n`);
    lock.release();
    expect(readFileSync(file, 'utf8')).toBe(`${process.ppid}\n`);
  });
});
