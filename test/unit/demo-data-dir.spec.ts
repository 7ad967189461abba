/**
 * Rule: `npm run demo` starts from an empty ledger in DATA_DIR, deleting only the files the
 * service and the demo make there (a second demo on the same directory must start), and refuses
 * a directory holding anything else. It checks its ports first: a second demo on the directory
 * another demo is serving fails on the busy port with that demo's ledger intact.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoSetupError, freshDataDir, prepareDemoDataDir } from '../../src/demo/demo-setup';

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
      expect(
        await prepareDemoDataDir(dir, [
          { host: '127.0.0.1', port },
          { host: '127.0.0.1', port: 0 },
        ]),
      ).toEqual(['events.sqlite']);
      expect(readdirSync(dir)).toEqual([]);
    });
  });
});
