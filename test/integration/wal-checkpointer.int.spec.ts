import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWorker } from '../../src/shared/worker/ts-worker';
import { SQLITE_AUTOCHECKPOINT_PAGES, offMainThread } from '../../src/shared/sqlite/wal-checkpointer';

// The real worker, unless a test says it cannot start.
jest.mock('../../src/shared/worker/ts-worker', () => {
  const actual = jest.requireActual('../../src/shared/worker/ts-worker');
  return { ...actual, startWorker: jest.fn(actual.startWorker) };
});

describe('the WAL checkpoints off the main thread (offMainThread)', () => {
  let dir: string;
  let db: Database.Database;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-wal-'));
    db = new Database(join(dir, 'x.sqlite'));
    db.pragma('journal_mode = WAL');
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const autocheckpoint = () => Number(db.pragma('wal_autocheckpoint', { simple: true }));

  it('leaves the commits checkpointing while its worker runs, and gives them back when stopped', async () => {
    const failed = jest.fn();
    const checkpointer = offMainThread(db, join(dir, 'x.sqlite'), failed);
    expect(checkpointer).not.toBeNull();
    expect(autocheckpoint()).toBe(0);
    await checkpointer!.stop();
    expect(autocheckpoint()).toBe(SQLITE_AUTOCHECKPOINT_PAGES);
    expect(failed).not.toHaveBeenCalled();
  });

  it('a worker that cannot start is told as failed, and the commits checkpoint again (the WAL never grows unchecked)', () => {
    jest.mocked(startWorker).mockImplementationOnce(() => {
      throw new Error('ERR_WORKER_INIT_FAILED: no thread');
    });
    const failed = jest.fn();
    expect(offMainThread(db, join(dir, 'x.sqlite'), failed)).toBeNull();
    expect(failed).toHaveBeenCalledWith(expect.objectContaining({ message: 'ERR_WORKER_INIT_FAILED: no thread' }));
    expect(autocheckpoint()).toBe(SQLITE_AUTOCHECKPOINT_PAGES);
  });
});
