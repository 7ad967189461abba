import Database from 'better-sqlite3';
import type { LedgerRecord } from '../../src/events/ledger-events';
import type { ProjectRegistered } from '../../src/project/project.events';
import { takes } from '../../src/shared/projection/projection-definition';
import { targetsProjection } from './targets.projection';

/** The basis the seed's scope gave the community on registration (src/project/eligibility.ts). */
export type EligibilityBasis = ProjectRegistered['eligibility']['basis'];

/** One project as the targets read it: plain data (bigint areas), so it crosses to the main thread from a replay worker. */
export interface TargetProjectRow {
  projectId: string;
  name: string;
  town: string;
  community: string;
  builtYear: number;
  basis: EligibilityBasis;
  /** Building area, hundredths of a m². */
  areaH: bigint;
  households: number;
  startedOn: string | null;
  startedId: string | null;
  acceptedOn: string | null;
  acceptedId: string | null;
}

interface Row {
  project_id: string;
  name: string;
  town: string;
  community: string;
  built_year: bigint;
  basis: EligibilityBasis;
  area_h: bigint;
  households: bigint;
  started_on: string | null;
  started_id: string | null;
  accepted_on: string | null;
  accepted_id: string | null;
}

/** Every project of the targets read model, in id order. */
export function readTargetRows(db: Database.Database): TargetProjectRow[] {
  const rows = db.prepare('SELECT * FROM target_projects ORDER BY project_id').all() as Row[];
  return rows.map((r) => ({
    projectId: r.project_id,
    name: r.name,
    town: r.town,
    community: r.community,
    builtYear: Number(r.built_year),
    basis: r.basis,
    areaH: BigInt(r.area_h),
    households: Number(r.households),
    startedOn: r.started_on,
    startedId: r.started_id,
    acceptedOn: r.accepted_on,
    acceptedId: r.accepted_id,
  }));
}

/** The rows from events already cut at the bounds (specs, time travel), through the very projection the service runs. */
export function targetRowsFromEvents(events: readonly LedgerRecord[]): TargetProjectRow[] {
  const db = new Database(':memory:');
  try {
    db.defaultSafeIntegers(true);
    db.exec(targetsProjection.schema);
    for (const e of events) if (takes(targetsProjection, e)) targetsProjection.apply(db, e);
    return readTargetRows(db);
  } finally {
    db.close();
  }
}

/**
 * The kept sums of communities by first date (target_day_sums) over a range of days, for one scope
 * and metric ('registered': the scope's register, day ''): what the targets' totals are of.
 */
export function readTargetTallies(
  db: Database.Database,
): (
  scope: string,
  metric: string,
  from: string | null,
  through: string,
) => { communities: number; areaH: bigint; households: number } {
  const sum = db.prepare(
    `SELECT ifnull(sum(communities), 0) AS communities, ifnull(sum(area_h), 0) AS area_h, ifnull(sum(households), 0) AS households
     FROM target_day_sums WHERE scope = @scope AND metric = @metric AND day BETWEEN @from AND @through`,
  );
  return (scope, metric, from, through) => {
    const range = metric === 'registered' ? { from: '', through: '' } : { from: from ?? '', through };
    const r = sum.get({ scope, metric, ...range }) as { communities: bigint; area_h: bigint; households: bigint };
    return { communities: Number(r.communities), areaH: BigInt(r.area_h), households: Number(r.households) };
  };
}
