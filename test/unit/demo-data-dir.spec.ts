/**
 * Rule: `npm run demo` starts from an empty ledger in DATA_DIR, deleting only the files the
 * service and the demo make there (a second demo on the same directory must start), and refuses
 * a directory holding anything else. It takes the directory's lock and checks its ports first: a
 * second demo on the directory another demo or a service is using is refused with that ledger intact.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoSetupError, freshDataDir, prepareDemoDataDir } from '../../src/demo/demo-setup';
import { DATA_DIR_LOCK_FILE, LockHeldError } from '../../src/shared/fs/pid-lock';

/** The pid of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid;

describe('the demo data directory', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'demo-dir-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is emptied of what a running service left there: the log, the read model and the snapshots', () => {
    const left = [
      'events.sqlite',
      'events.sqlite-wal',
      'read-model.sqlite',
      'snapshots.sqlite',
      'snapshots.sqlite-wal',
      'snapshots.sqlite-shm',
    ];
    for (const name of left) writeFileSync(join(dir, name), '');
    expect(freshDataDir(dir).sort()).toEqual([...left].sort());
    expect(readdirSync(dir)).toEqual([]);
  });

  it("is emptied of the demo's statements folder, with the files the demo wrote in it", () => {
    mkdirSync(join(dir, 'demo-statements'));
    writeFileSync(join(dir, 'demo-statements', 'ZH-01-2023-01.csv'), '');
    writeFileSync(join(dir, 'demo-tokens.json'), '');
    expect(freshDataDir(dir).sort()).toEqual(['demo-statements', 'demo-tokens.json']);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('is refused, and left as it was, when it holds a folder the demo does not own', () => {
    mkdirSync(join(dir, 'backups'));
    expect(() => freshDataDir(dir)).toThrow(DemoSetupError);
    expect(readdirSync(dir)).toEqual(['backups']);
  });

  it('is refused, and left as it was, when it holds a file the demo does not own', () => {
    writeFileSync(join(dir, 'snapshots.sqlite'), '');
    writeFileSync(join(dir, 'ledger-backup.ndjson'), '');
    expect(() => freshDataDir(dir)).toThrow(DemoSetupError);
    expect(readdirSync(dir).sort()).toEqual(['ledger-backup.ndjson', 'snapshots.sqlite']);
  });

  describe('while a port the demo needs is taken (another demo serving this directory)', () => {
    let busy: Server;
    let port: number;
    beforeEach(async () => {
      busy = createServer();
      await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
      port = (busy.address() as { port: number }).port;
    });
    afterEach(() => new Promise<void>((resolve) => busy.close(() => resolve())));

    it('the demo is refused, naming the port, and the ledger there is left as it was', async () => {
      for (const name of ['events.sqlite', 'read-model.sqlite', 'demo-tokens.json'])
        writeFileSync(join(dir, name), 'x');
      const refused = prepareDemoDataDir(dir, [
        { host: '127.0.0.1', port },
        { host: '127.0.0.1', port: null },
      ]);
      await expect(refused).rejects.toThrow(DemoSetupError);
      await expect(refused).rejects.toThrow(`port ${port} on 127.0.0.1 is taken`);
      expect(readdirSync(dir).sort()).toEqual(['demo-tokens.json', 'events.sqlite', 'read-model.sqlite']);
    });

    it('with its ports free, the directory is emptied as before', async () => {
      writeFileSync(join(dir, 'events.sqlite'), 'x');
      await new Promise<void>((resolve) => busy.close(() => resolve()));
      busy = createServer(); // closed again by afterEach
      busy.listen(0, '127.0.0.1');
      const { removed, lock } = await prepareDemoDataDir(dir, [
        { host: '127.0.0.1', port },
        { host: '127.0.0.1', port: 0 },
      ]);
      expect(removed).toEqual(['events.sqlite']);
      expect(readdirSync(dir)).toEqual([DATA_DIR_LOCK_FILE]); // held by this demo until its app has it
      lock.release();
      expect(readdirSync(dir)).toEqual([]);
    });

    it('a directory another live process holds (a service, a demo on another port) is refused before anything is deleted', async () => {
      await new Promise<void>((resolve) => busy.close(() => resolve()));
      busy = createServer(); // closed again by afterEach
      busy.listen(0, '127.0.0.1');
      for (const name of ['events.sqlite', 'demo-tokens.json']) writeFileSync(join(dir, name), 'x');
      // The jest worker's parent: alive, and not this process.
      writeFileSync(join(dir, DATA_DIR_LOCK_FILE), `${process.ppid}\n`);
      const refused = prepareDemoDataDir(dir, [{ host: '127.0.0.1', port }]);
      await expect(refused).rejects.toThrow(LockHeldError);
      await expect(refused).rejects.toThrow(`data directory ${dir} is in use by process ${process.ppid}`);
      expect(readdirSync(dir).sort()).toEqual(['demo-tokens.json', 'events.sqlite', DATA_DIR_LOCK_FILE]);
    });

    it('a lock left by a dead process is taken over, and the directory emptied', async () => {
      await new Promise<void>((resolve) => busy.close(() => resolve()));
      busy = createServer(); // closed again by afterEach
      busy.listen(0, '127.0.0.1');
      writeFileSync(join(dir, 'events.sqlite'), 'x');
      writeFileSync(join(dir, DATA_DIR_LOCK_FILE), `${deadPid()}\n`);
      const { removed, lock } = await prepareDemoDataDir(dir, [{ host: '127.0.0.1', port }]);
      expect(removed).toEqual(['events.sqlite']);
      expect(readFileSync(join(dir, DATA_DIR_LOCK_FILE), 'utf8').split('\n')[0]).toBe(`${process.pid}`);
      lock.release();
    });
  });
});
