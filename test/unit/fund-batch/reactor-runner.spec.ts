/**
 * The reactor runner, which makes the allocation flow's second writes (see
 * test/integration/fund-batch-flow.int.spec.ts for the flow itself): a reactor is given only its
 * event types, in log order, parsed by its registry (a superseded version upcast, an event the
 * registry cannot read a failed page, never skipped, unless it is damaged in the store: gone past,
 * its stream broken), and the events of other types are not parsed;
 * the checkpoint is saved as pages are taken and at stop, so a runner started again resumes after
 * it; a page the reactor threw on is offered again, never skipped; and HTTP can wait for a
 * position. The checkpoint's file is shared with the projection runner: a save never waits for its
 * lock, and one that found it busy is written later.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokenStreamsOf, readVerifiedStream } from '../../../src/event-store/integrity';
import { SqliteEventStore } from '../../../src/event-store/sqlite/sqlite-event-store';
import { ReactorCheckpoints } from '../../../src/reactors/reactor-checkpoints';
import { Reactor, ReactorRunner } from '../../../src/reactors/reactor-runner';
import { integer, shape, string } from '../../../src/shared/domain/data-shape';
import { DomainEvent } from '../../../src/shared/domain/decider';
import { EventRegistry, StoredEventError, upcaster } from '../../../src/shared/domain/event-registry';
import { ParsedRecordWithMetadata } from '../../../src/shared/events/parsed-record';
import { newEvent, until } from '../../support/new-events';

/** A bound on waiting for the runner (it is woken by each append), not a measure. */
const DEADLINE_MS = 10_000;

interface Wanted {
  n: number;
  /** Added in v2; a v1 event reads as `written as v1`. */
  note: string;
}
type TestEvent = DomainEvent<'wanted.v2', Wanted> | DomainEvent<'other.v1', { n: number }>;
const testEvents = new EventRegistry<TestEvent>(
  'test',
  { 'wanted.v2': shape<Wanted>({ n: integer, note: string }), 'other.v1': shape<{ n: number }>({ n: integer }) },
  {
    'wanted.v1': upcaster(shape<{ n: number }>({ n: integer }), 'wanted.v2', (old) => ({
      ...old,
      note: 'written as v1',
    })),
  },
);

/** A reactor that notes what it was given, and throws on the events `failing` picks, while it says so. */
function recorder(
  failing: (e: ParsedRecordWithMetadata<TestEvent>) => boolean = () => false,
): Reactor<TestEvent> & { seen: string[]; notes: string[] } {
  const seen: string[] = [];
  const notes: string[] = [];
  return {
    name: 'recorder',
    events: testEvents,
    handles: ['wanted.v2'],
    seen,
    notes,
    async handle(e) {
      if (e.type !== 'wanted.v2') throw new Error(`given ${e.type}, which it does not handle`);
      seen.push(String(e.data.n));
      notes.push(e.data.note);
      if (failing(e)) throw new Error(`not now: ${e.data.n}`);
    },
  };
}

describe('the reactor runner', () => {
  let dir: string;
  let store: SqliteEventStore;
  const runners: ReactorRunner<TestEvent>[] = [];
  const checkpointsFile = () => join(dir, 'read-model.sqlite');
  const append = (type: string, n: number) => store.append(`s-${n}`, [newEvent(type, { n })], 'no_stream');
  /** The checkpoint as a runner starting now would read it. */
  const savedCheckpoint = (): bigint => {
    const checkpoints = new ReactorCheckpoints(checkpointsFile());
    try {
      return checkpoints.load('recorder');
    } finally {
      checkpoints.close();
    }
  };
  const runnerOf = (reactor: Reactor<TestEvent>) => {
    const runner = new ReactorRunner(store, reactor, new ReactorCheckpoints(checkpointsFile()));
    runners.push(runner);
    return runner;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'reactor-runner-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
  });
  afterEach(async () => {
    for (const runner of runners.splice(0)) await runner.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the reactor its event types only, in order, and a runner started again resumes after its checkpoint', async () => {
    await append('wanted.v1', 1);
    await append('other.v1', 2);
    await append('wanted.v1', 3);
    const first = recorder();
    const runner = runnerOf(first);
    runner.start();
    expect(await runner.waitFor(3n, DEADLINE_MS)).toBe(true);
    expect(first.seen).toEqual(['1', '3']);
    await runner.close();
    expect(savedCheckpoint()).toBe(3n);

    await append('wanted.v1', 4);
    const second = recorder();
    const again = runnerOf(second);
    again.start();
    expect(await again.waitFor(4n, DEADLINE_MS)).toBe(true);
    expect(second.seen).toEqual(['4']);
  });

  it('offers a page the reactor threw on again, never skipping it', async () => {
    let failures = 1;
    const reactor = recorder((e) => e.data.n === 2 && failures-- > 0);
    await append('wanted.v1', 1);
    await append('wanted.v1', 2);
    await append('wanted.v1', 3);
    const runner = runnerOf(reactor);
    runner.start();
    expect(await runner.waitFor(3n, DEADLINE_MS)).toBe(true);
    // The whole page again: what came before the failure is handled twice (a reactor's writes are idempotent).
    expect(reactor.seen).toEqual(['1', '2', '1', '2', '3']);
    expect(runner.error()).toBeNull();
  });

  it('gives the reactor a superseded version upcast to the type it handles', async () => {
    await append('wanted.v1', 1);
    await store.append('s-2', [newEvent('wanted.v2', { n: 2, note: 'v2' })], 'no_stream');
    const reactor = recorder();
    const runner = runnerOf(reactor);
    runner.start();
    expect(await runner.waitFor(2n, DEADLINE_MS)).toBe(true);
    expect(reactor.seen).toEqual(['1', '2']);
    expect(reactor.notes).toEqual(['written as v1', 'v2']);
  });

  it('parses no event of a type it does not handle, but the first of each name, which tells whether it upcasts to a handled type', async () => {
    await append('other.v1', 1);
    await append('other.v1', 2);
    await append('wanted.v1', 3);
    await append('other.v1', 4);
    await append('wanted.v1', 5);
    const parse = jest.spyOn(testEvents, 'parse');
    try {
      const reactor = recorder();
      const runner = runnerOf(reactor);
      runner.start();
      expect(await runner.waitFor(5n, DEADLINE_MS)).toBe(true);
      expect(reactor.seen).toEqual(['3', '5']);
      expect(parse.mock.calls.map(([stored]) => `${stored.type} ${stored.revision}`)).toEqual([
        'other.v1 0',
        'wanted.v1 0',
        'wanted.v1 0',
      ]);
    } finally {
      parse.mockRestore();
    }
  });

  it('stops at an event its registry cannot read: the page is offered again, nothing of it handled, the checkpoint before it', async () => {
    await append('wanted.v1', 1);
    const reactor = recorder();
    const runner = runnerOf(reactor);
    runner.start();
    expect(await runner.waitFor(1n, DEADLINE_MS)).toBe(true);
    await runner.stop();
    await append('wanted.v1', 2);
    await append('funds-teleported.v1', 3);
    runner.start();
    await until(() => runner.error() !== null, DEADLINE_MS);
    expect(runner.error()).toBeInstanceOf(StoredEventError);
    expect(runner.error()).toMatchObject({ code: 'unknown-event-type', type: 'funds-teleported.v1' });
    expect(reactor.seen).toEqual(['1']);
    expect(runner.position()).toBe(1n);
  });

  it.each([
    ['its data is not JSON', `data = '{"n":'`],
    ['its metadata is not JSON', `metadata = '{"broken'`],
    ['a byte of its data changed (still JSON, no longer its shape nor its hash)', `data = '{"n":"2"}'`],
    ['its data changed, still JSON and its shape (n 2 made 9): only its hash tells', `data = '{"n":9}'`],
  ])(
    'goes past an event damaged in the store (%s): no flow carried on from it, its stream known broken, the next handled',
    async (_, change) => {
      await append('wanted.v1', 1);
      await append('wanted.v1', 2);
      await append('wanted.v1', 3);
      const db = new Database(store.file);
      try {
        db.prepare(`UPDATE events SET ${change} WHERE position = 2`).run();
      } finally {
        db.close();
      }
      const reactor = recorder();
      const runner = runnerOf(reactor);
      runner.start();
      expect(await runner.waitFor(3n, DEADLINE_MS)).toBe(true);
      expect(reactor.seen).toEqual(['1', '3']);
      expect(runner.error()).toBeNull();
      expect(brokenStreamsOf(store).all()).toEqual([
        expect.objectContaining({ streamId: 's-2', revision: '0', position: '2' }),
      ]);
    },
  );

  it('acts on an intact event of a stream found broken only after it, and goes past the damaged one', async () => {
    await store.append('s-x', [newEvent('wanted.v1', { n: 1 }), newEvent('wanted.v1', { n: 2 })], 'no_stream');
    const db = new Database(store.file);
    try {
      db.prepare(`UPDATE events SET data = '{"n":9}' WHERE stream_id = 's-x' AND revision = 1`).run();
    } finally {
      db.close();
    }
    // A read (or the background verifier) found the stream broken at revision 1 before the runner came to it.
    await expect(readVerifiedStream(store, 's-x')).rejects.toMatchObject({ code: 'chain-broken' });
    const reactor = recorder();
    const runner = runnerOf(reactor);
    runner.start();
    expect(await runner.waitFor(2n, DEADLINE_MS)).toBe(true);
    expect(reactor.seen).toEqual(['1']);
    expect(brokenStreamsOf(store).all()).toEqual([expect.objectContaining({ streamId: 's-x', revision: '1' })]);
  });

  it('answers a wait at once when it does not run: nothing in this process would get there', async () => {
    await append('wanted.v1', 1);
    const runner = runnerOf(recorder());
    expect(await runner.waitFor(1n, DEADLINE_MS)).toBe(false);
    runner.start();
    expect(await runner.waitFor(1n, DEADLINE_MS)).toBe(true);
    await runner.stop();
    expect(await runner.waitFor(2n, DEADLINE_MS)).toBe(false);
  });

  it('keeps a checkpoint the file was too busy to take, and writes it once the file is free', () => {
    const checkpoints = new ReactorCheckpoints(checkpointsFile());
    const other = new Database(checkpointsFile());
    try {
      other.exec('BEGIN IMMEDIATE'); // the projection runner, mid-write
      checkpoints.save('recorder', 7n);
      other.exec('COMMIT');
      expect(savedCheckpoint()).toBe(0n);
      expect(checkpoints.flush()).toBe(true);
      expect(savedCheckpoint()).toBe(7n);
    } finally {
      other.close();
      checkpoints.close();
    }
  });
});
