/**
 * The batch list's totals without the list (GET /api/fund-batches?view=totals), for the overview.
 * Idle money depends on the reference date (idle-money.ts ages every flow against it), so it
 * cannot be summed in SQL: each batch's view is kept under its version (its allocations' and
 * flows' count and last position) and the reference date, and a read recomputes only the batches
 * a write touched since, or all of them once a day. The totals are batchListTotals of the same
 * views the full list builds (batchDetails), so they are its figures.
 */
import type Database from 'better-sqlite3';
import {
  BatchFilter,
  FundBatchRecord,
  readBatchVersions,
  readBatchesRows,
  readFundBatches,
} from '../../projections/source-ledger/source-ledger.query';
import { BatchListTotals, BatchView, batchDetails, batchListTotals, batchViewOf } from './fund-batch-reports';
import { KeptFigures } from './kept-figures';

export class BatchTotalsKeeper {
  /** `readRows` reads the batches to rebuild (a spec counts them through it). */
  constructor(private readonly readRows: typeof readBatchesRows = readBatchesRows) {}

  /** The totals by the source ledger's checkpoint, reference date and parameters: a read with no write between is a look-up. */
  private readonly totalsKept = new KeptFigures<BatchListTotals>();
  /** Per batch, its view and the key (version, date, idle days, the batch's record) it was built for. */
  private readonly views = new Map<string, { key: string; view: BatchView }>();
  /** The source ledger's rebuilds the views were built after: a rebuild may mend rows without moving a version. */
  private rebuilds = 0;

  totals(
    db: Database.Database,
    /** The source ledger's checkpoint: its tables are the same whenever it is. */
    checkpoint: string,
    /** How many times the source ledger was rebuilt (resetsOf): every view is built again after one. */
    rebuilds: number,
    filter: BatchFilter,
    referenceDate: string,
    idleDays: number,
  ): BatchListTotals {
    if (rebuilds !== this.rebuilds) {
      this.views.clear();
      this.rebuilds = rebuilds;
    }
    const key = JSON.stringify([checkpoint, referenceDate, idleDays, filter.fiscalYear, filter.source]);
    return this.totalsKept.get(key, () => this.compute(db, filter, referenceDate, idleDays));
  }

  private compute(db: Database.Database, filter: BatchFilter, referenceDate: string, idleDays: number) {
    const batches = readFundBatches(db, filter);
    const versions = readBatchVersions(db);
    const keyOf = (b: FundBatchRecord) =>
      JSON.stringify([versions.get(b.batchId), referenceDate, idleDays, { ...b, amountFen: String(b.amountFen) }]);
    const stale = batches.filter((b) => this.views.get(b.batchId)?.key !== keyOf(b));
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
      details.forEach((d, i) => this.views.set(d.batchId, { key: keyOf(stale[i]), view: batchViewOf(d) }));
    }
    return batchListTotals(batches.map((b) => this.views.get(b.batchId)!.view));
  }
}
