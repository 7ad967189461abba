/**
 * Time travel off the main thread (issue 14, defect 4): a replay in the worker gives what a replay
 * in this thread gives, and a replay the worker kept and caught up with events appended since
 * gives what a fresh replay gives, for several bounds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replayAtBounds } from '../../src/audit/bounded-reads';
import { CheckedBounds, replayInto } from '../../src/audit/time-bounds';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { PROJECTIONS } from '../../src/projection-runner/read-models';
import { readFundingMix } from '../../projections/funding-mix/funding-mix.query';
import { readProjectList } from '../../projections/project-list/project-list.projection';
import { demoDistrict, loadDemo } from '../support/demo-store';

const read = (db: import('better-sqlite3').Database) =>
  readProjectList(db, {}).map((p) => ({ ...p, mix: readFundingMix(db, p.projectId) }));

describe('time-travel replays in a worker', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bounded-reads-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
  });
  afterAll(async () => {
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
      return { result: read(db), bounds: used };
    } finally {
      db.close();
    }
  }

  it('answers as a replay in this thread does, before and after more events are appended', async () => {
    const half = Math.floor(demoDistrict.requests.length / 2);
    await loadDemo(store, demoDistrict.requests.slice(0, half));
    for (const bounds of boundsList) {
      const viaWorker = await replayAtBounds(store, bounds, PROJECTIONS, read);
      expect(viaWorker).toEqual(await inThisThread(bounds));
    }
    // The worker keeps these replays; the rest of the district lands, then the same bounds again.
    await loadDemo(store, demoDistrict.requests.slice(half));
    for (const bounds of boundsList) {
      const caughtUp = await replayAtBounds(store, bounds, PROJECTIONS, read);
      const fresh = await inThisThread(bounds);
      expect(caughtUp).toEqual(fresh);
      expect(fresh.result.length).toBeGreaterThan(0);
    }
  });
});
