import type Database from 'better-sqlite3';
import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { BoundsUsed, CheckedBounds, TimeBounds, checkTimeBounds, isBounded } from '../audit/time-bounds';
import { CLOCK } from '../config/clock.provider';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { FundBatchErrors } from '../fund-batch/fund-batch.errors';
import { readCheckpoint, resetsOf } from '../projection-runner/projection-runner';
import { ReadModels } from '../projection-runner/read-models';
import { Clock } from '../shared/time/clock';
import { costSharesProjection } from '../../projections/cost-shares/cost-shares.projection';
import { fundingMixProjection } from '../../projections/funding-mix/funding-mix.projection';
import { projectListProjection } from '../../projections/project-list/project-list.projection';
import { sourceLedgerProjection } from '../../projections/source-ledger/source-ledger.projection';
import { targetsProjection } from '../../projections/targets/targets.projection';
import { readTargetTallies } from '../../projections/targets/targets.query';
import { BatchTotalsKeeper } from './batch-totals';
import { DayAhead } from './day-ahead';
import {
  BatchDetail,
  BatchListReport,
  BatchListTotals,
  BatchTotalsReport,
  batchDetails,
  batchList,
  batchListTotals,
  batchViewOf,
} from './fund-batch-reports';
import { IdleByProject, idleByProject } from './idle-by-project';
import { KeptFigures } from './kept-figures';
import {
  ProjectsReport,
  SourceTotals,
  SourcesReport,
  projectsReport,
  sourceTotals,
  sourcesReport,
} from './source-reports';
import { TargetsReport, TargetsTotals, targetsReport, targetsTotals, targetsTotalsOfSums } from './targets-report';
import { TownsReport } from './towns-report';
import {
  BoundedReader,
  ReaderArgs,
  ReaderResult,
  replayAtBounds,
  runReader,
  stopReplayWorkers,
} from '../audit/bounded-reads';

/** How long a read waits for the projections to catch up with writes already acknowledged. */
const READ_YOUR_WRITES_MS = 2_000;

/** The read models the reports read: the source ledger, project names, the funding mix and the plans (checks). */
const REPORT_PROJECTIONS = [sourceLedgerProjection, projectListProjection, fundingMixProjection, costSharesProjection];
/** The targets read only their own read model: a replay for them runs it alone. */
const TARGETS_PROJECTIONS = [targetsProjection];
/** The towns read only the project list. */
const TOWNS_PROJECTIONS = [projectListProjection];

export interface IdleParams {
  idleDays: number;
}

/**
 * The reports, live from the read models (after they caught up), or with `asOf` / `knownAt` from a
 * replay of the log cut at those bounds through the same projections in memory; every answer
 * names the bounds it used. Idle money is aged at `asOf`, else at today by the clock.
 */
@Injectable()
export class ReportQueries implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.dayAhead = new DayAhead(this.batchTotalsKeeper, readModels, clock, (db) =>
      resetsOf(db, sourceLedgerProjection.name),
    );
  }

  // The totals views' figures kept between live reads (kept-figures.ts), under the checkpoint of
  // the projection they read: per instance, so per app.
  private readonly sourceTotalsKept = new KeptFigures<SourceTotals>();
  private readonly targetsKept = new KeptFigures<TargetsTotals>();
  private readonly batchTotalsKeeper = new BatchTotalsKeeper();
  /** Today's and tomorrow's batch views built in the background (day-ahead.ts). */
  readonly dayAhead: DayAhead;

  onApplicationBootstrap(): void {
    this.dayAhead.start();
  }

  /**
   * Before the read models close (the runner closes them on application shutdown); the time-travel
   * replay workers (bounded-reads.ts, shared with the project and resident reads) end with the app too.
   */
  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.dayAhead.stop(), stopReplayWorkers()]);
  }

  /** The sources report; its 序时进度 is read at `asOf`, else today by the clock. */
  async sources(fiscalYear: number | null, raw: TimeBounds): Promise<SourcesReport & { bounds: BoundsUsed }> {
    const checked = checkTimeBounds(raw);
    const referenceDate = this.referenceDate(checked);
    const { result, bounds } = await this.read(checked, 'sourceLedger', fiscalYear, (data) =>
      sourcesReport(data, referenceDate),
    );
    return { ...result, bounds };
  }

  /**
   * The sources report's subtotals and totals (view=totals), from the sums the source ledger keeps
   * per source and year; live, kept per its checkpoint and reference date; with bounds, from the
   * same sums of a replay.
   */
  async sourceTotals(fiscalYear: number | null, raw: TimeBounds): Promise<SourceTotals & { bounds: BoundsUsed }> {
    const checked = this.overviewRead(raw);
    const referenceDate = this.referenceDate(checked);
    const report = (data: ReaderResult<'sourceSums'>) => sourceTotals(data, referenceDate);
    const { result, bounds } = isBounded(checked)
      ? await this.read(checked, 'sourceSums', fiscalYear, report)
      : await readLive(this.store, this.readModels, checked, (db) =>
          this.sourceTotalsKept.get(
            JSON.stringify([checkpointOf(db, sourceLedgerProjection), referenceDate, fiscalYear]),
            () => report(runReader(db, 'sourceSums', fiscalYear)),
          ),
        );
    return { ...result, bounds };
  }

  /**
   * The projects by town (GET /api/reports/towns): live, the sums the project list keeps per town
   * (a row per town, nothing to keep here); with bounds, from a replay.
   */
  async towns(raw: TimeBounds): Promise<TownsReport & { bounds: BoundsUsed }> {
    const { result, bounds } = await this.read(this.overviewRead(raw), 'towns', null, (r) => r, TOWNS_PROJECTIONS);
    return { ...result, bounds };
  }

  async projects(fiscalYear: number | null, raw: TimeBounds): Promise<ProjectsReport & { bounds: BoundsUsed }> {
    const checked = checkTimeBounds(raw);
    const referenceDate = this.referenceDate(checked);
    const { result, bounds } = await this.read(checked, 'sourceLedger', fiscalYear, (data) =>
      projectsReport(data, referenceDate),
    );
    return { ...result, bounds };
  }

  /** The bounds of a read of the overview's (the totals views, the towns); a live one tells the day-ahead job to keep to its duty. */
  private overviewRead(raw: TimeBounds): CheckedBounds {
    const checked = checkTimeBounds(raw);
    if (!isBounded(checked)) this.dayAhead.readCame();
    return checked;
  }

  /** The date a report is read at: `asOf`, else today by the clock. */
  private referenceDate(bounds: CheckedBounds): string {
    return bounds.asOf ?? this.clock.now().toISOString().slice(0, 10);
  }

  /**
   * Progress against the seed's targets, counted at `asOf` (else today): a milestone counts when
   * its business date is on or before it, and with `knownAt` when it was recorded by then.
   */
  async targets(raw: TimeBounds): Promise<TargetsReport & { bounds: BoundsUsed }> {
    const checked = checkTimeBounds(raw);
    const referenceDate = this.referenceDate(checked);
    const { result, bounds } = await this.read(
      checked,
      'targets',
      null,
      (rows) => targetsReport(rows, referenceDate),
      TARGETS_PROJECTIONS,
    );
    return { ...result, bounds };
  }

  /**
   * The periods without their projects (view=totals); live, from the sums of communities by first
   * date the targets projection keeps (a few rows a period), kept per its checkpoint and reference
   * date; with bounds, from the rows of a replay.
   */
  async targetsTotals(raw: TimeBounds): Promise<TargetsTotals & { bounds: BoundsUsed }> {
    const checked = this.overviewRead(raw);
    const referenceDate = this.referenceDate(checked);
    const report = (rows: ReaderResult<'targets'>) => targetsTotals(targetsReport(rows, referenceDate));
    const { result, bounds } = isBounded(checked)
      ? await this.read(checked, 'targets', null, report, TARGETS_PROJECTIONS)
      : await readLive(this.store, this.readModels, checked, (db) =>
          this.targetsKept.get(JSON.stringify([checkpointOf(db, targetsProjection), referenceDate]), () =>
            targetsTotalsOfSums(readTargetTallies(db), referenceDate),
          ),
        );
    return { ...result, bounds };
  }

  /**
   * The batch list's totals (view=totals): live, from each batch's view kept by BatchTotalsKeeper;
   * with bounds, from a replay through the full list's own functions.
   */
  async batchTotals(
    filter: { fiscalYear: number | null; source: string | null },
    idleDays: number,
    raw: TimeBounds,
  ): Promise<BatchTotalsReport> {
    const checked = this.overviewRead(raw);
    const referenceDate = this.referenceDate(checked);
    const batchFilter = { fiscalYear: filter.fiscalYear ?? undefined, source: filter.source ?? undefined };
    const { result, bounds } = isBounded(checked)
      ? await this.read(checked, 'fundBatches', batchFilter, (data): BatchListTotals =>
          batchListTotals(batchDetails(data, referenceDate, idleDays).map(batchViewOf)),
        )
      : await readLive(this.store, this.readModels, checked, (db) =>
          this.batchTotalsKeeper.totals(
            db,
            resetsOf(db, sourceLedgerProjection.name),
            batchFilter,
            referenceDate,
            idleDays,
          ),
        );
    return { fiscalYear: filter.fiscalYear, source: filter.source, bounds, referenceDate, idleDays, totals: result };
  }

  /** The batch list (JSON) and each listed batch's allocations (for the XLSX detail sheet). */
  async batches(
    filter: { fiscalYear: number | null; source: string | null },
    idleDays: number,
    raw: TimeBounds,
  ): Promise<{ report: BatchListReport; details: BatchDetail[] }> {
    const { result, bounds, referenceDate } = await this.readBatches(
      { fiscalYear: filter.fiscalYear ?? undefined, source: filter.source ?? undefined },
      idleDays,
      raw,
    );
    return {
      report: {
        fiscalYear: filter.fiscalYear,
        source: filter.source,
        bounds,
        referenceDate,
        idleDays,
        ...batchList(result),
      },
      details: result,
    };
  }

  /**
   * Idle money by project (and the batches' money not allocated): the batch list's, at the same
   * reference date and idle days, so each list sums to that total.
   */
  async idleMoney(
    idleDays: number,
    raw: TimeBounds,
  ): Promise<IdleByProject & { bounds: BoundsUsed; referenceDate: string; idleDays: number }> {
    const { result, bounds, referenceDate } = await this.readBatches({}, idleDays, raw);
    return { referenceDate, idleDays, bounds, ...idleByProject(result) };
  }

  async batch(
    batchId: string,
    idleDays: number,
    raw: TimeBounds,
  ): Promise<BatchDetail & { bounds: BoundsUsed; referenceDate: string; idleDays: number }> {
    const { result, bounds, referenceDate } = await this.readBatches({ batchId }, idleDays, raw);
    if (result.length === 0) throw FundBatchErrors.batchNotFound(batchId);
    return { ...result[0], bounds, referenceDate, idleDays };
  }

  private async readBatches(
    filter: { fiscalYear?: number; source?: string; batchId?: string },
    idleDays: number,
    raw: TimeBounds,
  ) {
    const checked = checkTimeBounds(raw);
    const referenceDate = this.referenceDate(checked);
    const { result, bounds } = await this.read(checked, 'fundBatches', filter, (data) =>
      batchDetails(data, referenceDate, idleDays),
    );
    return { result, bounds, referenceDate };
  }

  /** `reader`'s data, from a replay at the bounds (through `projections`) or from the live read models, then `report` on it. */
  private read<K extends BoundedReader, R>(
    bounds: CheckedBounds,
    reader: K,
    args: ReaderArgs<K>,
    report: (data: ReaderResult<K>) => R,
    projections: readonly { name: string }[] = REPORT_PROJECTIONS,
  ): Promise<{ result: R; bounds: BoundsUsed }> {
    return readAtBounds(this.store, this.readModels, bounds, projections, reader, args, report);
  }
}

/**
 * `reader`'s data and `report` on it: with `asOf` or `knownAt`, from a replay of the log cut at the
 * bounds through `projections` (in memory, off the main thread on the embedded store); otherwise
 * from the live read models, once they have caught up with the writes already acknowledged.
 */
export async function readAtBounds<K extends BoundedReader, R>(
  store: EventStore,
  readModels: ReadModels,
  bounds: CheckedBounds,
  projections: readonly { name: string }[],
  reader: K,
  args: ReaderArgs<K>,
  report: (data: ReaderResult<K>) => R,
): Promise<{ result: R; bounds: BoundsUsed }> {
  if (isBounded(bounds)) {
    const replayed = await replayAtBounds(store, bounds, projections, reader, args);
    return { result: report(replayed.result), bounds: replayed.bounds };
  }
  return readLive(store, readModels, bounds, (db) => report(runReader(db, reader, args)));
}

/**
 * The position a projection's tables stand at, and how many times they were rebuilt: what they
 * hold is the same whenever both are (its rows and checkpoint are written in one transaction, and
 * a rebuild ends where it began), so figures read from them are kept under it. Not the read
 * models' common position, the least of all: while another projection is rebuilt that one stays
 * behind as this one moves on.
 */
function checkpointOf(db: Database.Database, projection: { name: string }): string {
  return `${readCheckpoint(db, projection.name)?.position ?? 0n}@${resetsOf(db, projection.name)}`;
}

/** `read` on the live read models, once they have caught up with the writes already acknowledged. */
async function readLive<R>(
  store: EventStore,
  readModels: ReadModels,
  bounds: CheckedBounds,
  read: (db: Database.Database) => R,
): Promise<{ result: R; bounds: BoundsUsed }> {
  const head = await store.headPosition();
  await readModels.waitFor(head, READ_YOUR_WRITES_MS);
  const { result, position } = readModels.read(read);
  return { result, bounds: { ...bounds, position: position.toString() } };
}
