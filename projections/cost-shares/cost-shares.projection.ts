import type Database from 'better-sqlite3';
import { LedgerRecordOf } from '../../src/events/ledger-events';
import { ShareChannel, isShareChannel } from '../../src/project/funding-sources';
import {
  CostSharePlanAdopted,
  EntryReversed,
  FundsReceived,
  HouseholdCorrected,
  HouseholdsRegistered,
  ProjectEventType as T,
  ReversalReversed,
} from '../../src/project/project.events';
import { assertNever } from '../../src/shared/domain/domain-error';
import { Fen, fenOfStored } from '../../src/shared/money/money';
import { positionKey } from '../../src/shared/projection/position-key';
import { prepared } from '../../src/shared/projection/prepared';
import { ProjectionDefinition } from '../../src/shared/projection/projection-definition';

const HANDLES = [
  T.householdsRegistered,
  T.householdCorrected,
  T.costSharePlanAdopted,
  T.received,
  T.reversed,
  T.reversalReversed,
] as const;
type Handled = LedgerRecordOf<(typeof HANDLES)[number]>;

/** The column of each residents' channel in cost_share_accounts. */
export const PAID_COLUMN: Readonly<Record<ShareChannel, string>> = {
  resident_direct: 'paid_direct_fen',
  provident_fund: 'paid_provident_fen',
  maintenance_fund: 'paid_maintenance_fen',
};

/**
 * The residents' cost sharing (issue 15, point 6), per plan and household, in fen:
 *
 * - `cost_share_plans`: every adopted plan, its lines, amount, scope, key, exemptions and vote
 *   as the event recorded them (JSON where they are lists or objects);
 * - `cost_share_accounts`: a row per household of a plan: its weight (the exact decimal of the
 *   event), its share, and what each residents' channel paid into it, net of reversals;
 * - `cost_share_households`: where each household of a register is (building, unit, floor,
 *   room) and its areas, as corrected since: the plan's list and its public notice show them.
 *   No owner key: no read of this model shows one;
 * - `cost_share_receipts`: the receipts that pay a share, so that a reversal (which names only
 *   its entry) finds the account it takes back from.
 *
 * A receipt of a residents' channel that names a plan and a household pays that account; the
 * project's funding mix and source ledger count it as a receipt of its source as before.
 * Idempotent by global position: rows that one event writes are keyed by what it names and never
 * written twice; rows that change remember the last position applied to them.
 */
export const costSharesProjection: ProjectionDefinition<Handled> = {
  name: 'cost-shares',
  version: 1,
  tables: ['cost_share_plans', 'cost_share_accounts', 'cost_share_households', 'cost_share_receipts'],
  schema: `
    CREATE TABLE cost_share_plans (
      project_id  TEXT    NOT NULL,
      plan_id     TEXT    NOT NULL,
      line_ids    TEXT    NOT NULL,             -- JSON array
      amount_fen  INTEGER NOT NULL,
      scope       TEXT    NOT NULL,             -- JSON: the scope record (its household ids are personal)
      key         TEXT    NOT NULL,             -- JSON: the key record
      exempt      TEXT,                         -- JSON array, or NULL
      vote_id     TEXT,
      households  INTEGER NOT NULL,
      PRIMARY KEY (project_id, plan_id)
    ) WITHOUT ROWID;
    CREATE TABLE cost_share_accounts (
      project_id           TEXT    NOT NULL,
      plan_id              TEXT    NOT NULL,
      household_id         TEXT    NOT NULL,
      weight               TEXT    NOT NULL,    -- exact decimal in the key's unit
      share_fen            INTEGER NOT NULL,
      paid_direct_fen      INTEGER NOT NULL DEFAULT 0,
      paid_provident_fen   INTEGER NOT NULL DEFAULT 0,
      paid_maintenance_fen INTEGER NOT NULL DEFAULT 0,
      last_position        NOT NULL,            -- positionKey(): no declared type, so no affinity converts it
      PRIMARY KEY (project_id, plan_id, household_id)
    ) WITHOUT ROWID;
    CREATE TABLE cost_share_households (
      project_id     TEXT    NOT NULL,
      household_id   TEXT    NOT NULL,
      building       TEXT    NOT NULL,
      unit           TEXT    NOT NULL,
      floor          INTEGER NOT NULL,
      room           TEXT    NOT NULL,
      building_area  TEXT    NOT NULL,          -- m², as the event wrote it ("72.10")
      exclusive_area TEXT,
      last_position  NOT NULL,
      PRIMARY KEY (project_id, household_id)
    ) WITHOUT ROWID;
    CREATE TABLE cost_share_receipts (
      project_id   TEXT NOT NULL,
      receipt_id   TEXT NOT NULL,
      plan_id      TEXT NOT NULL,
      household_id TEXT NOT NULL,
      source       TEXT NOT NULL,
      PRIMARY KEY (project_id, receipt_id)
    ) WITHOUT ROWID;`,
  handles: HANDLES,
  apply(db, event) {
    const pos = positionKey(event.position);
    switch (event.type) {
      case T.householdsRegistered:
        return registered(db, event.data, pos);
      case T.householdCorrected:
        return corrected(db, event.data, pos);
      case T.costSharePlanAdopted:
        return adopted(db, event.data, pos);
      case T.received:
        return paid(db, event.data, pos);
      case T.reversed:
        return takenBack(db, event.data, fenOfStored(event.data.amount), pos);
      case T.reversalReversed: {
        // Undoing a reversal gives its receipt back what it took; undoing an undo takes it again.
        const fen = fenOfStored(event.data.amount);
        return takenBack(db, event.data, event.data.restores ? -fen : fen, pos);
      }
      default:
        return assertNever(event, 'event');
    }
  },
};

type Position = bigint | string;

function registered(db: Database.Database, d: HouseholdsRegistered, pos: Position): void {
  const insert = prepared(
    db,
    `INSERT INTO cost_share_households (project_id, household_id, building, unit, floor, room, building_area, exclusive_area, last_position)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  for (const h of d.households)
    insert.run(
      d.projectId,
      h.householdId,
      h.building,
      h.unit,
      h.floor,
      h.room,
      h.buildingArea,
      h.exclusiveArea ?? null,
      pos,
    );
}

/** A correction sets the fields it names (an owner key or tenure changes nothing here). */
function corrected(db: Database.Database, d: HouseholdCorrected, pos: Position): void {
  prepared(
    db,
    `UPDATE cost_share_households SET
       building = coalesce(@building, building),
       unit = coalesce(@unit, unit),
       floor = coalesce(@floor, floor),
       room = coalesce(@room, room),
       building_area = coalesce(@buildingArea, building_area),
       exclusive_area = coalesce(@exclusiveArea, exclusive_area),
       last_position = @pos
     WHERE project_id = @projectId AND household_id = @householdId AND last_position < @pos`,
  ).run({
    projectId: d.projectId,
    householdId: d.householdId,
    building: d.building ?? null,
    unit: d.unit ?? null,
    floor: d.floor ?? null,
    room: d.room ?? null,
    buildingArea: d.buildingArea ?? null,
    exclusiveArea: d.exclusiveArea ?? null,
    pos,
  });
}

function adopted(db: Database.Database, d: CostSharePlanAdopted, pos: Position): void {
  const inserted = prepared(
    db,
    `INSERT INTO cost_share_plans (project_id, plan_id, line_ids, amount_fen, scope, key, exempt, vote_id, households)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  ).run(
    d.projectId,
    d.planId,
    JSON.stringify(d.lineIds),
    fenOfStored(d.amount),
    JSON.stringify(d.scope),
    JSON.stringify(d.key),
    d.exempt === undefined ? null : JSON.stringify(d.exempt),
    d.voteId ?? null,
    d.shares.length,
  );
  if (inserted.changes === 0) return; // taken before (idempotent by the plan's id)
  const account = prepared(
    db,
    `INSERT INTO cost_share_accounts (project_id, plan_id, household_id, weight, share_fen, last_position)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  for (const s of d.shares) account.run(d.projectId, d.planId, s.householdId, s.weight, fenOfStored(s.share), pos);
}

/** A receipt of a residents' channel naming a plan and a household pays that account. */
function paid(db: Database.Database, d: FundsReceived, pos: Position): void {
  const householdId = d.details.householdId;
  if (d.planId === undefined || householdId === undefined || !isShareChannel(d.source)) return;
  const inserted = prepared(
    db,
    `INSERT INTO cost_share_receipts (project_id, receipt_id, plan_id, household_id, source)
     VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  ).run(d.projectId, d.receiptId, d.planId, householdId, d.source);
  if (inserted.changes > 0) addPaid(db, d.projectId, d.planId, householdId, d.source, fenOfStored(d.amount), pos);
}

/** A reversal of a share's receipt takes `takenFen` back from its account (a negative amount gives back). */
function takenBack(db: Database.Database, r: EntryReversed | ReversalReversed, takenFen: Fen, pos: Position): void {
  if (r.entryKind !== 'receipt' || !isShareChannel(r.source)) return;
  const receipt = prepared(
    db,
    'SELECT plan_id, household_id, source FROM cost_share_receipts WHERE project_id = ? AND receipt_id = ?',
  ).get(r.projectId, r.entryId) as { plan_id: string; household_id: string; source: ShareChannel } | undefined;
  // A lump receipt pays no share; and a history cut at `asOf` may hold a reversal whose receipt is dated later.
  if (!receipt) return;
  addPaid(db, r.projectId, receipt.plan_id, receipt.household_id, receipt.source, -takenFen, pos);
}

function addPaid(
  db: Database.Database,
  projectId: string,
  planId: string,
  householdId: string,
  source: ShareChannel,
  fen: Fen,
  pos: Position,
): void {
  const column = PAID_COLUMN[source];
  prepared(
    db,
    `UPDATE cost_share_accounts SET ${column} = ${column} + ?, last_position = ?
     WHERE project_id = ? AND plan_id = ? AND household_id = ? AND last_position < ?`,
  ).run(fen, pos, projectId, planId, householdId, pos);
}
