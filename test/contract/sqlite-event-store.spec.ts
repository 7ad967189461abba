import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { describeEventStoreContract } from './event-store.contract';

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
