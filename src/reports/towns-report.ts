/**
 * The projects by town (GET /api/reports/towns), for the overview's ranking of towns: per town the
 * number of projects and the sums of the project list's figures, as the project list keeps them
 * per town (project_list_towns), so neither the browser nor the service reads every project.
 */
import type Database from 'better-sqlite3';
import { formatFen } from '../shared/money/money';

export interface TownView {
  town: string;
  projects: number;
  /** The projects approved (with an approved investment). */
  approvedProjects: number;
  /** Their approved investments summed (批复投资). */
  approvedInvestment: string;
  budgetTotal: string;
  pledged: string;
  received: string;
  disbursed: string;
}

export interface TownsReport {
  /** By town name (code point order). */
  towns: TownView[];
}

export function readTowns(db: Database.Database): TownsReport {
  const rows = db
    .prepare(
      `
    SELECT town, projects, approved_projects, approved_investment AS approved, budget_total_fen AS budget,
      pledged_fen AS pledged, received_fen AS received, disbursed_fen AS disbursed
    FROM project_list_towns WHERE projects > 0 ORDER BY town`,
    )
    .all() as Record<string, string | bigint>[];
  return {
    towns: rows.map((r) => ({
      town: r.town as string,
      projects: Number(r.projects),
      approvedProjects: Number(r.approved_projects),
      approvedInvestment: formatFen(BigInt(r.approved)),
      budgetTotal: formatFen(BigInt(r.budget)),
      pledged: formatFen(BigInt(r.pledged)),
      received: formatFen(BigInt(r.received)),
      disbursed: formatFen(BigInt(r.disbursed)),
    })),
  };
}
