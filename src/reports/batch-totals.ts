/**
 * The batch list's totals without the list (GET /api/fund-batches?view=totals), for the overview.
 * Idle money depends on the reference date (idle-money.ts ages every flow against it), so it
 * cannot be kept by the projection: each batch's view is kept here under the reference date and
 * idle days, and dropped when the source ledger says the batch changed (its version, the last
 * position that wrote it, its allocations or flows, moved past the one this keeper read up to).
 * A read asks the projection only for the batches changed since (an index look-up), rebuilds
 * those, and sums the kept views: O(batches changed) in SQL after a write, all of them once a day.
 * The totals are batchListTotals' of the same views the full list builds (batchDetails), so they
 * are its figures; each view is kept as what it adds to them (batchSummands), parsed once.
 */
import type Database from 'better-sqlite3';
import {
  BatchFilter,
  matchesBatchFilter,
  FundBatchRecord,
  readBatchesChangedSince,
  readBatchesRows,
} from '../../projections/source-ledger/source-ledger.query';
import {
  BatchListTotals,
  BatchSummands,
  batchDetails,
  batchSummands,
  batchViewOf,
  totalsOfSummands,
} from './fund-batch-reports';
import { KeptFigures } from './kept-figures';

export class BatchTotalsKeeper {
  /** `readRows` reads the batches to rebuild (a spec counts them through it). */
  constructor(private readonly readRows: typeof readBatchesRows = readBatchesRows) {}

  /** Every batch as issued (a batch record never changes after), read once each. */
  private records = new Map<string, FundBatchRecord>();
  /** Per batch, what its view adds to the totals, and the reference date and idle days it was built for. */
  private views = new Map<string, { key: string; summands: BatchSummands }>();
  /** The latest batch version read: what changed after it is read next time. */
  private version: bigint | string | null = null;
  /** The totals by that version, reference date and parameters: a read with no batch changed between is a look-up. */
  private totalsKept = new KeptFigures<BatchListTotals>();
  /** The source ledger's rebuilds the views were built after: a rebuild may mend rows without moving a version. */
  private rebuilds = 0;

  totals(
    db: Database.Database,
    /** How many times the source ledger was rebuilt (resetsOf): every view is built again after one. */
    rebuilds: number,
    filter: BatchFilter,
    referenceDate: string,
    idleDays: number,
  ): BatchListTotals {
    if (rebuilds !== this.rebuilds) {
      this.records = new Map();
      this.views = new Map();
      this.version = null;
      this.totalsKept = new KeptFigures();
      this.rebuilds = rebuilds;
    }
    const changed = readBatchesChangedSince(db, this.version);
    for (const b of changed.batches) {
      this.records.set(b.batchId, b);
      this.views.delete(b.batchId);
    }
    this.version = changed.version;
    const key = JSON.stringify([String(this.version), referenceDate, idleDays, filter]);
    return this.totalsKept.get(key, () => this.compute(db, filter, referenceDate, idleDays));
  }

  private compute(db: Database.Database, filter: BatchFilter, referenceDate: string, idleDays: number) {
    const batches = [...this.records.values()].filter((b) => matchesBatchFilter(b, filter));
    const viewKey = JSON.stringify([referenceDate, idleDays]);
    const stale = batches.filter((b) => this.views.get(b.batchId)?.key !== viewKey);
    if (stale.length > 0) {
      const { allocations, flows } = this.readRows(
        db,
        stale.map((b) => b.batchId),
      );
      // Project names are only in the allocations' views, which the totals do not keep.
      const details = batchDetails(
        { batches: stale, allocations, flows, projectNames: new Map() },
        referenceDate,
        idleDays,
      );
      details.forEach((d) => this.views.set(d.batchId, { key: viewKey, summands: batchSummands(batchViewOf(d)) }));
    }
    return totalsOfSummands(batches.map((b) => this.views.get(b.batchId)!.summands));
  }
}
