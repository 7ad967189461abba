import type Database from 'better-sqlite3';
import { LedgerRecordOf } from '../../src/events/ledger-events';
import { FIGURES_OF_ENTRY, ProjectEventType as T, entryMoveOf } from '../../src/project/project.events';
import { fenOfStored } from '../../src/shared/money/money';
import { positionKey } from '../../src/shared/projection/position-key';
import { prepared } from '../../src/shared/projection/prepared';
import { Gatherer, ProjectionDefinition, applyByGathering } from '../../src/shared/projection/projection-definition';

const HANDLES = [T.pledged, T.received, T.disbursed, T.treasuryPaid, T.reversed, T.reversalReversed] as const;
type Handled = (typeof HANDLES)[number];

/**
 * Funding mix: per project and source, what was pledged, received and disbursed, net of
 * reversals, in fen. Each row remembers the last position applied to it, so applying the same
 * event twice changes nothing (idempotent by global position).
 */
/** Folds events into pending row changes, then writes each row once (see ProjectionDefinition.gather). */
const ROWS: Gatherer<PendingRows, LedgerRecordOf<Handled>> = { start: startRows, fold: foldRow, write: writeRows };

export const fundingMixProjection: ProjectionDefinition<LedgerRecordOf<Handled>> = {
  name: 'funding-mix',
  version: 4,
  tables: ['funding_mix'],
  schema: `
    CREATE TABLE funding_mix (
      project_id    TEXT    NOT NULL,
      source        TEXT    NOT NULL,
      pledged_fen   INTEGER NOT NULL DEFAULT 0,
      received_fen  INTEGER NOT NULL DEFAULT 0,
      disbursed_fen INTEGER NOT NULL DEFAULT 0,
      last_position NOT NULL,         -- positionKey(): no declared type, so no affinity converts it
      PRIMARY KEY (project_id, source)
    ) WITHOUT ROWID;`,
  handles: HANDLES,
  apply: applyByGathering(ROWS),
  gather: ROWS,
};

/** One funding_mix row's change not yet written: money deltas and the positions it covers. */
interface PendingRow {
  projectId: string;
  source: string;
  pledged: bigint;
  received: bigint;
  disbursed: bigint;
  first: bigint;
  last: bigint;
}
type PendingRows = Map<string, PendingRow>;

function startRows(): PendingRows {
  return new Map();
}

function foldRow(rows: PendingRows, event: LedgerRecordOf<Handled>): void {
  const d = event.data;
  const fen = fenOfStored(d.amount);
  const key = `${d.projectId}\u0000${d.source}`;
  let row = rows.get(key);
  if (!row)
    rows.set(
      key,
      (row = {
        projectId: d.projectId,
        source: d.source,
        pledged: 0n,
        received: 0n,
        disbursed: 0n,
        first: event.position,
        last: event.position,
      }),
    );
  row.last = event.position;
  const { kind, sign } = entryMoveOf(event);
  for (const figure of FIGURES_OF_ENTRY[kind]) row[figure] += sign * fen;
}

/**
 * One upsert per row. A row already marked at or past the first position folded into it took
 * these events before, so it is left alone (idempotent by global position): the runner writes a
 * row and its checkpoint together, so a row never holds part of what was folded.
 */
const UPSERT = `
  INSERT INTO funding_mix (project_id, source, pledged_fen, received_fen, disbursed_fen, last_position)
  VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (project_id, source) DO UPDATE SET
    pledged_fen = pledged_fen + excluded.pledged_fen,
    received_fen = received_fen + excluded.received_fen,
    disbursed_fen = disbursed_fen + excluded.disbursed_fen,
    last_position = excluded.last_position
  WHERE ? > funding_mix.last_position`;

function writeRows(db: Database.Database, rows: PendingRows): void {
  const upsert = prepared(db, UPSERT);
  for (const r of rows.values())
    upsert.run(r.projectId, r.source, r.pledged, r.received, r.disbursed, positionKey(r.last), positionKey(r.first));
}
