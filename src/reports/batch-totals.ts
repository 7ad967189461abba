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
 *
 * The views of a day can be built ahead of it, a few batches a step (warm, driven by DayAhead in
 * day-ahead.ts): then the first read of a new day is a look-up, not every batch aged again (7.5 s
 * at 10,000 projects). A read that comes first builds whatever is still missing itself, at once,
 * so its figures never depend on how far the warm-up got. The days built ahead are kept apart from
 * the other dates and idle days read, so that reads of those can never push them out.
 */
import type Database from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
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
  /**
   * Per reference date and idle days, per batch what its view adds to the totals: the days warm
   * builds ahead (today's and tomorrow's at the default idle days), and apart from them the last
   * few others read. A batch that changed is dropped from every one.
   */
  private ahead = new Map<string, Map<string, BatchSummands>>();
  private others = newViewSets();
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
    this.catchUp(db, rebuilds);
    const key = JSON.stringify([String(this.version), referenceDate, idleDays, filter]);
    return this.totalsKept.get(key, () => this.compute(db, filter, referenceDate, idleDays));
  }

  /**
   * Builds the views of `referenceDates` (in order) and `idleDays` still missing (none kept, or
   * its batch changed), WARM_BATCHES at a time until `budgetMs` has passed (one group a date at
   * least); once none is missing at a date, the totals of every batch at it are kept too. These
   * dates' views are the ones kept ahead from now on. Says whether any is missing still.
   */
  warm(
    db: Database.Database,
    rebuilds: number,
    referenceDates: readonly string[],
    idleDays: number,
    budgetMs: number,
  ): boolean {
    const began = performance.now();
    this.catchUp(db, rebuilds);
    this.keepAhead(referenceDates.map((date) => viewKey(date, idleDays)));
    for (const date of referenceDates) {
      const views = this.viewsOf(date, idleDays);
      const missing = [...this.records.values()].filter((b) => !views.has(b.batchId));
      for (let i = 0; i < missing.length; i += WARM_BATCHES) {
        if (i > 0 && performance.now() - began >= budgetMs) return true;
        this.build(db, missing.slice(i, i + WARM_BATCHES), date, idleDays, views);
      }
      this.totals(db, rebuilds, {}, date, idleDays);
    }
    return false;
  }

  /** Keeps the view sets of `keys` ahead (taken from the others if there); one no longer ahead joins the others. */
  private keepAhead(keys: string[]): void {
    const ahead = new Map(keys.map((key) => [key, this.ahead.get(key) ?? this.others.get(key) ?? new Map()]));
    for (const [key, views] of this.ahead) if (!ahead.has(key)) this.others.set(key, views);
    for (const key of keys) this.others.delete(key);
    this.ahead = ahead;
  }

  /** Reads the batches changed since the last read: their records anew, their views dropped (every date's). */
  private catchUp(db: Database.Database, rebuilds: number): void {
    if (rebuilds !== this.rebuilds) {
      this.records = new Map();
      this.ahead = new Map();
      this.others = newViewSets();
      this.version = null;
      this.totalsKept = new KeptFigures();
      this.rebuilds = rebuilds;
    }
    const changed = readBatchesChangedSince(db, this.version);
    if (changed.batches.length === 0) return;
    for (const b of changed.batches) {
      this.records.set(b.batchId, b);
      for (const views of [...this.ahead.values(), ...this.others.values()]) views.delete(b.batchId);
    }
    this.version = changed.version;
  }

  private viewsOf(referenceDate: string, idleDays: number): Map<string, BatchSummands> {
    const key = viewKey(referenceDate, idleDays);
    let views = this.ahead.get(key) ?? this.others.get(key);
    if (!views) this.others.set(key, (views = new Map()));
    return views;
  }

  private compute(db: Database.Database, filter: BatchFilter, referenceDate: string, idleDays: number) {
    const batches = [...this.records.values()].filter((b) => matchesBatchFilter(b, filter));
    const views = this.viewsOf(referenceDate, idleDays);
    const missing = batches.filter((b) => !views.has(b.batchId));
    if (missing.length > 0) this.build(db, missing, referenceDate, idleDays, views);
    return totalsOfSummands(batches.map((b) => views.get(b.batchId)!));
  }

  /** The views of `batches` at the date, read and aged (the full list's own functions), into `views`. */
  private build(
    db: Database.Database,
    batches: FundBatchRecord[],
    referenceDate: string,
    idleDays: number,
    views: Map<string, BatchSummands>,
  ): void {
    const { allocations, flows } = this.readRows(
      db,
      batches.map((b) => b.batchId),
    );
    // Project names are only in the allocations' views, which the totals do not keep.
    const details = batchDetails({ batches, allocations, flows, projectNames: new Map() }, referenceDate, idleDays);
    details.forEach((d) => views.set(d.batchId, batchSummands(batchViewOf(d))));
  }
}

/** How many batches a warm-up step reads and ages together (about 1.7 ms each at 10,000 projects here). */
const WARM_BATCHES = 2;

/** The view sets kept besides the days ahead: the two other dates or idle days read last. */
function newViewSets(): LRUCache<string, Map<string, BatchSummands>> {
  return new LRUCache({ max: 2 });
}

function viewKey(referenceDate: string, idleDays: number): string {
  return JSON.stringify([referenceDate, idleDays]);
}
