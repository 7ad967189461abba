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
import type Database from 'better-sqlite3';
import { prepared } from '../shared/projection/prepared';
import { ProjectionDefinition } from '../shared/projection/projection-definition';
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
      writeScope(db, scope);
      done.run(scope);
      settledThrough.set(db, scope);
      after = scope;
      if (performance.now() - began >= budgetMs)
        return prepared(db, 'SELECT 1 FROM red_flag_time_scopes_due LIMIT 1').get() !== undefined;
    }
  }
}

/** The due list, and the time flags of the scopes on it: what settling `db` would change. */
function unsettledTimeFlags(db: Database.Database): (table: string, row: Record<string, unknown>) => boolean {
  const due = new Set((prepared(db, 'SELECT scope FROM red_flag_time_scopes_due').all() as Row[]).map((r) => r.scope));
  return (table, row) =>
    table === 'red_flag_time_scopes_due' || (table === 'red_flag_time_flags' && due.has(row.scope as string));
}

function writeScope(db: Database.Database, scope: TimeScope): void {
  prepared(db, 'DELETE FROM red_flag_time_flags WHERE scope = ?').run(scope);
  const insert = prepared(
    db,
    `INSERT INTO red_flag_time_flags (scope, flag_id, code, severity, project_id, raised_at, cleared_at, flag, open_readings, open_evidence)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const s of timeFlagsOf(db, scope)) {
    const { flag } = s;
    insert.run(
      scope,
      flag.flagId,
      flag.code,
      flag.severity,
      flag.projectId,
      flag.raisedAt,
      flag.clearedAt,
      JSON.stringify(flag),
      JSON.stringify(s.open),
      JSON.stringify(s.openEvidence),
    );
  }
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
