/**
 * The projection runner feeds the read models from the store while the service writes: a reader
 * waiting for its own write gets it, a read is one snapshot with the position it reflects, a
 * rebuild runs while it feeds, a failed page is reported (health) until a page succeeds, and work a
 * projection marks due (the red flags' time flags) is not done in the write's page but settled later.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newEvent as event } from '../support/new-events';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { ProjectionRunner, resetsOf } from '../../src/projection-runner/projection-runner';
import { runCli } from '../crash/support/ledger-process';
import { PROJECTIONS } from '../../src/projection-runner/read-models';
import { ledgerEvents } from '../../src/events/ledger-events';
import { parseRecord } from '../../src/shared/events/parsed-record';
import { OffThreadSettler, SettlingWorkerFailed } from '../../src/shared/projection/projection-definition';
import { fundingMixProjection } from '../../projections/funding-mix/funding-mix.projection';
import { fundingMixFromEvents, readFundingMix } from '../../projections/funding-mix/funding-mix.query';
import { readRedFlagData } from '../../projections/red-flags/red-flags.query';
import {
  readStoredTimeFlags,
  redFlagsReadModel,
  settleTimeFlags,
  writeComputed,
} from '../../src/red-flags/stored-time-flags';
import { storedTimeFlags } from '../../src/red-flags/time-flags';

const registered = (projectId: string) =>
  event('project-registered.v1', {
    projectId,
    name: 'n',
    community: 'c',
    town: '梓潼街道',
    builtYear: 1990,
    buildingArea: 10,
    households: 1,
  });
const receipt = (projectId: string, n: number) =>
  event('funds-received.v1', {
    projectId,
    receiptId: `R${n}`,
    source: 'district_matching',
    amount: '1.00',
    payer: 'p',
    reference: `T-${n}`,
    receivedOn: '2022-01-01',
    fiscalYear: 2022,
    details: {},
  });

describe('the projection runner, fed while the service writes', () => {
  let dir: string;
  let store: SqliteEventStore;
  let runner: ProjectionRunner;
  const file = () => join(dir, 'read-model.sqlite');

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'projection-runner-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
    await store.append('project-P1', [registered('P1')], 'no_stream');
    runner = new ProjectionRunner(store, PROJECTIONS, file(), () => undefined);
  });
  afterEach(async () => {
    await runner.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function receive(projectId: string, from: number, count: number): Promise<void> {
    for (let n = from; n < from + count; n++) {
      const revision = (await store.readStream(`project-${projectId}`)).length - 1;
      await store.append(`project-${projectId}`, [receipt(projectId, n)], BigInt(revision));
    }
  }
  const mixFromLog = async (projectId: string) =>
    fundingMixFromEvents(
      projectId,
      (await store.readStream(`project-${projectId}`)).map((e) => parseRecord(ledgerEvents, e)),
    );

  it('applies what is written; a reader waiting for its write gets it', async () => {
    runner.start();
    await receive('P1', 0, 5);
    const head = await store.headPosition();
    expect(await runner.waitFor(head, 10_000)).toBe(true);
    const { result, position } = runner.read((db) => readFundingMix(db, 'P1'));
    expect(position).toBe(head);
    expect(result).toEqual(await mixFromLog('P1'));
    expect(runner.checkpoints().map((c) => c.position)).toEqual(PROJECTIONS.map(() => head.toString()));
    expect(runner.mode).toBe('live');
    expect(runner.error()).toBeNull();
  });

  it('a read is one snapshot: its rows are exactly the log up to the position it reports, while pages land', async () => {
    runner.start();
    const hurry = runner.waitFor(1_000_000n, 3_000); // a reader far ahead: the runner never pauses between pages
    const writing = receive('P1', 0, 150);
    const checked: bigint[] = [];
    while (checked.length < 100) {
      const { result, position } = runner.read((db) => {
        const rows = db.prepare('SELECT sum(received_fen) AS fen FROM funding_mix WHERE project_id = ?').get('P1') as {
          fen: bigint | null;
        };
        return rows.fen ?? 0n;
      });
      // Position 1 is the registration; every later event is a receipt of 1.00 (100 fen).
      expect(result).toBe(position > 1n ? (position - 1n) * 100n : 0n);
      checked.push(position);
      await new Promise((r) => setImmediate(r));
    }
    await writing;
    expect(await runner.waitFor(await store.headPosition(), 10_000)).toBe(true);
    expect(new Set(checked).size).toBeGreaterThan(1); // the reads did see pages landing
    expect(await hurry).toBe(false);
  });

  it('rebuilds a projection while it runs', async () => {
    runner.start();
    await receive('P1', 0, 3);
    const head = await store.headPosition();
    expect(await runner.waitFor(head, 10_000)).toBe(true);
    runner.db.prepare('UPDATE funding_mix SET received_fen = 999').run(); // drift
    await runner.rebuild(fundingMixProjection.name);
    expect(await runner.waitFor(head, 10_000)).toBe(true);
    expect(runner.read((db) => readFundingMix(db, 'P1')).result).toEqual(await mixFromLog('P1'));
    await receive('P1', 3, 2); // still running
    expect(await runner.waitFor(await store.headPosition(), 10_000)).toBe(true);
    expect(runner.read((db) => readFundingMix(db, 'P1')).result).toEqual(await mixFromLog('P1'));
  });

  it('a failed page is reported until a page is applied again; the page is retried and nothing counted twice', async () => {
    await runner.close();
    let failures = 0;
    const gather = fundingMixProjection.gather!;
    const failingOnce: typeof fundingMixProjection = {
      ...fundingMixProjection,
      gather: { ...gather, write: (db, state) => (failures++ === 0 ? fail() : gather.write(db, state)) },
    };
    const reported: (string | undefined)[] = [];
    runner = new ProjectionRunner(store, [failingOnce, ...PROJECTIONS.slice(1)], file(), (line) =>
      reported.push(`${line} / error(): ${runner.error()?.message}`),
    );
    runner.start();
    await receive('P1', 0, 4);
    const head = await store.headPosition();
    expect(await runner.waitFor(head, 10_000)).toBe(true);
    expect(reported).toEqual([
      expect.stringMatching(/projection page failed, will retry: disk full.*error\(\): disk full/),
    ]);
    expect(runner.error()).toBeNull();
    expect(runner.read((db) => readFundingMix(db, 'P1')).result).toEqual(await mixFromLog('P1'));
  });

  it('a page leaves the time flags of the projects it touched due; they are settled a step at a time; a stop leaves them due, and a read settles them', async () => {
    await store.append('project-P2', [registered('P2')], 'no_stream');
    await receive('P1', 0, 2);
    await receive('P2', 10, 2);
    runner.applyPage(await store.readAll({ after: 0n, limit: 100 }));
    const due = () =>
      runner.read((db) => db.prepare('SELECT scope FROM red_flag_time_scopes_due ORDER BY scope').pluck().all()).result;
    expect(due()).toEqual(['project:P1', 'project:P2']);
    expect(readStoredTimeFlags(runner.db)).toEqual([]);
    expect(runner.settle(0)).toBe(true); // a step settles one scope at least, then stops when its budget is spent
    expect(due()).toHaveLength(1);
    await runner.stop();
    expect(due()).toHaveLength(1); // the stop settled nothing: the list is a table
    // A red-flag read (RedFlagQueries.today) settles what is due in its transaction: it sees every flag.
    const stored = runner.read((db) => {
      settleTimeFlags(db);
      return readStoredTimeFlags(db);
    }).result;
    expect(due()).toEqual([]);
    expect(stored.length).toBeGreaterThanOrEqual(2); // each project's receipts, unpaid, turn idle
    expect(stored).toEqual(storedTimeFlags(readRedFlagData(runner.db)));
  });

  it('settling steps take the scopes due in turn, past the last from the first again, a chunk at a time', async () => {
    const ids = Array.from({ length: 70 }, (_, i) => `Q${String(i).padStart(2, '0')}`);
    for (const id of ids) await store.append(`project-${id}`, [registered(id)], 'no_stream');
    runner.applyPage(await store.readAll({ after: 0n, limit: 1000 }));
    const due = () =>
      runner.read((db) => db.prepare('SELECT scope FROM red_flag_time_scopes_due ORDER BY scope').pluck().all()).result;
    expect(due()).toHaveLength(71);
    for (let i = 0; i < 40; i++) expect(runner.settle(0)).toBe(true); // one scope a step: P1, Q00 … Q38
    expect(due()[0]).toBe('project:Q39');
    // Marked again behind the last one taken: the next steps take those after it first (none starves).
    runner.db.prepare("INSERT INTO red_flag_time_scopes_due (scope) VALUES ('project:P1'), ('project:Q00')").run();
    for (let i = 0; i < 31; i++) expect(runner.settle(0)).toBe(true); // Q39 … Q69, across a chunk's end
    expect(due()).toEqual(['project:P1', 'project:Q00']);
    expect(runner.settle(0)).toBe(true);
    expect(due()).toEqual(['project:Q00']);
    expect(runner.settle(Infinity)).toBe(false);
    expect(due()).toEqual([]);
  });

  it('a log ending on a full page (catch-up until the next write) is settled too, with no write and no read', async () => {
    // One subscription page (1,000 events): the runner stays in catch-up, the page being full.
    await store.append(
      'project-P1',
      Array.from({ length: 999 }, (_, n) => receipt('P1', n)),
      0n,
    );
    runner.start();
    expect(await runner.waitFor(await store.headPosition(), 10_000)).toBe(true);
    expect(runner.mode).toBe('catch-up');
    const due = () => runner.db.prepare('SELECT count(*) FROM red_flag_time_scopes_due').pluck().get();
    // Waits for the condition, bounded: no page for a while counts as live, and the scope is settled.
    for (let i = 0; i < 200 && due() !== 0n; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(due()).toBe(0n);
    expect(readStoredTimeFlags(runner.db)).toEqual(storedTimeFlags(readRedFlagData(runner.db)));
  });

  it('on a file, the live runner has the time flags computed in a worker thread: the main thread only writes them', async () => {
    const onMainThread = jest.spyOn(redFlagsReadModel, 'settle');
    try {
      runner.start();
      await store.append('project-P2', [registered('P2')], 'no_stream');
      await receive('P1', 0, 3);
      await receive('P2', 10, 3);
      expect(await runner.waitFor(await store.headPosition(), 10_000)).toBe(true);
      const due = () => runner.db.prepare('SELECT count(*) FROM red_flag_time_scopes_due').pluck().get();
      // Waits for the condition, bounded: the background steps settle every scope.
      for (let i = 0; i < 200 && due() !== 0n; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(due()).toBe(0n);
      expect(onMainThread).not.toHaveBeenCalled();
      const stored = readStoredTimeFlags(runner.db);
      expect(stored.length).toBeGreaterThanOrEqual(2);
      expect(stored).toEqual(storedTimeFlags(readRedFlagData(runner.db)));
    } finally {
      onMainThread.mockRestore();
    }
  });

  it("a worker's step writes a scope only if no page marked it again since its snapshot, nor a reader settled it", async () => {
    await receive('P1', 0, 2);
    runner.applyPage(await store.readAll({ after: 0n, limit: 100 }));
    const seq = () =>
      runner.db.prepare("SELECT seq FROM red_flag_time_scopes_due WHERE scope = 'project:P1'").pluck().get() as
        bigint | undefined;
    const first = seq()!;
    const stale = { scope: 'project:P1' as const, seq: first, rows: [] };
    // Marked again (a page of P1) after the snapshot the rows were computed from: not written, still due.
    await receive('P1', 2, 1);
    runner.applyPage(await store.readAll({ after: 0n, limit: 100 }));
    expect(seq()).toBeGreaterThan(first);
    expect(writeComputed(runner.db, [stale])).toBe(true);
    expect(seq()).toBeGreaterThan(first);
    // Settled by a reader, then marked again: a new seq, never one used before.
    settleTimeFlags(runner.db);
    const settled = readStoredTimeFlags(runner.db);
    expect(settled.length).toBeGreaterThanOrEqual(1);
    expect(seq()).toBeUndefined();
    expect(writeComputed(runner.db, [stale])).toBe(false);
    expect(readStoredTimeFlags(runner.db)).toEqual(settled);
    runner.db.prepare("INSERT OR REPLACE INTO red_flag_time_scopes_due (scope) VALUES ('project:P1')").run();
    expect(seq()).toBeGreaterThan(first);
    expect(writeComputed(runner.db, [{ ...stale, seq: seq()! }])).toBe(false); // the same seq: written
    expect(readStoredTimeFlags(runner.db)).toEqual([]);
    // The worker's own step: one snapshot, every scope due, written.
    runner.db.prepare("INSERT OR REPLACE INTO red_flag_time_scopes_due (scope) VALUES ('project:P1')").run();
    const settler = redFlagsReadModel.settleOffThread!(file());
    try {
      expect(await settler.step(runner.db, Infinity)).toBe(false);
    } finally {
      await settler.stop();
    }
    expect(readStoredTimeFlags(runner.db)).toEqual(settled);
  });

  /**
   * Starts the runner again with the red-flag read model's settling worker replaced by `settleOffThread`,
   * writes two receipts of P1 and waits until nothing is due; what the runner logged.
   */
  async function settledWith(settleOffThread: (file: string) => OffThreadSettler): Promise<string[]> {
    const reported: string[] = [];
    await runner.close();
    const replaced = { ...redFlagsReadModel, settleOffThread };
    runner = new ProjectionRunner(
      store,
      PROJECTIONS.map((p) => (p.name === replaced.name ? replaced : p)),
      file(),
      (m) => reported.push(m),
    );
    runner.start();
    await receive('P1', 0, 2);
    expect(await runner.waitFor(await store.headPosition(), 10_000)).toBe(true);
    const due = () => runner.db.prepare('SELECT count(*) FROM red_flag_time_scopes_due').pluck().get();
    for (let i = 0; i < 200 && due() !== 0n; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(due()).toBe(0n);
    expect(readStoredTimeFlags(runner.db)).toEqual(storedTimeFlags(readRedFlagData(runner.db)));
    return reported;
  }

  it('a settling worker that fails is given up: the runner settles on the main thread again', async () => {
    const reported = await settledWith(() => ({
      step: () => Promise.reject(new SettlingWorkerFailed('worker gone')),
      stop: () => Promise.resolve(),
    }));
    expect(reported).toEqual([expect.stringMatching(/settling worker of red-flags failed.*worker gone/)]);
  });

  it('a settling worker that cannot start is given up at start: the runner still subscribes and settles on the main thread', async () => {
    const reported = await settledWith(() => {
      throw new Error('ERR_WORKER_INIT_FAILED: no thread');
    });
    expect(reported).toEqual([expect.stringMatching(/settling worker of red-flags could not start.*no thread/)]);
  });

  it('a write that fails in a settling step (a lock held too long) is tried again with the same worker, not given up', async () => {
    let failed = 0;
    const reported = await settledWith((f) => {
      const real = redFlagsReadModel.settleOffThread!(f);
      return {
        step: (db, budgetMs) =>
          failed < 2 ? Promise.reject(new Error(`database is locked (${++failed})`)) : real.step(db, budgetMs),
        stop: () => real.stop(),
      };
    });
    expect(reported).toEqual([
      expect.stringMatching(/settling the read models failed, will try again: database is locked \(1\)/),
      expect.stringMatching(/settling the read models failed, will try again: database is locked \(2\)/),
    ]);
  });

  it('while it runs, its commits leave checkpoints to a worker, which checkpoints them; stopped, they checkpoint again', async () => {
    const autocheckpoint = () => Number(runner.db.pragma('wal_autocheckpoint', { simple: true }));
    runner.start();
    expect(autocheckpoint()).toBe(0);
    // NOOP checkpoints nothing: `checkpointed` is the WAL's frames someone (the worker) already copied back.
    const checkpointed = () =>
      Number((runner.db.pragma('wal_checkpoint(NOOP)') as { checkpointed: number | bigint }[])[0].checkpointed);
    let commits = 0;
    // The worker checkpoints every 200 ms; unchecked, the WAL would only grow (commits take ~5 ms).
    while (checkpointed() === 0 && commits < 1000) {
      await receive('P1', commits++, 1);
      expect(await runner.waitFor(await store.headPosition(), 10_000)).toBe(true);
    }
    expect(checkpointed()).toBeGreaterThan(0);
    expect(runner.read((db) => readFundingMix(db, 'P1')).result).toEqual(await mixFromLog('P1'));
    await runner.stop();
    expect(autocheckpoint()).toBe(1000);
  });

  it('a rebuild by another process (the CLI) on the same file is seen by this one: the count of resets is in the file', async () => {
    runner.start();
    expect(await runner.waitFor(await store.headPosition(), 10_000)).toBe(true);
    const before = runner.read((db) => resetsOf(db, 'source-ledger')).result;
    const mixBefore = runner.read((db) => resetsOf(db, 'funding-mix')).result;
    const cli = await runCli(dir, ['rebuild', '--projection', 'source-ledger']);
    expect(cli).toMatchObject({ code: 0 });
    expect(runner.read((db) => resetsOf(db, 'source-ledger')).result).toBe(before + 1);
    expect(runner.read((db) => resetsOf(db, 'funding-mix')).result).toBe(mixBefore);
  });

  it('a read-model file from before the count of resets opens, the count starting at 0', async () => {
    await runner.close();
    const old = new Database(file());
    old.exec('DROP TABLE projection_checkpoints');
    old.exec(
      'CREATE TABLE projection_checkpoints (name TEXT PRIMARY KEY, version INTEGER NOT NULL, position TEXT NOT NULL)',
    );
    old.close();
    runner = new ProjectionRunner(store, PROJECTIONS, file(), () => undefined);
    // Every projection's checkpoint was gone: each was rebuilt once, and counted.
    expect(runner.read((db) => resetsOf(db, 'funding-mix')).result).toBe(1);
  });

  it('closing tells a waiting reader the position was not reached', async () => {
    const waiting = runner.waitFor(1_000n, 60_000); // never started: nothing is applied
    await runner.close();
    expect(await waiting).toBe(false);
  });
});

function fail(): never {
  throw new Error('disk full (injected)');
}
