import type Database from 'better-sqlite3';
import { LedgerRecordOf } from '../../src/events/ledger-events';
import { isInKind, sourceSaysInKind } from '../../src/project/funding-sources';
import { FIGURES_OF_ENTRY, ProjectEventType as T, entryMoveOf } from '../../src/project/project.events';
import { fenOfStored } from '../../src/shared/money/money';
import { positionKey } from '../../src/shared/projection/position-key';
import { prepared } from '../../src/shared/projection/prepared';
import { Gatherer, ProjectionDefinition, applyByGathering } from '../../src/shared/projection/projection-definition';

const HANDLES = [T.pledged, T.received, T.disbursed, T.treasuryPaid, T.reversed, T.reversalReversed] as const;
type Handled = (typeof HANDLES)[number];

/**
 * Funding mix: per project and source, what was pledged, received and disbursed, net of
 * reversals, in fen, and of received and disbursed the part in kind (isInKind: labour, materials,
 * a donation valued). Each row remembers the last position applied to it, so applying the same
 * event twice changes nothing (idempotent by global position).
 *
 * `funding_mix_in_kind` lists the receipts in kind whose source alone does not say so (a social
 * donation valued): a reversal carries no details, so it is found there to be in kind.
 */
/** Folds events into pending row changes, then writes each row once (see ProjectionDefinition.gather). */
const ROWS: Gatherer<PendingRows, LedgerRecordOf<Handled>> = { start: startRows, fold: foldRow, write: writeRows };

export const fundingMixProjection: ProjectionDefinition<LedgerRecordOf<Handled>> = {
  name: 'funding-mix',
  version: 5,
  tables: ['funding_mix', 'funding_mix_in_kind'],
  schema: `
    CREATE TABLE funding_mix (
      project_id    TEXT    NOT NULL,
      source        TEXT    NOT NULL,
      pledged_fen   INTEGER NOT NULL DEFAULT 0,
      received_fen  INTEGER NOT NULL DEFAULT 0,
      disbursed_fen INTEGER NOT NULL DEFAULT 0,
      received_in_kind_fen  INTEGER NOT NULL DEFAULT 0,
      disbursed_in_kind_fen INTEGER NOT NULL DEFAULT 0,
      last_position NOT NULL,         -- positionKey(): no declared type, so no affinity converts it
      PRIMARY KEY (project_id, source)
    ) WITHOUT ROWID;
    CREATE TABLE funding_mix_in_kind (
      project_id TEXT NOT NULL,
      entry_id   TEXT NOT NULL,
      PRIMARY KEY (project_id, entry_id)
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
  receivedInKind: bigint;
  disbursedInKind: bigint;
  first: bigint;
  last: bigint;
}
/** A reversal of an entry whose source may be valued: in kind only if its receipt was (found at write). */
interface Undecided {
  row: PendingRow;
  projectId: string;
  entryId: string;
  received: bigint;
  disbursed: bigint;
}
interface PendingRows {
  rows: Map<string, PendingRow>;
  /** `project\0entry` of receipts in kind whose source alone does not say so. */
  inKindEntries: Set<string>;
  undecided: Undecided[];
}

function startRows(): PendingRows {
  return { rows: new Map(), inKindEntries: new Set(), undecided: [] };
}

function foldRow(pending: PendingRows, event: LedgerRecordOf<Handled>): void {
  const { rows } = pending;
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
        receivedInKind: 0n,
        disbursedInKind: 0n,
        first: event.position,
        last: event.position,
      }),
    );
  row.last = event.position;
  const { kind, sign } = entryMoveOf(event);
  const moved = { pledged: 0n, received: 0n, disbursed: 0n };
  for (const figure of FIGURES_OF_ENTRY[kind]) moved[figure] = sign * fen;
  row.pledged += moved.pledged;
  row.received += moved.received;
  row.disbursed += moved.disbursed;
  if (moved.received === 0n && moved.disbursed === 0n) return;
  let inKind: boolean;
  switch (event.type) {
    case T.received:
      inKind = isInKind(d.source, event.data.details);
      if (inKind && sourceSaysInKind(d.source) === undefined)
        pending.inKindEntries.add(`${d.projectId}\u0000${event.data.receiptId}`);
      break;
    case T.reversed:
    case T.reversalReversed: {
      const said = sourceSaysInKind(d.source);
      if (said === undefined) {
        const { entryId } = event.data;
        pending.undecided.push({ row, projectId: d.projectId, entryId, ...moved });
        return;
      }
      inKind = said;
      break;
    }
    default:
      // A payment carries no details: its source alone says (a treasury payment's is a batch source).
      inKind = isInKind(d.source, undefined);
  }
  if (inKind) {
    row.receivedInKind += moved.received;
    row.disbursedInKind += moved.disbursed;
  }
}

/**
 * One upsert per row. A row already marked at or past the first position folded into it took
 * these events before, so it is left alone (idempotent by global position): the runner writes a
 * row and its checkpoint together, so a row never holds part of what was folded.
 */
const UPSERT = `
  INSERT INTO funding_mix (project_id, source, pledged_fen, received_fen, disbursed_fen, received_in_kind_fen, disbursed_in_kind_fen, last_position)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (project_id, source) DO UPDATE SET
    pledged_fen = pledged_fen + excluded.pledged_fen,
    received_fen = received_fen + excluded.received_fen,
    disbursed_fen = disbursed_fen + excluded.disbursed_fen,
    received_in_kind_fen = received_in_kind_fen + excluded.received_in_kind_fen,
    disbursed_in_kind_fen = disbursed_in_kind_fen + excluded.disbursed_in_kind_fen,
    last_position = excluded.last_position
  WHERE ? > funding_mix.last_position`;

function writeRows(db: Database.Database, pending: PendingRows): void {
  const known = prepared(db, 'SELECT 1 FROM funding_mix_in_kind WHERE project_id = ? AND entry_id = ?');
  for (const u of pending.undecided)
    if (
      pending.inKindEntries.has(`${u.projectId}\u0000${u.entryId}`) ||
      known.get(u.projectId, u.entryId) !== undefined
    ) {
      u.row.receivedInKind += u.received;
      u.row.disbursedInKind += u.disbursed;
    }
  const remember = prepared(
    db,
    'INSERT INTO funding_mix_in_kind (project_id, entry_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
  );
  for (const key of pending.inKindEntries) remember.run(...key.split('\u0000'));
  const upsert = prepared(db, UPSERT);
  for (const r of pending.rows.values())
    upsert.run(
      r.projectId,
      r.source,
      r.pledged,
      r.received,
      r.disbursed,
      r.receivedInKind,
      r.disbursedInKind,
      positionKey(r.last),
      positionKey(r.first),
    );
}
