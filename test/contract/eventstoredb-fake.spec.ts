/**
 * The store contract through the real @eventstore/db-client 6.2.1 and our EventStoreDB adapter,
 * against an in-memory fake of the server's gRPC streams API (test/contract/support). This is
 * not EventStoreDB: it checks the adapter's use of the client (encoding, errors, paging,
 * subscriptions, timeouts); eventstoredb-event-store.spec.ts runs the same contract against a
 * real server when EVENTSTORE_URL is set.
 */
import { EventStoreDbEventStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store';
import { describeEventStoreContract, someEvents } from './event-store.contract';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { createFake } = require('./support/fake-eventstoredb');

const fake = createFake({});
let started: Promise<number> | null = null;
const port = (): Promise<number> => (started ??= fake.start());
// A server before 21.10 lists no BatchAppend: the client falls back to the one-shot Append call.
const oldFake = createFake({ batchAppend: false });
let oldStarted: Promise<number> | null = null;
afterAll(() => {
  fake.forceStop();
  oldFake.forceStop();
});

async function connect(p: number): Promise<EventStoreDbEventStore> {
  return EventStoreDbEventStore.connect(`esdb://127.0.0.1:${p}?tls=false`, { timeoutMs: 5_000 });
}

describeEventStoreContract('eventstoredb adapter on the fake server, through BatchAppend', async () => {
  const store = await connect(await port());
  return { store, cleanup: () => store.close() };
});

describeEventStoreContract('eventstoredb adapter on the fake server, through Append (no ServerFeatures)', async () => {
  const store = await connect(await (oldStarted ??= oldFake.start()));
  return { store, cleanup: () => store.close() };
});

describe('eventstoredb adapter: what only EventStoreDB does', () => {
  it('skips system events when looking for the head of $all', async () => {
    const store = await connect(await port());
    try {
      const r = await store.append(`project-head-${Date.now()}`, someEvents(1), 'no_stream');
      for (let i = 0; i < 250; i++) fake.systemEvent('$stats-127.0.0.1:2113', '$statsCollected');
      expect(await store.headPosition()).toBe(r.position);
    } finally {
      await store.close();
    }
  });

  it('resubscribes from its checkpoint after the server drops the subscription', async () => {
    const store = await connect(await port());
    const from = await store.headPosition();
    const seen: string[] = [];
    const errors: string[] = [];
    const sub = store.subscribeToAll(
      from,
      (page) => void seen.push(...page.map((e) => e.eventId)),
      (e) => errors.push(e.message),
    );
    try {
      const first = someEvents(1);
      await store.append(`project-drop-${Date.now()}`, first, 'no_stream');
      await waitUntil(() => seen.length === 1);
      fake.dropSubscriptions();
      const second = someEvents(1);
      await store.append(`project-drop2-${Date.now()}`, second, 'no_stream');
      await waitUntil(() => seen.length === 2, 10_000);
      expect(seen).toEqual([first[0].eventId, second[0].eventId]);
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      await sub.close();
      await store.close();
    }
  });

  it('refuses throwOnAppendFailure=false, which would turn conflicts into silent failures', async () => {
    await expect(
      EventStoreDbEventStore.connect('esdb://127.0.0.1:1?tls=false&throwOnAppendFailure=false', { timeoutMs: 1000 }),
    ).rejects.toThrow(/throwOnAppendFailure/);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
