/**
 * Rebuild and drift: a projection replayed from position 0 into a shadow copy is compared with
 * the live read model. An untouched store is "identical"; a changed, missing or extra row is
 * reported with its table, key, live and rebuilt values; rebuilding the live model mends it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from '../../src/cli/args';
import { rebuildCommand } from '../../src/cli/rebuild.command';
import { loadConfig } from '../../src/config/config';
import { demoDistrict, loadDemo } from '../support/demo-store';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { driftReport } from '../../src/audit/drift';
import { ProjectionRunner } from '../../src/projection-runner/projection-runner';
import { PROJECTIONS, readModelFile } from '../../src/projection-runner/read-models';
import { redFlagsReadModel } from '../../src/red-flags/stored-time-flags';
import { fundingMixProjection } from '../../projections/funding-mix/funding-mix.projection';
import { projectListProjection } from '../../projections/project-list/project-list.projection';

const district = demoDistrict;
/** The first five projects with money (the earlier batch, loaded first, has none in the ledger). */
const firstProjects = new Set(
  district.projects
    .filter((p) => p.stage === 'funded')
    .slice(0, 5)
    .map((p) => p.projectId),
);

describe('rebuild and drift', () => {
  let dataDir: string;
  let store: SqliteEventStore;
  let runner: ProjectionRunner;
  const config = () => loadConfig({ DATA_DIR: dataDir });
  const rebuild = (argv: string[], out: string[] = []) =>
    rebuildCommand(parseArgs(['rebuild', ...argv], { values: ['projection'], switches: ['diff'] }), config(), (l) =>
      out.push(l),
    );

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'drift-'));
    store = new SqliteEventStore(join(dataDir, 'events.sqlite'));
    await loadDemo(
      store,
      district.requests.filter((q) => firstProjects.has(q.projectId)),
    );
    runner = new ProjectionRunner(store, PROJECTIONS, readModelFile(config()));
    runner.start();
    expect(await runner.waitFor(await store.headPosition(), 10_000)).toBe(true);
  });
  afterAll(async () => {
    await runner.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('an untouched read model is identical to a replay from zero', async () => {
    for (const p of PROJECTIONS) {
      const report = await driftReport(store, runner.db, p);
      expect(report).toMatchObject({
        projection: p.name,
        identical: true,
        differenceCount: 0,
        position: (await store.headPosition()).toString(),
      });
      expect(report.rowsCompared).toBeGreaterThan(0);
    }
    const out: string[] = [];
    expect(await rebuild(['--diff'], out)).toBe(0);
    expect(out.every((l) => l.includes(': identical'))).toBe(true);
  });

  it('names a changed, a missing and an extra row, and rebuild mends them', async () => {
    const [victim] = runner.db
      .prepare('SELECT project_id, source FROM funding_mix ORDER BY project_id, source LIMIT 1')
      .all() as { project_id: string; source: string }[];
    runner.db
      .prepare('UPDATE funding_mix SET received_fen = received_fen + 1 WHERE project_id = ? AND source = ?')
      .run(victim.project_id, victim.source);
    runner.db.prepare('DELETE FROM project_list WHERE project_id = (SELECT max(project_id) FROM project_list)').run();
    runner.db
      .prepare(
        "INSERT INTO funding_mix (project_id, source, pledged_fen, received_fen, disbursed_fen, last_position) VALUES ('GHOST', 'district_matching', 0, 100, 0, '0')",
      )
      .run();

    const mix = await driftReport(store, runner.db, fundingMixProjection);
    expect(mix.identical).toBe(false);
    expect(mix.differenceCount).toBe(2);
    const changed = mix.differences.find((d) => d.key.project_id === victim.project_id)!;
    expect(BigInt(changed.live!.received_fen as string) - BigInt(changed.rebuilt!.received_fen as string)).toBe(1n);
    expect(mix.differences.find((d) => d.key.project_id === 'GHOST')).toMatchObject({
      table: 'funding_mix',
      rebuilt: null,
    });
    const list = await driftReport(store, runner.db, projectListProjection);
    expect(list.differences).toEqual([expect.objectContaining({ table: 'project_list', live: null })]);

    const out: string[] = [];
    expect(await rebuild(['--diff', '--projection', 'funding-mix'], out)).toBe(1);
    expect(out[0]).toMatch(/^funding-mix v\d+: 2 difference\(s\)/);

    expect(await rebuild([])).toBe(0);
    expect(await rebuild(['--diff'])).toBe(0);
  });

  it('--diff only reads the live read model: scopes still due stay due, their time flags left out on both sides', async () => {
    await runner.stop(); // its settling would take the scopes due
    expect(runner.settle(Infinity)).toBe(false); // what the rebuild above left due, as a reader would
    runner.db.exec('INSERT OR IGNORE INTO red_flag_time_scopes_due (scope) SELECT scope FROM red_flag_time_flags');
    // Stale as a scope due may be: settling it live would write it again; the comparison leaves it out.
    const [stale] = runner.db.prepare('SELECT scope FROM red_flag_time_flags LIMIT 1').pluck().all() as string[];
    expect(stale).toBeDefined();
    runner.db.prepare('DELETE FROM red_flag_time_flags WHERE scope = ?').run(stale);
    const due = runner.db.prepare('SELECT count(*) FROM red_flag_time_scopes_due').pluck().get();
    const before = everyRow(readModelFile(config()));

    const report = await driftReport(store, runner.db, redFlagsReadModel);
    expect(report).toMatchObject({ identical: true, differenceCount: 0 });
    expect(report.rowsLeftOut).toBeGreaterThan(0);
    const out: string[] = [];
    expect(await rebuild(['--diff', '--projection', 'red-flags'], out)).toBe(0);
    expect(out).toEqual([
      expect.stringMatching(/^red-flags v\d+: identical \(\d+ rows, \d+ due left out, at position/),
    ]);

    expect(everyRow(readModelFile(config()))).toEqual(before);
    expect(runner.db.prepare('SELECT count(*) FROM red_flag_time_scopes_due').pluck().get()).toBe(due);
    runner.start();
  });

  it('refuses an unknown projection', async () => {
    await expect(rebuild(['--projection', 'nope'])).rejects.toThrow(/no projection named nope/);
  });
});

/** Every row of every table in the file (as JSON, in order), read on a connection of its own. */
function everyRow(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all() as string[];
    return Object.fromEntries(
      tables.map((t) => [
        t,
        db
          .prepare(`SELECT * FROM "${t}"`)
          .raw()
          .all()
          .map((r) => JSON.stringify(r))
          .sort(),
      ]),
    );
  } finally {
    db.close();
  }
}
