import { LedgerRecordOf } from '../../src/events/ledger-events';
import { ProjectEventType as T } from '../../src/project/project.events';
import { assertNever } from '../../src/shared/domain/domain-error';
import { areaHundredthsOfNumber } from '../../src/shared/domain/input-rules';
import { positionKey } from '../../src/shared/projection/position-key';
import { prepared } from '../../src/shared/projection/prepared';
import { ProjectionDefinition } from '../../src/shared/projection/projection-definition';

const HANDLES = [T.registered, T.constructionStarted, T.jointAcceptanceHeld] as const;
type Handled = (typeof HANDLES)[number];

/** The scopes a project counts in: every project in 'all', and in its eligibility basis's. */
const SCOPES_OF = (r: string) => [`'all'`, `${r}.basis`];

/**
 * Project row `r` (NEW) into its community of each scope: the community's area and households the
 * largest of its projects', its first start and first passed acceptance the earliest (a row is
 * only inserted, and a date only ever set where there was none, so largest and earliest only grow
 * and shrink: kept by an upsert).
 */
const intoCommunities = (r: string) =>
  SCOPES_OF(r)
    .map(
      (scope) => `
      INSERT INTO target_communities (scope, town, community, area_h, households, first_started, first_accepted)
      VALUES (${scope}, ${r}.town, ${r}.community, ${r}.area_h, ${r}.households, ${r}.started_on, ${r}.accepted_on)
      ON CONFLICT (scope, town, community) DO UPDATE SET
        area_h = max(area_h, excluded.area_h),
        households = max(households, excluded.households),
        first_started = min(ifnull(first_started, excluded.first_started), ifnull(excluded.first_started, first_started)),
        first_accepted = min(ifnull(first_accepted, excluded.first_accepted), ifnull(excluded.first_accepted, first_accepted));`,
    )
    .join('');

/**
 * What community row `c` (NEW or OLD) adds to the day sums, times `sign` (−1 takes off the row as
 * it was before an update): to its scope's register (metric 'registered', day ''), and on the day
 * of its first start and of its first passed acceptance.
 */
const communityMoved = (c: string, sign: 1 | -1) =>
  (
    [
      ['registered', `''`],
      ['started', `${c}.first_started`],
      ['completed', `${c}.first_accepted`],
    ] as const
  )
    .map(
      ([metric, day]) => `
      INSERT INTO target_day_sums (scope, metric, day, communities, area_h, households)
      SELECT ${c}.scope, '${metric}', ${day}, ${sign}, ${sign} * ${c}.area_h, ${sign} * ${c}.households WHERE ${day} IS NOT NULL
      ON CONFLICT (scope, metric, day) DO UPDATE SET
        communities = communities + excluded.communities,
        area_h = area_h + excluded.area_h,
        households = households + excluded.households;`,
    )
    .join('');

/**
 * The district's progress against the seed's targets (domain.md §5): per project, its community
 * (town and name), size and eligibility basis as registered, the day its works started
 * (`construction_started`: the targets' 开工) and the day a joint acceptance passed
 * (`joint_acceptance` with result passed: the targets' 完成). Dated facts only: which period a
 * community counts in, and once, is the query's (src/reports/targets-report.ts), so the same rows
 * answer any reference date and a replay cut at `asOf` holds exactly the facts dated by then.
 *
 * Areas are hundredths of a m² (INTEGER): the registration's number read from its decimal text,
 * so that sums are exact. A start and a passed acceptance happen once (the decider refuses a
 * second); a failed acceptance leaves the row as it was.
 *
 * The overview's totals (issue 19 point 9) are kept beside the rows by SQLite triggers, in the
 * statement that changes a row: `target_communities`, each community (town + name) of each scope
 * ('all' and each basis) with its size and first dates, and `target_day_sums`, per scope, metric
 * and day the communities whose first start (or first passed acceptance) fell on that day, with
 * their area and households, and per scope its whole register. A period's figures at any
 * reference date are then a sum over a range of days (targetsTotalsOfSums), not a read of every row.
 */
export const targetsProjection: ProjectionDefinition<LedgerRecordOf<Handled>> = {
  name: 'targets',
  version: 2,
  tables: ['target_projects', 'target_communities', 'target_day_sums'],
  schema: `
    CREATE TABLE target_projects (
      project_id      TEXT PRIMARY KEY,
      name            TEXT NOT NULL,
      town            TEXT NOT NULL,
      community       TEXT NOT NULL,
      built_year      INTEGER NOT NULL,
      basis           TEXT NOT NULL,   -- eligibility basis on registration: pre2000, pre2005_poor_condition, none
      area_h          INTEGER NOT NULL, -- building area, hundredths of a m²
      households      INTEGER NOT NULL,
      started_on      TEXT,
      started_id      TEXT,
      accepted_on     TEXT,
      accepted_id     TEXT,
      last_position   NOT NULL          -- positionKey(): no declared type, so no affinity converts it
    ) WITHOUT ROWID;
    CREATE TABLE target_communities (
      scope          TEXT NOT NULL,     -- 'all', or a basis
      town           TEXT NOT NULL,
      community      TEXT NOT NULL,
      area_h         INTEGER NOT NULL,  -- the largest of its projects', hundredths of a m²
      households     INTEGER NOT NULL,  -- the largest of its projects'
      first_started  TEXT,
      first_accepted TEXT,
      PRIMARY KEY (scope, town, community)
    ) WITHOUT ROWID;
    CREATE TABLE target_day_sums (
      scope       TEXT NOT NULL,
      metric      TEXT NOT NULL,        -- started, completed (on the day of the community's first), registered (day '')
      day         TEXT NOT NULL,
      communities INTEGER NOT NULL,
      area_h      INTEGER NOT NULL,
      households  INTEGER NOT NULL,
      PRIMARY KEY (scope, metric, day)
    ) WITHOUT ROWID;
    CREATE TRIGGER target_communities_on_insert AFTER INSERT ON target_projects BEGIN ${intoCommunities('NEW')}
    END;
    CREATE TRIGGER target_communities_on_update AFTER UPDATE ON target_projects BEGIN ${intoCommunities('NEW')}
    END;
    CREATE TRIGGER target_day_sums_on_insert AFTER INSERT ON target_communities BEGIN ${communityMoved('NEW', 1)}
    END;
    CREATE TRIGGER target_day_sums_on_update AFTER UPDATE ON target_communities BEGIN ${communityMoved('OLD', -1)} ${communityMoved('NEW', 1)}
    END;`,
  handles: HANDLES,
  apply(db, event) {
    const pos = positionKey(event.position);
    switch (event.type) {
      case T.registered: {
        const r = event.data;
        prepared(
          db,
          `INSERT INTO target_projects (project_id, name, town, community, built_year, basis, area_h, households, last_position)
           VALUES (@id, @name, @town, @community, @builtYear, @basis, @area, @households, @pos) ON CONFLICT DO NOTHING`,
        ).run({
          id: r.projectId,
          name: r.name,
          town: r.town,
          community: r.community,
          builtYear: r.builtYear,
          basis: r.eligibility.basis,
          area: areaHundredthsOfNumber(r.buildingArea),
          households: r.households,
          pos,
        });
        return;
      }
      case T.constructionStarted: {
        const m = event.data;
        prepared(
          db,
          `UPDATE target_projects SET started_on = @on, started_id = @milestoneId, last_position = @pos
           WHERE project_id = @id AND started_on IS NULL AND last_position < @pos`,
        ).run({ id: m.projectId, on: m.startedOn, milestoneId: m.milestoneId, pos });
        return;
      }
      case T.jointAcceptanceHeld: {
        const m = event.data;
        if (m.result !== 'passed') return;
        prepared(
          db,
          `UPDATE target_projects SET accepted_on = @on, accepted_id = @milestoneId, last_position = @pos
           WHERE project_id = @id AND accepted_on IS NULL AND last_position < @pos`,
        ).run({ id: m.projectId, on: m.acceptedOn, milestoneId: m.milestoneId, pos });
        return;
      }
      default:
        return assertNever(event, 'event');
    }
  },
};
