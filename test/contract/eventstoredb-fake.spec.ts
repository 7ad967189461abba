/**
 * The store contract through the real @eventstore/db-client 6.2.1 and our EventStoreDB adapter,
 * against an in-memory fake of the server's gRPC streams API (test/contract/support). This is
 * not EventStoreDB: it checks the adapter's use of the client (encoding, errors, paging,
 * subscriptions, timeouts); eventstoredb-event-store.spec.ts runs the same contract against a
 * real server when EVENTSTORE_URL is set.
 */
import { EventStoreDBClient } from '@eventstore/db-client';
import { EventStoreDbEventStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store';
import { MAX_APPEND_BYTES, RecordedEvent } from '../../src/event-store/event-store.port';
import { UnreadableEventError, brokenStreamsOf } from '../../src/event-store/integrity';
import { writerFor } from '../../src/event-store/write-path';
import {
  commandContext,
  describeEventStoreContract,
  eventOfSize,
  freshTag,
  readAllPages,
  rejectionOf,
  sleep,
  someEvents,
  waitFor,
} from './event-store.contract';
import { tallyDecider } from './support/tally.decider';
import { runTogether } from './support/workers';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { createFake } = require('./support/fake-eventstoredb');

/** A fake event as the fake server stores it. */
interface FakeEvent {
  stream: string;
  id: string;
  type: string;
  data: Buffer;
  meta: Buffer;
}

// The server's write timeout is 2 s; shorter here, so that the tests of timeouts are quick.
const fake = createFake({ writeTimeoutMs: 100 });
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
      await waitFor(() => seen.length === 1, 'the first event');
      fake.dropSubscriptions();
      const second = someEvents(1);
      await store.append(`project-drop2-${Date.now()}`, second, 'no_stream');
      await waitFor(() => seen.length === 2, 'the event after the drop', 10_000);
      expect(seen).toEqual([first[0].eventId, second[0].eventId]);
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      await sub.close();
      await store.close();
    }
  });

  it('counts an append as the server does: one at the limit is stored with exactly 1 MiB as the server counts it', async () => {
    const store = await connect(await port());
    try {
      const s = `project-size-${freshTag()}`;
      const e = eventOfSize(s, MAX_APPEND_BYTES);
      await store.append(s, [e], 'no_stream');
      const stored = (fake.log as FakeEvent[]).find((x) => x.id === e.eventId)!;
      expect(stored.data.length + stored.meta.length + 2 * stored.type.length).toBe(MAX_APPEND_BYTES);
    } finally {
      await store.close();
    }
  });

  it.each([
    ['deleted (soft delete)', (c: EventStoreDBClient, s: string) => c.deleteStream(s)],
    ['tombstoned', (c: EventStoreDBClient, s: string) => c.tombstoneStream(s)],
  ])(
    'reports a stream %s on the server as broken, refuses to write it, and never recreates it',
    async (how, remove) => {
      const store = await connect(await port());
      const client = EventStoreDBClient.connectionString(fake.url());
      try {
        const s = `project-gone-${freshTag()}`;
        await store.append(s, someEvents(2), 'no_stream');
        await remove(client, s);
        const read = await rejectionOf(store.readStream(s));
        expect(read).toMatchObject({ code: 'chain-broken', status: 409 });
        expect((read as Error).message).toContain(`the stream was ${how} on the EventStoreDB server`);
        // What the health check reports (degraded, with the stream named), and what writes meet.
        expect(
          brokenStreamsOf(store)
            .all()
            .map((f) => f.streamId),
        ).toEqual([s]);
        const write = await rejectionOf(
          writerFor(store, tallyDecider).execute(s, { amount: '1.00' }, commandContext()),
        );
        expect(write).toMatchObject({ code: 'chain-broken', status: 409 });
        await expect(store.append(s, someEvents(1), 'no_stream')).rejects.toMatchObject({ code: 'chain-broken' });
        const fresh = await connect(await port()); // a process that has not read it yet: the append itself refuses
        try {
          await expect(fresh.append(s, someEvents(1), 'no_stream')).rejects.toMatchObject({ code: 'chain-broken' });
        } finally {
          await fresh.close();
        }
        expect((fake.log as FakeEvent[]).filter((e) => e.stream === s && !e.type.startsWith('$'))).toHaveLength(2);
      } finally {
        await client.dispose();
        await store.close();
      }
    },
  );

  it.each([
    ['data', 'data'],
    ['metadata', 'meta'],
  ] as const)(
    'reads a stored event whose %s is no longer JSON as one that cannot be read: named, never a SyntaxError, its stream broken',
    async (part, field) => {
      const store = await connect(await port());
      try {
        const s = `project-unreadable-${freshTag()}`;
        const written = someEvents(3);
        await store.append(s, written, 'no_stream');
        const stored = (fake.log as FakeEvent[]).find((x) => x.id === written[1].eventId)!;
        stored[field] = Buffer.from('{"broken');
        const read = await store.readStream(s);
        expect(read.map((e) => e.eventId)).toEqual(written.map((e) => e.eventId));
        expect(() => read[1][part]).toThrow(UnreadableEventError);
        expect(() => read[1][part]).toThrow(
          new RegExp(
            `^${s} does not verify at revision 1 \\(event ${written[1].eventId}, position \\d+\\): it cannot be read: its ${part} is not a JSON object`,
          ),
        );
        expect(read[2].data).toEqual(written[2].data);
        expect(brokenStreamsOf(store).faultOf(s)).toMatchObject({
          revision: '1',
          eventId: written[1].eventId,
          foundBy: 'read',
        });
        const write = await rejectionOf(
          writerFor(store, tallyDecider).execute(s, { amount: '1.00' }, commandContext()),
        );
        expect(write).toMatchObject({ code: 'chain-broken', status: 409 });
      } finally {
        await store.close();
      }
    },
  );

  it('leaves system, index and foreign events out of readAll and subscriptions alike', async () => {
    const store = await connect(await port());
    const from = await store.headPosition();
    const received: RecordedEvent[] = [];
    const sub = store.subscribeToAll(from, (page) => void received.push(...page));
    try {
      const [a, b] = [`project-mix-${freshTag()}`, `fundbatch-mix-${freshTag()}`];
      const mine = someEvents(2);
      await store.append(a, mine, 'no_stream'); // its claim goes to an index stream
      fake.systemEvent('$stats-127.0.0.1:2113', '$statsCollected');
      fake.systemEvent(`$$${a}`, '$metadata');
      fake.systemEvent(a, '$foreign'); // a system type in a ledger stream
      fake.systemEvent(`orders-${freshTag()}`, 'OrderPlaced'); // another application's
      fake.systemEvent(`Orders-${freshTag()}`, 'order-placed.v1'); // not a ledger stream name
      const more = someEvents(1);
      await store.append(b, more, 'no_stream');
      await waitFor(() => received.length >= 3, 'the ledger events');
      await sleep(200);
      const ids = [...mine, ...more].map((e) => e.eventId);
      expect(received.map((e) => e.eventId)).toEqual(ids);
      expect(await readAllPages(store, from)).toEqual(received);
      // The claims' type is not a ledger type: the server's type filter never sends them.
      const claims = (fake.log as FakeEvent[]).filter((e) => e.stream.startsWith('ledgercommand-'));
      expect(claims.length).toBeGreaterThan(0);
      for (const claim of claims) expect(claim.type).not.toMatch(/\.v[0-9]+$/);
    } finally {
      await sub.close();
      await store.close();
    }
  });

  it.each(['timeout', 'timeout-after-write', 'not-ready'])(
    'sends an append again after a %s answer: one copy, the right answer',
    async (kind) => {
      const store = await connect(await port());
      try {
        const s = `project-retry-${freshTag()}`;
        const events = someEvents(2);
        const before = fake.stats.duplicatesAnswered;
        fake.failNextAppend(kind, new RegExp(`^${s}$`));
        const r = await store.append(s, events, 'no_stream');
        const stored = await store.readStream(s);
        expect(stored.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
        expect(r).toMatchObject({ revision: 1n, position: stored[1].position, hash: stored[1].metadata.hash });
        // Written before its timeout: the second send was answered from the log.
        expect(fake.stats.duplicatesAnswered - before).toBe(kind === 'timeout-after-write' ? 1 : 0);
      } finally {
        await store.close();
      }
    },
  );

  it('refuses throwOnAppendFailure=false, which would turn conflicts into silent failures', async () => {
    await expect(
      EventStoreDbEventStore.connect('esdb://127.0.0.1:1?tls=false&throwOnAppendFailure=false', { timeoutMs: 1000 }),
    ).rejects.toThrow(/throwOnAppendFailure/);
  });
});

describe('eventstoredb adapter on a three-node cluster', () => {
  it('a leader switch and an election during a load of writes: no error to any caller, no event lost or doubled', async () => {
    // In a plain Node process of its own, as the service runs (support/append-worker.js).
    const [worker] = await runTogether([['cluster-load', '120']]);
    const report = JSON.parse(worker.lines[worker.lines.length - 1]);
    expect(report.errors).toEqual([]);
    expect(report.stored).toEqual(report.sent);
    // The load met both: NotLeader after the switch, NotReady during the election.
    expect(report.stats.notLeader).toBeGreaterThan(0);
    expect(report.stats.notReady).toBeGreaterThan(0);
  });

  it('starts and writes with one node of three down', async () => {
    const cluster = createFake({ nodes: 3 });
    await cluster.start();
    // The first seed is down; the other two elected a leader among themselves.
    cluster.stopNode(0);
    cluster.endElection(1);
    try {
      const store = await EventStoreDbEventStore.connect(cluster.url(), { timeoutMs: 10_000 });
      try {
        const s = `project-down-${freshTag()}`;
        const events = someEvents(2);
        await store.append(s, events, 'no_stream');
        expect((await store.readStream(s)).map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
      } finally {
        await store.close();
      }
    } finally {
      cluster.forceStop();
    }
  });
});
