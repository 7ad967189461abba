import type Database from 'better-sqlite3';
import { SHARE_CHANNELS, ShareChannel } from '../../src/project/funding-sources';
import { CostShareKeyRecord, HouseholdEntry, ScopeRecord } from '../../src/project/project.events';
import { Fen } from '../../src/shared/money/money';
import { PAID_COLUMN } from './cost-shares.projection';

/** A plan as the read model holds it. */
export interface CostSharePlanRecord {
  projectId: string;
  planId: string;
  lineIds: string[];
  amountFen: Fen;
  scope: ScopeRecord;
  key: CostShareKeyRecord;
  exempt?: string[];
  voteId?: string;
}

/** A household's account in a plan, with where the household is and its areas (as corrected since: "72.10" m²). */
export interface CostShareAccountRecord extends Pick<
  HouseholdEntry,
  'householdId' | 'building' | 'unit' | 'floor' | 'room' | 'buildingArea'
> {
  exclusiveArea: string | null;
  weight: string;
  shareFen: Fen;
  paidFen: Record<ShareChannel, Fen>;
}

interface PlanRow {
  line_ids: string;
  amount_fen: bigint;
  scope: string;
  key: string;
  exempt: string | null;
  vote_id: string | null;
}

const PAID_SELECT = SHARE_CHANNELS.map((c) => `a.${PAID_COLUMN[c]} AS ${c}`).join(', ');
const PAID_SUM = SHARE_CHANNELS.map((c) => `a.${PAID_COLUMN[c]}`).join(' + ');

/** A plan of a project, or null when the read model has none of that id. */
export function readCostSharePlan(
  db: Database.Database,
  projectId: string,
  planId: string,
): CostSharePlanRecord | null {
  const row = db
    .prepare(
      'SELECT line_ids, amount_fen, scope, key, exempt, vote_id FROM cost_share_plans WHERE project_id = ? AND plan_id = ?',
    )
    .get(projectId, planId) as PlanRow | undefined;
  if (!row) return null;
  return {
    projectId,
    planId,
    lineIds: JSON.parse(row.line_ids) as string[],
    amountFen: BigInt(row.amount_fen),
    scope: JSON.parse(row.scope) as ScopeRecord,
    key: JSON.parse(row.key) as CostShareKeyRecord,
    ...(row.exempt !== null ? { exempt: JSON.parse(row.exempt) as string[] } : {}),
    ...(row.vote_id !== null ? { voteId: row.vote_id } : {}),
  };
}

/** Every household of a plan, ascending by household id (the order its event lists the shares in). */
export function readCostShareAccounts(
  db: Database.Database,
  projectId: string,
  planId: string,
): CostShareAccountRecord[] {
  const rows = db
    .prepare(
      `SELECT a.household_id, h.building, h.unit, h.floor, h.room, h.building_area, h.exclusive_area,
              a.weight, a.share_fen, ${PAID_SELECT}
       FROM cost_share_accounts a
       JOIN cost_share_households h ON h.project_id = a.project_id AND h.household_id = a.household_id
       WHERE a.project_id = ? AND a.plan_id = ?
       ORDER BY a.household_id`,
    )
    .all(projectId, planId) as (Record<ShareChannel, bigint> & {
    household_id: string;
    building: string;
    unit: string;
    floor: bigint;
    room: string;
    building_area: string;
    exclusive_area: string | null;
    weight: string;
    share_fen: bigint;
  })[];
  return rows.map((r) => ({
    householdId: r.household_id,
    building: r.building,
    unit: r.unit,
    floor: Number(r.floor),
    room: r.room,
    buildingArea: r.building_area,
    exclusiveArea: r.exclusive_area,
    weight: r.weight,
    shareFen: BigInt(r.share_fen),
    paidFen: {
      resident_direct: BigInt(r.resident_direct),
      provident_fund: BigInt(r.provident_fund),
      maintenance_fund: BigInt(r.maintenance_fund),
    },
  }));
}

/** Per plan of every project: its amount and what its households' shares sum to. */
export function readPlanTotals(
  db: Database.Database,
): { projectId: string; planId: string; amountFen: Fen; sharesFen: Fen; households: number }[] {
  const rows = db
    .prepare(
      `SELECT p.project_id, p.plan_id, p.amount_fen, coalesce(sum(a.share_fen), 0) AS shares_fen, count(a.household_id) AS households
       FROM cost_share_plans p
       LEFT JOIN cost_share_accounts a ON a.project_id = p.project_id AND a.plan_id = p.plan_id
       GROUP BY p.project_id, p.plan_id
       ORDER BY p.project_id, p.plan_id`,
    )
    .all() as { project_id: string; plan_id: string; amount_fen: bigint; shares_fen: bigint; households: bigint }[];
  return rows.map((r) => ({
    projectId: r.project_id,
    planId: r.plan_id,
    amountFen: BigInt(r.amount_fen),
    sharesFen: BigInt(r.shares_fen),
    households: Number(r.households),
  }));
}

/** The accounts whose households paid (all channels, net of reversals) more than their share. */
export function readOverpaidAccounts(
  db: Database.Database,
): { projectId: string; planId: string; householdId: string; shareFen: Fen; paidFen: Fen }[] {
  const rows = db
    .prepare(
      `SELECT a.project_id, a.plan_id, a.household_id, a.share_fen, ${PAID_SUM} AS paid_fen
       FROM cost_share_accounts a
       WHERE ${PAID_SUM} > a.share_fen
       ORDER BY a.project_id, a.plan_id, a.household_id`,
    )
    .all() as { project_id: string; plan_id: string; household_id: string; share_fen: bigint; paid_fen: bigint }[];
  return rows.map((r) => ({
    projectId: r.project_id,
    planId: r.plan_id,
    householdId: r.household_id,
    shareFen: BigInt(r.share_fen),
    paidFen: BigInt(r.paid_fen),
  }));
}

/** What every household of every plan paid and owes, in all: the figures the overpayment check compares. */
export function readShareTotals(db: Database.Database): { shareFen: Fen; paidFen: Fen } {
  const row = db
    .prepare(
      `SELECT coalesce(sum(a.share_fen), 0) AS share_fen, coalesce(sum(${PAID_SUM}), 0) AS paid_fen FROM cost_share_accounts a`,
    )
    .get() as { share_fen: bigint; paid_fen: bigint };
  return { shareFen: BigInt(row.share_fen), paidFen: BigInt(row.paid_fen) };
}
