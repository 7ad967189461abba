import type Database from 'better-sqlite3';
import { businessDate } from '../../src/events/business-date';
import { ITEM_LABELS, labelOf } from '../../src/policy/labels';
import { LedgerEvent } from '../../src/events/ledger-events';
import {
  AllocationReversed,
  FundBatchIssued,
  FundBatchEventType as B,
  FundsAllocated,
} from '../../src/fund-batch/fund-batch.events';
import {
  CostSharePlanAdopted,
  EntryReversed,
  LedgerEntryKind,
  MILESTONE_EVENT_TYPES,
  MilestoneEvent,
  ProjectEventType as T,
  ReversalReversed,
  entryMoveOf,
  isMilestoneEvent,
  milestoneOf,
} from '../../src/project/project.events';
import { assertNever } from '../../src/shared/domain/domain-error';
import { ParsedRecordWithMetadata } from '../../src/shared/events/parsed-record';
import { Fen, fenOfStored, readableFen, splitLargestRemainder } from '../../src/shared/money/money';
import { positionKey } from '../../src/shared/projection/position-key';
import { prepared } from '../../src/shared/projection/prepared';
import { ProjectionDefinition } from '../../src/shared/projection/projection-definition';
import { Evidence, toFlag } from './red-flag-codes';
import { TIME_FLAGS_SCHEMA, TIME_FLAG_TABLES, markDue } from './red-flag-time-flags';
import {
  EntryFact,
  FACTS_SCHEMA,
  FACT_TABLES,
  FlowKind,
  LineFact,
  Row,
  addCentralReceipt,
  flowsOfEntry,
  isCentralReceipt,
  milestoneOfRow,
  pays,
  readEntry,
  readLine,
  readLines,
  readVote,
  receives,
  signOf,
} from './red-flag-facts';
import {
  approvalPath,
  communityCompletedTwice,
  contractPayees,
  lateFiling,
  payeeRules,
  pipelineUnmet,
  procedureOrder,
  projectsOfCommunity,
} from './red-flag-lifecycle-findings';
import {
  Balance,
  CENTRAL_SOURCES,
  Evaluation,
  PlanProblems,
  alterationItemsOn,
  centralBeyondEligible,
  centralDoubleSupport,
  centralOnEnhancement,
  costOverrun,
  costShareIntegrity,
  evidenceOf,
  ineligibleCommunity,
  lineOverfunded,
  maintenanceFundVote,
  moneyBeforeApproval,
  paymentsBeyondAllocation,
  paymentsBeyondReceipts,
  sourcePurpose,
} from './red-flag-findings';

const HANDLES = [
  T.registered,
  T.approved,
  T.budgetLineAdded,
  T.pledged,
  T.received,
  T.disbursed,
  T.treasuryPaid,
  T.reversed,
  T.reversalReversed,
  T.allocationRecorded,
  T.allocationReleased,
  T.ownerVoteRecorded,
  T.costSharePlanAdopted,
  B.issued,
  B.allocated,
  B.allocationReversed,
  ...Object.values(MILESTONE_EVENT_TYPES),
] as const;
type Handled = (typeof HANDLES)[number];

/**
 * What the projection takes: a parsed event with its metadata. Every record the runner and the
 * time-travel replays hand a projection is parsed by parseRecord and carries it (read lazily);
 * this projection reads it only for an event with no business date, which counts from the day it
 * was recorded (red-flag-facts.ts).
 */
export type RedFlagRecord = ParsedRecordWithMetadata<Extract<LedgerEvent, { type: Handled }>>;

/** The restricted sources whose entries RF-06 judges. */
const RESTRICTED = new Set(['provident_fund', 'maintenance_fund', 'pipeline_unit', 'municipal_subsidy']);

/**
 * The red flags (domain.md §6, issue 17): every irregularity the events alone decide, as a row that
 * is never deleted (a flag that stops holding is cleared, with the date), and the dated facts the
 * rules read, from which the flags that depend on the day of reading are computed (src/red-flags/
 * time-flags.ts: idle money, commitments and shares due): stored against the end of time per
 * project and batch, computed again for each one an event touched before it is read (red-flag-
 * time-flags.ts), cut at the day read as of.
 *
 * Each event updates the facts it records, then asks again the rules whose subject it touched
 * (red-flag-findings.ts) and writes what they answer. Idempotent by global position: each
 * stream's events are taken once, in order (`red_flag_streams`), so a replay that applies a
 * stream's held events out of global order (time-bounds.ts) still takes each once.
 */
export const redFlagsProjection: ProjectionDefinition<RedFlagRecord> = {
  name: 'red-flags',
  // 2: the project's milestones (RF-01 before a contract, RF-03, RF-08, RF-10, RF-11, RF-13, RF-17),
  // eligibility as registered (RF-12), approval paths, payees.
  // 3: the first approval's date on the stream's row; evidenceCount past MAX_EVIDENCE counts every event.
  // 4: treasury direct payments (received and paid at once, FIGURES_OF_ENTRY) in every rule that
  // reads receipts or payments; evidenceCount counts events, not flows.
  // 5: running totals per payee and each account's latest flow date (RF-01/RF-03 skip a payment
  // that changes nothing they find).
  // 6: RF-03 on works not completed stays open (the end of time was taken for a day its limit changed).
  // 7: the time flags stored per project and batch, computed again at the end of each page for
  // the scopes its events touched (red-flag-time-flags.ts); indexes for the report's filters.
  // 8: a scope due gets a new seq each time it is marked (its flags computed off the main thread
  // are written only if it was not marked again meanwhile); the central money received kept per
  // day and event for RF-05 (red_flag_central_days, red_flag_central_events).
  // 9: the money in the messages written with thousands separators (42,096.00 元); figures unchanged.
  // 10: the stored RF-14 time flags computed again: a reversal of an entry taking back what an undo
  // of an earlier reversal gave nets against that undo (idle-money.ts), not lost (attack finding 5).
  version: 10,
  tables: [...FACT_TABLES, 'red_flags', ...TIME_FLAG_TABLES],
  schema: `${FACTS_SCHEMA}
    ${TIME_FLAGS_SCHEMA}
    CREATE TABLE red_flags (
      flag_id        TEXT PRIMARY KEY,
      code           TEXT NOT NULL,
      severity       TEXT NOT NULL,
      scope          TEXT NOT NULL,
      subject        TEXT NOT NULL,
      occurrence     INTEGER NOT NULL,
      project_id     TEXT,
      batch_id       TEXT,
      line_id        TEXT,
      household_id   TEXT,
      allocation_id  TEXT,
      plan_id        TEXT,
      raised_at      TEXT NOT NULL,
      cleared_at     TEXT,
      message_zh     TEXT NOT NULL,
      message_en     TEXT NOT NULL,
      figures        TEXT NOT NULL,
      evidence       TEXT NOT NULL,
      evidence_count INTEGER NOT NULL,
      rule_id        TEXT NOT NULL,
      citation       TEXT NOT NULL,
      quote          TEXT NOT NULL,
      last_position  TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX red_flags_by_subject ON red_flags (scope, code, subject, occurrence);
    CREATE INDEX red_flags_by_project ON red_flags (project_id, raised_at);
    CREATE INDEX red_flags_counted ON red_flags (code, severity, cleared_at, project_id);
    CREATE INDEX red_flag_batch_flows_by_project ON red_flag_batch_flows (project_id);
    CREATE INDEX red_flag_projects_by_town ON red_flag_projects (town);`,
  handles: HANDLES,
  apply(db, event) {
    const stream = firstTime(db, event);
    if (!stream) return;
    const on = businessDate(event);
    const today = on ?? event.metadata.recordedAt.slice(0, 10);
    const ctx: Context = {
      db,
      event,
      today,
      position: event.position.toString(),
      firstApprovedOn: stream.first_approved_on,
    };
    const evaluations: Evaluation[] = [];
    const projectStream = event.type !== B.issued && event.type !== B.allocated && event.type !== B.allocationReversed;
    if (on !== null && projectStream && stream.dateless_max_on !== null && stream.dateless_max_on > on)
      evaluations.push(...datelessCounted(db, event.streamId, event.data.projectId, on));
    evaluations.push(...recordFacts(ctx));
    for (const e of evaluations) settle(ctx, e);
    if (event.type === B.issued || event.type === B.allocated || event.type === B.allocationReversed)
      markDue(db, `batch:${event.data.batchId}`);
    if (event.type !== B.issued) markDue(db, `project:${event.data.projectId}`);
  },
};

interface Context {
  db: Database.Database;
  event: RedFlagRecord;
  /** The business date of the event, or the day it counts from when it has none. */
  today: string;
  /** The event's position, a decimal string (evidence and rows). */
  position: string;
  /** The project's first approval date before this event (its stream's row); null: none yet. */
  firstApprovedOn: string | null;
}

/** Records the event's facts; answers the rules to ask again. */
function recordFacts(ctx: Context): Evaluation[] {
  const { db, event } = ctx;
  if (isMilestoneEvent(event)) return milestoneRecorded(ctx, event);
  switch (event.type) {
    case T.registered: {
      const d = event.data;
      prepared(
        db,
        `INSERT INTO red_flag_projects (project_id, name, town, built_year, community, eligibility, within_scope,
           justification, counts_from, event_id, position)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ).run(
        d.projectId,
        d.name,
        d.town,
        d.builtYear,
        d.community,
        d.eligibility.basis,
        d.eligibility.withinScope ? 1 : 0,
        d.conditionJustification ?? null,
        ctx.today,
        event.eventId,
        ctx.position,
      );
      dateless(ctx);
      return [ineligibleCommunity(db, d.projectId)];
    }
    case T.approved: {
      const d = event.data;
      prepared(
        db,
        `INSERT INTO red_flag_approvals (project_id, event_id, approved_on, investment_fen, path, independent, position)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ).run(
        d.projectId,
        event.eventId,
        d.approvedOn,
        fenOfStored(d.approvedInvestment),
        d.approvalPath,
        d.involvesIndependentInfrastructure === null ? null : d.involvesIndependentInfrastructure ? 1 : 0,
        ctx.position,
      );
      prepared(
        db,
        `UPDATE red_flag_streams SET first_approved_on = @on
         WHERE stream_id = @stream AND (first_approved_on IS NULL OR first_approved_on > @on)`,
      ).run({ on: d.approvedOn, stream: event.streamId });
      return [
        moneyBeforeApproval(db, d.projectId),
        ...costOverrun(db, d.projectId),
        approvalPath(db, d.projectId),
        procedureOrder(db, d.projectId),
      ];
    }
    case T.budgetLineAdded: {
      const d = event.data;
      prepared(
        db,
        `INSERT INTO red_flag_lines (project_id, line_id, category, item, utility, estimated_fen, counts_from, event_id, position)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ).run(
        d.projectId,
        d.lineId,
        d.category,
        d.item,
        d.utility ?? null,
        fenOfStored(d.estimatedCost),
        ctx.today,
        event.eventId,
        ctx.position,
      );
      dateless(ctx);
      return [
        ...costOverrun(db, d.projectId),
        centralBeyondEligible(db, d.projectId),
        pipelineUnmet(db, d.projectId, d.lineId),
      ];
    }
    case T.pledged:
      return booked(ctx, 'pledge', event.data, event.data.pledgeId, event.data.pledgedOn);
    case T.received:
      return booked(ctx, 'receipt', event.data, event.data.receiptId, event.data.receivedOn);
    case T.disbursed:
      return booked(ctx, 'payment', event.data, event.data.paymentId, event.data.paidOn);
    case T.treasuryPaid:
      return booked(ctx, 'treasury_payment', event.data, event.data.paymentId, event.data.paidOn);
    case T.reversed:
    case T.reversalReversed:
      return reversal(ctx, event.data, entryMoveOf(event).sign);
    case T.allocationRecorded: {
      const d = event.data;
      prepared(
        db,
        `INSERT INTO red_flag_allocations (project_id, allocation_id, batch_id, source, fiscal_year, allocated_on)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ).run(d.projectId, d.allocationId, d.batchId, d.source, d.fiscalYear, d.allocatedOn);
      const ref = {
        entryId: d.allocationId,
        source: d.source,
        lineId: null,
        allocationId: d.allocationId,
        payee: null,
      };
      const account = `allocation:${d.allocationId}`;
      const balances = flow(ctx, d.projectId, account, ref, 'allocation', d.allocatedOn, fenOfStored(d.amount));
      return [paymentsBeyondAllocation(db, d.projectId, d.allocationId, balances.get(account))];
    }
    case T.allocationReleased: {
      const d = event.data;
      const a = prepared(db, 'SELECT source FROM red_flag_allocations WHERE project_id = ? AND allocation_id = ?').get(
        d.projectId,
        d.allocationId,
      ) as Row | undefined;
      if (!a) return [];
      const ref = {
        entryId: d.allocationId,
        source: a.source,
        lineId: null,
        allocationId: d.allocationId,
        payee: null,
      };
      const flowId = `release:${d.batchId}/${d.allocationId}/${d.reversalId}`;
      const balances = flow(ctx, d.projectId, flowId, ref, 'allocation-release', d.releasedOn, fenOfStored(d.amount));
      return [paymentsBeyondAllocation(db, d.projectId, d.allocationId, balances.get(`allocation:${d.allocationId}`))];
    }
    case T.ownerVoteRecorded: {
      const d = event.data;
      prepared(
        db,
        `INSERT INTO red_flag_votes (project_id, vote_id, matter, passed, held_on, event_id, position)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ).run(d.projectId, d.voteId, d.matter, d.tally.passed ? 1 : 0, d.heldOn, event.eventId, ctx.position);
      const receipts = prepared(
        db,
        "SELECT entry_id FROM red_flag_entries WHERE project_id = ? AND vote_id = ? AND source = 'maintenance_fund'",
      ).all(d.projectId, d.voteId) as Row[];
      return receipts.map((r) => maintenanceFundVote(db, d.projectId, r.entry_id));
    }
    case T.costSharePlanAdopted:
      return planAdopted(ctx, event.data);
    case B.issued:
      return batchIssued(ctx, event.data);
    case B.allocated:
      batchFlow(ctx, event.data, event.data.allocationId, 'allocated', event.data.allocatedOn);
      return [];
    case B.allocationReversed:
      batchFlow(ctx, event.data, event.data.reversalId, 'allocation-reversed', event.data.reversedOn);
      return [];
    default:
      return assertNever(event, 'event');
  }
}

/** A milestone: its fact, and the lifecycle rules it touches (red-flag-lifecycle-findings.ts). */
function milestoneRecorded(ctx: Context, event: MilestoneEvent & RedFlagRecord): Evaluation[] {
  const { db } = ctx;
  const d = event.data;
  const { kind, on } = milestoneOf(event);
  prepared(
    db,
    `INSERT INTO red_flag_milestones (project_id, milestone_id, kind, on_date, data, event_id, position)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  ).run(d.projectId, d.milestoneId, kind, on, JSON.stringify(d), event.eventId, ctx.position);
  const out: Evaluation[] = [procedureOrder(db, d.projectId)];
  switch (kind) {
    case 'acceptance_report_filed': {
      const row = prepared(db, 'SELECT * FROM red_flag_milestones WHERE project_id = ? AND milestone_id = ?').get(
        d.projectId,
        d.milestoneId,
      ) as Row;
      out.push(lateFiling(db, d.projectId, milestoneOfRow(row)));
      break;
    }
    case 'contract':
    case 'construction_completed':
      for (const payee of contractPayees(db, d.projectId)) out.push(...payeeRules(db, d.projectId, payee));
      break;
    case 'joint_acceptance':
      for (const projectId of projectsOfCommunity(db, d.projectId)) out.push(communityCompletedTwice(db, projectId));
      for (const line of readLines(db, d.projectId)) out.push(pipelineUnmet(db, d.projectId, line.lineId));
      break;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// facts

/**
 * Marks the stream's event as taken and answers the stream's row; undefined when it was taken
 * (a repeat, or an older event of the stream): an upsert whose DO UPDATE is skipped by its WHERE
 * returns no row.
 */
function firstTime(db: Database.Database, event: RedFlagRecord): Row | undefined {
  return prepared(
    db,
    `INSERT INTO red_flag_streams (stream_id, last_position) VALUES (?, ?)
     ON CONFLICT (stream_id) DO UPDATE SET last_position = excluded.last_position
     WHERE excluded.last_position > red_flag_streams.last_position
     RETURNING dateless_max_on, first_approved_on`,
  ).get(event.streamId, positionKey(event.position)) as Row | undefined;
}

/** A dateless fact of the stream counts from `today` (its recorded day) until a later dated event says earlier. */
function dateless(ctx: Context): void {
  prepared(
    ctx.db,
    `UPDATE red_flag_streams SET dateless_max_on = CASE WHEN dateless_max_on IS NULL OR dateless_max_on < @on THEN @on ELSE dateless_max_on END
     WHERE stream_id = @stream`,
  ).run({ on: ctx.today, stream: ctx.event.streamId });
}

/**
 * A dated event of a project stream dated before some of the stream's dateless facts (its row's
 * dateless_max_on): they count from its date (BoundsCut's rule), and the rules that date by them
 * are asked again.
 */
function datelessCounted(db: Database.Database, streamId: string, projectId: string, on: string): Evaluation[] {
  for (const table of ['red_flag_projects', 'red_flag_lines', 'red_flag_plans'])
    prepared(db, `UPDATE ${table} SET counts_from = ? WHERE project_id = ? AND counts_from > ?`).run(on, projectId, on);
  prepared(db, 'UPDATE red_flag_streams SET dateless_max_on = ? WHERE stream_id = ?').run(on, streamId);
  const plans = prepared(db, 'SELECT plan_id FROM red_flag_plans WHERE project_id = ?').all(projectId) as Row[];
  return [
    ineligibleCommunity(db, projectId),
    ...costOverrun(db, projectId),
    centralBeyondEligible(db, projectId),
    ...plans.flatMap((p) => costShareIntegrity(db, projectId, p.plan_id)),
  ];
}

type EntryData = {
  projectId: string;
  source: string;
  amount: string;
  fiscalYear: number;
  lineId?: string;
  pledgeId?: string;
  allocationId?: string;
  details?: Record<string, string>;
  planId?: string;
  voteId?: string;
  emergency?: boolean;
  emergencyReason?: string;
  payee?: string;
};

/** A pledge, receipt, payment or treasury payment: the entry and its booking flows. */
function booked(ctx: Context, kind: LedgerEntryKind, d: EntryData, entryId: string, onDate: string): Evaluation[] {
  const fen = fenOfStored(d.amount);
  prepared(
    ctx.db,
    `INSERT INTO red_flag_entries (project_id, entry_id, kind, source, fiscal_year, on_date, amount_fen, line_id, pledge_id,
       allocation_id, details, plan_id, vote_id, emergency, payee, event_id, position)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  ).run(
    d.projectId,
    entryId,
    kind,
    d.source,
    d.fiscalYear,
    onDate,
    fen,
    d.lineId ?? null,
    d.pledgeId ?? null,
    d.allocationId ?? null,
    JSON.stringify(d.details ?? {}),
    d.planId ?? null,
    d.voteId ?? null,
    d.emergency ? (d.emergencyReason ?? '') : null,
    pays(kind) ? (d.payee ?? null) : null,
    ctx.event.eventId,
    ctx.position,
  );
  const payee = pays(kind) ? (d.payee ?? null) : null;
  const ref = { entryId, source: d.source, lineId: d.lineId ?? null, allocationId: d.allocationId ?? null, payee };
  const balances = entryFlows(ctx, d.projectId, ref, kind, 1n, entryId, entryId, onDate, fen);
  // The entry as just written (not read back: this runs for every pledge, receipt and payment).
  const entry: EntryFact = {
    ...ref,
    kind,
    fiscalYear: d.fiscalYear,
    onDate,
    amountFen: fen,
    reversedFen: 0n,
    pledgeId: d.pledgeId ?? null,
    details: d.details ?? {},
    planId: d.planId ?? null,
    voteId: d.voteId ?? null,
    emergency: d.emergency ? (d.emergencyReason ?? '') : null,
    evidence: { eventId: ctx.event.eventId, position: ctx.position },
  };
  return entryRules(ctx, d.projectId, entry, onDate, balances);
}

/**
 * A reversal takes back part of an entry (sign −1), or gives back what one took (1, entryMoveOf):
 * a flow of the entry per figure it moves, and its net.
 */
function reversal(ctx: Context, r: EntryReversed | ReversalReversed, sign: 1n | -1n): Evaluation[] {
  const entry = readEntry(ctx.db, r.projectId, r.entryId);
  // The ledger never reverses an unknown entry; a history cut at `asOf` can hold a reversal whose
  // entry is dated later. It reverses nothing that the cut kept.
  if (!entry) return [];
  const fen = fenOfStored(r.amount);
  prepared(
    ctx.db,
    'UPDATE red_flag_entries SET reversed_fen = reversed_fen + ? WHERE project_id = ? AND entry_id = ?',
  ).run(-sign * fen, r.projectId, r.entryId);
  // As the source ledger nets them (idle-money.ts): a reversal nets against its entry; undoing it
  // is a booking of its own; undoing that undo nets against the undo.
  const netsId = sign === 1n ? r.reversalId : 'reversedReversalId' in r ? r.reversedReversalId : r.entryId;
  const balances = entryFlows(ctx, r.projectId, entry, entry.kind, sign, r.reversalId, netsId, r.reversedOn, fen);
  return entryRules(ctx, r.projectId, readEntry(ctx.db, r.projectId, r.entryId)!, r.reversedOn, balances);
}

/** The flows of an entry's booking or reversal (flowsOfEntry), and the running totals they changed. */
function entryFlows(
  ctx: Context,
  projectId: string,
  ref: FlowRef,
  kind: LedgerEntryKind,
  sign: 1n | -1n,
  flowId: string,
  netsId: string,
  onDate: string,
  fen: Fen,
): Balances {
  const balances = new Map<string, Balance>();
  for (const f of flowsOfEntry(kind, sign, flowId, netsId))
    for (const [account, b] of flow(ctx, projectId, f.flowId, ref, f.kind, onDate, fen, f.netsId))
      balances.set(account, b);
  return balances;
}

/**
 * The rules an entry's money touches, asked again when it is booked or reversed (its flows dated
 * `flowsOn`); `balances`: the running totals its flows just changed, which the RF-02 rules need
 * not read again, and from which RF-01/RF-03 tell a payment that changes nothing they find.
 */
function entryRules(ctx: Context, projectId: string, e: EntryFact, flowsOn: string, balances: Balances): Evaluation[] {
  const { db } = ctx;
  const out: Evaluation[] = [];
  const central = CENTRAL_SOURCES.includes(e.source);
  if (RESTRICTED.has(e.source)) out.push(sourcePurpose(db, projectId, e.entryId));
  if (e.kind !== 'pledge') {
    // Money dated before the project's first approval (or with none yet).
    if (ctx.firstApprovedOn === null || e.onDate < ctx.firstApprovedOn) out.push(moneyBeforeApproval(db, projectId));
    out.push(paymentsBeyondReceipts(db, projectId, e.source, balances.get(`source:${e.source}`)));
    if (e.allocationId !== null)
      out.push(paymentsBeyondAllocation(db, projectId, e.allocationId, balances.get(`allocation:${e.allocationId}`)));
  }
  if (receives(e.kind) && central) out.push(centralBeyondEligible(db, projectId));
  if (e.kind === 'receipt' && e.source === 'maintenance_fund') out.push(maintenanceFundVote(db, projectId, e.entryId));
  if (pays(e.kind) && e.payee !== null) {
    const paid = balances.get(`payee:${e.payee}`);
    out.push(...payeeRules(db, projectId, e.payee, paid && { on: flowsOn, balance: paid }));
  }
  if (e.source === 'pipeline_unit' && e.kind !== 'payment')
    for (const line of prepared(
      db,
      'SELECT line_id FROM red_flag_lines WHERE project_id = ? AND utility = ? ORDER BY line_id',
    ).all(projectId, e.details.utility ?? null) as Row[])
      out.push(pipelineUnmet(db, projectId, line.line_id));
  if (e.lineId !== null) {
    if (e.kind !== 'payment') out.push(lineOverfunded(db, projectId, e.lineId));
    if (central) out.push(centralDoubleSupport(db, projectId, e.lineId));
    if (central && e.kind !== 'pledge') out.push(centralOnEnhancement(db, projectId, e.lineId));
  }
  return out;
}

/** The running totals a flow changed, by account, as they stand after it. */
type Balances = ReadonlyMap<string, Balance>;

/** What a flow names of its entry (or allocation). */
type FlowRef = {
  entryId: string;
  source: string;
  lineId: string | null;
  allocationId: string | null;
  payee: string | null;
};

/** One dated flow of an entry (or an allocation), and the running totals it changes (answered). */
function flow(
  ctx: Context,
  projectId: string,
  flowId: string,
  ref: FlowRef,
  kind: FlowKind,
  onDate: string,
  fen: Fen,
  netsId = flowId,
): Balances {
  const added = prepared(
    ctx.db,
    `INSERT INTO red_flag_flows (project_id, flow_id, entry_id, nets_id, kind, source, line_id, allocation_id, on_date, amount_fen, event_id, position)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  ).run(
    projectId,
    flowId,
    ref.entryId,
    netsId,
    kind,
    ref.source,
    ref.lineId,
    ref.allocationId,
    onDate,
    fen,
    ctx.event.eventId,
    ctx.position,
  );
  const balances = new Map<string, Balance>();
  if (added.changes === 0) return balances;
  if (isCentralReceipt(kind, CENTRAL_SOURCES.includes(ref.source)))
    addCentralReceipt(ctx.db, projectId, kind, onDate, fen, { eventId: ctx.event.eventId, position: ctx.position });
  const add = (account: string, inFen: Fen, outFen: Fen) =>
    balances.set(account, balance(ctx.db, projectId, account, inFen, outFen, onDate));
  const delta = signOf(kind) * fen;
  const base = kind.replace('-reversal', '');
  if (base === 'receipt') add(`source:${ref.source}`, delta, 0n);
  if (base === 'payment') {
    add(`source:${ref.source}`, 0n, delta);
    if (ref.allocationId !== null) add(`allocation:${ref.allocationId}`, 0n, delta);
    if (ref.payee !== null) add(`payee:${ref.payee}`, 0n, delta);
  }
  if (kind === 'allocation' || kind === 'allocation-release') add(`allocation:${ref.allocationId}`, delta, 0n);
  return balances;
}

/** Adds a flow dated `onDate` to an account's running totals; answers them as they stand now. */
function balance(
  db: Database.Database,
  projectId: string,
  account: string,
  inFen: Fen,
  outFen: Fen,
  onDate: string,
): Balance {
  const r = prepared(
    db,
    `INSERT INTO red_flag_balances (project_id, account, in_fen, out_fen, last_on) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (project_id, account) DO UPDATE SET in_fen = in_fen + excluded.in_fen, out_fen = out_fen + excluded.out_fen,
       last_on = CASE WHEN last_on > excluded.last_on THEN last_on ELSE excluded.last_on END
     RETURNING in_fen, out_fen, last_on`,
  ).get(projectId, account, inFen, outFen, onDate) as Row;
  return { inFen: BigInt(r.in_fen), outFen: BigInt(r.out_fen), lastOn: r.last_on };
}

function batchIssued(ctx: Context, b: FundBatchIssued): Evaluation[] {
  prepared(
    ctx.db,
    `INSERT INTO red_flag_batches (batch_id, source, doc_no, program, fiscal_year, issued_on, amount_fen, event_id, position)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  ).run(
    b.batchId,
    b.source,
    b.docNo,
    b.program ?? null,
    b.fiscalYear,
    b.issuedOn,
    fenOfStored(b.amount),
    ctx.event.eventId,
    ctx.position,
  );
  return [];
}

function batchFlow(
  ctx: Context,
  a: FundsAllocated | AllocationReversed,
  flowId: string,
  kind: 'allocated' | 'allocation-reversed',
  onDate: string,
): void {
  prepared(
    ctx.db,
    `INSERT INTO red_flag_batch_flows (batch_id, flow_id, allocation_id, project_id, kind, on_date, amount_fen, event_id, position)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  ).run(
    a.batchId,
    kind === 'allocated' ? `allocation:${flowId}` : `reversal:${flowId}`,
    a.allocationId,
    a.projectId,
    kind,
    onDate,
    fenOfStored(a.amount),
    ctx.event.eventId,
    ctx.position,
  );
}

// ---------------------------------------------------------------------------------------------
// a plan, and what RF-18 finds in it

function planAdopted(ctx: Context, d: CostSharePlanAdopted): Evaluation[] {
  const payingHouseholds = d.shares.filter((s) => fenOfStored(s.share) > 0n).length;
  const problems = planProblems(ctx, d);
  prepared(
    ctx.db,
    `INSERT INTO red_flag_plans (project_id, plan_id, amount_fen, paying_households, counts_from, problems, event_id, position)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  ).run(
    d.projectId,
    d.planId,
    fenOfStored(d.amount),
    payingHouseholds,
    ctx.today,
    JSON.stringify(problems),
    ctx.event.eventId,
    ctx.position,
  );
  dateless(ctx);
  return costShareIntegrity(ctx.db, d.projectId, d.planId);
}

/**
 * What does not hold in a plan as recorded (domain.md §4, RF-18): its shares do not add up to its
 * amount, or are not what its weights split to the fen (R-CS5); an exempt household pays, or a
 * household pays outside the plan's scope; a floor-coefficient key without its coefficients; a
 * plan on an alteration line (an elevator) without the owners' passed alteration vote. The ledger
 * computes plans itself and checks the vote: these are found in older or imported history.
 */
function planProblems(ctx: Context, d: CostSharePlanAdopted): PlanProblems {
  const problems: PlanProblems['problems'] = [];
  const evidence: Evidence[] = [];
  let householdId: string | null = null;
  const amountFen = fenOfStored(d.amount);
  const shares = [...d.shares].sort((a, b) =>
    a.householdId < b.householdId ? -1 : a.householdId > b.householdId ? 1 : 0,
  );
  const total = shares.reduce((t, s) => t + fenOfStored(s.share), 0n);
  if (total !== amountFen)
    problems.push({
      zh: `各户分摊合计 ${readableFen(total)} 元，不等于方案金额 ${readableFen(amountFen)} 元`,
      en: `the households' shares add up to ${readableFen(total)}, not the plan's ${readableFen(amountFen)}`,
    });
  const recomputed = splitOf(
    amountFen,
    shares.map((s) => s.weight),
  );
  if (recomputed === null)
    problems.push({
      zh: '权重不是非负小数，无法复核',
      en: 'a weight is not a decimal ≥ 0: the split cannot be checked',
    });
  else {
    const wrong = shares.filter((s, i) => fenOfStored(s.share) !== recomputed[i]);
    if (wrong.length > 0) {
      householdId ??= wrong[0].householdId;
      problems.push({
        zh: `${wrong.length} 户的分摊额与按权重拆分（最大余额法）的结果不符`,
        en: `${wrong.length} household share(s) differ from the split of the amount by the recorded weights (largest remainder)`,
      });
    }
  }
  const exempt = new Set(d.exempt ?? []);
  const exemptPaying = shares.filter((s) => exempt.has(s.householdId) && fenOfStored(s.share) > 0n);
  if (exemptPaying.length > 0) {
    householdId ??= exemptPaying[0].householdId;
    problems.push({
      zh: `${exemptPaying.length} 户免于分摊却被分摊`,
      en: `${exemptPaying.length} exempt household(s) given a share`,
    });
  }
  const scope = new Set(d.scope.householdIds);
  const outside = shares.filter((s) => !scope.has(s.householdId) && fenOfStored(s.share) > 0n);
  if (outside.length > 0) {
    householdId ??= outside[0].householdId;
    problems.push({
      zh: `${outside.length} 户不在方案范围（受益范围）内却被分摊`,
      en: `${outside.length} household(s) outside the plan's scope (its beneficiaries) given a share`,
    });
  }
  if (d.key.kind === 'floor_coefficient' && (d.key.coefficients === undefined || d.key.basis === undefined))
    problems.push({ zh: '楼层系数法未记录各层系数', en: 'a floor-coefficient key with no coefficients recorded' });
  const vote = alterationVoteProblem(ctx, d, evidence);
  return { problems, vote, householdId, evidence };
}

/** The shares `weights` (exact decimals, in household order) split `amountFen` into; null if one is not a decimal. */
function splitOf(amountFen: Fen, weights: readonly string[]): bigint[] | null {
  if (!weights.every((w) => /^\d{1,30}(\.\d{1,30})?$/.test(w))) return null;
  if (amountFen > 0n && weights.every((w) => /^0+(\.0+)?$/.test(w))) return null;
  return splitLargestRemainder(amountFen, weights);
}

function alterationVoteProblem(
  ctx: Context,
  d: CostSharePlanAdopted,
  evidence: Evidence[],
): { zh: string; en: string } | null {
  const items = alterationItemsOn(ctx.today);
  const lines = d.lineIds
    .map((lineId) => readLine(ctx.db, d.projectId, lineId))
    .filter((l): l is LineFact => l !== undefined && items.includes(l.item));
  if (lines.length === 0) return null;
  const line = `${lines[0].lineId}（${labelOf(ITEM_LABELS, lines[0].item).zh}）`;
  if (d.voteId === undefined)
    return {
      zh: `预算项 ${line} 属改建，方案未依据业主表决`,
      en: `line ${lines[0].lineId} (${lines[0].item}) alters the building and the plan names no owners' vote`,
    };
  const vote = readVote(ctx.db, d.projectId, d.voteId);
  if (vote) evidence.push(evidenceOf(vote));
  if (!vote) return { zh: `表决 ${d.voteId} 未记录`, en: `vote ${d.voteId} is not recorded` };
  if (vote.matter !== 'alteration' || Number(vote.passed) !== 1)
    return {
      zh: `表决 ${d.voteId} 不是通过的改建表决`,
      en: `vote ${d.voteId} is not a passed alteration vote (${vote.matter}, ${Number(vote.passed) === 1 ? 'passed' : 'not passed'})`,
    };
  return null;
}

// ---------------------------------------------------------------------------------------------
// writing the flags

/**
 * Writes what a rule found on a subject: each finding is its occurrence (1, 2, … in date order),
 * inserted or brought up to date; an occurrence on record that the rule no longer finds is
 * cleared on the event's date (never deleted: what the ledger once showed stays in its history).
 */
function settle(ctx: Context, e: Evaluation): void {
  if (e.unchanged) return;
  let occurrence = 0;
  for (const finding of e.findings) {
    const flag = toFlag(finding, occurrence + 1);
    if (!flag) continue;
    occurrence += 1;
    prepared(
      ctx.db,
      `INSERT INTO red_flags (flag_id, code, severity, scope, subject, occurrence, project_id, batch_id, line_id, household_id,
         allocation_id, plan_id, raised_at, cleared_at, message_zh, message_en, figures, evidence, evidence_count, rule_id,
         citation, quote, last_position)
       VALUES (@flagId, @code, @severity, @scope, @subject, @occurrence, @projectId, @batchId, @lineId, @householdId,
         @allocationId, @planId, @raisedAt, @clearedAt, @zh, @en, @figures, @evidence, @evidenceCount, @ruleId, @citation, @quote, @position)
       ON CONFLICT (flag_id) DO UPDATE SET severity = excluded.severity, raised_at = excluded.raised_at,
         cleared_at = excluded.cleared_at, message_zh = excluded.message_zh, message_en = excluded.message_en,
         figures = excluded.figures, evidence = excluded.evidence, evidence_count = excluded.evidence_count,
         rule_id = excluded.rule_id, citation = excluded.citation, quote = excluded.quote, household_id = excluded.household_id,
         last_position = excluded.last_position`,
    ).run({
      flagId: flag.flagId,
      code: flag.code,
      severity: flag.severity,
      scope: e.scope,
      subject: e.subject,
      occurrence,
      projectId: flag.projectId,
      batchId: flag.batchId,
      lineId: flag.lineId,
      householdId: flag.householdId,
      allocationId: flag.allocationId,
      planId: flag.planId,
      raisedAt: flag.raisedAt,
      clearedAt: flag.clearedAt,
      zh: flag.message.zh,
      en: flag.message.en,
      figures: JSON.stringify(flag.figures),
      evidence: JSON.stringify(flag.evidence),
      evidenceCount: flag.evidenceCount,
      ruleId: flag.rule.ruleId,
      citation: flag.rule.citation,
      quote: flag.rule.quote,
      position: ctx.position,
    });
  }
  prepared(
    ctx.db,
    `UPDATE red_flags SET cleared_at = CASE WHEN raised_at > @today THEN raised_at ELSE @today END, last_position = @position
     WHERE scope = @scope AND code = @code AND subject = @subject AND occurrence > @occurrence AND cleared_at IS NULL`,
  ).run({ today: ctx.today, position: ctx.position, scope: e.scope, code: e.code, subject: e.subject, occurrence });
}
