import { LedgerRecordOf } from '../../src/events/ledger-events';
import { ProjectEventType as T } from '../../src/project/project.events';
import { assertNever } from '../../src/shared/domain/domain-error';
import { areaHundredthsOfNumber } from '../../src/shared/domain/input-rules';
import { positionKey } from '../../src/shared/projection/position-key';
import { prepared } from '../../src/shared/projection/prepared';
import { ProjectionDefinition } from '../../src/shared/projection/projection-definition';

const HANDLES = [T.registered, T.constructionStarted, T.jointAcceptanceHeld] as const;
type Handled = (typeof HANDLES)[number];

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
 */
export const targetsProjection: ProjectionDefinition<LedgerRecordOf<Handled>> = {
  name: 'targets',
  version: 1,
  tables: ['target_projects'],
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
    ) WITHOUT ROWID;`,
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
