import type Database from 'better-sqlite3';
import { RecordedEvent, positionKey } from '../../src/event-store/event-store.port';
import { ProjectionDefinition } from '../../src/projection-runner/projection';
import { prepared } from '../../src/projection-runner/prepared';
import { fenOfStored } from '../../src/shared/money/money';
import { EntryReversed, FundingPledged, FundsDisbursed, FundsReceived, ProjectEventType as T } from '../../src/project/project.events';

/**
 * Funding mix: per project and source, what was pledged, received and disbursed, net of
 * reversals, in fen. Each row remembers the last position applied to it, so applying the same
 * event twice changes nothing (idempotent by global position).
 */
export const fundingMixProjection: ProjectionDefinition = {
  name: 'funding-mix',
  version: 3,
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
  handles: [T.pledged, T.received, T.disbursed, T.reversed],
  apply(db, event) {
    const d = event.data as unknown as FundingPledged & FundsReceived & FundsDisbursed & EntryReversed;
    switch (event.type) {
      case T.pledged: return bump(db, PLEDGED, event, d, fenOfStored(d.amount));
      case T.received: return bump(db, RECEIVED, event, d, fenOfStored(d.amount));
      case T.disbursed: return bump(db, DISBURSED, event, d, fenOfStored(d.amount));
      case T.reversed: {
        const column = d.entryKind === 'pledge' ? PLEDGED : d.entryKind === 'receipt' ? RECEIVED : d.entryKind === 'payment' ? DISBURSED : null;
        // A reversal of another kind of entry changes no money column, but still marks the row.
        return bump(db, column ?? RECEIVED, event, d, column ? -fenOfStored(d.amount) : 0n);
      }
    }
  },
};

const PLEDGED = 'pledged_fen';
const RECEIVED = 'received_fen';
const DISBURSED = 'disbursed_fen';
type MoneyColumn = typeof PLEDGED | typeof RECEIVED | typeof DISBURSED;

/** One statement per column: a replayed event binds four values, not six (the other columns stay 0). */
const BUMP_SQL: Record<MoneyColumn, string> = {
  [PLEDGED]: bumpSql(PLEDGED),
  [RECEIVED]: bumpSql(RECEIVED),
  [DISBURSED]: bumpSql(DISBURSED),
};

function bumpSql(column: MoneyColumn): string {
  return `
    INSERT INTO funding_mix (project_id, source, ${column}, last_position)
    VALUES (?, ?, ?, ?)
    ON CONFLICT (project_id, source) DO UPDATE SET
      ${column} = ${column} + excluded.${column},
      last_position = excluded.last_position
    WHERE excluded.last_position > funding_mix.last_position`;
}

function bump(db: Database.Database, column: MoneyColumn, event: RecordedEvent, d: { projectId: string; source: string }, fen: bigint): void {
  prepared(db, BUMP_SQL[column]).run(d.projectId, d.source, fen, positionKey(event.position));
}
