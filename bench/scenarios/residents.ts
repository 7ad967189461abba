/**
 * (i) The residents' side at the scale of a community (issue 15, point 8): a register of 5,000
 * households written in one request, and the list of a 5,000-household plan served.
 *
 * Register. Ours: the service's writer on the embedded store (GroupCommitWriter on a
 * SqliteEventStore, WAL, synchronous=FULL) takes RegisterHouseholds with 5,000 households on a
 * project registered beforehand (untimed): the request hash, the decider's checks of every
 * household (ids, texts, areas parsed to hundredths, each id and room once), the event with the
 * hash chain, the commit. Baseline: raw better-sqlite3 on the store's own schema and pragmas,
 * the same event's JSON inserted as one row in one transaction (read the stream's revision,
 * insert, update the revision). Each round writes a new project's register, ours and raw in
 * alternating order; each figure is the median of its rounds.
 *
 * Plan list. One project with the 5,000 households, a budget line, a plan by building area over
 * all of them, and 1,000 of them paying (some of it reversed), written through the same writer; a
 * ProjectionRunner catches up. Ours: GET /api/projects/:id/cost-shares/:planId as the service
 * answers it (ResidentQueries.plan on the cost-shares read model: wait for the head, one
 * indexed SELECT of the accounts joined with the register, every row formatted). Baseline: the
 * same SELECT, prepared, rows returned unformatted. Beside it, the figure that chose the read
 * model: the plan read from the stream as it was before (planFromStream: read and verify the
 * stream, fold it, parse the plan's event), its rows not even formatted.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { GroupCommitWriter } from '../../src/event-store/write-path';
import { SQLITE_EVENT_SCHEMA, SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { ADD_BUDGET_LINE } from '../../src/funding/add-budget-line/add-budget-line.controller';
import { ADOPT_COST_SHARE_PLAN } from '../../src/funding/adopt-cost-share-plan/adopt-cost-share-plan.controller';
import { RECEIVE_FUNDS } from '../../src/funding/receive-funds/receive-funds.controller';
import { REGISTER_HOUSEHOLDS } from '../../src/funding/register-households/register-households.controller';
import { REGISTER_PROJECT } from '../../src/funding/register-project/register-project.controller';
import { REVERSE_ENTRY } from '../../src/funding/reverse-entry/reverse-entry.controller';
import { ResidentQueries, planFromStream } from '../../src/funding/resident-queries';
import { HouseholdInput, ProjectCommand } from '../../src/project/project.commands';
import { ProjectState, projectDecider } from '../../src/project/project.decider';
import { ProjectEvent, ProjectEventType, projectStreamId } from '../../src/project/project.events';
import { ProjectionRunner } from '../../src/projection-runner/projection-runner';
import { PROJECTIONS } from '../../src/projection-runner/read-models';
import { PLACEHOLDER_HASH, contextOf, projectIdOf, registerCommand } from '../lib/fixtures';
import { ScenarioResult, compare } from '../lib/report';
import { median, nowMs, seededRandom, tempDir } from '../lib/util';

const HOUSEHOLDS = 5_000;
const PAYING = 1_000;
/** Households a building, a unit (stairwell) and a floor hold: 20 buildings of 5 units × 25 floors × 2. */
const PER_BUILDING = 250;

/** A community of 5,000 units, 55-140 m² each (seeded). */
function householdsOf(projectId: string): HouseholdInput[] {
  const random = seededRandom(20211125);
  return Array.from({ length: HOUSEHOLDS }, (_, i) => {
    const inBuilding = i % PER_BUILDING;
    const floor = 1 + Math.floor((inBuilding % 50) / 2);
    const areaH = 5_500 + Math.floor(random() * 8_500);
    return {
      householdId: `H-${String(1 + Math.floor(i / PER_BUILDING)).padStart(2, '0')}-${String(i).padStart(5, '0')}`,
      building: String(1 + Math.floor(i / PER_BUILDING)),
      unit: String(1 + Math.floor(inBuilding / 50)),
      floor,
      room: `${floor}${String(1 + (inBuilding % 2)).padStart(2, '0')}`,
      buildingArea: `${Math.floor(areaH / 100)}.${String(areaH % 100).padStart(2, '0')}`,
      ownerKey: `OK-${projectId}-${i}`,
    };
  });
}

type Writer = GroupCommitWriter<ProjectState, ProjectCommand, ProjectEvent>;

function send(writer: Writer, projectId: string, command: ProjectCommand, id: string, route: string, body: unknown) {
  return writer.execute(projectStreamId(projectId), command, contextOf(id, route, projectId, body));
}

async function registerProject(writer: Writer, projectId: string): Promise<void> {
  const command = registerCommand(projectId);
  await send(writer, projectId, command, `reg-${projectId}`, REGISTER_PROJECT.requestName, command);
}

/** Ours: the register of `projectId` through the writer; its milliseconds. */
async function oursRegister(writer: Writer, projectId: string): Promise<number> {
  const households = householdsOf(projectId);
  const body = { households };
  const t0 = nowMs();
  await send(
    writer,
    projectId,
    { type: 'RegisterHouseholds', projectId, households },
    `hh-${projectId}`,
    REGISTER_HOUSEHOLDS.requestName,
    body,
  );
  return nowMs() - t0;
}

/** Raw: the same event's JSON as one row of the store's schema, one transaction; its milliseconds. */
function rawRegister(db: Database.Database, projectId: string): number {
  const households = householdsOf(projectId);
  const streamId = projectStreamId(projectId);
  const revisionOf = db.prepare('SELECT revision FROM streams WHERE stream_id = ?').pluck();
  const insert = db.prepare(
    'INSERT INTO events (stream_id, revision, event_id, command_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const upsert = db.prepare(
    'INSERT INTO streams (stream_id, revision, last_hash) VALUES (?, ?, ?) ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, last_hash = excluded.last_hash',
  );
  const t0 = nowMs();
  db.transaction(() => {
    const current = revisionOf.get(streamId) as number | undefined;
    const revision = current === undefined ? 0 : current + 1;
    const data = JSON.stringify({ projectId, households });
    const metadata = JSON.stringify({ eventId: `hh-${projectId}`, prevHash: PLACEHOLDER_HASH, hash: PLACEHOLDER_HASH });
    insert.run(
      streamId,
      revision,
      `hh-${projectId}`,
      `hh-${projectId}`,
      ProjectEventType.householdsRegistered,
      data,
      metadata,
    );
    upsert.run(streamId, revision, PLACEHOLDER_HASH);
  }).immediate();
  return nowMs() - t0;
}

async function registerComparison(rounds: number) {
  const { dir, cleanup } = tempDir('residents-register');
  const store = new SqliteEventStore(join(dir, 'events.sqlite'));
  const writer: Writer = new GroupCommitWriter(store, projectDecider);
  const raw = new Database(join(dir, 'raw.sqlite'));
  try {
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.exec(SQLITE_EVENT_SCHEMA);
    const projects = Array.from({ length: rounds + 1 }, (_, i) => projectIdOf(i));
    for (const p of projects) await registerProject(writer, p);
    await oursRegister(writer, projects[rounds]); // warm-up, discarded
    rawRegister(raw, 'WARM');
    const oursMs: number[] = [];
    const rawMs: number[] = [];
    for (let r = 0; r < rounds; r++) {
      // Alternate which goes first, so neither always runs right after the other's garbage.
      if (r % 2 === 0) {
        oursMs.push(await oursRegister(writer, projects[r]));
        rawMs.push(rawRegister(raw, projects[r]));
      } else {
        rawMs.push(rawRegister(raw, projects[r]));
        oursMs.push(await oursRegister(writer, projects[r]));
      }
    }
    const bytes = Buffer.byteLength(JSON.stringify({ projectId: projects[0], households: householdsOf(projects[0]) }));
    return { oursMs, rawMs, bytes };
  } finally {
    raw.close();
    await store.close();
    cleanup();
  }
}

const RAW_PLAN_ROWS = `
  SELECT a.household_id, h.building, h.unit, h.floor, h.room, h.building_area, h.exclusive_area, a.weight, a.share_fen,
         a.paid_direct_fen, a.paid_provident_fen, a.paid_maintenance_fen
  FROM cost_share_accounts a
  JOIN cost_share_households h ON h.project_id = a.project_id AND h.household_id = a.household_id
  WHERE a.project_id = ? AND a.plan_id = ?
  ORDER BY a.household_id`;

/** A project with a 5,000-household plan, 1,000 households paying and 50 payments reversed, through the writer. */
async function planProject(writer: Writer, projectId: string): Promise<void> {
  await registerProject(writer, projectId);
  const households = householdsOf(projectId);
  await send(
    writer,
    projectId,
    { type: 'RegisterHouseholds', projectId, households },
    'hh',
    REGISTER_HOUSEHOLDS.requestName,
    { households },
  );
  const line = { lineId: 'B1-roof', category: 'basic', item: 'roof', estimatedCost: '20000000.00' };
  await send(
    writer,
    projectId,
    { type: 'AddBudgetLine', projectId, ...line },
    'line',
    ADD_BUDGET_LINE.requestName,
    line,
  );
  const plan = {
    planId: 'PL-ROOF',
    lineIds: ['B1-roof'],
    amount: '12345678.91',
    scope: { all: true },
    key: { kind: 'building_area' },
  };
  await send(
    writer,
    projectId,
    { type: 'AdoptCostSharePlan', projectId, ...plan },
    'plan',
    ADOPT_COST_SHARE_PLAN.requestName,
    plan,
  );
  for (let i = 0; i < PAYING; i++) {
    const body = {
      receiptId: `R-${i}`,
      source: 'resident_direct',
      amount: '100.00',
      payer: '住户',
      reference: `收据 ${i}`,
      receivedOn: '2022-03-01',
      fiscalYear: 2022,
      planId: 'PL-ROOF',
    };
    const command: ProjectCommand = {
      type: 'ReceiveFunds',
      projectId,
      ...body,
      details: { householdId: households[i * 5].householdId },
      recordedOn: '2022-03-01',
    };
    await send(writer, projectId, command, `r-${i}`, RECEIVE_FUNDS.requestName, body);
  }
  for (let i = 0; i < PAYING; i += 20) {
    const body = {
      reversalId: `X-${i}`,
      entryId: `R-${i}`,
      amount: '40.00',
      reason: '重复收款',
      reversedOn: '2022-03-02',
    };
    await send(
      writer,
      projectId,
      { type: 'ReverseEntry', projectId, ...body },
      `x-${i}`,
      REVERSE_ENTRY.requestName,
      body,
    );
  }
}

async function listComparison(rounds: number) {
  const { dir, cleanup } = tempDir('residents-list');
  const store = new SqliteEventStore(join(dir, 'events.sqlite'));
  const writer: Writer = new GroupCommitWriter(store, projectDecider);
  const runner = new ProjectionRunner(store, PROJECTIONS, join(dir, 'read-model.sqlite'), () => {});
  try {
    const projectId = projectIdOf(0);
    await planProject(writer, projectId);
    runner.start();
    if (!(await runner.waitFor(await store.headPosition(), 60_000)))
      throw new Error('residents bench: the read models did not catch up');
    const queries = new ResidentQueries(store, runner);
    const raw = runner.db.prepare(RAW_PLAN_ROWS);
    const ours = async () => (await queries.plan(projectId, 'PL-ROOF', 'shown')).households.length;
    const baseline = async () => raw.all(projectId, 'PL-ROOF').length;
    const stream = async () => (await planFromStream(store, projectId, 'PL-ROOF')).accounts.length;
    const figures = { ours: [] as number[], raw: [] as number[], stream: [] as number[] };
    const runs = [
      ['ours', ours],
      ['raw', baseline],
      ['stream', stream],
    ] as const;
    for (const [, run] of runs) await run(); // warm-up, discarded
    for (let r = 0; r < rounds; r++) {
      // Rotate the order each round.
      for (let k = 0; k < runs.length; k++) {
        const [name, run] = runs[(r + k) % runs.length];
        const t0 = nowMs();
        const rows = await run();
        figures[name].push(nowMs() - t0);
        if (rows !== HOUSEHOLDS) throw new Error(`residents bench: ${name} read ${rows} rows, not ${HOUSEHOLDS}`);
      }
    }
    return figures;
  } finally {
    await runner.close();
    await store.close();
    cleanup();
  }
}

export async function residentsScenario(quick: boolean): Promise<Omit<ScenarioResult, 'seconds'>> {
  const registerRounds = quick ? 5 : 15;
  const listRounds = quick ? 11 : 31;
  const register = await registerComparison(registerRounds);
  const list = await listComparison(listRounds);
  const figure = (key: string, label: string, value: number) => ({ key, label, value, unit: 'ms' });
  const n = HOUSEHOLDS.toLocaleString('en-US');
  const listMs = median(list.ours);
  const streamMs = median(list.stream);
  return {
    id: 'i',
    title: `A register of ${n} households written, and a ${n}-household plan's list served`,
    comparisons: [
      compare(
        'register_5000',
        `one request registering ${n} households, ms (median of ${registerRounds} rounds)`,
        figure('ours_ms', 'through the write path (checks, hash chain, commit)', median(register.oursMs)),
        figure('raw_insert_ms', 'raw better-sqlite3: the same JSON as one event', median(register.rawMs)),
        'ratio_ours_over_raw_insert',
        ({ ours }) => ({ text: '< 1 s a register', met: ours < 1_000 }),
      ),
      compare(
        'plan_list_5000',
        `GET .../cost-shares/:planId of a ${n}-household plan, ms (median of ${listRounds} rounds)`,
        figure('ours_ms', 'the read model, rows formatted (as served)', listMs),
        figure('raw_select_ms', 'the same SELECT, rows unformatted', median(list.raw)),
        'ratio_ours_over_raw_select',
        ({ ours }) => ({ text: '< 100 ms a list', met: ours < 100 }),
      ),
      compare(
        'plan_list_read_model_vs_stream_5000',
        `the same list from the read model, against the stream folded as before, ms`,
        figure('ours_ms', 'the read model, rows formatted (as served)', listMs),
        figure('stream_fold_ms', 'the stream read, verified and folded, rows not formatted', streamMs),
        'ratio_read_model_over_stream_fold',
        ({ ratio }) => ({ text: 'read model ≥ 20% faster (style.md rule 10)', met: ratio <= 0.8 }),
      ),
    ],
    details: {
      households: HOUSEHOLDS,
      register_event_bytes: register.bytes,
      register_ours_ms_min: Math.min(...register.oursMs),
      register_raw_ms_min: Math.min(...register.rawMs),
      plan_paying_households: PAYING,
      list_ours_ms_min: Math.min(...list.ours),
      list_raw_ms_min: Math.min(...list.raw),
      list_stream_ms_min: Math.min(...list.stream),
    },
    notes: [
      `register: each round a new project's ${n} households (a ${Math.round(register.bytes / 1024)} KB event), ours and raw alternating; ours checks every household as the decider does and chains the hash, raw inserts the same JSON.`,
      `plan list: a plan by building area over ${n} households, ${PAYING} of them paying (one in twenty in part reversed); the read model answers ${(streamMs / listMs).toFixed(1)}× faster than folding the stream, so the list and its notice are served from it.`,
    ],
  };
}
