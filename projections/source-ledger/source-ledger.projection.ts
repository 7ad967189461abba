import type Database from 'better-sqlite3';
import { LedgerRecord, LedgerRecordOf } from '../../src/events/ledger-events';
import {
  AllocationReversed,
  FundBatchIssued,
  FundBatchEventType as B,
  FundsAllocated,
} from '../../src/fund-batch/fund-batch.events';
import { isBatchSource, isInKind } from '../../src/project/funding-sources';
import {
  AllocationRecorded,
  AllocationReleased,
  EntryReversed,
  FIGURES_OF_ENTRY,
  LedgerEntryKind,
  ProjectEventType as T,
  ReversalReversed,
} from '../../src/project/project.events';
import { assertNever } from '../../src/shared/domain/domain-error';
import { Fen, fenOfStored } from '../../src/shared/money/money';
import { positionKey } from '../../src/shared/projection/position-key';
import { prepared } from '../../src/shared/projection/prepared';
import { ProjectionDefinition } from '../../src/shared/projection/projection-definition';
import { FlowKind } from './source-ledger.query';

const HANDLES = [
  T.pledged,
  T.received,
  T.disbursed,
  T.treasuryPaid,
  T.reversed,
  T.reversalReversed,
  T.allocationRecorded,
  T.allocationReleased,
  B.issued,
  B.allocated,
  B.allocationReversed,
] as const;

/**
 * The finance bureau's source ledger (domain.md §6), in fen:
 *
 * - `source_ledger`: per source × fiscal year × project, what was pledged, allocated from fund
 *   batches, received and disbursed, and the receipts from batch sources that name no allocation.
 *   Pledges, receipts and payments count in their own fiscal year; allocations in their batch's.
 *   A reversal has no fiscal year of its own: it reduces the row of the entry it reverses, found in
 *   `source_ledger_entries`; a reversal reversed gives that row back what it took (or, undoing an
 *   undo, takes it again).
 * - `source_ledger_entries`: every pledge, receipt, payment and treasury payment with its amount
 *   and what reversals took off it (the conservation checks total these independently of the rows
 *   above), and whether it is in kind (isInKind: its reversals are too; the reports' 现金 / 实物
 *   split). A treasury payment (国库集中支付·直接支付) is received and disbursed at once: it counts
 *   in both figures of its row, once each.
 * - `source_ledger_batches`, `source_ledger_allocations`: fund batches, and each allocation as the
 *   batch sees it (net of reversals) beside the project's copy (net of releases): the two differ
 *   while an allocation awaits its project's record (src/funding/fund-batches/fund-batch.handlers.ts).
 * - `source_ledger_flows`: the dated receipts, payments, treasury payments and their reversals on
 *   allocations, from which idle money is aged (src/reports/idle-money.ts).
 * - `source_ledger_sums`, `source_ledger_source_projects`, `source_ledger_source_counts`,
 *   `source_ledger_issued`, `source_ledger_issued_flows`: the sources report's subtotals kept as the rows change (issue 19
 *   point 9), so its totals view reads a few dozen rows, not the district's: per source × fiscal
 *   year the rows' figures summed, the plan (per row the larger of pledged and allocated) and the
 *   rows with any figure (one per project); per source and project how many of its rows have any
 *   figure, and per source how many projects have one; per source × fiscal year the batches'
 *   amount issued, and what arrived and was paid on its allocations (the rates' base). SQLite triggers on the rows keep them, so they change in the statement that
 *   changes a row, in its transaction, on every path that writes one (SUM_TRIGGERS).
 * - `source_ledger_batches.version`: the last position that changed the batch, its allocations or
 *   its flows (kept by triggers too), so what changed since a position is read by an index, not by
 *   counting every batch's rows (src/reports/batch-totals.ts).
 *
 * Idempotent by global position: rows that add up remember the last position applied to them;
 * rows that record one event are keyed by its id and never written twice.
 */
/** The figures of a source_ledger row, as its columns. */
const FIGURES = ['pledged_fen', 'allocated_fen', 'received_fen', 'disbursed_fen', 'unallocated_fen'] as const;
/** Whether row `r` (NEW or OLD) has any figure: 1 or 0, as readSourceLedger lists it. */
const anyFigure = (r: string) => `(${FIGURES.map((f) => `${r}.${f} <> 0`).join(' OR ')})`;
const planned = (r: string) => `max(${r}.pledged_fen, ${r}.allocated_fen)`;

/**
 * What a change of a source_ledger row from `before` to `after` (NEW, OLD, or null for none) adds
 * to the sums: its figures' differences, its plan's, and whether it starts or stops having any
 * figure, for its source × year and for its source and project.
 */
function sumsMoved(after: string, before: string | null): string {
  const minus = (e: (r: string) => string) => (before === null ? e(after) : `${e(after)} - ${e(before)}`);
  const rows = minus(anyFigure);
  return `
      INSERT INTO source_ledger_sums (source, fiscal_year, ${FIGURES.join(', ')}, planned_fen, projects)
      VALUES (${after}.source, ${after}.fiscal_year, ${FIGURES.map((f) => minus((r) => `${r}.${f}`)).join(', ')},
        ${minus(planned)}, ${rows})
      ON CONFLICT (source, fiscal_year) DO UPDATE SET
        ${[...FIGURES, 'planned_fen', 'projects'].map((c) => `${c} = ${c} + excluded.${c}`).join(', ')};
      INSERT INTO source_ledger_source_projects (source, project_id, years)
      SELECT ${after}.source, ${after}.project_id, ${rows} WHERE ${rows} <> 0
      ON CONFLICT (source, project_id) DO UPDATE SET years = years + excluded.years;`;
}

/** How a source's count of projects moves when a project's `years` goes from `before` to `after`. */
const countMoved = (after: string, before: string) => `
      INSERT INTO source_ledger_source_counts (source, projects) VALUES (NEW.source, (${after} > 0) - (${before} > 0))
      ON CONFLICT (source) DO UPDATE SET projects = projects + excluded.projects;`;

/**
 * The triggers that keep the sums and the batches' versions (see the module comment). A trigger
 * runs inside the statement that fired it, so a read never sees a row without its sums; and it
 * fires only when a row changes, so an event skipped by a row's position guard moves nothing.
 */
const SUM_TRIGGERS = `
    CREATE TRIGGER source_ledger_summed_on_insert AFTER INSERT ON source_ledger BEGIN ${sumsMoved('NEW', null)}
    END;
    CREATE TRIGGER source_ledger_summed_on_update AFTER UPDATE ON source_ledger BEGIN ${sumsMoved('NEW', 'OLD')}
    END;
    CREATE TRIGGER source_ledger_counted_on_insert AFTER INSERT ON source_ledger_source_projects BEGIN ${countMoved('NEW.years', '0')}
    END;
    CREATE TRIGGER source_ledger_counted_on_update AFTER UPDATE ON source_ledger_source_projects
    WHEN (NEW.years > 0) <> (OLD.years > 0) BEGIN ${countMoved('NEW.years', 'OLD.years')}
    END;
    CREATE TRIGGER source_ledger_issued_on_insert AFTER INSERT ON source_ledger_batches BEGIN
      INSERT INTO source_ledger_issued (source, fiscal_year, amount_fen) VALUES (NEW.source, NEW.fiscal_year, NEW.amount_fen)
      ON CONFLICT (source, fiscal_year) DO UPDATE SET amount_fen = amount_fen + excluded.amount_fen;
    END;
    CREATE TRIGGER source_ledger_batch_moved_by_allocation AFTER INSERT ON source_ledger_allocations BEGIN
      UPDATE source_ledger_batches SET version = NEW.last_position WHERE batch_id = NEW.batch_id AND version < NEW.last_position;
      -- flows a history delivered before their allocation's row: counted once the row says whose they are
      INSERT INTO source_ledger_issued_flows (source, fiscal_year, kind, amount_fen)
        SELECT NEW.source, NEW.fiscal_year, f.kind, SUM(f.amount_fen) FROM source_ledger_flows f
        WHERE f.batch_id = NEW.batch_id AND f.allocation_id = NEW.allocation_id GROUP BY f.kind
      ON CONFLICT (source, fiscal_year, kind) DO UPDATE SET amount_fen = amount_fen + excluded.amount_fen;
    END;
    CREATE TRIGGER source_ledger_batch_moved_by_allocation_update AFTER UPDATE ON source_ledger_allocations BEGIN
      UPDATE source_ledger_batches SET version = NEW.last_position WHERE batch_id = NEW.batch_id AND version < NEW.last_position;
    END;
    CREATE TRIGGER source_ledger_batch_moved_by_flow AFTER INSERT ON source_ledger_flows BEGIN
      UPDATE source_ledger_batches SET version = NEW.position WHERE batch_id = NEW.batch_id AND version < NEW.position;
      INSERT INTO source_ledger_issued_flows (source, fiscal_year, kind, amount_fen)
        SELECT a.source, a.fiscal_year, NEW.kind, NEW.amount_fen FROM source_ledger_allocations a
        WHERE a.batch_id = NEW.batch_id AND a.allocation_id = NEW.allocation_id
      ON CONFLICT (source, fiscal_year, kind) DO UPDATE SET amount_fen = amount_fen + excluded.amount_fen;
    END;`;

export const sourceLedgerProjection: ProjectionDefinition<LedgerRecordOf<(typeof HANDLES)[number]>> = {
  name: 'source-ledger',
  version: 6,
  tables: [
    'source_ledger',
    'source_ledger_entries',
    'source_ledger_batches',
    'source_ledger_allocations',
    'source_ledger_flows',
    'source_ledger_sums',
    'source_ledger_source_projects',
    'source_ledger_source_counts',
    'source_ledger_issued',
    'source_ledger_issued_flows',
  ],
  schema: `
    CREATE TABLE source_ledger (
      source          TEXT    NOT NULL,
      fiscal_year     INTEGER NOT NULL,
      project_id      TEXT    NOT NULL,
      pledged_fen     INTEGER NOT NULL DEFAULT 0,
      allocated_fen   INTEGER NOT NULL DEFAULT 0,
      received_fen    INTEGER NOT NULL DEFAULT 0,
      disbursed_fen   INTEGER NOT NULL DEFAULT 0,
      unallocated_fen INTEGER NOT NULL DEFAULT 0, -- received from a batch source, naming no allocation
      last_position   NOT NULL,                   -- positionKey(): no declared type, so no affinity converts it
      PRIMARY KEY (source, fiscal_year, project_id)
    ) WITHOUT ROWID;
    CREATE TABLE source_ledger_entries (
      project_id    TEXT    NOT NULL,
      entry_id      TEXT    NOT NULL,
      kind          TEXT    NOT NULL,             -- pledge | receipt | payment | treasury_payment
      source        TEXT    NOT NULL,
      fiscal_year   INTEGER NOT NULL,
      batch_id      TEXT,
      allocation_id TEXT,
      amount_fen    INTEGER NOT NULL,
      reversed_fen  INTEGER NOT NULL DEFAULT 0,
      in_kind       INTEGER NOT NULL DEFAULT 0,   -- 1: a contribution in kind (isInKind)
      last_position NOT NULL,
      PRIMARY KEY (project_id, entry_id)
    ) WITHOUT ROWID;
    CREATE TABLE source_ledger_batches (
      batch_id    TEXT    PRIMARY KEY,
      source      TEXT    NOT NULL,
      program     TEXT,
      doc_no      TEXT    NOT NULL,
      fiscal_year INTEGER NOT NULL,
      amount_fen  INTEGER NOT NULL,
      issued_on   TEXT    NOT NULL,
      version     NOT NULL                        -- positionKey(): the last position that changed it, its allocations or flows
    ) WITHOUT ROWID;
    CREATE INDEX source_ledger_batches_by_version ON source_ledger_batches (version);
    CREATE TABLE source_ledger_allocations (
      batch_id      TEXT    NOT NULL,
      allocation_id TEXT    NOT NULL,
      project_id    TEXT    NOT NULL,
      source        TEXT    NOT NULL,
      fiscal_year   INTEGER NOT NULL,
      allocated_on  TEXT    NOT NULL,
      allocated_fen INTEGER NOT NULL DEFAULT 0,   -- the batch's side, net of its reversals
      recorded_fen  INTEGER NOT NULL DEFAULT 0,   -- the project's copy, net of its releases
      last_position NOT NULL,
      PRIMARY KEY (batch_id, allocation_id)
    ) WITHOUT ROWID;
    CREATE TABLE source_ledger_flows (
      project_id    TEXT    NOT NULL,
      flow_id       TEXT    NOT NULL,             -- the receipt, payment or reversal id (one namespace per project)
      batch_id      TEXT    NOT NULL,
      allocation_id TEXT    NOT NULL,
      kind          TEXT    NOT NULL,             -- receipt | payment | treasury-payment, or one of them + '-reversal'
      entry_id      TEXT    NOT NULL,             -- a reversal's entry; the entry itself otherwise
      root_id       TEXT    NOT NULL,             -- the entry at the root of its chain of reversals (an undo's entry_id is itself)
      on_date       TEXT    NOT NULL,
      amount_fen    INTEGER NOT NULL,
      position      NOT NULL,
      PRIMARY KEY (project_id, flow_id)
    ) WITHOUT ROWID;
    CREATE INDEX source_ledger_flows_by_allocation ON source_ledger_flows (batch_id, allocation_id, on_date, position);
    CREATE TABLE source_ledger_sums (
      source          TEXT    NOT NULL,
      fiscal_year     INTEGER NOT NULL,
      pledged_fen     INTEGER NOT NULL,
      allocated_fen   INTEGER NOT NULL,
      received_fen    INTEGER NOT NULL,
      disbursed_fen   INTEGER NOT NULL,
      unallocated_fen INTEGER NOT NULL,
      planned_fen     INTEGER NOT NULL,           -- per row the larger of pledged and allocated (withPlanned)
      projects        INTEGER NOT NULL,           -- the rows with any figure: one per project
      PRIMARY KEY (source, fiscal_year)
    ) WITHOUT ROWID;
    CREATE TABLE source_ledger_source_projects (
      source     TEXT    NOT NULL,
      project_id TEXT    NOT NULL,
      years      INTEGER NOT NULL,                -- the project's rows of this source with any figure
      PRIMARY KEY (source, project_id)
    ) WITHOUT ROWID;
    CREATE TABLE source_ledger_source_counts (
      source   TEXT    PRIMARY KEY,
      projects INTEGER NOT NULL                   -- the projects with a row of this source with any figure
    ) WITHOUT ROWID;
    CREATE TABLE source_ledger_issued (
      source      TEXT    NOT NULL,
      fiscal_year INTEGER NOT NULL,
      amount_fen  INTEGER NOT NULL,
      PRIMARY KEY (source, fiscal_year)
    ) WITHOUT ROWID;
    CREATE TABLE source_ledger_issued_flows (     -- the flows on allocations, by the batch's source and year (readIssuedFlowSums)
      source      TEXT    NOT NULL,
      fiscal_year INTEGER NOT NULL,
      kind        TEXT    NOT NULL,
      amount_fen  INTEGER NOT NULL,
      PRIMARY KEY (source, fiscal_year, kind)
    ) WITHOUT ROWID;
    ${SUM_TRIGGERS}`,
  handles: HANDLES,
  apply(db, event) {
    switch (event.type) {
      case T.pledged:
        return entry(db, event, 'pledge', event.data, event.data.pledgeId, event.data.pledgedOn);
      case T.received:
        return entry(db, event, 'receipt', event.data, event.data.receiptId, event.data.receivedOn);
      case T.disbursed:
        return entry(db, event, 'payment', event.data, event.data.paymentId, event.data.paidOn);
      case T.treasuryPaid:
        return entry(db, event, 'treasury_payment', event.data, event.data.paymentId, event.data.paidOn);
      case T.reversed:
        return reversal(db, event, event.data);
      case T.reversalReversed:
        return reversalReversed(db, event, event.data);
      case T.allocationRecorded:
        return recorded(db, event, event.data);
      case T.allocationReleased:
        return released(db, event, event.data);
      case B.issued:
        return issued(db, event, event.data);
      case B.allocated:
        return allocated(db, event, event.data, event.data.allocatedOn, 1n);
      case B.allocationReversed:
        return allocated(db, event, event.data, event.data.reversedOn, -1n);
      default:
        return assertNever(event, 'event');
    }
  },
};

type EntryData = {
  projectId: string;
  source: string;
  fiscalYear: number;
  amount: string;
  allocationId?: string;
  batchId?: string;
  /** A pledge's or receipt's sub-fields (a payment has none). */
  details?: Readonly<Record<string, unknown>>;
};
interface Deltas {
  pledged?: Fen;
  allocated?: Fen;
  received?: Fen;
  disbursed?: Fen;
  unallocated?: Fen;
}

function entry(
  db: Database.Database,
  event: LedgerRecord,
  kind: LedgerEntryKind,
  d: EntryData,
  entryId: string,
  onDate: string,
): void {
  const fen = fenOfStored(d.amount);
  prepared(
    db,
    `
    INSERT INTO source_ledger_entries (project_id, entry_id, kind, source, fiscal_year, batch_id, allocation_id, amount_fen, in_kind, last_position)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  ).run(
    d.projectId,
    entryId,
    kind,
    d.source,
    d.fiscalYear,
    d.batchId ?? null,
    d.allocationId ?? null,
    fen,
    isInKind(d.source, d.details) ? 1 : 0,
    positionKey(event.position),
  );
  bump(db, event, d.source, d.fiscalYear, d.projectId, entryDeltas(kind, d.source, d.allocationId, fen));
  if (kind !== 'pledge' && d.allocationId !== undefined && d.batchId !== undefined) {
    flow(db, event, d.projectId, entryId, d.batchId, d.allocationId, flowKind(kind), entryId, entryId, onDate, fen);
  }
}

/** A reversal reduces the row of the entry it reverses (that entry's fiscal year), and the entry. */
function reversal(db: Database.Database, event: LedgerRecord, r: EntryReversed): void {
  const fen = fenOfStored(r.amount);
  takenBack(db, event, r, fen, (kind) => ({ kind: `${kind}-reversal`, entryId: r.entryId }));
}

/**
 * A reversal reversed: undoing a reversal (`restores`) gives the entry back what it took, and on an
 * allocation is a receipt or payment again from its date (a flow of its own, which a later undo
 * names); undoing an undo takes it back again, a reversal of that flow.
 */
function reversalReversed(db: Database.Database, event: LedgerRecord, r: ReversalReversed): void {
  const fen = fenOfStored(r.amount);
  takenBack(db, event, r, r.restores ? -fen : fen, (kind) =>
    r.restores ? { kind, entryId: r.reversalId } : { kind: `${kind}-reversal`, entryId: r.reversedReversalId },
  );
}

/**
 * Takes `takenFen` of entry `r.entryId` back (a negative amount gives it back): from its row, in
 * its fiscal year, and from the entry; on an allocation, records the flow `flowOf` names.
 */
function takenBack(
  db: Database.Database,
  event: LedgerRecord,
  r: EntryReversed | ReversalReversed,
  takenFen: Fen,
  flowOf: (kind: FlowKind) => { kind: string; entryId: string },
): void {
  const reversed = prepared(
    db,
    'SELECT kind, source, fiscal_year, allocation_id FROM source_ledger_entries WHERE project_id = ? AND entry_id = ?',
  ).get(r.projectId, r.entryId) as
    { kind: LedgerEntryKind; source: string; fiscal_year: bigint; allocation_id: string | null } | undefined;
  // The ledger never accepts a reversal of an unknown entry; a history cut at `asOf` can still hold
  // one whose entry is dated later. It reverses nothing that the cut kept.
  if (!reversed) return;
  const pos = positionKey(event.position);
  prepared(
    db,
    'UPDATE source_ledger_entries SET reversed_fen = reversed_fen + ?, last_position = ? WHERE project_id = ? AND entry_id = ? AND last_position < ?',
  ).run(takenFen, pos, r.projectId, r.entryId, pos);
  bump(
    db,
    event,
    reversed.source,
    Number(reversed.fiscal_year),
    r.projectId,
    entryDeltas(reversed.kind, reversed.source, reversed.allocation_id ?? undefined, -takenFen),
  );
  if (reversed.kind !== 'pledge' && r.allocationId !== undefined && r.batchId !== undefined) {
    const f = flowOf(flowKind(reversed.kind));
    const fen = takenFen < 0n ? -takenFen : takenFen;
    flow(
      db,
      event,
      r.projectId,
      r.reversalId,
      r.batchId,
      r.allocationId,
      f.kind,
      f.entryId,
      r.entryId,
      r.reversedOn,
      fen,
    );
  }
}

/** The flow kind of an entry on an allocation (a pledge has none). */
function flowKind(kind: Exclude<LedgerEntryKind, 'pledge'>): FlowKind {
  return kind === 'treasury_payment' ? 'treasury-payment' : kind;
}

/** What an entry of `kind` adds to its row: its figures, and for a receipt from a batch source naming no allocation, unallocated. */
function entryDeltas(kind: LedgerEntryKind, source: string, allocationId: string | undefined, fen: Fen): Deltas {
  const deltas: Deltas = {};
  for (const figure of FIGURES_OF_ENTRY[kind]) deltas[figure] = fen;
  // A treasury payment is always on an allocation: never unallocated.
  if (kind === 'receipt' && allocationId === undefined && isBatchSource(source)) deltas.unallocated = fen;
  return deltas;
}

function issued(db: Database.Database, event: LedgerRecord, b: FundBatchIssued): void {
  prepared(
    db,
    `
    INSERT INTO source_ledger_batches (batch_id, source, program, doc_no, fiscal_year, amount_fen, issued_on, version)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  ).run(
    b.batchId,
    b.source,
    b.program ?? null,
    b.docNo,
    b.fiscalYear,
    fenOfStored(b.amount),
    b.issuedOn,
    positionKey(event.position),
  );
}

/** An allocation (sign 1) or its reversal (sign −1), as the batch stream records it, dated `allocatedOn`. */
function allocated(
  db: Database.Database,
  event: LedgerRecord,
  a: FundsAllocated | AllocationReversed,
  allocatedOn: string,
  sign: bigint,
): void {
  const fen = sign * fenOfStored(a.amount);
  allocation(db, event, a.batchId, a.allocationId, a.projectId, a.source, a.fiscalYear, allocatedOn, fen, 0n);
  bump(db, event, a.source, a.fiscalYear, a.projectId, { allocated: fen });
}

function recorded(db: Database.Database, event: LedgerRecord, a: AllocationRecorded): void {
  allocation(
    db,
    event,
    a.batchId,
    a.allocationId,
    a.projectId,
    a.source,
    a.fiscalYear,
    a.allocatedOn,
    0n,
    fenOfStored(a.amount),
  );
}

function released(db: Database.Database, event: LedgerRecord, a: AllocationReleased): void {
  const pos = positionKey(event.position);
  prepared(
    db,
    'UPDATE source_ledger_allocations SET recorded_fen = recorded_fen - ?, last_position = ? WHERE batch_id = ? AND allocation_id = ? AND last_position < ?',
  ).run(fenOfStored(a.amount), pos, a.batchId, a.allocationId, pos);
}

function allocation(
  db: Database.Database,
  event: LedgerRecord,
  batchId: string,
  allocationId: string,
  projectId: string,
  source: string,
  fiscalYear: number,
  allocatedOn: string,
  allocatedFen: Fen,
  recordedFen: Fen,
): void {
  prepared(
    db,
    `
    INSERT INTO source_ledger_allocations (batch_id, allocation_id, project_id, source, fiscal_year, allocated_on, allocated_fen, recorded_fen, last_position)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (batch_id, allocation_id) DO UPDATE SET
      allocated_fen = allocated_fen + excluded.allocated_fen,
      recorded_fen = recorded_fen + excluded.recorded_fen,
      last_position = excluded.last_position
    WHERE excluded.last_position > source_ledger_allocations.last_position`,
  ).run(
    batchId,
    allocationId,
    projectId,
    source,
    fiscalYear,
    allocatedOn,
    allocatedFen,
    recordedFen,
    positionKey(event.position),
  );
}

function flow(
  db: Database.Database,
  event: LedgerRecord,
  projectId: string,
  flowId: string,
  batchId: string,
  allocationId: string,
  kind: string,
  entryId: string,
  rootId: string,
  onDate: string,
  fen: Fen,
): void {
  prepared(
    db,
    `
    INSERT INTO source_ledger_flows (project_id, flow_id, batch_id, allocation_id, kind, entry_id, root_id, on_date, amount_fen, position)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  ).run(projectId, flowId, batchId, allocationId, kind, entryId, rootId, onDate, fen, positionKey(event.position));
}

function bump(
  db: Database.Database,
  event: LedgerRecord,
  source: string,
  fiscalYear: number,
  projectId: string,
  d: Deltas,
): void {
  prepared(
    db,
    `
    INSERT INTO source_ledger (source, fiscal_year, project_id, pledged_fen, allocated_fen, received_fen, disbursed_fen, unallocated_fen, last_position)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (source, fiscal_year, project_id) DO UPDATE SET
      pledged_fen = pledged_fen + excluded.pledged_fen,
      allocated_fen = allocated_fen + excluded.allocated_fen,
      received_fen = received_fen + excluded.received_fen,
      disbursed_fen = disbursed_fen + excluded.disbursed_fen,
      unallocated_fen = unallocated_fen + excluded.unallocated_fen,
      last_position = excluded.last_position
    WHERE excluded.last_position > source_ledger.last_position`,
  ).run(
    source,
    fiscalYear,
    projectId,
    d.pledged ?? 0n,
    d.allocated ?? 0n,
    d.received ?? 0n,
    d.disbursed ?? 0n,
    d.unallocated ?? 0n,
    positionKey(event.position),
  );
}
