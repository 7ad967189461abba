/**
 * The projects by town (GET /api/reports/towns), for the overview's ranking of towns: per town the
 * number of projects and the sums of the project list's figures, summed in SQL over the project
 * list read model, so the browser no longer fetches and sums every project.
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
    SELECT town, count(*) AS projects, count(approved_investment) AS approved_projects,
      ifnull(SUM(approved_investment), 0) AS approved, SUM(budget_total_fen) AS budget, SUM(pledged_fen) AS pledged,
      SUM(received_fen) AS received, SUM(disbursed_fen) AS disbursed
    FROM project_list GROUP BY town ORDER BY town`,
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
