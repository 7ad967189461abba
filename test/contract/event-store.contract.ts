/**
 * The event-store contract: every adapter of the port (embedded SQLite, EventStoreDB) must pass it.
 *
 * It talks to the store only through the port (src/event-store/event-store.port.ts), plus the pure
 * hashing helpers the hash chain is defined by. It is written so that it can also run against a
 * shared server: every test names its streams with a fresh random tag and only looks at events of
 * those streams. The guarantees the port gives the embedded store alone (positions start at 1 and
 * have no gaps, an empty store has head 0) are checked when `store.kind === 'sqlite'`; other
 * adapters are held to "strictly increasing" instead.
 */
import { randomUUID } from 'node:crypto';
import {
  DuplicateEventIdError,
  EventMetadata,
  EventStore,
  ExpectedRevision,
  NewEvent,
  RecordedEvent,
  MAX_APPEND_BYTES,
  WrongExpectedRevisionError,
  storedBytes,
} from '../../src/event-store/event-store.port';
import { GENESIS_HASH, chainedMetadata, deriveEventId, eventHash } from '../../src/event-store/hashing';
import { writerFor } from '../../src/event-store/write-path';
import { DomainError } from '../../src/shared/domain/domain-error';
import { tallyDecider } from './support/tally.decider';

export type MakeStore = () => Promise<{ store: EventStore; cleanup: () => Promise<void> }>;

// ---------------------------------------------------------------------------------------------
// Helpers (exported so adapter-specific specs can build events the same way).

/** A fresh tag for stream names, so tests never see each other's streams on a shared store. */
export function freshTag(): string {
  return randomUUID().replace(/-/g, '').slice(0, 12);
}

let commandCounter = 0;

/** A command id unique across the test run. */
export function freshCommandId(): string {
  commandCounter += 1;
  return `cmd-${freshTag()}-${commandCounter}`;
}

export function makeMetadata(
  commandId: string,
  eventId: string,
  overrides: Partial<EventMetadata> = {},
): EventMetadata {
  return {
    eventId,
    commandId,
    requestHash: 'a'.repeat(64),
    actor: { id: 'u-001', role: 'street_office', org: '桂林街道办事处' },
    correlationId: `corr-${commandId}`,
    causationId: commandId,
    recordedAt: '2021-09-01T08:30:00.000Z',
    ...overrides,
  };
}

/** The who and when of a command sent through the write path: the metadata less what the store adds. */
export function commandContext(commandId = freshCommandId()): Omit<EventMetadata, 'eventId' | 'prevHash' | 'hash'> {
  const { eventId: _eventId, ...context } = makeMetadata(commandId, '');
  return context;
}

/**
 * The events one command produces: deterministic ids derived from the command id and the index,
 * as the command handlers do.
 */
export function commandEvents(
  commandId: string,
  specs: Array<{ type?: string; data?: Record<string, unknown> }>,
): NewEvent[] {
  return specs.map((spec, index) => {
    const eventId = deriveEventId(commandId, index);
    return {
      eventId,
      type: spec.type ?? 'funding-pledged.v1',
      data: spec.data ?? { index, amount: `${100 + index}.00` },
      metadata: makeMetadata(commandId, eventId),
    };
  });
}

/** `n` events of one fresh command. */
export function someEvents(n: number, type = 'funding-pledged.v1'): NewEvent[] {
  return commandEvents(
    freshCommandId(),
    Array.from({ length: n }, (_, i) => ({ type, data: { seq: i, amount: `${(i + 1) * 10}.50` } })),
  );
}

/** One event whose data is padded so that, as the first of stream `s`, it takes `bytes` as EventStoreDB counts them. */
export function eventOfSize(s: string, bytes: number): NewEvent {
  const [e] = someEvents(1);
  const size = (pad: string) => {
    const data = { pad };
    const [metadata] = chainedMetadata(s, -1n, GENESIS_HASH, [{ ...e, data }]);
    return storedBytes({ ...e, data }, JSON.stringify(data), JSON.stringify(metadata));
  };
  return { ...e, data: { pad: 'x'.repeat(bytes - size('')) } };
}

/** Reads $all after `after` to the end, page by page. */
export async function readAllPages(store: EventStore, after: bigint, limit = 500): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  let cursor = after;
  for (;;) {
    const page = await store.readAll({ after: cursor, limit });
    if (page.length === 0) return all;
    expect(page.length).toBeLessThanOrEqual(limit);
    all.push(...page);
    cursor = page[page.length - 1].position;
  }
}

/** Settles `promise` and returns the error it was rejected with; fails if it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to be rejected, but it resolved');
}

export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Recomputes an event's hash from what the store returned, the way an auditor would. */
export function recomputeHash(e: RecordedEvent): string {
  const { hash: _hash, ...withoutHash } = e.metadata;
  return eventHash(e.streamId, e.revision, e.type, e.data, withoutHash as Record<string, unknown>);
}

/** Checks one stream's hash chain: genesis, links, and every hash recomputed. */
export function expectValidChain(events: RecordedEvent[]): void {
  expect(events.length).toBeGreaterThan(0);
  let prev = GENESIS_HASH;
  events.forEach((e, i) => {
    expect(e.revision).toBe(BigInt(i));
    expect(e.metadata.prevHash).toBe(prev);
    expect(e.metadata.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(recomputeHash(e)).toBe(e.metadata.hash);
    prev = e.metadata.hash;
  });
}

function positionsOf(events: RecordedEvent[]): bigint[] {
  return events.map((e) => e.position);
}

function range(from: bigint, count: number): bigint[] {
  return Array.from({ length: count }, (_, i) => from + BigInt(i));
}

function expectStrictlyIncreasing(values: bigint[]): void {
  for (let i = 1; i < values.length; i++) expect(values[i] > values[i - 1]).toBe(true);
}

// ---------------------------------------------------------------------------------------------

export function describeEventStoreContract(name: string, makeStore: MakeStore): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let cleanup: () => Promise<void>;
    let tag: string;
    /** Global position before the test wrote anything (0n on a fresh embedded store). */
    let base: bigint;

    /** A stream id of this test: `<category>-<id>`, unique to the test. */
    const sid = (suffix: string, category = 'project') => `${category}-${tag}-${suffix}`;
    const ours = (events: RecordedEvent[]) => events.filter((e) => e.streamId.includes(tag));
    const gapFree = () => store.kind === 'sqlite';

    /** Every event of this test in $all, in global order. */
    const ourAll = async () => ours(await readAllPages(store, base));

    /** The observable state a failed append must leave unchanged. */
    const snapshot = async (streams: string[]) => ({
      all: await ourAll(),
      head: await store.headPosition(),
      streams: await Promise.all(streams.map((s) => store.readStream(s))),
    });

    /** The last revision of a stream, as the expected revision for the next append. */
    const expectedFor = async (streamId: string): Promise<ExpectedRevision> => {
      const events = await store.readStream(streamId);
      return events.length === 0 ? 'no_stream' : events[events.length - 1].revision;
    };

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
      tag = freshTag();
      base = await store.headPosition();
    });

    afterEach(async () => {
      await cleanup();
    });

    // -------------------------------------------------------------------------------------------
    describe('expected revision', () => {
      it("'no_stream' on a new stream succeeds and starts the stream at revision 0", async () => {
        const s = sid('a');
        const events = someEvents(2);
        const result = await store.append(s, events, 'no_stream');
        expect(result.streamId).toBe(s);
        expect(result.revision).toBe(1n);
        const read = await store.readStream(s);
        expect(read.map((e) => e.revision)).toEqual([0n, 1n]);
        expect(read.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
        expect(result.position).toBe(read[1].position);
        expect(result.hash).toBe(read[1].metadata.hash); // the snapshot of a state stands on it
      });

      it("'no_stream' on an existing stream throws WrongExpectedRevisionError and writes nothing", async () => {
        const s = sid('a');
        await store.append(s, someEvents(2), 'no_stream');
        const before = await snapshot([s]);

        const err = await rejectionOf(store.append(s, someEvents(1), 'no_stream'));
        expect(err).toBeInstanceOf(WrongExpectedRevisionError);
        expect(err).toMatchObject({ streamId: s, expected: 'no_stream', actual: 1n });

        expect(await snapshot([s])).toEqual(before);
      });

      it("'stream_exists' on a missing stream throws and does not create the stream", async () => {
        const s = sid('missing');
        const before = await snapshot([s]);

        const err = await rejectionOf(store.append(s, someEvents(1), 'stream_exists'));
        expect(err).toBeInstanceOf(WrongExpectedRevisionError);
        expect(err).toMatchObject({ streamId: s, expected: 'stream_exists', actual: 'no_stream' });

        expect(await store.readStream(s)).toEqual([]);
        expect(await snapshot([s])).toEqual(before);
      });

      it("'stream_exists' on an existing stream succeeds", async () => {
        const s = sid('a');
        await store.append(s, someEvents(1), 'no_stream');
        const result = await store.append(s, someEvents(2), 'stream_exists');
        expect(result.revision).toBe(2n);
        expect((await store.readStream(s)).map((e) => e.revision)).toEqual([0n, 1n, 2n]);
      });

      it('an exact revision succeeds only when it equals the revision of the last event (0-based)', async () => {
        const s = sid('a');
        await store.append(s, someEvents(3), 'no_stream'); // revisions 0, 1, 2
        const before = await snapshot([s]);

        // The count of events (3) is not the expected revision: the last event's revision (2) is.
        const tooHigh = await rejectionOf(store.append(s, someEvents(1), 3n));
        expect(tooHigh).toBeInstanceOf(WrongExpectedRevisionError);
        expect(tooHigh).toMatchObject({ streamId: s, expected: 3n, actual: 2n });

        const stale = await rejectionOf(store.append(s, someEvents(1), 1n));
        expect(stale).toBeInstanceOf(WrongExpectedRevisionError);
        expect(stale).toMatchObject({ streamId: s, expected: 1n, actual: 2n });

        expect(await snapshot([s])).toEqual(before);

        const result = await store.append(s, someEvents(1), 2n);
        expect(result.revision).toBe(3n);
        const again = await store.append(s, someEvents(2), 3n);
        expect(again.revision).toBe(5n);
        expect((await store.readStream(s)).map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n, 5n]);
      });

      it('an exact revision on a missing stream throws with actual no_stream', async () => {
        const s = sid('missing');
        const before = await snapshot([s]);
        const err = await rejectionOf(store.append(s, someEvents(1), 0n));
        expect(err).toBeInstanceOf(WrongExpectedRevisionError);
        expect(err).toMatchObject({ streamId: s, expected: 0n, actual: 'no_stream' });
        expect(await snapshot([s])).toEqual(before);
      });

      it('a failed append of several events writes none of them, and the next append still fits', async () => {
        const s = sid('a');
        const other = sid('b');
        await store.append(s, someEvents(2), 'no_stream');
        await store.append(other, someEvents(1), 'no_stream');
        const before = await snapshot([s, other]);

        const rejected = someEvents(3);
        await expect(store.append(s, rejected, 0n)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect(await snapshot([s, other])).toEqual(before);
        // None of the rejected ids was stored: the same events can be appended with the right revision.
        const ok = await store.append(s, rejected, 1n);
        expect(ok.revision).toBe(4n);
        expect((await store.readStream(s, 2n)).map((e) => e.eventId)).toEqual(rejected.map((e) => e.eventId));
      });
    });

    // -------------------------------------------------------------------------------------------
    describe('readStream', () => {
      it('returns the events of one stream oldest first with 0-based revisions', async () => {
        const s = sid('a');
        const other = sid('b');
        const first = someEvents(2);
        const second = someEvents(1);
        const third = someEvents(3);
        await store.append(s, first, 'no_stream');
        await store.append(other, someEvents(2), 'no_stream');
        await store.append(s, second, 1n);
        await store.append(other, someEvents(1), 1n);
        await store.append(s, third, 2n);

        const read = await store.readStream(s);
        expect(read.map((e) => e.eventId)).toEqual([...first, ...second, ...third].map((e) => e.eventId));
        expect(read.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n, 5n]);
        expect(read.every((e) => e.streamId === s)).toBe(true);
        expectStrictlyIncreasing(positionsOf(read));
        expect((await store.readStream(other)).map((e) => e.revision)).toEqual([0n, 1n, 2n]);
      });

      it('returns [] for a stream that does not exist', async () => {
        await store.append(sid('a'), someEvents(1), 'no_stream');
        expect(await store.readStream(sid('never-written'))).toEqual([]);
        // A stream id that is a prefix of an existing one is still another stream.
        expect(await store.readStream(`project-${tag}`)).toEqual([]);
      });

      it('honours fromRevision', async () => {
        const s = sid('a');
        const events = someEvents(5);
        await store.append(s, events, 'no_stream');

        const all = await store.readStream(s);
        expect(await store.readStream(s, 0n)).toEqual(all);
        const tail = await store.readStream(s, 2n);
        expect(tail.map((e) => e.revision)).toEqual([2n, 3n, 4n]);
        expect(tail).toEqual(all.slice(2));
        expect((await store.readStream(s, 4n)).map((e) => e.eventId)).toEqual([events[4].eventId]);
        expect(await store.readStream(s, 5n)).toEqual([]);
        expect(await store.readStream(s, 99n)).toEqual([]);
      });

      it('honours maxCount', async () => {
        const s = sid('a');
        await store.append(s, someEvents(5), 'no_stream');
        const all = await store.readStream(s);
        expect(await store.readStream(s, 1n, 2)).toEqual(all.slice(1, 3));
        expect(await store.readStream(s, 3n, 10)).toEqual(all.slice(3));
        expect(await store.readStream(s, 0n, 0)).toEqual([]);
      });
    });

    // -------------------------------------------------------------------------------------------
    describe('readAll', () => {
      it('pages from an exclusive position in global order across many streams', async () => {
        const streams = Array.from({ length: 8 }, (_, i) => sid(`s${i}`, i % 2 === 0 ? 'project' : 'fundbatch'));
        const appended: NewEvent[] = [];
        const streamOf = new Map<string, string>();
        // Interleave appends of 1 to 3 events over the streams, 40 appends in all.
        for (let round = 0; round < 40; round++) {
          const s = streams[(round * 3) % streams.length];
          const batch = someEvents((round % 3) + 1);
          await store.append(s, batch, await expectedFor(s));
          appended.push(...batch);
          batch.forEach((e) => streamOf.set(e.eventId, s));
        }
        const n = appended.length;
        expect(n).toBe(79); // 40 appends of 1, 2, 3, 1, 2, 3, ... events

        const all = await ourAll();
        expect(all.map((e) => e.eventId)).toEqual(appended.map((e) => e.eventId));
        expect(all.map((e) => e.streamId)).toEqual(appended.map((e) => streamOf.get(e.eventId)));
        expectStrictlyIncreasing(positionsOf(all));
        if (gapFree()) {
          expect(base).toBe(0n);
          expect(positionsOf(all)).toEqual(range(1n, n));
          expect(await readAllPages(store, 0n)).toEqual(all); // nothing but ours
        }

        // Small pages, each starting strictly after the previous page's last position.
        const paged: RecordedEvent[] = [];
        let cursor = base;
        for (;;) {
          const page = await store.readAll({ after: cursor, limit: 7 });
          if (page.length === 0) break;
          expect(page.length).toBeLessThanOrEqual(7);
          expect(page.every((e) => e.position > cursor)).toBe(true);
          paged.push(...page);
          cursor = page[page.length - 1].position;
        }
        expect(ours(paged)).toEqual(all);

        // `after` is exclusive: after the k-th event comes the (k+1)-th.
        const k = 30;
        const fromMiddle = ours(await readAllPages(store, all[k - 1].position));
        expect(fromMiddle).toEqual(all.slice(k));
        expect(ours(await store.readAll({ after: all[n - 1].position, limit: 100 }))).toEqual([]);
        const one = await store.readAll({ after: all[k - 1].position, limit: 1 });
        expect(one).toEqual([all[k]]);

        // Events read from $all are the same as read from their stream.
        for (const s of streams) {
          expect(all.filter((e) => e.streamId === s)).toEqual(await store.readStream(s));
        }
      });

      it('keeps positions gap-free across failed appends', async () => {
        const a = sid('a');
        const b = sid('b');
        const okIds: string[] = [];
        const ok = async (s: string, events: NewEvent[], expected: ExpectedRevision) => {
          await store.append(s, events, expected);
          okIds.push(...events.map((e) => e.eventId));
        };

        const first = someEvents(2);
        await ok(a, first, 'no_stream');
        await expect(store.append(a, someEvents(2), 'no_stream')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await expect(store.append(b, someEvents(1), 'stream_exists')).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );
        await ok(b, someEvents(3), 'no_stream');
        await expect(store.append(b, someEvents(1), 0n)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        // A duplicate event id in the middle of a batch fails the whole batch.
        await expect(store.append(a, [...someEvents(1), first[0], ...someEvents(1)], 1n)).rejects.toBeInstanceOf(
          DuplicateEventIdError,
        );
        await ok(a, someEvents(1), 1n);
        await ok(b, someEvents(2), 2n);

        const all = await ourAll();
        expect(all.map((e) => e.eventId)).toEqual(okIds);
        expectStrictlyIncreasing(positionsOf(all));
        if (gapFree()) {
          expect(positionsOf(all)).toEqual(range(1n, okIds.length));
          expect(await store.headPosition()).toBe(BigInt(okIds.length));
        }
      });

      it('returns nothing after the head, and on an empty embedded store', async () => {
        if (gapFree()) {
          expect(await store.readAll({ after: 0n, limit: 10 })).toEqual([]);
        }
        const result = await store.append(sid('a'), someEvents(2), 'no_stream');
        expect(ours(await store.readAll({ after: result.position, limit: 10 }))).toEqual([]);
        expect(ours(await store.readAll({ after: result.position - 1n, limit: 10 })).map((e) => e.revision)).toEqual([
          1n,
        ]);
      });
    });

    // -------------------------------------------------------------------------------------------
    describe('size', () => {
      it("takes an append of EventStoreDB's limit (1 MiB as the server counts it), and refuses one byte more with 413 before writing", async () => {
        const a = sid('a');
        const b = sid('b');
        await store.append(a, [eventOfSize(a, MAX_APPEND_BYTES)], 'no_stream');
        const before = await snapshot([a, b]);
        const err = await rejectionOf(store.append(b, [eventOfSize(b, MAX_APPEND_BYTES + 1)], 'no_stream'));
        expect(err).toBeInstanceOf(DomainError);
        expect(err).toMatchObject({ code: 'event-too-large', status: 413 });
        expect(await snapshot([a, b])).toEqual(before);
      });

      it('the write path answers 413 for a command too big to store, and writes the commands sent with it', async () => {
        const writer = writerFor(store, tallyDecider);
        const [s, big] = [sid('w', 'tally'), sid('big', 'tally')];
        const results = await Promise.allSettled([
          writer.execute(s, { amount: '1.00' }, commandContext()),
          writer.execute(big, { amount: 'x'.repeat(MAX_APPEND_BYTES) }, commandContext()),
          writer.execute(s, { amount: '2.00' }, commandContext()),
        ]);
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'event-too-large', status: 413 });
        expect((await store.readStream(s)).map((e) => e.data.amount)).toEqual(['1.00', '2.00']);
        expect(await store.readStream(big)).toEqual([]);
      });
    });

    // -------------------------------------------------------------------------------------------
    describe('idempotency', () => {
      it('refuses an event id that is already stored in another stream, and writes nothing', async () => {
        const a = sid('a');
        const b = sid('b');
        const events = someEvents(2);
        await store.append(a, events, 'no_stream');
        const before = await snapshot([a, b]);

        const replay: NewEvent = { ...events[1], type: 'funds-received.v1' };
        const err = await rejectionOf(store.append(b, [replay], 'no_stream'));
        expect(err).toBeInstanceOf(DuplicateEventIdError);
        expect(err).toMatchObject({ eventId: events[1].eventId });

        expect(await snapshot([a, b])).toEqual(before);
        expect(await store.readStream(b)).toEqual([]);
      });

      it('refuses a retried command on the same stream, even with the right expected revision', async () => {
        const a = sid('a');
        const commandId = freshCommandId();
        await store.append(a, commandEvents(commandId, [{}, {}]), 'no_stream');
        const before = await snapshot([a]);

        // The same command decided again produces the same ids.
        const err = await rejectionOf(store.append(a, commandEvents(commandId, [{}, {}]), 1n));
        expect(err).toBeInstanceOf(DuplicateEventIdError);
        expect(err).toMatchObject({ eventId: deriveEventId(commandId, 0) });
        expect(await snapshot([a])).toEqual(before);
      });

      it('fails a whole batch when one of its events is a duplicate', async () => {
        const a = sid('a');
        const b = sid('b');
        const stored = someEvents(1);
        await store.append(a, stored, 'no_stream');
        const before = await snapshot([a, b]);

        const fresh = someEvents(2);
        const err = await rejectionOf(store.append(b, [fresh[0], stored[0], fresh[1]], 'no_stream'));
        expect(err).toBeInstanceOf(DuplicateEventIdError);
        expect(err).toMatchObject({ eventId: stored[0].eventId });
        expect(await snapshot([a, b])).toEqual(before);

        // The fresh events were not stored, so they can still be appended.
        await store.append(b, fresh, 'no_stream');
        expect((await store.readStream(b)).map((e) => e.eventId)).toEqual(fresh.map((e) => e.eventId));
      });

      it('refuses a batch that repeats an event id within itself', async () => {
        const a = sid('a');
        await store.append(a, someEvents(1), 'no_stream');
        const before = await snapshot([a]);
        const [e] = someEvents(1);
        const err = await rejectionOf(store.append(a, [e, e], 0n));
        expect(err).toBeInstanceOf(DuplicateEventIdError);
        expect(err).toMatchObject({ eventId: e.eventId });
        expect(await snapshot([a])).toEqual(before);
      });

      it('readByCommand returns the events of one command id in order, [] for an unknown one', async () => {
        const a = sid('a');
        const b = sid('b');
        const target = freshCommandId();
        const other = freshCommandId();
        const targetEvents = commandEvents(target, [
          { type: 'funding-pledged.v1', data: { n: 0 } },
          { type: 'funds-received.v1', data: { n: 1 } },
          { type: 'funds-disbursed.v1', data: { n: 2 } },
        ]);
        await store.append(b, commandEvents(other, [{}, {}]), 'no_stream');
        await store.append(a, someEvents(1), 'no_stream');
        await store.append(a, targetEvents, 0n);
        await store.append(b, someEvents(1), 1n);

        const byCommand = await store.readByCommand(target);
        expect(byCommand.map((e) => e.eventId)).toEqual(targetEvents.map((e) => e.eventId));
        expect(byCommand.map((e) => e.type)).toEqual(['funding-pledged.v1', 'funds-received.v1', 'funds-disbursed.v1']);
        expect(byCommand.map((e) => e.revision)).toEqual([1n, 2n, 3n]);
        expect(byCommand.every((e) => e.metadata.commandId === target && e.streamId === a)).toBe(true);
        expect(byCommand).toEqual((await store.readStream(a, 1n)).slice(0, 3));

        expect((await store.readByCommand(other)).map((e) => e.eventId)).toEqual([
          deriveEventId(other, 0),
          deriveEventId(other, 1),
        ]);
        expect(await store.readByCommand(freshCommandId())).toEqual([]);
      });
    });

    // -------------------------------------------------------------------------------------------
    describe('metadata and hash chain', () => {
      it('round-trips data and metadata, and adds prevHash and hash', async () => {
        const s = sid('TN2021-017');
        const commandId = freshCommandId();
        const eventId = deriveEventId(commandId, 0);
        const data = {
          projectId: 'TN2021-017',
          name: '桂林街道凉风垭小区改造',
          amount: '1250.00',
          lines: [{ lineId: 'L1', category: 'improvement', item: 'elevator', estimatedCost: '800000.00' }],
          householdId: null,
          restricted: true,
          count: 3,
          emptyList: [],
          nested: { z: 1, a: { y: 'ü "quoted" \\ \n' } },
        };
        const metadata = makeMetadata(commandId, eventId, {
          requestHash: 'f'.repeat(64),
          actor: { id: 'auditor-7', role: 'auditor', org: '潼南区审计局' },
          correlationId: 'corr-xyz',
          causationId: 'cause-abc',
          recordedAt: '2021-12-31T23:59:59.999Z',
        });
        await store.append(s, [{ eventId, type: 'project-registered.v1', data, metadata }], 'no_stream');

        const [e] = await store.readStream(s);
        expect(e.streamId).toBe(s);
        expect(e.eventId).toBe(eventId);
        expect(e.type).toBe('project-registered.v1');
        expect(e.data).toEqual(data);
        const { prevHash, hash, ...rest } = e.metadata;
        expect(rest).toEqual(metadata);
        expect(prevHash).toBe(GENESIS_HASH);
        expect(hash).toMatch(/^[0-9a-f]{64}$/);
        expect(hash).toBe(eventHash(s, 0n, 'project-registered.v1', data, { ...metadata, prevHash: GENESIS_HASH }));

        // Every way of reading returns the same event.
        expect(ours(await store.readAll({ after: base, limit: 10 }))).toEqual([e]);
        expect(await store.readByCommand(commandId)).toEqual([e]);
      });

      it('chains each stream: genesis first, then the previous hash, each hash recomputable', async () => {
        const a = sid('a');
        const b = sid('b');
        await store.append(a, someEvents(3), 'no_stream');
        await store.append(b, someEvents(1), 'no_stream');
        await store.append(a, someEvents(1), 2n);
        await store.append(b, someEvents(2), 0n);
        await store.append(a, someEvents(2), 3n);

        const streamA = await store.readStream(a);
        const streamB = await store.readStream(b);
        expect(streamA).toHaveLength(6);
        expect(streamB).toHaveLength(3);
        expectValidChain(streamA);
        expectValidChain(streamB);
        // Each chain is per stream: b's first event starts from genesis although a was written first.
        expect(streamB[0].metadata.prevHash).toBe(GENESIS_HASH);
        // All hashes differ (the same data in another place gives another hash).
        const hashes = [...streamA, ...streamB].map((e) => e.metadata.hash);
        expect(new Set(hashes).size).toBe(hashes.length);
      });

      it('chains across a failed append without a break', async () => {
        const a = sid('a');
        await store.append(a, someEvents(1), 'no_stream');
        await expect(store.append(a, someEvents(1), 'no_stream')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await store.append(a, someEvents(1), 0n);
        expectValidChain(await store.readStream(a));
      });

      it('hashes stream and revision too, so the same content elsewhere hashes differently', async () => {
        // Same type, data and metadata in two streams: hashes differ because stream and revision are hashed.
        const a = sid('a');
        const b = sid('b');
        const commandId = freshCommandId();
        const base0 = commandEvents(commandId, [{ data: { same: 'content' } }])[0];
        await store.append(a, [base0], 'no_stream');
        await store.append(
          b,
          [
            {
              ...base0,
              eventId: deriveEventId(commandId, 1),
              metadata: { ...base0.metadata, eventId: deriveEventId(commandId, 1) },
            },
          ],
          'no_stream',
        );
        const [ea] = await store.readStream(a);
        const [eb] = await store.readStream(b);
        expect(ea.metadata.hash).not.toBe(eb.metadata.hash);
        expect(recomputeHash(ea)).toBe(ea.metadata.hash);
        expect(recomputeHash(eb)).toBe(eb.metadata.hash);
      });

      it('ignores prevHash and hash supplied by the caller', async () => {
        const a = sid('a');
        const [first] = someEvents(1);
        await store.append(a, [first], 'no_stream');
        const [forged] = someEvents(1);
        forged.metadata = { ...forged.metadata, prevHash: 'b'.repeat(64), hash: 'c'.repeat(64) };
        await store.append(a, [forged], 0n);

        const events = await store.readStream(a);
        expect(events[1].metadata.prevHash).toBe(events[0].metadata.hash);
        expect(events[1].metadata.hash).not.toBe('c'.repeat(64));
        expectValidChain(events);
      });

      it('keeps the hash verifiable when data holds values that serialize through toJSON', async () => {
        const a = sid('a');
        const commandId = freshCommandId();
        const eventId = deriveEventId(commandId, 0);
        const data = { receivedOn: new Date('2021-10-08T00:00:00.000Z'), amount: '50000.00' };
        await store.append(
          a,
          [{ eventId, type: 'funds-received.v1', data, metadata: makeMetadata(commandId, eventId) }],
          'no_stream',
        );

        const [e] = await store.readStream(a);
        expect(e.data).toEqual({ receivedOn: '2021-10-08T00:00:00.000Z', amount: '50000.00' });
        expect(recomputeHash(e)).toBe(e.metadata.hash);
      });
    });

    // -------------------------------------------------------------------------------------------
    describe('subscribeToAll', () => {
      it('delivers history after the position, then live events, in order, exactly once, one call at a time', async () => {
        const a = sid('a');
        const b = sid('b');
        const history = [...someEvents(2), ...someEvents(1), ...someEvents(2)];
        await store.append(a, history.slice(0, 2), 'no_stream');
        await store.append(b, history.slice(2, 3), 'no_stream');
        await store.append(a, history.slice(3, 5), 1n);
        const [firstOfHistory] = await store.readStream(a);

        const received: RecordedEvent[] = [];
        let inFlight = 0;
        let maxInFlight = 0;
        let calls = 0;
        let emptyCalls = 0;
        const sub = store.subscribeToAll(firstOfHistory.position, async (events) => {
          calls += 1;
          if (events.length === 0) emptyCalls += 1;
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await sleep(15); // a slow consumer: appends happen while it works
          received.push(...ours(events));
          inFlight -= 1;
        });
        try {
          await waitFor(() => received.length >= 4, 'history');

          const live1 = someEvents(1);
          const live2 = someEvents(3);
          const live3 = someEvents(1);
          await store.append(b, live1, 0n);
          await store.append(a, live2, 3n); // a holds revisions 0..3
          await sleep(5);
          await store.append(sid('c'), live3, 'no_stream');
          const expected = [...history.slice(1), ...live1, ...live2, ...live3].map((e) => e.eventId);

          await waitFor(() => received.length >= expected.length, 'live events');
          await sleep(300); // longer than any poll interval: nothing more may arrive
          expect(received.map((e) => e.eventId)).toEqual(expected);
          expectStrictlyIncreasing(positionsOf(received));
          // Each field reads as stored (some may be loaded on first access: read each to compare).
          const fields = (e: RecordedEvent) => ({
            streamId: e.streamId,
            revision: e.revision,
            position: e.position,
            eventId: e.eventId,
            type: e.type,
            data: e.data,
            metadata: e.metadata,
          });
          expect(received.map(fields)).toEqual(ours(await readAllPages(store, firstOfHistory.position)).map(fields));
          expect(maxInFlight).toBe(1);
          expect(calls).toBeGreaterThan(0);
          expect(emptyCalls).toBe(0);
        } finally {
          await sub.close();
        }
      });

      it('from the head delivers only live events', async () => {
        const a = sid('a');
        await store.append(a, someEvents(3), 'no_stream');
        const head = await store.headPosition();
        const received: RecordedEvent[] = [];
        const sub = store.subscribeToAll(head, (events) => {
          received.push(...ours(events));
        });
        try {
          await sleep(100);
          expect(received).toEqual([]);
          const live = someEvents(2);
          await store.append(a, live, 2n);
          await waitFor(() => received.length >= 2, 'live events');
          await sleep(300);
          expect(received.map((e) => e.eventId)).toEqual(live.map((e) => e.eventId));
          expect(received.map((e) => e.revision)).toEqual([3n, 4n]);
        } finally {
          await sub.close();
        }
      });

      it('from the beginning delivers everything', async () => {
        const a = sid('a');
        const events = someEvents(3);
        await store.append(a, events, 'no_stream');
        const received: RecordedEvent[] = [];
        const sub = store.subscribeToAll(base, (page) => {
          received.push(...ours(page));
        });
        try {
          await waitFor(() => received.length >= 3, 'history');
          expect(received.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
          if (gapFree()) expect(positionsOf(received)).toEqual([1n, 2n, 3n]);
        } finally {
          await sub.close();
        }
      });

      it('close() stops delivery', async () => {
        const a = sid('a');
        const received: RecordedEvent[] = [];
        const sub = store.subscribeToAll(await store.headPosition(), (events) => {
          received.push(...ours(events));
        });
        const first = someEvents(1);
        await store.append(a, first, 'no_stream');
        await waitFor(() => received.length >= 1, 'the first event');

        await sub.close();
        await store.append(a, someEvents(2), 0n);
        await sleep(600); // more than one poll interval
        expect(received.map((e) => e.eventId)).toEqual(first.map((e) => e.eventId));
        await sub.close(); // closing twice is harmless
      });

      it('a page the subscriber throws on is reported and offered again, never skipped', async () => {
        const a = sid('a');
        const events = someEvents(2);
        const from = await store.headPosition();
        await store.append(a, events, 'no_stream');
        const errors: Error[] = [];
        const received: RecordedEvent[] = [];
        let calls = 0;
        const sub = store.subscribeToAll(
          from,
          (page) => {
            calls += 1;
            if (calls === 1) throw new Error('projection down');
            received.push(...ours(page));
          },
          (err) => errors.push(err),
        );
        try {
          await waitFor(() => received.length >= 2, 'the page offered again');
          expect(errors.map((e) => e.message)).toEqual(['projection down']);
          expect(received.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
        } finally {
          await sub.close();
        }
      });
    });

    // -------------------------------------------------------------------------------------------
    describe('headPosition', () => {
      it('is the position of the newest event, and does not move on a failed append', async () => {
        if (gapFree()) expect(await store.headPosition()).toBe(0n);
        const a = sid('a');
        const r1 = await store.append(a, someEvents(2), 'no_stream');
        expect(await store.headPosition()).toBe(r1.position);
        const r2 = await store.append(sid('b'), someEvents(3), 'no_stream');
        expect(r2.position > r1.position).toBe(true);
        expect(await store.headPosition()).toBe(r2.position);
        if (gapFree()) expect(r2.position).toBe(5n);

        await expect(store.append(a, someEvents(1), 'no_stream')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.headPosition()).toBe(r2.position);

        const all = await ourAll();
        expect(all[all.length - 1].position).toBe(r2.position);
      });
    });
  });
}
