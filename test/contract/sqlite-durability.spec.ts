/**
 * What only the embedded store promises: WAL with synchronous=FULL on its connection, a data file
 * that survives a restart and an unclean exit, and several OS processes writing one file without
 * losing, duplicating or renumbering an event.
 */
import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordedEvent, WrongExpectedRevisionError } from '../../src/event-store/event-store.port';
import { GENESIS_HASH } from '../../src/event-store/hashing';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { expectValidChain, readAllPages, someEvents, sleep, waitFor } from './event-store.contract';
import { runTogether, startWorker } from './support/workers';

describe('SqliteEventStore durability (SQLite only)', () => {
  let dir: string;
  let file: string;
  const open: SqliteEventStore[] = [];
  const openStore = () => {
    const store = new SqliteEventStore(file);
    open.push(store);
    return store;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ledger-durability-'));
    file = join(dir, 'events.db');
  });

  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs in WAL mode with synchronous=FULL', async () => {
    const store = openStore();
    await store.append('project-a', someEvents(1), 'no_stream');

    expect(store.pragma('synchronous')).toBe(2); // FULL
    expect(store.pragma('journal_mode')).toBe('wal');
    // WAL is a property of the file: another connection sees it.
    const other = new Database(file, { readonly: true });
    try {
      expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      other.close();
    }
    // The accessor only reads.
    expect(() => store.pragma('synchronous = OFF')).toThrow();
    expect(store.pragma('synchronous')).toBe(2);
  });

  it('gives the same events after close() and reopening the file, and carries on from them', async () => {
    const first = openStore();
    await first.append('project-a', someEvents(3), 'no_stream');
    await first.append('fundbatch-b', someEvents(2), 'no_stream');
    await first.append('project-a', someEvents(1), 2n);
    const before = await readAllPages(first, 0n);
    const streamA = await first.readStream('project-a');
    const head = await first.headPosition();
    await first.close();

    const reopened = openStore();
    expect(await readAllPages(reopened, 0n)).toEqual(before);
    expect(await reopened.readStream('project-a')).toEqual(streamA);
    expect(await reopened.headPosition()).toBe(head);
    expect(head).toBe(6n);

    // Expected revisions, positions and the hash chain continue where they stopped.
    await expect(reopened.append('project-a', someEvents(1), 'no_stream')).rejects.toBeInstanceOf(
      WrongExpectedRevisionError,
    );
    const result = await reopened.append('project-a', someEvents(1), 3n);
    const after = await reopened.readStream('project-a');
    expect(result).toEqual({ streamId: 'project-a', revision: 4n, position: 7n, hash: after[4].metadata.hash });
    expect(after[4].metadata.prevHash).toBe(streamA[3].metadata.hash);
    expectValidChain(after);
  });

  it('keeps every acknowledged append when the writing process is killed without closing', async () => {
    const worker = startWorker(['kill', file, '12']);
    const { signal } = await worker.exited;
    expect(signal).toBe('SIGKILL');
    const ack = worker.lines.map((l) => JSON.parse(l) as { acked?: string[] }).find((m) => m.acked);
    expect(ack?.acked).toHaveLength(12);

    const store = openStore();
    const all = await readAllPages(store, 0n);
    expect(all.map((e) => e.eventId)).toEqual(ack?.acked);
    expect(all.map((e) => e.position)).toEqual(Array.from({ length: 12 }, (_, i) => BigInt(i + 1)));
    for (const s of ['project-killed-0', 'project-killed-1', 'project-killed-2']) {
      expectValidChain(await store.readStream(s));
    }
  });

  it('lets two processes append to one file at once without losing or duplicating an event', async () => {
    const perWorker = 300;
    const shared = 'project-shared';
    const workers = await runTogether([
      ['race', file, '1', String(perWorker), shared],
      ['race', file, '2', String(perWorker), shared],
    ]);
    const summaries = workers.map((w) => JSON.parse(w.lines[w.lines.length - 1]) as { done: boolean; retries: number });
    expect(summaries.every((s) => s.done)).toBe(true);

    const store = openStore();
    const all = await readAllPages(store, 0n, 97);
    const total = 2 * perWorker;
    expect(all).toHaveLength(total);
    expect(all.map((e) => e.position)).toEqual(Array.from({ length: total }, (_, i) => BigInt(i + 1)));
    expect(await store.headPosition()).toBe(BigInt(total));
    expect(new Set(all.map((e) => e.eventId)).size).toBe(total);

    // Half of each worker's events went to the shared stream: revisions 0..N-1 without gaps.
    const sharedEvents = await store.readStream(shared);
    expect(sharedEvents).toHaveLength(perWorker);
    expect(sharedEvents.map((e) => e.revision)).toEqual(Array.from({ length: perWorker }, (_, i) => BigInt(i)));
    expectValidChain(sharedEvents);
    for (const workerId of [1, 2]) {
      const mine = sharedEvents.filter((e) => e.data.workerId === String(workerId));
      // Each worker's shared events are in its own order.
      expect(mine.map((e) => e.data.index)).toEqual(Array.from({ length: perWorker / 2 }, (_, i) => 2 * i + 1));
      // Its own streams hold the other half, each a valid chain.
      const own: RecordedEvent[] = [];
      for (let s = 0; s < 5; s++) {
        const events = await store.readStream(`project-w${workerId}-${s}`);
        expectValidChain(events);
        own.push(...events);
      }
      expect(own.map((e) => e.data.index).sort((a, b) => Number(a) - Number(b))).toEqual(
        Array.from({ length: perWorker / 2 }, (_, i) => 2 * i),
      );
    }
  }, 60_000);

  it('delivers to a subscription the events another connection appends', async () => {
    const reader = openStore();
    const writer = openStore();
    const received: RecordedEvent[] = [];
    const sub = reader.subscribeToAll(0n, (events) => {
      received.push(...events);
    });
    try {
      const events = someEvents(3);
      await writer.append('project-x', events, 'no_stream');
      await waitFor(() => received.length >= 3, 'events from the other connection');
      await sleep(300);
      expect(received.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
      expect(received[0].metadata.prevHash).toBe(GENESIS_HASH);
    } finally {
      await sub.close();
    }
  });
});
