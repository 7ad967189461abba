/**
 * Gathering projections (ProjectionDefinition.gather): while the runner catches up, the funding
 * mix folds pages in memory and writes each row once, with its checkpoint. Nothing folded is shown
 * before it is written, nothing is lost when a write fails, and a reader waiting for a folded
 * position, a stop, or a log that simply ends all get it written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NewEvent, RecordedEvent } from '../../src/event-store/event-store.port';
import { newEvent as event, until } from '../support/new-events';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { ProjectionDefinition } from '../../src/projection-runner/projection';
import { ProjectionRunner } from '../../src/projection-runner/projection-runner';
import { fundingMixProjection } from '../../projections/funding-mix/funding-mix.projection';
import { fundingMixFromEvents, readFundingMix } from '../../projections/funding-mix/funding-mix.query';
import { projectListProjection } from '../../projections/project-list/project-list.projection';

const PROJECTS = ['P1', 'P2', 'P3'];
const SOURCES = ['district_matching', 'resident_direct', 'pipeline_unit'];


/** Per project: registered, then `perProject - 1` receipts, pledges, payments and reversals over three sources. */
function projectEvents(projectId: string, perProject: number): NewEvent[] {
  const out = [event('project-registered.v1', { projectId, name: 'n', community: 'c', town: '梓潼街道', builtYear: 1990, buildingArea: 10, households: 1 })];
  for (let n = 1; n < perProject; n++) {
    const source = SOURCES[n % SOURCES.length];
    const amount = `${(n % 97) + 1}.${String(n % 100).padStart(2, '0')}`;
    if (n % 10 === 0) out.push(event('entry-reversed.v1', { projectId, reversalId: `X${n}`, entryId: `R${n - 1}`, entryKind: 'receipt', source, amount: '0.50', full: false }));
    else if (n % 7 === 0) out.push(event('funding-pledged.v1', { projectId, pledgeId: `P${n}`, source, amount, details: {} }));
    else if (n % 5 === 0) out.push(event('funds-disbursed.v1', { projectId, paymentId: `D${n}`, source, lineId: 'B1', amount: '0.25' }));
    else out.push(event('funds-received.v1', { projectId, receiptId: `R${n}`, source, amount, details: {} }));
  }
  return out;
}


describe('gathering projections while the runner catches up', () => {
  let dir: string;
  let store: SqliteEventStore;
  let all: RecordedEvent[];

  /** `perProject` events for each project, interleaved in pages as many clerks would write them. */
  async function fill(perProject: number): Promise<void> {
    const byProject = PROJECTS.map((p) => projectEvents(p, perProject));
    for (let from = 0; from < perProject; from += 50) {
      for (const [i, p] of PROJECTS.entries()) {
        const batch = byProject[i].slice(from, from + 50);
        await store.append(`project-${p}`, batch, from === 0 ? 'no_stream' : BigInt(from - 1));
      }
    }
    all = await store.readAll({ after: 0n, limit: 10_000 });
  }
  const expected = (p: string) => fundingMixFromEvents(p, all.filter((e) => e.data.projectId === p));
  const stored = (runner: ProjectionRunner) => PROJECTS.map((p) => readFundingMix(runner.db, p));
  const checkpoint = (runner: ProjectionRunner, name: string) => runner.checkpoints().find((c) => c.name === name)!.position;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gathering-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('folded pages show nothing until written; then each row equals applying event by event', async () => {
    await fill(400); // 1,200 events
    const runner = new ProjectionRunner(store, [fundingMixProjection, projectListProjection], join(dir, 'rm.sqlite'));
    runner.applyPage(all.slice(0, 500), false);
    runner.applyPage(all.slice(500, 1000), false);
    // The funding mix folded 1,000 events and wrote none; the project list (no gather) is at 1,000.
    expect(runner.db.prepare('SELECT count(*) AS n FROM funding_mix').get()).toEqual({ n: 0n });
    expect(checkpoint(runner, 'funding-mix')).toBe('0');
    expect(checkpoint(runner, 'project-list')).toBe('1000');
    expect(runner.position()).toBe(0n);
    runner.applyPage(all.slice(1000), true);
    expect(checkpoint(runner, 'funding-mix')).toBe('1200');
    expect(stored(runner)).toEqual(PROJECTS.map(expected));

    const byEvent = new ProjectionRunner(store, [fundingMixProjection], join(dir, 'by-event.sqlite'));
    for (const e of all) byEvent.applyPage([e]);
    const rows = (r: ProjectionRunner) => r.db.prepare('SELECT * FROM funding_mix ORDER BY project_id, source').all();
    expect(rows(runner)).toEqual(rows(byEvent));
    await runner.close();
    await byEvent.close();
  });

  it('a log that ends on a full page is written without waiting for more events', async () => {
    await fill(1000); // 3,000 events: three full pages, then nothing
    expect(all.length % 1000).toBe(0);
    const runner = new ProjectionRunner(store, [fundingMixProjection], join(dir, 'rm.sqlite'));
    runner.start();
    await until(() => runner.position() === 3000n, 10_000); // nobody waits: no reader hurries it
    expect(stored(runner)).toEqual(PROJECTS.map(expected));
    await runner.close();
  });

  it('a reader waiting for a folded position gets it written at once', async () => {
    await fill(400);
    const runner = new ProjectionRunner(store, [fundingMixProjection], join(dir, 'rm.sqlite'));
    runner.applyPage(all.slice(0, 600), false);
    expect(runner.position()).toBe(0n);
    expect(await runner.waitFor(600n, 2_000)).toBe(true);
    expect(runner.position()).toBe(600n);
    await runner.close();
  });

  it('stopping writes what was folded: a new runner resumes after it', async () => {
    await fill(400);
    const file = join(dir, 'rm.sqlite');
    const first = new ProjectionRunner(store, [fundingMixProjection], file);
    first.applyPage(all.slice(0, 700), false);
    await first.close();
    const second = new ProjectionRunner(store, [fundingMixProjection], file);
    expect(second.position()).toBe(700n);
    second.applyPage(all); // delivered again from the start: what is older than the checkpoint is skipped
    expect(stored(second)).toEqual(PROJECTS.map(expected));
    await second.close();
  });

  it('a write that fails loses nothing folded before it: the runner reads again from its checkpoint', async () => {
    await fill(1000);
    let failures = 0;
    const gather = fundingMixProjection.gather!;
    const failingOnce: ProjectionDefinition = {
      ...fundingMixProjection,
      gather: {
        start: () => gather.start(),
        fold: (state, e) => gather.fold(state, e),
        write: (db, state) => {
          if (failures === 0) {
            failures += 1;
            throw new Error('disk full (injected)');
          }
          gather.write(db, state);
        },
      },
    };
    const logged: string[] = [];
    const runner = new ProjectionRunner(store, [failingOnce], join(dir, 'rm.sqlite'), (m) => logged.push(m));
    runner.start();
    await until(() => runner.position() === 3000n && runner.error() === null, 10_000);
    expect(failures).toBe(1);
    expect(logged.join('\n')).toMatch(/disk full \(injected\)/);
    // Every page folded before the failed write was read again, once.
    expect(stored(runner)).toEqual(PROJECTS.map(expected));
    await runner.close();
  });
});
