/**
 * Verify and seals through the port alone, on the EventStoreDB adapter (against the in-memory fake
 * of EventStoreDB's gRPC API, test/contract/support): the chain is the same in both stores, so an
 * event changed on the server is named, and a stream deleted there is caught by a seal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSeal, verifyAgainstSeal } from '../../src/audit/seal';
import { generateSealKeyFile } from '../../src/audit/seal-key';
import { verifyChain } from '../../src/audit/verify-chain';
import { EventStoreDbEventStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store';
import { district, loadDemo } from './support/audit-district';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { createFake } = require('../contract/support/fake-eventstoredb');

interface FakeEvent {
  stream: string;
  revision: bigint;
  id: string;
  data: Uint8Array;
  pos: bigint;
}

describe('verify and seals on the EventStoreDB adapter', () => {
  const fake = createFake({});
  let store: EventStoreDbEventStore;
  let dir: string;
  const projects = district.projects.slice(0, 3).map((p) => p.projectId);
  const streams = projects.map((id) => `project-${id}`);

  beforeAll(async () => {
    const port: number = await fake.start();
    store = await EventStoreDbEventStore.connect(`esdb://127.0.0.1:${port}?tls=false`, { timeoutMs: 5_000 });
    await loadDemo(
      store,
      district.requests.filter((r) => projects.includes(r.projectId)),
    );
    dir = mkdtempSync(join(tmpdir(), 'audit-esdb-'));
  });

  afterAll(async () => {
    await store.close();
    fake.forceStop();
    rmSync(dir, { recursive: true, force: true });
  });

  const ledgerEvents = (): FakeEvent[] => (fake.log as FakeEvent[]).filter((e) => streams.includes(e.stream));

  it('a clean log verifies, every stream and one', async () => {
    const report = await verifyChain(store);
    expect(report).toMatchObject({
      ok: true,
      store: 'eventstoredb',
      eventsChecked: ledgerEvents().length,
      streamsChecked: 3,
    });
    expect(await verifyChain(store, { streamId: streams[1] })).toMatchObject({
      ok: true,
      stream: streams[1],
      streamsChecked: 1,
    });
  });

  it("one byte of one event's data changed on the server: verify names that event", async () => {
    const target = ledgerEvents().filter((e) => e.stream === streams[1])[2];
    const original = target.data;
    const bytes = Buffer.from(original);
    const at = bytes.findIndex((b) => b >= 0x30 && b <= 0x39);
    bytes[at] = bytes[at] === 0x31 ? 0x32 : 0x31;
    target.data = bytes;
    try {
      const report = await verifyChain(store);
      expect(report.firstProblem).toMatchObject({
        kind: 'hash-mismatch',
        streamId: streams[1],
        revision: 2,
        eventId: target.id,
        position: expect.any(String),
      });
      expect((await verifyChain(store, { streamId: streams[1] })).firstProblem).toMatchObject({
        kind: 'hash-mismatch',
        revision: 2,
        eventId: target.id,
      });
    } finally {
      target.data = original;
    }
    expect((await verifyChain(store)).ok).toBe(true);
  });

  it('a stream deleted on the server passes plain verify, and fails against a seal made before', async () => {
    const key = generateSealKeyFile(join(dir, 'key.pem'));
    const { seal } = await createSeal(store, key, {
      commandId: 'esdb-seal-1',
      requestHash: 'd'.repeat(64),
      actor: { id: 'auditor', role: 'auditor', org: '区审计局' },
      correlationId: 'esdb-seal-1',
      causationId: 'esdb-seal-1',
      recordedAt: '2024-03-01T00:00:00.000Z',
    });
    expect(seal.streams.map((s) => s.streamId)).toEqual([...streams].sort());
    expect((await verifyAgainstSeal(store, seal)).ok).toBe(true);
    const log = fake.log as FakeEvent[];
    const kept = log.filter((e) => e.stream !== streams[0]);
    log.splice(0, log.length, ...kept);
    fake.streams.delete(streams[0]);
    expect(await verifyChain(store)).toMatchObject({ ok: true, streamsChecked: 3 }); // two projects and the seal stream
    expect((await verifyAgainstSeal(store, seal)).firstProblem).toMatchObject({
      kind: 'sealed-stream-missing',
      streamId: streams[0],
    });
  });
});
