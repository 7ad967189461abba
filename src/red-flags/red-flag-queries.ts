import { Inject, Injectable } from '@nestjs/common';
import { BoundsUsed, TimeBounds, checkTimeBounds } from '../audit/time-bounds';
import { CLOCK } from '../config/clock.provider';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { PersonalDataView } from '../events/personal-fields';
import { ProjectErrors } from '../project/project.errors';
import { ReadModels } from '../projection-runner/read-models';
import { readAtBounds } from '../reports/report-queries';
import { Clock } from '../shared/time/clock';
import { redFlagsProjection } from '../../projections/red-flags/red-flags.projection';
import { RawFilters, RedFlagList, checkFilters, redFlagList, scopeOf } from './red-flag-report';

/**
 * The red flags, live from the read model (after it caught up), or with `asOf` / `knownAt` from a
 * replay of the log cut at those bounds through the red-flag projection in memory. Idle money,
 * matching and shares due are judged as of `asOf`, else today by the clock.
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
    const filters = checkFilters(rawFilters);
    const bounds = checkTimeBounds(rawBounds);
    const referenceDate = bounds.asOf ?? this.clock.now().toISOString().slice(0, 10);
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
}
