/**
 * The facts the red flags are judged on, as the red-flag projection keeps them: what each rule
 * reads of the log, dated, with the id and position of the event that recorded it (the evidence).
 * Money is integer fen; dates are business dates (YYYY-MM-DD).
 *
 * Events without a business date (a registration, a budget line, a plan) count from the day they
 * were recorded, or from the business date of any later event of their stream, whichever is
 * earlier: the rule time travel uses (src/audit/time-bounds.ts, BoundsCut), kept in `counts_from`.
 */
import type Database from 'better-sqlite3';
import { ENTRY_KINDS, EntryFigure, FIGURES_OF_ENTRY, LedgerEntryKind } from '../../src/project/project.events';
import { Fen } from '../../src/shared/money/money';
import { prepared } from '../../src/shared/projection/prepared';
import { DatedAmount } from './red-flag-timeline';
import { Evidence, MAX_EVIDENCE } from './red-flag-codes';

export const FACT_TABLES = [
  'red_flag_streams',
  'red_flag_projects',
  'red_flag_approvals',
  'red_flag_lines',
  'red_flag_entries',
  'red_flag_flows',
  'red_flag_balances',
  'red_flag_allocations',
  'red_flag_votes',
  'red_flag_plans',
  'red_flag_batches',
  'red_flag_batch_flows',
  'red_flag_milestones',
  'red_flag_central_days',
  'red_flag_central_events',
] as const;

export const FACTS_SCHEMA = `
  -- A project's stream holds its events alone, so its row also keeps what every entry of the
  -- project asks (the first approval's date): the row comes back with the check that takes the event.
  CREATE TABLE red_flag_streams (
    stream_id         TEXT PRIMARY KEY,
    last_position     NOT NULL,    -- positionKey(): each stream's events are taken once, in order
    dateless_max_on   TEXT,        -- the latest counts_from of the stream's dateless facts
    first_approved_on TEXT         -- the earliest approved_on of the project's approvals (RF-01)
  ) WITHOUT ROWID;
  CREATE TABLE red_flag_projects (
    project_id  TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    town        TEXT NOT NULL,
    built_year  INTEGER NOT NULL,
    community   TEXT NOT NULL,
    eligibility TEXT,             -- the registration's basis (pre2000 | pre2005_poor_condition | none); null on v1 history
    within_scope INTEGER,
    justification TEXT,           -- the poor-condition justification, as recorded
    counts_from TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    position    TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE red_flag_approvals (
    project_id     TEXT NOT NULL,
    event_id       TEXT NOT NULL,
    approved_on    TEXT NOT NULL,
    investment_fen INTEGER NOT NULL,
    path           TEXT NOT NULL,
    independent    INTEGER,        -- involves independent infrastructure; null where not recorded (v1)
    position       TEXT NOT NULL,
    PRIMARY KEY (project_id, event_id)
  ) WITHOUT ROWID;
  CREATE TABLE red_flag_lines (
    project_id    TEXT NOT NULL,
    line_id       TEXT NOT NULL,
    category      TEXT NOT NULL,
    item          TEXT NOT NULL,
    utility       TEXT,
    estimated_fen INTEGER NOT NULL,
    counts_from   TEXT NOT NULL,
    event_id      TEXT NOT NULL,
    position      TEXT NOT NULL,
    PRIMARY KEY (project_id, line_id)
  ) WITHOUT ROWID;
  CREATE TABLE red_flag_entries (
    project_id    TEXT NOT NULL,
    entry_id      TEXT NOT NULL,
    kind          TEXT NOT NULL,   -- pledge | receipt | payment | treasury_payment
    source        TEXT NOT NULL,
    fiscal_year   INTEGER NOT NULL,
    on_date       TEXT NOT NULL,
    amount_fen    INTEGER NOT NULL,
    reversed_fen  INTEGER NOT NULL DEFAULT 0,
    line_id       TEXT,
    pledge_id     TEXT,
    allocation_id TEXT,
    details       TEXT NOT NULL,   -- JSON of the source's sub-fields
    plan_id       TEXT,
    vote_id       TEXT,
    emergency     TEXT,            -- the emergency's reason, for a maintenance-fund receipt made on the exception
    payee         TEXT,            -- a payment's payee, as written (RF-01, RF-03 match it to contracts by name)
    event_id      TEXT NOT NULL,
    position      TEXT NOT NULL,
    PRIMARY KEY (project_id, entry_id)
  ) WITHOUT ROWID;
  CREATE INDEX red_flag_entries_by_date ON red_flag_entries (project_id, on_date);
  CREATE INDEX red_flag_entries_by_line ON red_flag_entries (project_id, line_id);
  -- Every dated change of an entry: its booking, a reversal (kind-reversal) and a reversal undone,
  -- one flow per figure the entry moves (FIGURES_OF_ENTRY: a treasury payment's booking is a receipt
  -- flow and a payment flow, ids suffixed with the figure); nets_id is the flow a reversal nets
  -- against (src/reports/idle-money.ts).
  -- The project's copy of an allocation and its releases are flows too (allocation, allocation-release).
  CREATE TABLE red_flag_flows (
    project_id    TEXT NOT NULL,
    flow_id       TEXT NOT NULL,
    entry_id      TEXT NOT NULL,
    nets_id       TEXT NOT NULL,
    kind          TEXT NOT NULL,
    source        TEXT NOT NULL,
    line_id       TEXT,
    allocation_id TEXT,
    on_date       TEXT NOT NULL,
    amount_fen    INTEGER NOT NULL,
    event_id      TEXT NOT NULL,
    position      TEXT NOT NULL,
    PRIMARY KEY (project_id, flow_id)
  ) WITHOUT ROWID;
  CREATE INDEX red_flag_flows_by_entry ON red_flag_flows (project_id, entry_id);
  -- Running totals, net of reversals: per source (received, paid), per allocation (allocated, paid)
  -- and per payee (paid: payee:<name>).
  CREATE TABLE red_flag_balances (
    project_id TEXT NOT NULL,
    account    TEXT NOT NULL,      -- source:<code> | allocation:<id>
    in_fen     INTEGER NOT NULL DEFAULT 0,
    out_fen    INTEGER NOT NULL DEFAULT 0,
    last_on    TEXT,               -- the date of its latest flow
    PRIMARY KEY (project_id, account)
  ) WITHOUT ROWID;
  CREATE TABLE red_flag_allocations (
    project_id    TEXT NOT NULL,
    allocation_id TEXT NOT NULL,
    batch_id      TEXT NOT NULL,
    source        TEXT NOT NULL,
    fiscal_year   INTEGER NOT NULL,
    allocated_on  TEXT NOT NULL,
    PRIMARY KEY (project_id, allocation_id)
  ) WITHOUT ROWID;
  CREATE TABLE red_flag_votes (
    project_id TEXT NOT NULL,
    vote_id    TEXT NOT NULL,
    matter     TEXT NOT NULL,
    passed     INTEGER NOT NULL,
    held_on    TEXT NOT NULL,
    event_id   TEXT NOT NULL,
    position   TEXT NOT NULL,
    PRIMARY KEY (project_id, vote_id)
  ) WITHOUT ROWID;
  CREATE TABLE red_flag_plans (
    project_id        TEXT NOT NULL,
    plan_id           TEXT NOT NULL,
    amount_fen        INTEGER NOT NULL,
    paying_households INTEGER NOT NULL,
    counts_from       TEXT NOT NULL,
    problems          TEXT NOT NULL,   -- JSON: what RF-18 found when it was adopted
    event_id          TEXT NOT NULL,
    position          TEXT NOT NULL,
    PRIMARY KEY (project_id, plan_id)
  ) WITHOUT ROWID;
  CREATE TABLE red_flag_batches (
    batch_id    TEXT PRIMARY KEY,
    source      TEXT NOT NULL,
    doc_no      TEXT NOT NULL,
    program     TEXT,           -- municipal special funds: the programme (RF-06 judges a treasury payment by it)
    fiscal_year INTEGER NOT NULL,
    issued_on   TEXT NOT NULL,
    amount_fen  INTEGER NOT NULL,
    event_id    TEXT NOT NULL,
    position    TEXT NOT NULL
  ) WITHOUT ROWID;
  -- The batch's side: allocations (allocated) and their reversals (allocation-reversed).
  CREATE TABLE red_flag_batch_flows (
    batch_id      TEXT NOT NULL,
    flow_id       TEXT NOT NULL,
    allocation_id TEXT NOT NULL,
    project_id    TEXT NOT NULL,
    kind          TEXT NOT NULL,
    on_date       TEXT NOT NULL,
    amount_fen    INTEGER NOT NULL,
    event_id      TEXT NOT NULL,
    position      TEXT NOT NULL,
    PRIMARY KEY (batch_id, flow_id)
  ) WITHOUT ROWID;
  -- The project's milestones (lifecycle.ts): kind, business date, and what the lifecycle flags read
  -- of them (a joint acceptance's result, a filing's acceptance and deadline, a contract's payee...).
  -- Central money received (the receipt and receipt-reversal flows of the central channels, a
  -- treasury payment's receipt included): per day and kind, and each event once (RF-05 reads them for
  -- every central receipt, not the project's flows again: centralHistory).
  CREATE TABLE red_flag_central_days (
    project_id TEXT NOT NULL,
    on_date    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    fen        INTEGER NOT NULL,
    PRIMARY KEY (project_id, on_date, kind)
  ) WITHOUT ROWID;
  CREATE TABLE red_flag_central_events (
    project_id TEXT NOT NULL,
    position   TEXT NOT NULL,
    event_id   TEXT NOT NULL,
    on_date    TEXT NOT NULL,
    PRIMARY KEY (project_id, position)
  ) WITHOUT ROWID;
  CREATE INDEX red_flag_central_events_in_order ON red_flag_central_events (project_id, LENGTH(position), position, on_date, event_id);
  CREATE INDEX red_flag_central_events_by_date ON red_flag_central_events (project_id, on_date);
  CREATE TABLE red_flag_milestones (
    project_id   TEXT NOT NULL,
    milestone_id TEXT NOT NULL,
    kind         TEXT NOT NULL,
    on_date      TEXT NOT NULL,
    data         TEXT NOT NULL,   -- JSON of the event's data
    event_id     TEXT NOT NULL,
    position     TEXT NOT NULL,
    PRIMARY KEY (project_id, milestone_id)
  ) WITHOUT ROWID;
  CREATE INDEX red_flag_milestones_by_kind ON red_flag_milestones (kind, project_id);`;

/** A row as better-sqlite3 returns it with safe integers. */
export type Row = Record<string, any>;

/** The kinds of flow that add to what an entry counts (their reversals take it back). */
export type FlowKind =
  | 'pledge'
  | 'receipt'
  | 'payment'
  | 'pledge-reversal'
  | 'receipt-reversal'
  | 'payment-reversal'
  | 'allocation'
  | 'allocation-release';

export interface Flow extends DatedAmount {
  flowId: string;
  entryId: string;
  netsId: string;
  kind: FlowKind;
  source: string;
  lineId: string | null;
  allocationId: string | null;
  amountFen: Fen;
  evidence: Evidence;
}

/** The flow that books each figure an entry moves (FIGURES_OF_ENTRY says which figures a kind moves). */
const FLOW_OF_FIGURE: Readonly<Record<EntryFigure, 'pledge' | 'receipt' | 'payment'>> = {
  pledged: 'pledge',
  received: 'receipt',
  disbursed: 'payment',
};

/**
 * The flows an entry's booking (sign 1) or reversal (−1) writes: one per figure its kind moves,
 * each with its id and the id it nets against. An entry of one figure keeps the ids it is given;
 * one of several (a treasury payment: received and paid) suffixes them with the figure, so each of
 * its flows nets against its own kind (a payment reversal against the payment flow).
 */
export function flowsOfEntry(
  kind: LedgerEntryKind,
  sign: 1n | -1n,
  flowId: string,
  netsId: string,
): { kind: FlowKind; flowId: string; netsId: string }[] {
  const figures = FIGURES_OF_ENTRY[kind];
  return figures.map((figure) => {
    const suffix = figures.length === 1 ? '' : `#${figure}`;
    const base = FLOW_OF_FIGURE[figure];
    return {
      kind: sign === 1n ? base : `${base}-reversal`,
      flowId: `${flowId}${suffix}`,
      netsId: `${netsId}${suffix}`,
    };
  });
}

/** An entry of this kind counts as money received (a receipt, a treasury payment). */
export function receives(kind: LedgerEntryKind): boolean {
  return FIGURES_OF_ENTRY[kind].includes('received');
}

/** An entry of this kind counts as money paid to a payee (a payment, a treasury payment). */
export function pays(kind: LedgerEntryKind): boolean {
  return FIGURES_OF_ENTRY[kind].includes('disbursed');
}

/** The entry kinds that count as received, as an SQL list: `kind IN ${RECEIVING_KINDS}`. */
export const RECEIVING_KINDS = sqlList(ENTRY_KINDS.filter(receives));
/** The entry kinds that move money (received or paid: every kind but a pledge), as an SQL list. */
export const MONEY_KINDS = sqlList(ENTRY_KINDS.filter((k) => receives(k) || pays(k)));

function sqlList(kinds: readonly string[]): string {
  return `(${kinds.map((k) => `'${k}'`).join(', ')})`;
}

/** + for what books, − for what takes back. */
export function signOf(kind: FlowKind): bigint {
  return kind.endsWith('-reversal') || kind === 'allocation-release' ? -1n : 1n;
}

export function flowOf(r: Row): Flow {
  const kind = r.kind as FlowKind;
  const amountFen = BigInt(r.amount_fen);
  return {
    flowId: r.flow_id,
    entryId: r.entry_id,
    netsId: r.nets_id,
    kind,
    source: r.source,
    lineId: r.line_id,
    allocationId: r.allocation_id,
    onDate: r.on_date,
    amountFen,
    deltaFen: signOf(kind) * amountFen,
    evidence: { eventId: r.event_id, position: r.position },
  };
}

const FLOW_COLUMNS =
  'flow_id, entry_id, nets_id, kind, source, line_id, allocation_id, on_date, amount_fen, event_id, position';

/** A project's flows that `where` selects (a condition on the flows table `f`), oldest first. */
export function readFlows(db: Database.Database, projectId: string, where: string, ...params: unknown[]): Flow[] {
  const rows = prepared(
    db,
    `SELECT ${FLOW_COLUMNS} FROM red_flag_flows f WHERE f.project_id = ? AND (${where}) ORDER BY f.on_date, LENGTH(f.position), f.position`,
  ).all(projectId, ...params) as Row[];
  return rows.map(flowOf);
}

/**
 * A subject's flows netted per day and kind: what a rule walks by date, a row for all the flows
 * of a day rather than an object per flow (a source's receipts grow with the project's history,
 * and a rule is asked again on each of them). Per entry: a row per day, kind and entry.
 */
export interface FlowTotal extends DatedAmount {
  kind: FlowKind;
  /** The entry, per entry; null per day. */
  entryId: string | null;
  /** The entry's source, per entry; null per day. */
  source: string | null;
}

/** A subject's dated history as a rule reads it: its totals, and the events behind them. */
export interface FlowHistory {
  /** Oldest first. */
  totals: FlowTotal[];
  /**
   * The events of the flows dated before `until` (a finding's history): the first MAX_EVIDENCE
   * in log order, as the flag lists them, and how many more there are: events, not flows (a
   * treasury payment's event books a receipt flow and a payment flow).
   */
  evidenceBefore(until: string): { evidence: Evidence[]; evidenceLeftOut: number };
}

/** The history of the project's flows that `where` selects (a condition on the flows table `f`). */
export function flowHistory(
  db: Database.Database,
  projectId: string,
  where: string,
  params: readonly unknown[],
  per: 'day' | 'entry' = 'day',
): FlowHistory {
  // Per entry, an entry's flows all have its source: the bare column is that source.
  const entry = per === 'entry' ? 'f.entry_id, f.source' : 'NULL AS entry_id, NULL AS source';
  const rows = prepared(
    db,
    `SELECT f.on_date, f.kind, ${entry}, SUM(f.amount_fen) AS fen FROM red_flag_flows f
     WHERE f.project_id = ? AND (${where}) GROUP BY f.on_date, f.kind${per === 'entry' ? ', f.entry_id' : ''} ORDER BY f.on_date`,
  ).all(projectId, ...params) as Row[];
  const totals = rows.map((r): FlowTotal => {
    const kind = r.kind as FlowKind;
    return {
      onDate: r.on_date,
      kind,
      deltaFen: signOf(kind) * BigInt(r.fen),
      entryId: r.entry_id,
      source: r.source,
    };
  });
  // A treasury payment books two flows (received, paid): the events are counted, not the flows.
  const evidenceBefore = (until: string) => {
    const evidence = (
      prepared(
        db,
        `SELECT f.event_id, f.position FROM red_flag_flows f WHERE f.project_id = ? AND f.on_date < ? AND (${where})
         GROUP BY f.position ORDER BY LENGTH(f.position), f.position LIMIT ${MAX_EVIDENCE}`,
      ).all(projectId, until, ...params) as Row[]
    ).map((r): Evidence => ({ eventId: r.event_id, position: r.position }));
    if (evidence.length < MAX_EVIDENCE) return { evidence, evidenceLeftOut: 0 };
    const events = prepared(
      db,
      `SELECT COUNT(DISTINCT f.position) AS n FROM red_flag_flows f WHERE f.project_id = ? AND f.on_date < ? AND (${where})`,
    ).get(projectId, until, ...params) as Row;
    return { evidence, evidenceLeftOut: Number(events.n) - evidence.length };
  };
  return { totals, evidenceBefore };
}

/** Whether a flow is of the central money received (red_flag_central_days): a receipt or its reversal of a central channel. */
export const isCentralReceipt = (kind: FlowKind, central: boolean): boolean =>
  central && (kind === 'receipt' || kind === 'receipt-reversal');

/** Adds a flow of the central money received (isCentralReceipt) to its project's day and to its events. */
export function addCentralReceipt(
  db: Database.Database,
  projectId: string,
  kind: FlowKind,
  onDate: string,
  fen: Fen,
  evidence: Evidence,
): void {
  prepared(
    db,
    `INSERT INTO red_flag_central_days (project_id, on_date, kind, fen) VALUES (?, ?, ?, ?)
     ON CONFLICT (project_id, on_date, kind) DO UPDATE SET fen = fen + excluded.fen`,
  ).run(projectId, onDate, kind, fen);
  prepared(
    db,
    'INSERT INTO red_flag_central_events (project_id, position, event_id, on_date) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  ).run(projectId, evidence.position, evidence.eventId, onDate);
}

/**
 * The history of the project's central money received, as flowHistory gives it for the flows
 * isCentralReceipt selects (per day), from the rows kept for it: its days, and the first events in
 * log order (an index), not every flow of the project read again.
 */
export function centralHistory(db: Database.Database, projectId: string): FlowHistory {
  const totals = (
    prepared(
      db,
      'SELECT on_date, kind, fen FROM red_flag_central_days WHERE project_id = ? ORDER BY on_date, kind',
    ).all(projectId) as Row[]
  ).map((r): FlowTotal => {
    const kind = r.kind as FlowKind;
    return { onDate: r.on_date, kind, deltaFen: signOf(kind) * BigInt(r.fen), entryId: null, source: null };
  });
  const evidenceBefore = (until: string) => {
    const evidence = (
      prepared(
        db,
        `SELECT event_id, position FROM red_flag_central_events WHERE project_id = ? AND on_date < ?
         ORDER BY LENGTH(position), position LIMIT ${MAX_EVIDENCE}`,
      ).all(projectId, until) as Row[]
    ).map((r): Evidence => ({ eventId: r.event_id, position: r.position }));
    if (evidence.length < MAX_EVIDENCE) return { evidence, evidenceLeftOut: 0 };
    const events = prepared(
      db,
      'SELECT COUNT(*) AS n FROM red_flag_central_events WHERE project_id = ? AND on_date < ?',
    ).get(projectId, until) as Row;
    return { evidence, evidenceLeftOut: Number(events.n) - evidence.length };
  };
  return { totals, evidenceBefore };
}

/** A budget line's facts. */
export interface LineFact {
  lineId: string;
  category: string;
  item: string;
  utility: string | null;
  estimatedFen: Fen;
  countsFrom: string;
  evidence: Evidence;
}

export function lineOf(r: Row): LineFact {
  return {
    lineId: r.line_id,
    category: r.category,
    item: r.item,
    utility: r.utility,
    estimatedFen: BigInt(r.estimated_fen),
    countsFrom: r.counts_from,
    evidence: { eventId: r.event_id, position: r.position },
  };
}

export function readLines(db: Database.Database, projectId: string): LineFact[] {
  return (
    prepared(db, 'SELECT * FROM red_flag_lines WHERE project_id = ? ORDER BY line_id').all(projectId) as Row[]
  ).map(lineOf);
}

/** An owners' vote as recorded (matter, passed, held_on, and its event), or undefined. */
export function readVote(db: Database.Database, projectId: string, voteId: string): Row | undefined {
  return prepared(db, 'SELECT * FROM red_flag_votes WHERE project_id = ? AND vote_id = ?').get(projectId, voteId) as
    Row | undefined;
}

export function readLine(db: Database.Database, projectId: string, lineId: string): LineFact | undefined {
  const r = prepared(db, 'SELECT * FROM red_flag_lines WHERE project_id = ? AND line_id = ?').get(projectId, lineId) as
    Row | undefined;
  return r && lineOf(r);
}

/** A pledge, receipt or payment, its amount net of what reversals took by now. */
export interface EntryFact {
  entryId: string;
  kind: LedgerEntryKind;
  source: string;
  fiscalYear: number;
  onDate: string;
  amountFen: Fen;
  reversedFen: Fen;
  lineId: string | null;
  pledgeId: string | null;
  allocationId: string | null;
  details: Record<string, string>;
  planId: string | null;
  voteId: string | null;
  emergency: string | null;
  payee: string | null;
  evidence: Evidence;
}

export function entryOf(r: Row): EntryFact {
  return {
    entryId: r.entry_id,
    kind: r.kind,
    source: r.source,
    fiscalYear: Number(r.fiscal_year),
    onDate: r.on_date,
    amountFen: BigInt(r.amount_fen),
    reversedFen: BigInt(r.reversed_fen),
    lineId: r.line_id,
    pledgeId: r.pledge_id,
    allocationId: r.allocation_id,
    details: JSON.parse(r.details) as Record<string, string>,
    planId: r.plan_id,
    voteId: r.vote_id,
    emergency: r.emergency,
    payee: r.payee,
    evidence: { eventId: r.event_id, position: r.position },
  };
}

export function readEntry(db: Database.Database, projectId: string, entryId: string): EntryFact | undefined {
  const r = prepared(db, 'SELECT * FROM red_flag_entries WHERE project_id = ? AND entry_id = ?').get(
    projectId,
    entryId,
  ) as Row | undefined;
  return r && entryOf(r);
}

/** A project's registration. */
export interface ProjectFact {
  projectId: string;
  name: string;
  town: string;
  builtYear: number;
  community: string;
  /** The registration's eligibility basis; null on history registered before it was recorded. */
  eligibility: string | null;
  withinScope: boolean | null;
  justification: string | null;
  countsFrom: string;
  evidence: Evidence;
}

export function readProject(db: Database.Database, projectId: string): ProjectFact | undefined {
  const r = prepared(db, 'SELECT * FROM red_flag_projects WHERE project_id = ?').get(projectId) as Row | undefined;
  return (
    r && {
      projectId: r.project_id,
      name: r.name,
      town: r.town,
      builtYear: Number(r.built_year),
      community: r.community,
      eligibility: r.eligibility,
      withinScope: r.within_scope === null ? null : Number(r.within_scope) === 1,
      justification: r.justification,
      countsFrom: r.counts_from,
      evidence: { eventId: r.event_id, position: r.position },
    }
  );
}

export interface ApprovalFact {
  approvedOn: string;
  investmentFen: Fen;
  path: string;
  independent: boolean | null;
  evidence: Evidence;
}

/** Every approval of the project, by date then as recorded. */
export function readApprovals(db: Database.Database, projectId: string): ApprovalFact[] {
  return (
    prepared(
      db,
      'SELECT * FROM red_flag_approvals WHERE project_id = ? ORDER BY approved_on, LENGTH(position), position',
    ).all(projectId) as Row[]
  ).map((r) => ({
    approvedOn: r.approved_on,
    investmentFen: BigInt(r.investment_fen),
    path: r.path,
    independent: r.independent === null ? null : Number(r.independent) === 1,
    evidence: { eventId: r.event_id, position: r.position },
  }));
}

/** A milestone as recorded: its kind, business date and data. */
export interface MilestoneFact {
  milestoneId: string;
  kind: string;
  onDate: string;
  data: Record<string, any>;
  evidence: Evidence;
}

/** `data` is parsed when first read: most rules read only the kinds and dates (RF-11 reads every milestone). */
export function milestoneOfRow(r: Row): MilestoneFact {
  let data: Record<string, any> | undefined;
  return {
    milestoneId: r.milestone_id,
    kind: r.kind,
    onDate: r.on_date,
    get data() {
      return (data ??= JSON.parse(r.data) as Record<string, any>);
    },
    evidence: { eventId: r.event_id, position: r.position },
  };
}

/** The project's milestones of these kinds (all when none given), by date then as recorded. */
export function readMilestones(db: Database.Database, projectId: string, ...kinds: string[]): MilestoneFact[] {
  const where = kinds.length === 0 ? '' : ` AND kind IN (${kinds.map(() => '?').join(', ')})`;
  return (
    prepared(
      db,
      `SELECT * FROM red_flag_milestones WHERE project_id = ?${where} ORDER BY on_date, LENGTH(position), position`,
    ).all(projectId, ...kinds) as Row[]
  ).map(milestoneOfRow);
}
