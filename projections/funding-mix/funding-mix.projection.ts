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
    if (!fundingMixProjection.handles.includes(event.type)) return;
    const d = event.data as unknown as FundingPledged & FundsReceived & FundsDisbursed & EntryReversed;
    const fen = fenOfStored(d.amount);
    switch (event.type) {
      case T.pledged: return bump(db, event, d.projectId, d.source, fen, 0n, 0n);
      case T.received: return bump(db, event, d.projectId, d.source, 0n, fen, 0n);
      case T.disbursed: return bump(db, event, d.projectId, d.source, 0n, 0n, fen);
      case T.reversed: {
        const kind = (event.data as unknown as EntryReversed).entryKind;
        return bump(db, event, d.projectId, d.source, kind === 'pledge' ? -fen : 0n, kind === 'receipt' ? -fen : 0n, kind === 'payment' ? -fen : 0n);
      }
    }
  },
};

function bump(db: Database.Database, event: RecordedEvent, projectId: string, source: string, pledged: bigint, received: bigint, disbursed: bigint): void {
  const stmt = prepared(db, `
    INSERT INTO funding_mix (project_id, source, pledged_fen, received_fen, disbursed_fen, last_position)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (project_id, source) DO UPDATE SET
      pledged_fen = pledged_fen + excluded.pledged_fen,
      received_fen = received_fen + excluded.received_fen,
      disbursed_fen = disbursed_fen + excluded.disbursed_fen,
      last_position = excluded.last_position
    WHERE excluded.last_position > funding_mix.last_position`);
  stmt.run(projectId, source, pledged, received, disbursed, positionKey(event.position));
}
