import type Database from 'better-sqlite3';
import { EntryFigure, FIGURES_OF_ENTRY, LedgerEntryKind } from '../../src/project/project.events';
import { assert } from '../../src/shared/domain/domain-error';
import { MovedFen } from '../../src/project/funding-sources';
import { Fen } from '../../src/shared/money/money';

/** The figures of a source-ledger row, in fen, net of reversals. */
export interface LedgerFen {
  pledgedFen: Fen;
  allocatedFen: Fen;
  receivedFen: Fen;
  disbursedFen: Fen;
  /** Received from a batch source without naming an allocation. */
  unallocatedFen: Fen;
}

export interface SourceLedgerRow extends LedgerFen {
  source: string;
  fiscalYear: number;
  projectId: string;
}

export interface FundBatchRecord {
  batchId: string;
  source: string;
  program: string | null;
  docNo: string;
  fiscalYear: number;
  amountFen: Fen;
  issuedOn: string;
}

export interface AllocationRecord {
  batchId: string;
  allocationId: string;
  projectId: string;
  source: string;
  fiscalYear: number;
  allocatedOn: string;
  /** The batch's side, net of its reversals. */
  allocatedFen: Fen;
  /** The project's copy, net of its releases. */
  recordedFen: Fen;
}

/** A booking flow (`treasury-payment`: received and paid at once), or a reversal of one. */
export type FlowKind = 'receipt' | 'payment' | 'treasury-payment';
export type AnyFlowKind = FlowKind | `${FlowKind}-reversal`;

/** A dated receipt, payment or reversal on an allocation; amounts are positive. */
export interface AllocationFlow {
  batchId: string;
  allocationId: string;
  projectId: string;
  flowId: string;
  kind: AnyFlowKind;
  /** The entry a reversal reverses; for a receipt or payment, itself. */
  entryId: string;
  /** The entry at the root of its chain of reversals: an undo of a reversal nets as an entry of its own, yet restores this one. */
  rootId: string;
  onDate: string;
  amountFen: Fen;
}

export interface BatchFilter {
  fiscalYear?: number;
  source?: string;
  batchId?: string;
}

/** Every row (optionally of one fiscal year) with any figure, by source, fiscal year and project. */
export function readSourceLedger(db: Database.Database, fiscalYear?: number): SourceLedgerRow[] {
  const rows = db
    .prepare(
      `
    SELECT source, fiscal_year, project_id, pledged_fen, allocated_fen, received_fen, disbursed_fen, unallocated_fen
    FROM source_ledger
    WHERE (@fy IS NULL OR fiscal_year = @fy)
      AND (pledged_fen <> 0 OR allocated_fen <> 0 OR received_fen <> 0 OR disbursed_fen <> 0 OR unallocated_fen <> 0)
    ORDER BY source, fiscal_year, project_id`,
    )
    .all({ fy: fiscalYear ?? null }) as Row[];
  return rows.map((r) => ({
    source: r.source,
    fiscalYear: Number(r.fiscal_year),
    projectId: r.project_id,
    pledgedFen: r.pledged_fen,
    allocatedFen: r.allocated_fen,
    receivedFen: r.received_fen,
    disbursedFen: r.disbursed_fen,
    unallocatedFen: r.unallocated_fen,
  }));
}

/** Per source, its rows (optionally of one fiscal year) with any figure summed, the plan, and the projects with one. */
export type SourceSumRow = LedgerFen & { source: string; plannedFen: Fen; projects: number };

/**
 * The rows (optionally of one fiscal year) with any figure, summed per source: the figures, the
 * plan (per row the larger of pledged and allocated: withPlanned), and the projects with a row.
 * Read from the sums the projection keeps per source × year as the rows change, so it reads a few
 * rows per source whatever the district's size (its spec holds them to the rows' own sums).
 */
export function readSourceSums(db: Database.Database, fiscalYear?: number): SourceSumRow[] {
  const rows = db
    .prepare(
      `
    SELECT s.source, SUM(pledged_fen) AS pledged, SUM(allocated_fen) AS allocated, SUM(received_fen) AS received,
      SUM(disbursed_fen) AS disbursed, SUM(unallocated_fen) AS unallocated, SUM(planned_fen) AS planned,
      CASE WHEN @fy IS NULL THEN c.projects ELSE SUM(s.projects) END AS projects
    FROM source_ledger_sums s LEFT JOIN source_ledger_source_counts c ON c.source = s.source
    WHERE (@fy IS NULL OR fiscal_year = @fy)
    GROUP BY s.source HAVING SUM(s.projects) > 0`,
    )
    .all({ fy: fiscalYear ?? null }) as Row[];
  return rows.map(sourceSumOf);
}

const sourceSumOf = (r: Row): SourceSumRow => ({
  source: r.source,
  pledgedFen: BigInt(r.pledged),
  allocatedFen: BigInt(r.allocated),
  receivedFen: BigInt(r.received),
  disbursedFen: BigInt(r.disbursed),
  unallocatedFen: BigInt(r.unallocated),
  plannedFen: BigInt(r.planned),
  projects: Number(r.projects),
});

/** The amount issued per source by the batches (optionally of one fiscal year), as the projection keeps it. */
export function readIssuedBySource(db: Database.Database, fiscalYear?: number): { source: string; amountFen: Fen }[] {
  const rows = db
    .prepare(
      `SELECT source, SUM(amount_fen) AS amount FROM source_ledger_issued
    WHERE (@fy IS NULL OR fiscal_year = @fy) GROUP BY source ORDER BY source`,
    )
    .all({ fy: fiscalYear ?? null }) as Row[];
  return rows.map((r) => ({ source: r.source, amountFen: BigInt(r.amount) }));
}

/**
 * The flows on the batches' allocations (optionally of the batches of one fiscal year) summed per
 * source and kind: the money issued that arrived and was paid, as the batch list counts it (every
 * flow on an allocation, net of reversals once the kinds are signed: flowMoney).
 */
export function readIssuedFlowSums(
  db: Database.Database,
  fiscalYear?: number,
): { source: string; kind: AnyFlowKind; amountFen: Fen }[] {
  const rows = db
    .prepare(
      `SELECT source, kind, SUM(amount_fen) AS amount FROM source_ledger_issued_flows
      WHERE @fiscalYear IS NULL OR fiscal_year = @fiscalYear GROUP BY source, kind ORDER BY source, kind`,
    )
    .all({ fiscalYear: fiscalYear ?? null }) as Row[];
  return rows.map((r) => ({ source: r.source, kind: r.kind as AnyFlowKind, amountFen: BigInt(r.amount) }));
}

/** Received per project over every fiscal year, by the source ledger's rows. */
export function readReceivedByProject(db: Database.Database): Map<string, Fen> {
  const rows = db
    .prepare('SELECT project_id, SUM(received_fen) AS received FROM source_ledger GROUP BY project_id')
    .all() as { project_id: string; received: bigint }[];
  return new Map(rows.map((r) => [r.project_id, BigInt(r.received)]));
}

/**
 * Pledged, received and disbursed from the entries themselves (amount less what reversals took),
 * by the entries' fiscal year: a total computed apart from the rows, for the conservation checks.
 */
export function readEntryTotals(
  db: Database.Database,
  fiscalYear?: number,
): { pledgedFen: Fen; receivedFen: Fen; disbursedFen: Fen } {
  const { cash, inKind } = entryTotalsByKind(db, fiscalYear);
  return {
    pledgedFen: cash.pledged + inKind.pledged,
    receivedFen: cash.received + inKind.received,
    disbursedFen: cash.disbursed + inKind.disbursed,
  };
}

/** Received and disbursed of the entries in cash and of those in kind (isInKind), net of reversals, by fiscal year. */
export function readKindTotals(db: Database.Database, fiscalYear?: number): { cash: MovedFen; inKind: MovedFen } {
  const { cash, inKind } = entryTotalsByKind(db, fiscalYear);
  const moved = (t: Record<EntryFigure, Fen>): MovedFen => ({ receivedFen: t.received, disbursedFen: t.disbursed });
  return { cash: moved(cash), inKind: moved(inKind) };
}

function entryTotalsByKind(
  db: Database.Database,
  fiscalYear: number | undefined,
): { cash: Record<EntryFigure, Fen>; inKind: Record<EntryFigure, Fen> } {
  const rows = db
    .prepare(
      `
    SELECT kind, in_kind, COALESCE(SUM(amount_fen - reversed_fen), 0) AS net FROM source_ledger_entries
    WHERE (@fy IS NULL OR fiscal_year = @fy) GROUP BY kind, in_kind`,
    )
    .all({ fy: fiscalYear ?? null }) as { kind: LedgerEntryKind; in_kind: bigint; net: bigint }[];
  const totals = {
    cash: { pledged: 0n, received: 0n, disbursed: 0n },
    inKind: { pledged: 0n, received: 0n, disbursed: 0n },
  };
  for (const r of rows) {
    const figures = FIGURES_OF_ENTRY[r.kind];
    assert(figures !== undefined, `source_ledger_entries holds only ledger entry kinds (found ${r.kind})`);
    const side = BigInt(r.in_kind) === 1n ? totals.inKind : totals.cash;
    for (const figure of figures) side[figure] += BigInt(r.net);
  }
  return totals;
}

export function readFundBatches(db: Database.Database, filter: BatchFilter = {}): FundBatchRecord[] {
  const rows = db
    .prepare(
      `
    SELECT batch_id, source, program, doc_no, fiscal_year, amount_fen, issued_on FROM source_ledger_batches
    WHERE ${BATCH_WHERE} ORDER BY fiscal_year, batch_id`,
    )
    .all(batchParams(filter)) as Row[];
  return rows.map(batchOf);
}

const batchOf = (r: Row): FundBatchRecord => ({
  batchId: r.batch_id,
  source: r.source,
  program: r.program,
  docNo: r.doc_no,
  fiscalYear: Number(r.fiscal_year),
  amountFen: r.amount_fen,
  issuedOn: r.issued_on,
});

const SELECT_ALLOCATIONS = `
    SELECT batch_id, allocation_id, project_id, source, fiscal_year, allocated_on, allocated_fen, recorded_fen
    FROM source_ledger_allocations`;
const SELECT_FLOWS = `
    SELECT f.batch_id, f.allocation_id, f.project_id, f.flow_id, f.kind, f.entry_id, f.root_id, f.on_date, f.amount_fen
    FROM source_ledger_flows f JOIN source_ledger_allocations a ON a.batch_id = f.batch_id AND a.allocation_id = f.allocation_id`;

/** Allocations of the batches the filter selects, or (`fiscalYear` alone) every allocation of that year. */
export function readAllocations(db: Database.Database, filter: BatchFilter = {}): AllocationRecord[] {
  const rows = db
    .prepare(
      `${SELECT_ALLOCATIONS} a
    WHERE ${ALLOCATION_WHERE} ORDER BY batch_id, allocated_on, allocation_id`,
    )
    .all(batchParams(filter)) as Row[];
  return rows.map(allocationOf);
}

const allocationOf = (r: Row): AllocationRecord => ({
  batchId: r.batch_id,
  allocationId: r.allocation_id,
  projectId: r.project_id,
  source: r.source,
  fiscalYear: Number(r.fiscal_year),
  allocatedOn: r.allocated_on,
  allocatedFen: r.allocated_fen,
  recordedFen: r.recorded_fen,
});

/** The flows on those allocations, oldest first (by business date, then as recorded). */
export function readAllocationFlows(db: Database.Database, filter: BatchFilter = {}): AllocationFlow[] {
  const rows = db
    .prepare(
      `${SELECT_FLOWS}
    WHERE ${ALLOCATION_WHERE} ORDER BY f.on_date, f.position`,
    )
    .all(batchParams(filter)) as Row[];
  return rows.map(flowOf);
}

const flowOf = (r: Row): AllocationFlow => ({
  batchId: r.batch_id,
  allocationId: r.allocation_id,
  projectId: r.project_id,
  flowId: r.flow_id,
  kind: r.kind as AnyFlowKind,
  entryId: r.entry_id,
  rootId: r.root_id,
  onDate: r.on_date,
  amountFen: r.amount_fen,
});

/**
 * The allocations and their flows of the batches named, in the orders readAllocations and
 * readAllocationFlows give (each batch's a subsequence of theirs), by the batch key: a few
 * batches' rows without a scan of every flow (the filters above test a parameter for NULL, which
 * keeps SQLite from using the index).
 */
export function readBatchesRows(
  db: Database.Database,
  batchIds: readonly string[],
): { allocations: AllocationRecord[]; flows: AllocationFlow[] } {
  const ids = JSON.stringify(batchIds);
  const allocations = db
    .prepare(
      `${SELECT_ALLOCATIONS} WHERE batch_id IN (SELECT value FROM json_each(?))
    ORDER BY batch_id, allocated_on, allocation_id`,
    )
    .all(ids) as Row[];
  const flows = db
    .prepare(
      `${SELECT_FLOWS}
    WHERE f.batch_id IN (SELECT value FROM json_each(?)) ORDER BY f.on_date, f.position`,
    )
    .all(ids) as Row[];
  return { allocations: allocations.map(allocationOf), flows: flows.map(flowOf) };
}

/**
 * The batches changed after position `since` (issued, or an allocation or flow of theirs
 * written: the version the projection keeps), all of them from null, by the version's index:
 * O(batches changed). `version` is the latest position among them, to ask from next time.
 */
export function readBatchesChangedSince(
  db: Database.Database,
  since: bigint | string | null,
): { batches: FundBatchRecord[]; version: bigint | string | null } {
  const columns = 'batch_id, source, program, doc_no, fiscal_year, amount_fen, issued_on, version';
  // Two statements, not `@since IS NULL OR version > @since`: that test keeps SQLite from the index.
  const rows = (
    since === null
      ? db.prepare(`SELECT ${columns} FROM source_ledger_batches ORDER BY version`).all()
      : db.prepare(`SELECT ${columns} FROM source_ledger_batches WHERE version > ? ORDER BY version`).all(since)
  ) as Row[];
  return { batches: rows.map(batchOf), version: rows.length > 0 ? rows[rows.length - 1].version : since };
}

/** A row as better-sqlite3 returns it with safe integers: text columns as string, integers as bigint. */
type Row = Record<string, any>;

/**
 * Each BatchFilter field's column: the SQL filters (BATCH_WHERE, ALLOCATION_WHERE), their
 * parameters (batchParams) and the filter on records in memory (matchesBatchFilter) are all
 * derived from it, so a field added to BatchFilter is applied by every one of them or fails to compile.
 */
const BATCH_FILTER_COLUMNS: { readonly [F in keyof Required<BatchFilter>]: string } = {
  fiscalYear: 'fiscal_year',
  source: 'source',
  batchId: 'batch_id',
};
const BATCH_FILTER_FIELDS = Object.keys(BATCH_FILTER_COLUMNS) as (keyof BatchFilter)[];

/** A field's test, true when the field is not given (its parameter is NULL). */
const batchWhere = (prefix: string) =>
  BATCH_FILTER_FIELDS.map((f) => `(@${f} IS NULL OR ${prefix}${BATCH_FILTER_COLUMNS[f]} = @${f})`).join(' AND ');
const BATCH_WHERE = batchWhere('');
const ALLOCATION_WHERE = batchWhere('a.');

function batchParams(filter: BatchFilter): Record<keyof BatchFilter, string | number | null> {
  return Object.fromEntries(BATCH_FILTER_FIELDS.map((f) => [f, filter[f] ?? null])) as Record<
    keyof BatchFilter,
    string | number | null
  >;
}

/** Whether a batch is one BATCH_WHERE selects with `filter`, for batches already in memory. */
export function matchesBatchFilter(batch: FundBatchRecord, filter: BatchFilter): boolean {
  return BATCH_FILTER_FIELDS.every((f) => filter[f] === undefined || batch[f] === filter[f]);
}
