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
 * What changes whenever the targets' rows do: their count and last position (a row is only ever
 * inserted, and its every change moves its last position), for a report kept between reads.
 */
export function readTargetsVersion(db: Database.Database): string {
  const row = db
    .prepare("SELECT count(*) || '/' || ifnull(max(last_position), '') AS version FROM target_projects")
    .get() as { version: string };
  return row.version;
}
