import type Database from 'better-sqlite3';
import { isInKind } from '../../src/project/funding-sources';
import { LedgerEntryKind } from '../../src/project/project.events';
import { Fen } from '../../src/shared/money/money';
import { Evidence, FlagRule, RedFlag, RedFlagCode, Severity, comparePositions } from './red-flag-codes';
import { Flow, Row, flowOf } from './red-flag-facts';

/**
 * What the red-flag report reads of the projection, as plain data (it crosses from a time-travel
 * worker as a structured clone): the flags on record, and the facts the flags that depend on the
 * day of reading are computed from (src/red-flags/time-flags.ts).
 */
export interface RedFlagData {
  flags: RedFlag[];
  projects: { projectId: string; name: string; town: string }[];
  /** Every dated flow of every project, oldest first (by date, then as recorded). */
  flows: ProjectFlow[];
  batches: BatchFact[];
  /** The batches' side of their allocations, oldest first. */
  batchFlows: BatchFlow[];
  /** The projects' copies of allocations: their fiscal year (a commitment of district money counts in it). */
  allocations: { projectId: string; allocationId: string; batchId: string; fiscalYear: number }[];
  plans: PlanFact[];
  /** The joint acceptances that passed, and the day their report was filed (null: not yet). */
  acceptances: AcceptanceFact[];
}

export interface AcceptanceFact {
  projectId: string;
  milestoneId: string;
  acceptedOn: string;
  filedOn: string | null;
  evidence: Evidence;
}

export interface ProjectFlow extends Flow {
  projectId: string;
  /** The kind of the entry the flow books or reverses; null for an allocation's flows. */
  entryKind: LedgerEntryKind | null;
  /** The entry's fiscal year; null for an allocation's flows. */
  fiscalYear: number | null;
  planId: string | null;
  householdId: string | null;
  /** A contribution in kind (valued, never cash): never idle money. */
  inKind: boolean;
}

export interface BatchFact {
  batchId: string;
  source: string;
  docNo: string;
  fiscalYear: number;
  issuedOn: string;
  amountFen: Fen;
  evidence: Evidence;
}

export interface BatchFlow {
  batchId: string;
  flowId: string;
  allocationId: string;
  projectId: string;
  kind: 'allocated' | 'allocation-reversed';
  onDate: string;
  amountFen: Fen;
  evidence: Evidence;
}

export interface PlanFact {
  projectId: string;
  planId: string;
  amountFen: Fen;
  payingHouseholds: number;
  countsFrom: string;
  evidence: Evidence;
}

/** The projects to read: one project id, one town, or both (the report's filters); none given, all. */
export interface RedFlagScope {
  projectId?: string;
  town?: string;
}

/**
 * A condition on a table's `project_id` (`column`) selecting the scope's projects, and its
 * parameters. A project's flags and time flags read only its own rows (time-flags.ts groups by
 * project), so the report's projectId and town filters can cut the rows here, in SQL, rather than
 * every project's rows being read and their flags computed to be dropped. The batches' own flags
 * (no project, no town) are dropped by either filter, so their rows may be cut too.
 */
export function scopeWhere(scope: RedFlagScope, column = 'project_id'): { where: string; params: string[] } {
  const parts: string[] = [];
  const params: string[] = [];
  if (scope.projectId !== undefined) {
    parts.push(`${column} = ?`);
    params.push(scope.projectId);
  }
  if (scope.town !== undefined) {
    parts.push(`${column} IN (SELECT project_id FROM red_flag_projects WHERE town = ?)`);
    params.push(scope.town);
  }
  return { where: parts.length === 0 ? '1' : parts.join(' AND '), params };
}

export function readRedFlagData(db: Database.Database, scope: RedFlagScope = {}): RedFlagData {
  return {
    flags: readStoredFlags(db, scope),
    projects: readProjects(db, scope),
    ...readProjectFacts(db, scope),
    batches: readBatches(db),
  };
}

/** The facts of the scope's projects the time flags read: their flows, their side of allocations, plans and acceptances. */
export function readProjectFacts(
  db: Database.Database,
  scope: RedFlagScope,
): Pick<RedFlagData, 'flows' | 'batchFlows' | 'allocations' | 'plans' | 'acceptances'> {
  const { where, params } = scopeWhere(scope);
  const rows = (sql: string) => db.prepare(sql).all(...params) as Row[];
  return {
    flows: readProjectFlows(db, scope),
    batchFlows: rows(
      `SELECT * FROM red_flag_batch_flows WHERE ${where} ORDER BY on_date, LENGTH(position), position`,
    ).map(batchFlowOf),
    allocations: rows(`SELECT * FROM red_flag_allocations WHERE ${where} ORDER BY project_id, allocation_id`).map(
      (r) => ({
        projectId: r.project_id,
        allocationId: r.allocation_id,
        batchId: r.batch_id,
        fiscalYear: Number(r.fiscal_year),
      }),
    ),
    plans: rows(`SELECT * FROM red_flag_plans WHERE ${where} ORDER BY project_id, plan_id`).map((r) => ({
      projectId: r.project_id,
      planId: r.plan_id,
      amountFen: BigInt(r.amount_fen),
      payingHouseholds: Number(r.paying_households),
      countsFrom: r.counts_from,
      evidence: { eventId: r.event_id, position: r.position },
    })),
    acceptances: (
      db
        .prepare(
          `SELECT a.project_id, a.milestone_id, a.on_date, a.event_id, a.position, MIN(f.on_date) AS filed_on
           FROM red_flag_milestones a LEFT JOIN red_flag_milestones f ON f.project_id = a.project_id
             AND f.kind = 'acceptance_report_filed' AND json_extract(f.data, '$.acceptanceId') = a.milestone_id
           WHERE a.kind = 'joint_acceptance' AND json_extract(a.data, '$.result') = 'passed' AND ${scopeWhere(scope, 'a.project_id').where}
           GROUP BY a.project_id, a.milestone_id ORDER BY a.project_id, a.on_date`,
        )
        .all(...params) as Row[]
    ).map((r) => ({
      projectId: r.project_id,
      milestoneId: r.milestone_id,
      acceptedOn: r.on_date,
      filedOn: r.filed_on,
      evidence: { eventId: r.event_id, position: r.position },
    })),
  };
}

/** The fund batches: every one, or `batchId` alone. */
export function readBatches(db: Database.Database, batchId?: string): BatchFact[] {
  const rows = (
    batchId === undefined
      ? db.prepare('SELECT * FROM red_flag_batches ORDER BY batch_id').all()
      : db.prepare('SELECT * FROM red_flag_batches WHERE batch_id = ?').all(batchId)
  ) as Row[];
  return rows.map((r) => ({
    batchId: r.batch_id,
    source: r.source,
    docNo: r.doc_no,
    fiscalYear: Number(r.fiscal_year),
    issuedOn: r.issued_on,
    amountFen: BigInt(r.amount_fen),
    evidence: { eventId: r.event_id, position: r.position },
  }));
}

/** One batch's allocations to every project, oldest first. */
export function readFlowsOfBatch(db: Database.Database, batchId: string): BatchFlow[] {
  return (
    db
      .prepare('SELECT * FROM red_flag_batch_flows WHERE batch_id = ? ORDER BY on_date, LENGTH(position), position')
      .all(batchId) as Row[]
  ).map(batchFlowOf);
}

function batchFlowOf(r: Row): BatchFlow {
  return {
    batchId: r.batch_id,
    flowId: r.flow_id,
    allocationId: r.allocation_id,
    projectId: r.project_id,
    kind: r.kind,
    onDate: r.on_date,
    amountFen: BigInt(r.amount_fen),
    evidence: { eventId: r.event_id, position: r.position },
  };
}

/**
 * The scope's projects by id alone, not by town: the report answers 404 for an unknown project id,
 * and a project known in another town is not unknown (its list is empty).
 */
function readProjects(db: Database.Database, scope: RedFlagScope): RedFlagData['projects'] {
  const { where, params } = scopeWhere({ projectId: scope.projectId });
  return (
    db
      .prepare(`SELECT project_id, name, town FROM red_flag_projects WHERE ${where} ORDER BY project_id`)
      .all(...params) as Row[]
  ).map((r) => ({ projectId: r.project_id, name: r.name, town: r.town }));
}

function readProjectFlows(db: Database.Database, scope: RedFlagScope): ProjectFlow[] {
  const { where, params } = scopeWhere(scope, 'f.project_id');
  const rows = db
    .prepare(
      `SELECT f.*, e.kind AS entry_kind, e.fiscal_year, e.plan_id, e.details FROM red_flag_flows f
       LEFT JOIN red_flag_entries e ON e.project_id = f.project_id AND e.entry_id = f.entry_id AND f.kind NOT LIKE 'allocation%'
       WHERE ${where} ORDER BY f.project_id, f.on_date, LENGTH(f.position), f.position`,
    )
    .all(...params) as Row[];
  return rows.map((r) => {
    const details = r.details === null ? {} : (JSON.parse(r.details) as Record<string, string>);
    return {
      ...flowOf(r),
      projectId: r.project_id,
      entryKind: r.entry_kind,
      fiscalYear: r.fiscal_year === null ? null : Number(r.fiscal_year),
      planId: r.plan_id,
      householdId: details.householdId ?? null,
      inKind: isInKind(r.source, details),
    };
  });
}

/** The flags on record (of the scope's projects), by the day they were raised, then code, then id. */
export function readStoredFlags(db: Database.Database, scope: RedFlagScope = {}): RedFlag[] {
  const { where, params } = scopeWhere(scope);
  const rows = db.prepare(`SELECT * FROM red_flags WHERE ${where}`).all(...params) as Row[];
  return rows.map(flagOf).sort(byRaised);
}

export function flagOf(r: Row): RedFlag {
  const rule: FlagRule = { ruleId: r.rule_id, citation: r.citation, quote: r.quote };
  return {
    flagId: r.flag_id,
    code: r.code as RedFlagCode,
    severity: r.severity as Severity,
    projectId: r.project_id,
    batchId: r.batch_id,
    lineId: r.line_id,
    householdId: r.household_id,
    allocationId: r.allocation_id,
    planId: r.plan_id,
    subject: r.subject,
    raisedAt: r.raised_at,
    clearedAt: r.cleared_at,
    message: { zh: r.message_zh, en: r.message_en },
    figures: JSON.parse(r.figures) as Record<string, string>,
    evidence: (JSON.parse(r.evidence) as Evidence[]).sort((a, b) => comparePositions(a.position, b.position)),
    evidenceCount: Number(r.evidence_count),
    rule,
  };
}

/** Flags in the order the report lists them: raised first, then by code, then by id. */
export function byRaised(a: RedFlag, b: RedFlag): number {
  if (a.raisedAt !== b.raisedAt) return a.raisedAt < b.raisedAt ? -1 : 1;
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  return a.flagId < b.flagId ? -1 : a.flagId > b.flagId ? 1 : 0;
}
