import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { UnreadableEventError, brokenStreamsOf } from '../../src/event-store/integrity';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { writerFor } from '../../src/event-store/write-path';
import {
  commandContext,
  describeEventStoreContract,
  freshTag,
  rejectionOf,
  someEvents,
  waitFor,
} from './event-store.contract';
import { tallyDecider } from './support/tally.decider';

describeEventStoreContract('SqliteEventStore', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ledger-contract-'));
  const store = new SqliteEventStore(join(dir, 'events.db'));
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteEventStore: a stored row no longer JSON (a byte changed on disk)', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ledger-unreadable-'));
    store = new SqliteEventStore(join(dir, 'events.db'));
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(['data', 'metadata'] as const)(
    'its %s: every read returns the event with that part naming the fault, the stream is marked broken, a subscription goes on past it',
    async (part) => {
      const s = `project-unreadable-${freshTag()}`;
      const written = someEvents(3);
      await store.append(s, written, 'no_stream');
      const other = someEvents(1);
      await store.append(`project-other-${freshTag()}`, other, 'no_stream');
      const db = new Database(store.file);
      try {
        db.prepare(`UPDATE events SET ${part} = '{"broken' WHERE event_id = ?`).run(written[1].eventId);
      } finally {
        db.close();
      }
      const named = new RegExp(
        `^${s} does not verify at revision 1 \\(event ${written[1].eventId}, position 2\\): it cannot be read: its ${part} is not JSON`,
      );
      const reads = [
        await store.readStream(s),
        await store.readAll({ after: 0n, limit: 100 }),
        await store.readByCommand(written[0].metadata.commandId),
      ];
      for (const read of reads) {
        expect(read.map((e) => e.position)).toEqual(read === reads[1] ? [1n, 2n, 3n, 4n] : [1n, 2n, 3n]);
        expect(() => read[1][part]).toThrow(UnreadableEventError);
        expect(() => read[1][part]).toThrow(named);
        expect(read[2].data).toEqual(written[2].data);
      }
      expect(brokenStreamsOf(store).all()).toEqual([
        expect.objectContaining({
          streamId: s,
          revision: '1',
          eventId: written[1].eventId,
          position: '2',
          foundBy: 'read',
        }),
      ]);

      const seen: RecordedEvent[] = [];
      const errors: Error[] = [];
      const sub = store.subscribeToAll(
        0n,
        (page) => void seen.push(...page),
        (err) => errors.push(err),
      );
      try {
        await waitFor(() => seen.length === 4, 'the whole log, past the unreadable row');
      } finally {
        await sub.close();
      }
      expect(errors).toEqual([]);
      expect(() => seen[1][part]).toThrow(named);
      expect(seen[3].data).toEqual(other[0].data);

      const write = await rejectionOf(writerFor(store, tallyDecider).execute(s, { amount: '1.00' }, commandContext()));
      expect(write).toMatchObject({ code: 'chain-broken', status: 409 });
    },
  );
});
