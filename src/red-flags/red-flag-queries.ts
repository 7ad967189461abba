import { Inject, Injectable } from '@nestjs/common';
import { BoundsUsed, CheckedBounds, TimeBounds, checkTimeBounds, isBounded } from '../audit/time-bounds';
import { CLOCK } from '../config/clock.provider';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { PersonalDataView } from '../events/personal-fields';
import { ProjectErrors } from '../project/project.errors';
import { ReadModels, SETTLE_STEP_MS } from '../projection-runner/read-models';
import { readAtBounds } from '../reports/report-queries';
import { Clock } from '../shared/time/clock';
import { redFlagsProjection } from '../../projections/red-flags/red-flags.projection';
import { countFlagsAt, readFlagsAt, readProjectsOf, settleTimeFlags } from './stored-time-flags';
import {
  RawFilters,
  RedFlagFilters,
  RedFlagList,
  RedFlagTotalsView,
  checkFilters,
  countedTotals,
  listOf,
  redFlagList,
  scopeOf,
} from './red-flag-report';
import type Database from 'better-sqlite3';

const READ_YOUR_WRITES_MS = 2_000;
/** How long a read settles the time flags due in short steps; what is still due then is settled in the read. */
const SETTLE_STEPS_MS = 2_000;

/**
 * The red flags. Today's (no bounds) from the read model once it caught up: the flags on record
 * and the time flags it stores, cut at today in SQL, so a read costs what it answers. With `asOf`
 * / `knownAt`, from a replay of the log cut at those bounds through the red-flag projection in
 * memory, the time flags computed from its facts as of `asOf`. Idle money, matching and shares
 * due are judged as of `asOf`, else today by the clock.
 */
@Injectable()
export class RedFlagQueries {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The flags the filters select; with `projectId`, an unknown project (at the bounds) is 404. */
  async list(
    rawFilters: RawFilters,
    rawBounds: TimeBounds,
    view: PersonalDataView,
  ): Promise<RedFlagList & { bounds: BoundsUsed }> {
    const { filters, bounds, referenceDate } = this.checked(rawFilters, rawBounds);
    if (!isBounded(bounds))
      return this.today(bounds, (db) => {
        knownProject(db, filters);
        const flags = readFlagsAt(db, referenceDate, filters);
        return listOf(flags, readProjectsOf(db, scopeOf(filters)), referenceDate, filters, view);
      });
    const { result, bounds: used } = await readAtBounds(
      this.store,
      this.readModels,
      bounds,
      [redFlagsProjection],
      'redFlags',
      scopeOf(filters),
      (data) => {
        if (filters.projectId !== undefined && !data.projects.some((p) => p.projectId === filters.projectId))
          throw ProjectErrors.projectNotFound(filters.projectId);
        return redFlagList(data, referenceDate, filters, view);
      },
    );
    return { bounds: used, ...result };
  }

  /** The totals of the list and its open flags per town, without the flags (today's counted in SQL). */
  async totals(rawFilters: RawFilters, rawBounds: TimeBounds): Promise<RedFlagTotalsView & { bounds: BoundsUsed }> {
    const { filters, bounds, referenceDate } = this.checked(rawFilters, rawBounds);
    if (!isBounded(bounds))
      return this.today(bounds, (db) => {
        knownProject(db, filters);
        return { referenceDate, filters, ...countedTotals(countFlagsAt(db, referenceDate, filters)) };
      });
    const { flags, bounds: used } = await this.list(rawFilters, rawBounds, 'masked');
    const counted = flags.map((f) => ({ code: f.code, severity: f.severity, open: f.open, town: f.town, count: 1 }));
    return { bounds: used, referenceDate, filters, ...countedTotals(counted) };
  }

  /** The filters and bounds checked before any work, and the day time flags are judged as of. */
  private checked(rawFilters: RawFilters, rawBounds: TimeBounds) {
    const filters = checkFilters(rawFilters);
    const bounds = checkTimeBounds(rawBounds);
    return { filters, bounds, referenceDate: bounds.asOf ?? this.clock.now().toISOString().slice(0, 10) };
  }

  /**
   * A read of the live read model once it has the writes already acknowledged, the time flags
   * still due computed first (the runner settles them only between pages, with a duty): in short
   * steps, then what remains in the read's own transaction.
   */
  private async today<R>(
    bounds: CheckedBounds,
    read: (db: Database.Database) => R,
  ): Promise<R & { bounds: BoundsUsed }> {
    await this.readModels.waitFor(await this.store.headPosition(), READ_YOUR_WRITES_MS);
    await settleInSteps(this.readModels, SETTLE_STEPS_MS);
    const { result, position } = this.readModels.read((db) => {
      settleTimeFlags(db);
      return read(db);
    });
    return { bounds: { ...bounds, position: position.toString() }, ...result };
  }
}

/**
 * Settles the work due in short steps, a turn of the event loop between them, until none is or
 * `ms` has passed: many scopes due (after a catch-up of a long log) are then no one long stall.
 */
async function settleInSteps(readModels: ReadModels, ms: number): Promise<void> {
  const until = performance.now() + ms;
  while (readModels.settle(SETTLE_STEP_MS) && performance.now() < until)
    await new Promise((resolve) => setImmediate(resolve));
}

/** A project id filter names a project the read model knows, or the read is 404. */
function knownProject(db: Database.Database, filters: RedFlagFilters): void {
  if (filters.projectId !== undefined && readProjectsOf(db, { projectId: filters.projectId }).length === 0)
    throw ProjectErrors.projectNotFound(filters.projectId);
}
