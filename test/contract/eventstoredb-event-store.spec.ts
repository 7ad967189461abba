/**
 * The same contract suite as the embedded store, against a real EventStoreDB server. It runs only
 * when EVENTSTORE_URL is set (e.g. esdb://localhost:2113?tls=false); jest.config.js leaves this
 * file out otherwise and prints one line saying so.
 */
import { EventStoreDbEventStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store';
import { describeEventStoreContract } from './event-store.contract';

const url = process.env.EVENTSTORE_URL;
if (!url)
  throw new Error(
    'EVENTSTORE_URL is not set: this suite needs a running EventStoreDB (jest.config.js should have left it out)',
  );

describeEventStoreContract('eventstoredb', async () => {
  const store = await EventStoreDbEventStore.connect(url, { timeoutMs: 10_000 });
  return { store, cleanup: () => store.close() };
});
