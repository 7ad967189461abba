/**
 * Rule: `npm run demo` starts from an empty ledger in DATA_DIR, deleting only the files the
 * service and the demo make there (a second demo on the same directory must start), and refuses
 * a directory holding anything else.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoSetupError, freshDataDir } from '../../src/demo/demo-setup';

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

  it('is refused, and left as it was, when it holds a file the demo does not own', () => {
    writeFileSync(join(dir, 'snapshots.sqlite'), '');
    writeFileSync(join(dir, 'ledger-backup.ndjson'), '');
    expect(() => freshDataDir(dir)).toThrow(DemoSetupError);
    expect(readdirSync(dir).sort()).toEqual(['ledger-backup.ndjson', 'snapshots.sqlite']);
  });
});
