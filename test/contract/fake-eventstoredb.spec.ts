/**
 * The test double answers the real client as EventStoreDB 24.10 does, where the adapter can
 * notice (each rule is cited from the server's source in support/fake-eventstoredb.js). These
 * tests pin the double's behaviour through the client alone, without our adapter: if one fails,
 * the double has drifted from the server, and every adapter test run on it means less.
 */
import {
  EventStoreDBClient,
  MaxAppendSizeExceededError,
  NO_STREAM,
  NotLeaderError,
  StreamDeletedError,
  StreamNotFoundError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
  jsonEvent,
} from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { createFake } = require('./support/fake-eventstoredb');

const ev = (id: string, n: unknown = 1) => jsonEvent({ id, type: 'funds-received.v1', data: { n } });

/** A fake server started for the enclosing block, and a client of it. */
function serving(options: object): { fake: ReturnType<typeof createFake>; client: () => EventStoreDBClient } {
  const fake = createFake(options);
  let client: EventStoreDBClient;
  beforeAll(async () => {
    await fake.start();
    client = EventStoreDBClient.connectionString(fake.url());
  });
  afterAll(async () => {
    await client.dispose();
    fake.forceStop();
  });
  return { fake, client: () => client };
}

async function read(client: EventStoreDBClient, stream: string, requiresLeader = false): Promise<string[]> {
  const ids: string[] = [];
  for await (const e of client.readStream(stream, { requiresLeader })) ids.push(e.event!.id);
  return ids;
}

describe.each([
  ['BatchAppend (ServerFeatures lists it)', true],
  ['Append (a server without ServerFeatures)', false],
])('the fake EventStoreDB through %s', (_name, batchAppend) => {
  const server = serving({ batchAppend, writeTimeoutMs: 50 });
  const fake = server.fake;
  let client: EventStoreDBClient;
  beforeAll(() => (client = server.client()));

  it('answers the same ids below the current revision with the original revision and position, writing nothing', async () => {
    const s = `project-${randomUUID()}`;
    const [a, b] = [randomUUID(), randomUUID()];
    const first = await client.appendToStream(s, [ev(a), ev(b)], { expectedRevision: NO_STREAM });
    await client.appendToStream(s, [ev(randomUUID())], { expectedRevision: 1n });
    // A different body under the same ids: still "success", nothing written (IndexWriter.CheckCommit).
    const again = await client.appendToStream(s, [ev(a, 'other'), ev(b, 'other')], { expectedRevision: NO_STREAM });
    expect(again).toEqual(first);
    expect(await read(client, s)).toHaveLength(3);
  });

  it('refuses a different first id, and a partial duplicate, with a wrong expected version', async () => {
    const s = `project-${randomUUID()}`;
    const a = randomUUID();
    await client.appendToStream(s, [ev(a), ev(randomUUID())], { expectedRevision: NO_STREAM });
    const other = await client
      .appendToStream(s, [ev(randomUUID())], { expectedRevision: NO_STREAM })
      .catch((e: unknown) => e);
    expect(other).toBeInstanceOf(WrongExpectedVersionError);
    expect(other).toMatchObject({ actualVersion: 1n });
    const partial = await client
      .appendToStream(s, [ev(a), ev(randomUUID())], { expectedRevision: NO_STREAM })
      .catch((e: unknown) => e);
    expect(partial).toBeInstanceOf(WrongExpectedVersionError);
  });

  it('writes the same ids again at the current revision: the server does not check them there', async () => {
    const s = `project-${randomUUID()}`;
    const a = randomUUID();
    await client.appendToStream(s, [ev(a)], { expectedRevision: NO_STREAM });
    await client.appendToStream(s, [ev(a)], { expectedRevision: 0n });
    expect(await read(client, s)).toEqual([a, a]);
  });

  it('refuses an append over 1 MiB (data + metadata + twice the type length)', async () => {
    const s = `project-${randomUUID()}`;
    const type = 'funds-received.v1';
    const fits = 1024 * 1024 - 2 * type.length - '{"n":""}'.length;
    await client.appendToStream(s, [ev(randomUUID(), 'x'.repeat(fits))], { expectedRevision: NO_STREAM });
    const over = await client
      .appendToStream(s, [ev(randomUUID(), 'x'.repeat(fits + 1))], { expectedRevision: 0n })
      .catch((e: unknown) => e);
    expect(over).toBeInstanceOf(MaxAppendSizeExceededError);
  });

  it('reads a soft-deleted stream as no stream, and recreates it at its old revision + 1 on a no_stream append', async () => {
    const s = `project-${randomUUID()}`;
    await client.appendToStream(s, [ev(randomUUID()), ev(randomUUID())], { expectedRevision: NO_STREAM });
    await client.deleteStream(s);
    await expect(read(client, s)).rejects.toBeInstanceOf(StreamNotFoundError);
    expect((await client.getStreamMetadata(s)).metadata?.truncateBefore).toBeDefined();
    const recreated = await client.appendToStream(s, [ev(randomUUID())], { expectedRevision: NO_STREAM });
    expect(recreated.nextExpectedRevision).toBe(2n);
  });

  it('answers StreamDeleted to reads and appends of a tombstoned stream', async () => {
    const s = `project-${randomUUID()}`;
    await client.appendToStream(s, [ev(randomUUID())], { expectedRevision: NO_STREAM });
    await client.tombstoneStream(s);
    await expect(read(client, s)).rejects.toBeInstanceOf(StreamDeletedError);
    await expect(client.appendToStream(s, [ev(randomUUID())], { expectedRevision: NO_STREAM })).rejects.toBeInstanceOf(
      StreamDeletedError,
    );
  });

  it('encodes NotReady as the server does: BatchAppend an UnknownError, Append an UnavailableError', async () => {
    fake.failNextAppend('not-ready');
    const err = await client
      .appendToStream(`project-${randomUUID()}`, [ev(randomUUID())], { expectedRevision: NO_STREAM })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(batchAppend ? UnknownError : UnavailableError);
    expect((err as Error).message).toMatch(/Server Is Not Ready/);
  });

  it('times a write out with or without writing it', async () => {
    const s = `project-${randomUUID()}`;
    const a = randomUUID();
    fake.failNextAppend('timeout-after-write');
    await expect(client.appendToStream(s, [ev(a)], { expectedRevision: NO_STREAM })).rejects.toThrow();
    expect(await read(client, s)).toEqual([a]);
    fake.failNextAppend('timeout');
    await expect(client.appendToStream(s, [ev(randomUUID())], { expectedRevision: 0n })).rejects.toThrow();
    expect(await read(client, s)).toEqual([a]);
  });
});

describe('the fake EventStoreDB cluster', () => {
  const server = serving({ nodes: 3 });
  const fake = server.fake;
  let client: EventStoreDBClient;
  beforeAll(() => (client = server.client()));

  it('after a leader switch: NotLeader on a pinned read, forwarded unpinned writes, the next call on the leader', async () => {
    const s = `project-${randomUUID()}`;
    await client.appendToStream(s, [ev(randomUUID())], { expectedRevision: NO_STREAM });
    fake.switchLeader(1);
    await client.appendToStream(s, [ev(randomUUID())], { expectedRevision: 0n }); // forwarded
    const err = await read(client, s, true).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotLeaderError);
    expect(err).toMatchObject({ leader: { port: fake.nodes[1].port } });
    expect(await read(client, s, true)).toHaveLength(2); // the client moved for this call
  });

  it('during an election: NotReady to writes and pinned reads; unpinned reads are served', async () => {
    const s = `project-${randomUUID()}`;
    await client.appendToStream(s, [ev(randomUUID())], { expectedRevision: NO_STREAM });
    fake.startElection();
    try {
      await expect(client.appendToStream(s, [ev(randomUUID())], { expectedRevision: 0n })).rejects.toBeInstanceOf(
        UnknownError,
      );
      expect(await read(client, s)).toHaveLength(1);
      await expect(read(client, s, true)).rejects.toBeInstanceOf(UnavailableError);
    } finally {
      fake.endElection(2);
    }
  });
});
