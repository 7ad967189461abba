/**
 * Time travel off the main thread (issue 14, defect 4): a replay in the worker gives what a replay
 * in this thread gives, and a replay the worker kept and caught up with events appended since
 * gives what a fresh replay gives, for several bounds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  REPLAY_MIN_INTERVAL_MS,
  REPLAY_WORKERS,
  replayAtBounds,
  stopReplayWorkers,
} from '../../src/audit/bounded-reads';
import { CheckedBounds, replayInto } from '../../src/audit/time-bounds';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { PROJECTIONS } from '../../src/projection-runner/read-models';
import { readSourceLedgerData } from '../../src/reports/source-reports';
import { readProjectList } from '../../projections/project-list/project-list.projection';
import { demoDistrict, loadDemo } from '../support/demo-store';

const read = (db: import('better-sqlite3').Database) => ({
  projects: readProjectList(db, {}),
  sources: readSourceLedgerData(db, null),
});

/**
 * Maps as entry lists: a Map the worker sent is the host's, not this test realm's, which jest's
 * equality cannot read (the service itself only calls the Map's own methods).
 */
function plain(value: unknown): unknown {
  if (Object.prototype.toString.call(value) === '[object Map]')
    return Array.from(value as Iterable<[unknown, unknown]>, ([k, v]) => [k, plain(v)]);
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

describe('time-travel replays in a worker', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bounded-reads-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
  });
  afterAll(async () => {
    await stopReplayWorkers();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const boundsList: CheckedBounds[] = [
    { asOf: '2021-12-31', knownAt: null },
    { asOf: '2022-06-30', knownAt: null },
    { asOf: null, knownAt: '2100-01-01T00:00:00.000Z' },
  ];

  async function inThisThread(bounds: CheckedBounds) {
    const { db, bounds: used } = await replayInto(store, bounds, PROJECTIONS);
    try {
      const { projects, sources } = read(db);
      return { result: { projects, sources: plain(sources) }, bounds: used };
    } finally {
      db.close();
    }
  }

  async function inWorker(bounds: CheckedBounds) {
    const projects = await replayAtBounds(store, bounds, PROJECTIONS, 'projectList', {});
    const sources = await replayAtBounds(store, bounds, PROJECTIONS, 'sourceLedger', null);
    expect(sources.bounds).toEqual(projects.bounds);
    return { result: { projects: projects.result, sources: plain(sources.result) }, bounds: projects.bounds };
  }

  it('answers as a replay in this thread does, before and after more events are appended', async () => {
    const half = Math.floor(demoDistrict.requests.length / 2);
    await loadDemo(store, demoDistrict.requests.slice(0, half));
    for (const bounds of boundsList) {
      const viaWorker = await inWorker(bounds);
      expect(viaWorker).toEqual(await inThisThread(bounds));
    }
    // The worker keeps these replays; the rest of the district lands, then the same bounds again.
    await loadDemo(store, demoDistrict.requests.slice(half));
    for (const bounds of boundsList) {
      const caughtUp = await inWorker(bounds);
      const fresh = await inThisThread(bounds);
      expect(caughtUp).toEqual(fresh);
      expect(fresh.result.projects.length).toBeGreaterThan(0);
    }
  });

  it("starts a worker's tasks at least REPLAY_MIN_INTERVAL_MS apart, however quick each was (bench g)", async () => {
    // The replays at these bounds are kept and nothing was appended since: each task is a
    // millisecond or two. 2W + 1 of them on W workers: one worker takes at least three in turn.
    const bounds = boundsList[0];
    await replayAtBounds(store, bounds, PROJECTIONS, 'projectList', {});
    const began = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 2 * REPLAY_WORKERS + 1 }, () =>
        replayAtBounds(store, bounds, PROJECTIONS, 'projectList', {}),
      ),
    );
    const took = performance.now() - began;
    expect(new Set(answers.map((a) => JSON.stringify(a.result))).size).toBe(1);
    // Two waits of the least interval (less 2 ms: the timers' clock is read once per loop turn).
    expect(took).toBeGreaterThanOrEqual(2 * (REPLAY_MIN_INTERVAL_MS - 2));
  });

  it('stopped (the service closing), ends its workers: at once if not at a task, else once the read is answered', async () => {
    // The threads of the workers a task was sent to (a spy that still sends) not ended yet.
    const sent = jest.spyOn(Worker.prototype, 'postMessage');
    const alive = () => [...new Set(sent.mock.contexts as Worker[])].map((w) => w.threadId).filter((id) => id !== -1);
    try {
      const [resting, atTask] = [boundsList[0], boundsList[1]];
      await replayAtBounds(store, resting, PROJECTIONS, 'projectList', {});
      expect(alive()).toHaveLength(1);
      await stopReplayWorkers();
      expect(alive()).toHaveLength(0);
      // A read after the stop starts a worker again; stopped meanwhile, that read still gets its answer.
      const reading = replayAtBounds(store, atTask, PROJECTIONS, 'projectList', {});
      const stopped = stopReplayWorkers();
      expect((await reading).result).toEqual((await inThisThread(atTask)).result.projects);
      await stopped;
      expect(alive()).toHaveLength(0);
      expect(new Set(sent.mock.contexts).size).toBe(2);
    } finally {
      sent.mockRestore();
    }
  });
});
