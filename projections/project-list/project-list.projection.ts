import type Database from 'better-sqlite3';
import { LedgerRecordOf } from '../../src/events/ledger-events';
import { FIGURES_OF_ENTRY, ProjectEventType as T, entryMoveOf } from '../../src/project/project.events';
import { assertNever } from '../../src/shared/domain/domain-error';
import { fenOfStored, formatFen } from '../../src/shared/money/money';
import { positionKey } from '../../src/shared/projection/position-key';
import { prepared } from '../../src/shared/projection/prepared';
import { ProjectionDefinition } from '../../src/shared/projection/projection-definition';

const HANDLES = [
  T.registered,
  T.approved,
  T.budgetLineAdded,
  T.pledged,
  T.received,
  T.disbursed,
  T.treasuryPaid,
  T.reversed,
  T.reversalReversed,
] as const;
type Handled = (typeof HANDLES)[number];

/** The figures summed per town, as project_list's columns (approved_investment may be null). */
const TOWN_FIGURES = ['budget_total_fen', 'pledged_fen', 'received_fen', 'disbursed_fen'] as const;

/**
 * What project row `r` (NEW or OLD) adds to its town's sums, times `sign` (1, or −1 to take off
 * the row as it was before an update): a project, an approved one, and its figures.
 */
const townMoved = (r: string, sign: 1 | -1) => `
      INSERT INTO project_list_towns (town, projects, approved_projects, approved_investment, ${TOWN_FIGURES.join(', ')})
      VALUES (${r}.town, ${sign}, ${sign} * (${r}.approved_investment IS NOT NULL), ${sign} * ifnull(${r}.approved_investment, 0),
        ${TOWN_FIGURES.map((f) => `${sign} * ${r}.${f}`).join(', ')})
      ON CONFLICT (town) DO UPDATE SET
        ${['projects', 'approved_projects', 'approved_investment', ...TOWN_FIGURES].map((c) => `${c} = ${c} + excluded.${c}`).join(', ')};`;

/**
 * One row per project: who, where, status, approved investment and money totals (in fen); and
 * `project_list_towns`, those rows summed per town (the towns report, issue 19 point 9), kept by
 * triggers in the statement that changes a row, so a read never sees a row without its town's sum
 * and reads a row per town, not one per project.
 */
export const projectListProjection: ProjectionDefinition<LedgerRecordOf<Handled>> = {
  name: 'project-list',
  version: 5,
  tables: ['project_list', 'project_list_towns'],
  schema: `
    CREATE TABLE project_list (
      project_id          TEXT PRIMARY KEY,
      name                TEXT NOT NULL,
      community           TEXT NOT NULL,
      town                TEXT NOT NULL,
      status              TEXT NOT NULL,
      approved_investment INTEGER,
      approval_path       TEXT,
      budget_total_fen    INTEGER NOT NULL DEFAULT 0,
      pledged_fen         INTEGER NOT NULL DEFAULT 0,
      received_fen        INTEGER NOT NULL DEFAULT 0,
      disbursed_fen       INTEGER NOT NULL DEFAULT 0,
      last_position       NOT NULL -- positionKey(): no declared type, so no affinity converts it
    ) WITHOUT ROWID;
    CREATE TABLE project_list_towns (
      town                TEXT PRIMARY KEY,
      projects            INTEGER NOT NULL,
      approved_projects   INTEGER NOT NULL, -- with an approved investment
      approved_investment INTEGER NOT NULL, -- theirs summed
      budget_total_fen    INTEGER NOT NULL,
      pledged_fen         INTEGER NOT NULL,
      received_fen        INTEGER NOT NULL,
      disbursed_fen       INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TRIGGER project_list_towns_on_insert AFTER INSERT ON project_list BEGIN ${townMoved('NEW', 1)}
    END;
    CREATE TRIGGER project_list_towns_on_update AFTER UPDATE ON project_list BEGIN ${townMoved('OLD', -1)} ${townMoved('NEW', 1)}
    END;`,
  handles: HANDLES,
  apply(db, event) {
    const prepare = (sql: string) => prepared(db, sql);
    const pos = positionKey(event.position);
    const guard = 'WHERE project_id = @id AND last_position < @pos';
    switch (event.type) {
      case T.registered: {
        const r = event.data;
        prepare(`INSERT INTO project_list (project_id, name, community, town, status, last_position)
                    VALUES (@id, @name, @community, @town, 'registered', @pos) ON CONFLICT DO NOTHING`).run({
          id: r.projectId,
          name: r.name,
          community: r.community,
          town: r.town,
          pos,
        });
        return;
      }
      case T.approved: {
        const a = event.data;
        prepare(
          `UPDATE project_list SET status = 'approved', approved_investment = @fen, approval_path = @path, last_position = @pos ${guard}`,
        ).run({ id: a.projectId, fen: fenOfStored(a.approvedInvestment), path: a.approvalPath, pos });
        return;
      }
      case T.budgetLineAdded: {
        const b = event.data;
        prepare(`UPDATE project_list SET budget_total_fen = @total,
                      status = CASE WHEN @reapproval = 1 THEN 'reapproval_required' ELSE status END, last_position = @pos ${guard}`).run(
          { id: b.projectId, total: fenOfStored(b.budgetTotal), reapproval: b.reapprovalRequired ? 1 : 0, pos },
        );
        return;
      }
      case T.pledged:
      case T.received:
      case T.disbursed:
      case T.treasuryPaid:
      case T.reversed:
      case T.reversalReversed: {
        const { kind, sign } = entryMoveOf(event);
        // Each figure the entry counts in is a column of that name in fen (`received` → `received_fen`).
        const set = FIGURES_OF_ENTRY[kind].map((figure) => `${figure}_fen = ${figure}_fen + @fen`).join(', ');
        prepare(`UPDATE project_list SET ${set}, last_position = @pos ${guard}`).run({
          id: event.data.projectId,
          fen: sign * fenOfStored(event.data.amount),
          pos,
        });
        return;
      }
      default:
        return assertNever(event, 'event');
    }
  },
};

export interface ProjectListItem {
  projectId: string;
  name: string;
  community: string;
  town: string;
  status: string;
  approvedInvestment: string | null;
  approvalPath: string | null;
  budgetTotal: string;
  pledged: string;
  received: string;
  disbursed: string;
}

export function readProjectList(db: Database.Database, filter: { town?: string } = {}): ProjectListItem[] {
  const rows = (
    filter.town
      ? db.prepare('SELECT * FROM project_list WHERE town = ? ORDER BY project_id').all(filter.town)
      : db.prepare('SELECT * FROM project_list ORDER BY project_id').all()
  ) as Record<string, unknown>[];
  return rows.map((r) => ({
    projectId: r.project_id as string,
    name: r.name as string,
    community: r.community as string,
    town: r.town as string,
    status: r.status as string,
    approvedInvestment: r.approved_investment === null ? null : formatFen(r.approved_investment as bigint),
    approvalPath: (r.approval_path as string | null) ?? null,
    budgetTotal: formatFen(r.budget_total_fen as bigint),
    pledged: formatFen(r.pledged_fen as bigint),
    received: formatFen(r.received_fen as bigint),
    disbursed: formatFen(r.disbursed_fen as bigint),
  }));
}
