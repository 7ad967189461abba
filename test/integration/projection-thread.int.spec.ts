/**
 * The read models of the embedded store on a thread of their own (ProjectionThread): the main
 * thread writes and reads, the thread applies pages. Reads wait for their own writes, a read is
 * one snapshot with the position it reflects, a rebuild runs on the thread, and a thread that dies
 * is started again and resumes from its checkpoints without counting anything twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newEvent as event, until } from '../support/new-events';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { ProjectionThread } from '../../src/projection-runner/projection-thread';
import { PROJECTIONS } from '../../src/projection-runner/read-models';
import { fundingMixProjection } from '../../projections/funding-mix/funding-mix.projection';
import { fundingMixFromEvents, readFundingMix } from '../../projections/funding-mix/funding-mix.query';

const registered = (projectId: string) =>
  event('project-registered.v1', { projectId, name: 'n', community: 'c', town: '梓潼街道', builtYear: 1990, buildingArea: 10, households: 1 });
const receipt = (projectId: string, n: number) =>
  event('funds-received.v1', { projectId, receiptId: `R${n}`, source: 'district_matching', amount: '1.00', details: {} });

describe('read models on their own thread', () => {
  let dir: string;
  let store: SqliteEventStore;
  let thread: ProjectionThread;
  const file = () => join(dir, 'read-model.sqlite');

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'projection-thread-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
    await store.append('project-P1', [registered('P1')], 'no_stream');
    thread = new ProjectionThread(store, PROJECTIONS, file(), () => undefined);
  });
  afterEach(async () => {
    await thread.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function receive(projectId: string, from: number, count: number): Promise<void> {
    for (let n = from; n < from + count; n++) {
      const revision = (await store.readStream(`project-${projectId}`)).length - 1;
      await store.append(`project-${projectId}`, [receipt(projectId, n)], BigInt(revision));
    }
  }
  const mixFromLog = async (projectId: string) => fundingMixFromEvents(projectId, await store.readStream(`project-${projectId}`));

  it('applies what the main thread writes; a reader waiting for its write gets it', async () => {
    thread.start();
    await receive('P1', 0, 5);
    const head = await store.headPosition();
    expect(await thread.waitFor(head, 10_000)).toBe(true);
    const { result, position } = thread.read((db) => readFundingMix(db, 'P1'));
    expect(position).toBe(head);
    expect(result).toEqual(await mixFromLog('P1'));
    expect(thread.checkpoints().map((c) => c.position)).toEqual(PROJECTIONS.map(() => head.toString()));
    expect(thread.error()).toBeNull();
  });

  it('a read is one snapshot: its rows are exactly the log up to the position it reports, while pages land', async () => {
    thread.start();
    const hurry = thread.waitFor(1_000_000n, 3_000); // a reader far ahead: the runner never pauses between pages
    const writing = receive('P1', 0, 150);
    const checked: bigint[] = [];
    while (checked.length < 100) {
      const { result, position } = thread.read((db) => {
        const until = Date.now() + 3;
        while (Date.now() < until); // a slow reader: pages land on the thread meanwhile
        const rows = db.prepare('SELECT sum(received_fen) AS fen FROM funding_mix WHERE project_id = ?').get('P1') as { fen: bigint | null };
        return rows.fen ?? 0n;
      });
      // Position 1 is the registration; every later event is a receipt of 1.00 (100 fen).
      expect(result).toBe(position > 1n ? (position - 1n) * 100n : 0n);
      checked.push(position);
      await new Promise((r) => setImmediate(r));
    }
    await writing;
    expect(await thread.waitFor(await store.headPosition(), 10_000)).toBe(true);
    expect(new Set(checked).size).toBeGreaterThan(1); // the reads did see pages landing
    expect(await hurry).toBe(false);
  });

  it('rebuilds a projection on the thread', async () => {
    thread.start();
    await receive('P1', 0, 3);
    const head = await store.headPosition();
    expect(await thread.waitFor(head, 10_000)).toBe(true);
    thread.db.prepare('UPDATE funding_mix SET received_fen = 999').run(); // drift
    await thread.rebuild(fundingMixProjection.name);
    expect(await thread.waitFor(head, 10_000)).toBe(true);
    expect(thread.read((db) => readFundingMix(db, 'P1')).result).toEqual(await mixFromLog('P1'));
  });

  it('a thread that dies is reported, started again, and resumes from its checkpoints', async () => {
    const lines: string[] = [];
    await thread.close();
    thread = new ProjectionThread(store, PROJECTIONS, file(), (l) => lines.push(l));
    thread.start();
    await receive('P1', 0, 4);
    expect(await thread.waitFor(await store.headPosition(), 10_000)).toBe(true);
    await thread.killThreadForTests();
    await receive('P1', 4, 4);
    const head = await store.headPosition();
    expect(await thread.waitFor(head, 1)).toBe(false); // nobody applies pages now
    expect(thread.error()?.message).toMatch(/projection thread stopped/);
    expect(lines.some((l) => /starting it again in 1000 ms/.test(l))).toBe(true);
    expect(await thread.waitFor(head, 15_000)).toBe(true);
    expect(thread.read((db) => readFundingMix(db, 'P1')).result).toEqual(await mixFromLog('P1')); // nothing twice, nothing skipped
    expect(thread.error()).toBeNull();
    // Killed again with nothing new to apply: once started again it is no longer reported as stopped.
    await thread.killThreadForTests();
    await until(() => thread.error() !== null);
    await until(() => thread.error() === null, 10_000);
  });

  it('closing tells a waiting reader the position was not reached', async () => {
    const waiting = thread.waitFor(1_000n, 60_000); // never started: nothing is applied
    await thread.close();
    expect(await waiting).toBe(false);
  });

  it('takes only the service projections, which the thread loads by name', () => {
    const other = { ...fundingMixProjection, name: 'not-registered' };
    expect(() => new ProjectionThread(store, [other], join(dir, 'other.sqlite'))).toThrow(/one of PROJECTIONS/);
  });
});
