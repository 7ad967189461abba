/**
 * The time flags (time-flags.ts: idle money, commitments and shares due, filings missing) as the
 * live read model keeps them, so that a read of today costs what it answers, not the district's
 * flows: computed against the end of time (storedTimeFlags) once per change of their facts and read
 * as of a day by a cut (cutTimeFlag). The red-flag projection marks the scopes an event touched
 * (its project, its batch) due; each scope due is computed again once, later (settleTimeFlags):
 * by the live runner between pages, a few at a time with a duty (a project's flows read and aged
 * again cost milliseconds each, too much to do for every project a write touched inside the
 * write's page), and by every read of today's flags first, in its transaction, so a read never
 * sees facts without their flags. Here, not in the projection, since they are computed with the
 * fund-batch report's aging.
 *
 * A read of the past (asOf, knownAt) replays the log and computes them from the facts as before:
 * the cut gives the same flags (test/unit/red-flags/time-flags-cut.spec.ts).
 */
import Database from 'better-sqlite3';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { prepared } from '../shared/projection/prepared';
import {
  OffThreadSettler,
  ProjectionDefinition,
  SettlingWorkerFailed,
} from '../shared/projection/projection-definition';
import { startWorker } from '../shared/worker/ts-worker';
import { RedFlag } from '../../projections/red-flags/red-flag-codes';
import { Row } from '../../projections/red-flags/red-flag-facts';
import { TimeScope } from '../../projections/red-flags/red-flag-time-flags';
import { RedFlagRecord, redFlagsProjection } from '../../projections/red-flags/red-flags.projection';
import {
  RedFlagData,
  RedFlagScope,
  byRaised,
  flagOf,
  readBatches,
  readFlowsOfBatch,
  readProjectFacts,
  scopeWhere,
} from '../../projections/red-flags/red-flags.query';
import { StoredTimeFlag, cutTimeFlag, storedTimeFlags } from './time-flags';

/** The red-flag projection as the live runner feeds it: the time flags of the scopes its events touched settled later. */
export const redFlagsReadModel: ProjectionDefinition<RedFlagRecord> = {
  ...redFlagsProjection,
  settle: settleTimeFlags,
  settleOffThread: timeFlagsOffThread,
  unsettledRows: unsettledTimeFlags,
};

/** Where each database's next settling step starts: the scopes due are taken in turn, so none waits for ever behind others marked again. */
const settledThrough = new WeakMap<Database.Database, string>();

/** How many scopes due a settling step reads at a time: a step reads what it settles, not the whole list. */
const DUE_CHUNK = 32;

/**
 * Computes again the time flags of scopes due, once each, and takes them off the list: in turn
 * from where the previous call stopped (past the last scope, from the first again), until
 * `budgetMs` has passed (one scope at least). Whether any scope is still due.
 */
export function settleTimeFlags(db: Database.Database, budgetMs = Infinity): boolean {
  const began = performance.now();
  const next = prepared(
    db,
    `SELECT scope FROM red_flag_time_scopes_due WHERE scope > ? ORDER BY scope LIMIT ${DUE_CHUNK}`,
  );
  const done = prepared(db, 'DELETE FROM red_flag_time_scopes_due WHERE scope = ?');
  let after = settledThrough.get(db) ?? '';
  for (;;) {
    const chunk = next.all(after) as Row[];
    if (chunk.length === 0) {
      // Each scope taken is deleted: nothing past `after` and nothing from the start means none is due.
      if (after === '') return false;
      after = '';
      continue;
    }
    for (const row of chunk) {
      const scope = row.scope as TimeScope;
      writeScope(db, scope, rowsOfScope(db, scope));
      done.run(scope);
      settledThrough.set(db, scope);
      after = scope;
      if (performance.now() - began >= budgetMs) return anyDue(db);
    }
  }
}

const anyDue = (db: Database.Database) =>
  prepared(db, 'SELECT 1 FROM red_flag_time_scopes_due LIMIT 1').get() !== undefined;

/** The due list, and the time flags of the scopes on it: what settling `db` would change. */
function unsettledTimeFlags(db: Database.Database): (table: string, row: Record<string, unknown>) => boolean {
  const due = new Set((prepared(db, 'SELECT scope FROM red_flag_time_scopes_due').all() as Row[]).map((r) => r.scope));
  return (table, row) =>
    table === 'red_flag_time_scopes_due' || (table === 'red_flag_time_flags' && due.has(row.scope as string));
}

/** A scope's time flags as rows of red_flag_time_flags, its columns past `scope` in order (plain values: they cross threads). */
type TimeFlagRow = [string, string, string, string | null, string, string | null, string, string, string];

/** A scope's time flags computed from a snapshot in which it was due as `seq` (TimeFlagsComputed.seq). */
export interface ComputedScope {
  scope: TimeScope;
  seq: bigint;
  rows: TimeFlagRow[];
}

function writeScope(db: Database.Database, scope: TimeScope, rows: readonly TimeFlagRow[]): void {
  prepared(db, 'DELETE FROM red_flag_time_flags WHERE scope = ?').run(scope);
  const insert = prepared(
    db,
    `INSERT INTO red_flag_time_flags (scope, flag_id, code, severity, project_id, raised_at, cleared_at, flag, open_readings, open_evidence)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const row of rows) insert.run(scope, ...row);
}

function rowsOfScope(db: Database.Database, scope: TimeScope): TimeFlagRow[] {
  return timeFlagsOf(db, scope).map(({ flag, open, openEvidence }) => [
    flag.flagId,
    flag.code,
    flag.severity,
    flag.projectId,
    flag.raisedAt,
    flag.clearedAt,
    JSON.stringify(flag),
    JSON.stringify(open),
    JSON.stringify(openEvidence),
  ]);
}

function timeFlagsOf(db: Database.Database, scope: TimeScope): StoredTimeFlag[] {
  const none = {
    flags: [],
    projects: [],
    flows: [],
    batches: [],
    batchFlows: [],
    allocations: [],
    plans: [],
    acceptances: [],
  };
  if (scope.startsWith('project:')) {
    const projectId = scope.slice('project:'.length);
    return storedTimeFlags({ ...none, ...readProjectFacts(db, { projectId }) }, ['project']);
  }
  const batchId = scope.slice('batch:'.length);
  return storedTimeFlags({ ...none, batches: readBatches(db, batchId), batchFlows: readFlowsOfBatch(db, batchId) }, [
    'batch',
  ]);
}

/**
 * Writes the scopes a worker computed that are still due as they were in its snapshot (the same
 * seq: no event changed their facts since), and takes them off the list; a scope marked again
 * since, or settled by a reader meanwhile, is left as it is. Whether any scope is still due.
 */
export function writeComputed(db: Database.Database, computed: readonly ComputedScope[]): boolean {
  const seqOf = prepared(db, 'SELECT seq FROM red_flag_time_scopes_due WHERE scope = ?').pluck();
  const done = prepared(db, 'DELETE FROM red_flag_time_scopes_due WHERE scope = ?');
  for (const c of computed) {
    const seq = seqOf.get(c.scope) as bigint | undefined;
    if (seq === undefined || BigInt(seq) !== c.seq) continue;
    writeScope(db, c.scope, c.rows);
    done.run(c.scope);
  }
  return anyDue(db);
}

// ---------------------------------------------------------------------------------------------
// The time flags computed in a worker thread (ProjectionDefinition.settleOffThread)

const TASK = 'red-flag-time-flags';

interface ComputeRequest {
  /** Start past this scope (the last one the previous request computed), from the first again past the last. */
  after: string;
  budgetMs: number;
}

interface ComputeAnswer {
  computed?: ComputedScope[];
  error?: string;
}

/**
 * The time flags of the scopes due computed in a worker thread, from its own connection to `file`
 * (one snapshot per step), and written on the calling thread where still due as computed
 * (writeComputed): what a settling step costs the main thread is the rows it writes, not reading
 * a project's flows back and aging them (16 ms at the median, 55 ms at p99 in bench (g), 390
 * receipts a project).
 */
export function timeFlagsOffThread(file: string): OffThreadSettler {
  const worker = startWorker(__filename, { task: TASK, file });
  worker.unref();
  let failure: Error | null = null;
  let pending: { resolve: (a: ComputeAnswer) => void; reject: (e: Error) => void } | null = null;
  const fail = (err: Error) => {
    failure ??= err;
    pending?.reject(failure);
    pending = null;
  };
  worker.on('message', (answer: ComputeAnswer) => {
    const p = pending;
    pending = null;
    p?.resolve(answer);
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the time flags' worker exited (${code})`)));
  const ask = (request: ComputeRequest) =>
    new Promise<ComputeAnswer>((resolve, reject) => {
      if (failure) return reject(failure);
      pending = { resolve, reject };
      worker.postMessage(request);
    }).catch((err: Error) => {
      throw new SettlingWorkerFailed(err.message);
    });
  return {
    async step(db, budgetMs) {
      const answer = await ask({ after: settledThrough.get(db) ?? '', budgetMs });
      if (answer.error !== undefined) throw new SettlingWorkerFailed(answer.error);
      const computed = answer.computed ?? [];
      const last = computed.at(-1);
      if (last) settledThrough.set(db, last.scope);
      return db.transaction(() => writeComputed(db, computed)).immediate();
    },
    async stop() {
      failure ??= new Error("the time flags' worker was stopped");
      await worker.terminate();
    },
  };
}

/**
 * In the worker: the scopes due in one snapshot, in turn past `after` (then from the first, up to
 * `after`), each computed until `budgetMs` has passed (one at least).
 */
function computeDue(db: Database.Database, { after, budgetMs }: ComputeRequest): ComputedScope[] {
  const began = performance.now();
  const out: ComputedScope[] = [];
  // The due list is read as far as the step goes, not whole: after a rebuild every scope is due.
  const take = (rows: IterableIterator<unknown>) => {
    for (const r of rows as IterableIterator<Row>) {
      const scope = r.scope as TimeScope;
      out.push({ scope, seq: BigInt(r.seq), rows: rowsOfScope(db, scope) });
      if (performance.now() - began >= budgetMs) return true;
    }
    return false;
  };
  return db.transaction(() => {
    const past = db.prepare('SELECT seq, scope FROM red_flag_time_scopes_due WHERE scope > ? ORDER BY scope');
    const upTo = db.prepare('SELECT seq, scope FROM red_flag_time_scopes_due WHERE scope <= ? ORDER BY scope');
    if (!take(past.iterate(after))) take(upTo.iterate(after));
    return out;
  })();
}

if (!isMainThread && (workerData as { task?: string } | null)?.task === TASK) {
  const db = new Database((workerData as { file: string }).file);
  db.defaultSafeIntegers(true);
  db.pragma('query_only = ON');
  parentPort?.on('message', (request: ComputeRequest) => {
    let answer: ComputeAnswer;
    try {
      answer = { computed: computeDue(db, request) };
    } catch (err) {
      answer = { error: (err as Error).message };
    }
    parentPort?.postMessage(answer);
  });
}

/** A condition on the time flags' rows (alias `t`) and its parameters. */
export interface RowFilter {
  where: string;
  params: unknown[];
}

/** The stored time flags the condition selects, raised by `day`, as of `day`. */
export function readTimeFlagsAt(db: Database.Database, day: string, filter: RowFilter): RedFlag[] {
  const rows = db
    .prepare(
      `SELECT flag, open_readings, open_evidence FROM red_flag_time_flags t WHERE t.raised_at <= ? AND ${filter.where}`,
    )
    .all(day, ...filter.params) as Row[];
  return rows
    .map((r) =>
      cutTimeFlag(
        { flag: JSON.parse(r.flag), open: JSON.parse(r.open_readings), openEvidence: JSON.parse(r.open_evidence) },
        day,
      ),
    )
    .filter((f): f is RedFlag => f !== null);
}

/** The stored time flags (every one, at the end of time): the projection specs compare them with storedTimeFlags. */
export function readStoredTimeFlags(db: Database.Database): StoredTimeFlag[] {
  return (prepared(db, 'SELECT * FROM red_flag_time_flags ORDER BY scope, flag_id').all() as Row[]).map((r) => ({
    flag: JSON.parse(r.flag),
    open: JSON.parse(r.open_readings),
    openEvidence: JSON.parse(r.open_evidence),
  }));
}

// ---------------------------------------------------------------------------------------------
// today's reads: the flags on record and the stored time flags, selected in SQL

/** What a read selects (the report's filters): each condition, when given, in SQL. */
export interface FlagSelection extends RedFlagScope {
  code?: string;
  severity?: string;
  /** true: open (as of the day read); false: cleared by then. */
  open?: boolean;
}

/** The condition on a flag table (alias `t`) for `selection`; `openWhen` says when one of its rows is open. */
function selectionWhere(selection: FlagSelection, openWhen: RowFilter): RowFilter {
  const { where, params }: RowFilter = scopeWhere(selection, 't.project_id');
  const parts = [where];
  const all: unknown[] = [...params];
  for (const column of ['code', 'severity'] as const)
    if (selection[column] !== undefined) {
      parts.push(`t.${column} = ?`);
      all.push(selection[column]);
    }
  if (selection.open !== undefined) {
    parts.push(selection.open ? openWhen.where : `NOT ${openWhen.where}`);
    all.push(...openWhen.params);
  }
  return { where: parts.join(' AND '), params: all };
}

const OPEN_ON_RECORD: RowFilter = { where: '(t.cleared_at IS NULL)', params: [] };
const openAt = (day: string): RowFilter => ({ where: '(t.cleared_at IS NULL OR t.cleared_at > ?)', params: [day] });

/** Every flag `selection` selects as of `day`: those on record, and the stored time flags cut at `day`. */
export function readFlagsAt(db: Database.Database, day: string, selection: FlagSelection): RedFlag[] {
  const onRecord = selectionWhere(selection, OPEN_ON_RECORD);
  const stored = (db.prepare(`SELECT * FROM red_flags t WHERE ${onRecord.where}`).all(...onRecord.params) as Row[]).map(
    flagOf,
  );
  return [...stored, ...readTimeFlagsAt(db, day, selectionWhere(selection, openAt(day)))].sort(byRaised);
}

/** The projects that name the flags of `selection`: one, one town's, or all. */
export function readProjectsOf(db: Database.Database, selection: RedFlagScope): RedFlagData['projects'] {
  const { where, params } = scopeWhere(selection);
  return (
    db.prepare(`SELECT project_id, name, town FROM red_flag_projects WHERE ${where}`).all(...params) as Row[]
  ).map((r) => ({ projectId: r.project_id, name: r.name, town: r.town }));
}

/** How many flags (of a read, or one) per code, severity, open, and project's town (null: a batch's flag). */
export interface FlagCountRow {
  code: string;
  severity: string;
  open: boolean;
  town: string | null;
  count: number;
}

/** The flags of readFlagsAt counted in SQL, without reading them. */
export function countFlagsAt(db: Database.Database, day: string, selection: FlagSelection): FlagCountRow[] {
  const onRecord = selectionWhere(selection, OPEN_ON_RECORD);
  const time = selectionWhere(selection, openAt(day));
  const rows = db
    .prepare(
      `SELECT f.code, f.severity, f.open, p.town, COUNT(*) AS n FROM (
         SELECT t.code, t.severity, t.cleared_at IS NULL AS open, t.project_id FROM red_flags t WHERE ${onRecord.where}
         UNION ALL
         SELECT t.code, t.severity, (t.cleared_at IS NULL OR t.cleared_at > ?) AS open, t.project_id
           FROM red_flag_time_flags t WHERE t.raised_at <= ? AND ${time.where}
       ) f LEFT JOIN red_flag_projects p ON p.project_id = f.project_id
       GROUP BY f.code, f.severity, f.open, p.town`,
    )
    .all(...onRecord.params, day, day, ...time.params) as Row[];
  return rows.map((r) => ({
    code: r.code,
    severity: r.severity,
    open: Number(r.open) === 1,
    town: r.town,
    count: Number(r.n),
  }));
}
