/**
 * Auditors replay history: the hash chain verifier and seals, tried as an auditor would on the
 * demo district in an embedded store, by editing the SQLite file directly. Verify names the first
 * event that does not hold (stream, revision, event id, expected and found hash); a chain cannot
 * show a stream deleted whole, and a seal made before can.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Seal, checkSeal, createSeal, sealDigest, verifyAgainstSeal } from '../../src/audit/seal';
import { SealKey, generateSealKeyFile } from '../../src/audit/seal-key';
import { VerifyOptions, VerifyReport, verifyChain } from '../../src/audit/verify-chain';
import { EventStore } from '../../src/event-store/event-store.port';
import { CommandContext } from '../../src/event-store/write-path';
import { GENESIS_HASH, eventHash } from '../../src/event-store/hashing';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { Row, changeOneByte, copyOf, district, pristineDistrict, rowAt, tamper } from './support/audit-district';

let pristine: string;
let root: string;
let key: SealKey;
let projectStreams: string[];
let headOfLog: bigint;
const open: SqliteEventStore[] = [];

beforeAll(async () => {
  pristine = await pristineDistrict();
  root = mkdtempSync(join(tmpdir(), 'audit-verify-'));
  key = generateSealKeyFile(join(root, 'seal-key.pem'));
  projectStreams = [...new Set(district.projects.map((p) => `project-${p.projectId}`))];
  const store = new SqliteEventStore(join(pristine, 'events.sqlite'));
  headOfLog = await store.headPosition();
  await store.close();
});

afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(pristine, { recursive: true, force: true });
});

function storeIn(dataDir: string): SqliteEventStore {
  const store = new SqliteEventStore(join(dataDir, 'events.sqlite'));
  open.push(store);
  return store;
}

/** The same store seen only through the port: verify cannot tell it is SQLite and reads it with readAll / readStream. */
function throughPort(store: EventStore): EventStore {
  return {
    kind: store.kind,
    append: (...a) => store.append(...a),
    readStream: (...a) => store.readStream(...a),
    readAll: (...a) => store.readAll(...a),
    readByCommand: (...a) => store.readByCommand(...a),
    headPosition: () => store.headPosition(),
    subscribeToAll: (...a) => store.subscribeToAll(...a),
    close: () => store.close(),
  };
}

/** Every way of scanning the embedded store must give the same answer: one pass, worker threads, the port. */
async function verifyEveryWay(store: SqliteEventStore, options: VerifyOptions = {}): Promise<VerifyReport> {
  const inThread = await verifyChain(store, { ...options, workers: 1 });
  const inWorkers = await verifyChain(store, { ...options, workers: 3, minEventsPerWorker: 1 });
  expect(inWorkers).toEqual(inThread);
  const viaPort = await verifyChain(throughPort(store), options);
  // The port cannot see the stream index: it agrees whenever the chain itself fails, or holds.
  if (inThread.firstProblem?.kind !== 'head-mismatch') expect(viaPort).toEqual(inThread);
  return inThread;
}

/** Some project stream with at least `n` events. */
function projectWith(n: number): string {
  const counts = new Map<string, number>();
  for (const r of district.requests)
    counts.set(`project-${r.projectId}`, (counts.get(`project-${r.projectId}`) ?? 0) + 1);
  const found = [...counts].find(([, count]) => count >= n);
  if (!found) throw new Error(`no project with ${n} requests`);
  return found[0];
}

function bumpFirstDigit(text: string): string {
  const at = text.search(/[0-9]/);
  if (at < 0) throw new Error(`no digit in ${text}`);
  return text.slice(0, at) + (text[at] === '1' ? '2' : '1') + text.slice(at + 1);
}

/** What an event hashes to as it now stands in the file (the verifier's `found`). */
function hashOfRow(row: Row): string {
  const metadata = JSON.parse(row.metadata);
  delete metadata.hash;
  return eventHash(row.stream_id, row.revision, row.type, JSON.parse(row.data), metadata);
}

function ctx(commandId: string, recordedAt = '2024-02-01T09:30:00.000Z'): CommandContext {
  return {
    commandId,
    requestHash: 'b'.repeat(64),
    actor: { id: 'auditor-zhao', role: 'auditor', org: '区审计局' },
    correlationId: commandId,
    causationId: commandId,
    recordedAt,
  };
}

describe('verify: the hash chain of every stream', () => {
  it('a clean log verifies: every event of every stream, each way of scanning it', async () => {
    const store = storeIn(copyOf(pristine, root));
    const report = await verifyEveryWay(store);
    expect(report).toEqual({
      ok: true,
      store: 'sqlite',
      eventsChecked: Number(headOfLog),
      streamsChecked: projectStreams.length,
      headPosition: headOfLog.toString(),
    });
  });

  it("one byte of one event's data changed in the SQLite file: verify fails and names that event", async () => {
    const dir = copyOf(pristine, root);
    const streamId = projectWith(4);
    const before = tamper(dir, (db) => {
      const row = rowAt(db, streamId, 2);
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run(bumpFirstDigit(row.data), row.position);
      return row;
    });
    const after = tamper(dir, (db) => rowAt(db, streamId, 2));
    expect(after.data.length).toBe(before.data.length);
    const report = await verifyEveryWay(storeIn(dir));
    expect(report.ok).toBe(false);
    expect(report.firstProblem).toEqual({
      kind: 'hash-mismatch',
      streamId,
      revision: 2,
      eventId: before.event_id,
      position: before.position.toString(),
      expected: JSON.parse(before.metadata).hash,
      found: hashOfRow(after),
      message: expect.stringContaining(before.event_id),
    });
    expect(report.firstProblem!.found).not.toBe(report.firstProblem!.expected);
  });

  it("one byte of one event's metadata changed (who recorded it): verify fails and names that event", async () => {
    const dir = copyOf(pristine, root);
    const streamId = projectWith(3);
    const before = tamper(dir, (db) => {
      const row = rowAt(db, streamId, 1);
      db.prepare('UPDATE events SET metadata = ? WHERE position = ?').run(
        changeOneByte(row.metadata, 'demo-', 'D'),
        row.position,
      );
      return row;
    });
    const report = await verifyEveryWay(storeIn(dir));
    expect(report.firstProblem).toMatchObject({
      kind: 'hash-mismatch',
      streamId,
      revision: 1,
      eventId: before.event_id,
      expected: JSON.parse(before.metadata).hash,
    });
  });

  it("a forger who also rewrites the changed event's hash breaks the link to the next event", async () => {
    const dir = copyOf(pristine, root);
    const streamId = projectWith(4);
    const { forged, next } = tamper(dir, (db) => {
      const row = rowAt(db, streamId, 1);
      const data = bumpFirstDigit(row.data);
      const metadata = JSON.parse(row.metadata);
      delete metadata.hash;
      const hash = eventHash(streamId, row.revision, row.type, JSON.parse(data), metadata);
      db.prepare('UPDATE events SET data = ?, metadata = ? WHERE position = ?').run(
        data,
        JSON.stringify({ ...metadata, hash }),
        row.position,
      );
      return { forged: hash, next: rowAt(db, streamId, 2) };
    });
    const report = await verifyEveryWay(storeIn(dir));
    expect(report.firstProblem).toMatchObject({
      kind: 'broken-link',
      streamId,
      revision: 2,
      eventId: next.event_id,
      expected: forged,
      found: JSON.parse(next.metadata).prevHash,
    });
  });

  it('a deleted middle event is a revision gap at the event after it', async () => {
    const dir = copyOf(pristine, root);
    const streamId = projectWith(5);
    const next = tamper(dir, (db) => {
      db.prepare('DELETE FROM events WHERE stream_id = ? AND revision = 2').run(streamId);
      return rowAt(db, streamId, 3);
    });
    const report = await verifyEveryWay(storeIn(dir));
    expect(report.firstProblem).toMatchObject({
      kind: 'revision-gap',
      streamId,
      revision: 3,
      eventId: next.event_id,
      expected: '2',
      found: '3',
    });
  });

  it("a stream's first event deleted: it starts at revision 1, not 0", async () => {
    const dir = copyOf(pristine, root);
    const streamId = projectWith(3);
    tamper(dir, (db) => db.prepare('DELETE FROM events WHERE stream_id = ? AND revision = 0').run(streamId));
    const report = await verifyEveryWay(storeIn(dir));
    expect(report.firstProblem).toMatchObject({
      kind: 'revision-gap',
      streamId,
      revision: 1,
      expected: '0',
      found: '1',
    });
  });

  it('a stream cut short at its end still chains, but disagrees with the stream index', async () => {
    const dir = copyOf(pristine, root);
    const streamId = projectWith(3);
    const last = tamper(dir, (db) => {
      const { revision } = db
        .prepare('SELECT max(revision) AS revision FROM events WHERE stream_id = ?')
        .get(streamId) as { revision: bigint };
      db.prepare('DELETE FROM events WHERE stream_id = ? AND revision = ?').run(streamId, revision);
      return rowAt(db, streamId, Number(revision) - 1);
    });
    const report = await verifyEveryWay(storeIn(dir));
    expect(report.firstProblem).toMatchObject({
      kind: 'head-mismatch',
      streamId,
      revision: Number(last.revision),
      eventId: last.event_id,
      found: JSON.parse(last.metadata).hash,
    });
    // Through the port there is no stream index: the cut is invisible to the chain alone.
    expect((await verifyChain(throughPort(storeIn(dir)))).ok).toBe(true);
  });

  it('a row that is no longer JSON is named, not thrown', async () => {
    const dir = copyOf(pristine, root);
    const streamId = projectWith(2);
    const row = tamper(dir, (db) => {
      const r = rowAt(db, streamId, 1);
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run(changeOneByte(r.data, '{', '['), r.position);
      return r;
    });
    const store = storeIn(dir);
    const inThread = await verifyChain(store, { workers: 1 });
    expect(inThread.firstProblem).toMatchObject({
      kind: 'unreadable-event',
      streamId,
      revision: 1,
      eventId: row.event_id,
      position: row.position.toString(),
    });
    expect(await verifyChain(store, { workers: 2, minEventsPerWorker: 1 })).toEqual(inThread);
  });

  it('one stream: verifies that stream alone', async () => {
    const dir = copyOf(pristine, root);
    const [bad, good] = [projectWith(3), projectStreams.find((s) => s !== projectWith(3))!];
    tamper(dir, (db) => {
      const row = rowAt(db, bad, 0);
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run(bumpFirstDigit(row.data), row.position);
    });
    const store = storeIn(dir);
    const goodReport = await verifyEveryWay(store, { streamId: good });
    expect(goodReport).toMatchObject({ ok: true, stream: good, streamsChecked: 1 });
    expect(goodReport.eventsChecked).toBe((await store.readStream(good)).length);
    expect((await verifyEveryWay(store, { streamId: bad })).firstProblem).toMatchObject({
      kind: 'hash-mismatch',
      streamId: bad,
      revision: 0,
    });
    expect(await verifyChain(store, { streamId: 'project-NOPE' })).toMatchObject({
      ok: true,
      eventsChecked: 0,
      streamsChecked: 0,
    });
  });

  it('the parallel scan names the same first problem as one pass, wherever the problems fall', async () => {
    // Three streams interleaved event by event, so that every event's predecessor in its stream
    // sits at another position, and 4 workers take 15 positions each: problems at the edges of
    // their ranges are found only where the ranges are joined.
    const dir = join(root, 'interleaved');
    mkdirSync(dir);
    const log = storeIn(dir);
    for (let i = 0; i < 60; i++) {
      const streamId = `project-IL${i % 3}`;
      const eventId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      await log.append(
        streamId,
        [
          {
            eventId,
            type: 'funds-received.v1',
            data: { seq: i, amount: `${i + 1}.00`, payer: '潼南区财政局' },
            metadata: { ...ctx(`il-${i}`), eventId, requestHash: 'c'.repeat(64) },
          },
        ],
        i < 3 ? 'no_stream' : BigInt(Math.floor(i / 3) - 1),
      );
    }
    await log.close();
    open.splice(open.indexOf(log), 1);
    for (const position of [1n, 2n, 15n, 16n, 17n, 30n, 31n, 46n, 60n]) {
      const changed = copyOf(dir, root);
      tamper(changed, (db) => {
        const r = db.prepare('SELECT * FROM events WHERE position = ?').get(position) as Row;
        db.prepare('UPDATE events SET data = ? WHERE position = ?').run(bumpFirstDigit(r.data), position);
      });
      const store = storeIn(changed);
      const report = await verifyChain(store, { workers: 1 });
      expect(report.firstProblem).toMatchObject({ kind: 'hash-mismatch', position: position.toString() });
      expect(await verifyChain(store, { workers: 4, minEventsPerWorker: 1 })).toEqual(report);
      // The same event deleted: the gap shows at the stream's next event (3 positions on), or at the index.
      const deleted = copyOf(dir, root);
      tamper(deleted, (db) => db.prepare('DELETE FROM events WHERE position = ?').run(position));
      const gapStore = storeIn(deleted);
      const gap = await verifyChain(gapStore, { workers: 1 });
      expect(gap.firstProblem).toMatchObject(
        position + 3n <= 60n
          ? { kind: 'revision-gap', position: (position + 3n).toString() }
          : { kind: 'head-mismatch', streamId: `project-IL${(Number(position) - 1) % 3}` },
      );
      expect(await verifyChain(gapStore, { workers: 4, minEventsPerWorker: 1 })).toEqual(gap);
    }
    // Two changed events in different ranges: the earlier one is named.
    const twice = copyOf(dir, root);
    tamper(twice, (db) => {
      for (const position of [50n, 20n]) {
        const r = db.prepare('SELECT * FROM events WHERE position = ?').get(position) as Row;
        db.prepare('UPDATE events SET data = ? WHERE position = ?').run(bumpFirstDigit(r.data), position);
      }
    });
    const report = await verifyChain(storeIn(twice), { workers: 4, minEventsPerWorker: 1 });
    expect(report.firstProblem).toMatchObject({ kind: 'hash-mismatch', position: '20' });
    expect(report.eventsChecked).toBe(20);
  });
});

describe('seals: a signed digest over every stream head', () => {
  it('is stored as a ledger-sealed.v1 event, covers every ledger stream (not seal streams), and verifies', async () => {
    const store = storeIn(copyOf(pristine, root));
    const { seal, replayed, streamId } = await createSeal(store, key, ctx('seal-1'));
    expect(replayed).toBe(false);
    expect(streamId).toBe(`seal-${seal.sealId}`);
    expect(seal.sealId).toMatch(/^20240201T093000Z-[0-9a-f]{8}$/);
    expect(seal).toMatchObject({
      sealedAt: '2024-02-01T09:30:00.000Z',
      headPosition: headOfLog.toString(),
      keyFingerprint: key.fingerprint,
      publicKey: key.publicKeyPem,
    });
    expect(seal.streams.map((s) => s.streamId)).toEqual([...projectStreams].sort());
    const stored = await store.readStream(streamId);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ type: 'ledger-sealed.v1', data: seal });
    expect(stored[0].metadata).toMatchObject({
      commandId: 'seal-1',
      actor: { id: 'auditor-zhao', role: 'auditor', org: '区审计局' },
      prevHash: GENESIS_HASH,
    });
    // The same request again answers with the stored seal and writes nothing.
    const again = await createSeal(store, key, ctx('seal-1', '2024-02-01T10:00:00.000Z'));
    expect(again).toMatchObject({ replayed: true, seal });
    // A later seal leaves the first seal's stream out, and the chain (seal streams included) verifies.
    const later = await createSeal(store, key, ctx('seal-2', '2024-02-02T09:30:00.000Z'));
    expect(later.seal.streams.map((s) => s.streamId)).toEqual([...projectStreams].sort());
    expect(later.seal.headPosition).toBe((headOfLog + 1n).toString());
    expect(await verifyEveryWay(store)).toMatchObject({ ok: true, streamsChecked: projectStreams.length + 2 });
    expect(await verifyAgainstSeal(store, seal)).toMatchObject({
      ok: true,
      seal: { sealId: seal.sealId, keyFingerprint: key.fingerprint, streamsSealed: projectStreams.length },
    });
  });

  it('a whole project deleted (its events and its index row) passes plain verify, and fails against a seal made before', async () => {
    const dir = copyOf(pristine, root);
    const streamId = projectWith(3);
    const { seal } = await createSeal(storeIn(dir), key, ctx('seal-before-delete'));
    const sealed = seal.streams.find((s) => s.streamId === streamId)!;
    tamper(dir, (db) => {
      db.prepare('DELETE FROM events WHERE stream_id = ?').run(streamId);
      db.prepare('DELETE FROM streams WHERE stream_id = ?').run(streamId);
    });
    const store = storeIn(dir);
    expect(await verifyEveryWay(store)).toMatchObject({ ok: true, streamsChecked: projectStreams.length }); // the other projects, and the seal stream
    for (const workers of [1, 3]) {
      const report = await verifyAgainstSeal(store, seal, { workers, minEventsPerWorker: 1 });
      expect(report.ok).toBe(false);
      expect(report.firstProblem).toEqual({
        kind: 'sealed-stream-missing',
        streamId,
        revision: sealed.revision,
        eventId: null,
        position: null,
        expected: sealed.hash,
        found: 'no stream',
        message: expect.stringContaining(streamId),
      });
    }
    expect((await verifyAgainstSeal(throughPort(store), seal)).firstProblem).toMatchObject({
      kind: 'sealed-stream-missing',
      streamId,
    });
    // Verifying only that stream against the seal fails too; another stream holds.
    expect((await verifyAgainstSeal(store, seal, { streamId })).firstProblem).toMatchObject({
      kind: 'sealed-stream-missing',
      streamId,
    });
    expect((await verifyAgainstSeal(store, seal, { streamId: projectStreams.find((s) => s !== streamId) })).ok).toBe(
      true,
    );
  });

  it('a stream cut short, index and all, fails against the seal: the sealed revision is missing', async () => {
    const dir = copyOf(pristine, root);
    const streamId = projectWith(3);
    const { seal } = await createSeal(storeIn(dir), key, ctx('seal-before-cut'));
    const sealed = seal.streams.find((s) => s.streamId === streamId)!;
    tamper(dir, (db) => {
      db.prepare('DELETE FROM events WHERE stream_id = ? AND revision = ?').run(streamId, sealed.revision);
      const last = rowAt(db, streamId, sealed.revision - 1);
      db.prepare('UPDATE streams SET revision = ?, last_hash = ? WHERE stream_id = ?').run(
        last.revision,
        JSON.parse(last.metadata).hash,
        streamId,
      );
    });
    const store = storeIn(dir);
    expect((await verifyEveryWay(store)).ok).toBe(true);
    expect((await verifyAgainstSeal(store, seal)).firstProblem).toMatchObject({
      kind: 'sealed-revision-missing',
      streamId,
      revision: sealed.revision,
      expected: String(sealed.revision),
      found: String(sealed.revision - 1),
    });
  });

  it('a stream rewritten with every hash recomputed chains again, but is not the stream that was sealed', async () => {
    const dir = copyOf(pristine, root);
    const streamId = projectWith(3);
    const { seal } = await createSeal(storeIn(dir), key, ctx('seal-before-rewrite'));
    const sealed = seal.streams.find((s) => s.streamId === streamId)!;
    const target = tamper(dir, (db) => {
      const rows = db.prepare('SELECT * FROM events WHERE stream_id = ? ORDER BY revision').all(streamId) as Row[];
      let prevHash = GENESIS_HASH;
      for (const [i, row] of rows.entries()) {
        const data = i === 0 ? bumpFirstDigit(row.data) : row.data;
        const metadata = { ...JSON.parse(row.metadata), prevHash };
        delete metadata.hash;
        const hash = eventHash(streamId, row.revision, row.type, JSON.parse(data), metadata);
        db.prepare('UPDATE events SET data = ?, metadata = ? WHERE position = ?').run(
          data,
          JSON.stringify({ ...metadata, hash }),
          row.position,
        );
        prevHash = hash;
      }
      db.prepare('UPDATE streams SET last_hash = ? WHERE stream_id = ?').run(prevHash, streamId);
      return { hash: prevHash, row: rows[rows.length - 1] };
    });
    const store = storeIn(dir);
    expect((await verifyEveryWay(store)).ok).toBe(true);
    expect((await verifyAgainstSeal(store, seal)).firstProblem).toEqual({
      kind: 'sealed-hash-mismatch',
      streamId,
      revision: sealed.revision,
      eventId: target.row.event_id,
      position: target.row.position.toString(),
      expected: sealed.hash,
      found: target.hash,
      message: expect.stringContaining(streamId),
    });
  });

  it('a seal whose content, digest, fingerprint or signature was changed fails by itself', async () => {
    const store = storeIn(copyOf(pristine, root));
    const { seal } = await createSeal(store, key, ctx('seal-tampered'));
    expect(checkSeal(seal)).toEqual({ seal, fingerprint: key.fingerprint, problem: null });
    const dropped = { ...seal, streams: seal.streams.slice(1) };
    const digestChanged = { ...seal, digest: bumpFirstDigit(seal.digest) };
    const signature = Buffer.from(seal.signature, 'base64');
    signature[10] ^= 1;
    const signatureChanged = { ...seal, signature: signature.toString('base64') };
    // Another key signing the same content: its own fingerprint is printed, and differs from the auditor's.
    const other = generateKeyPairSync('ed25519');
    const otherPem = other.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const resigned = checkSeal({
      ...seal,
      publicKey: otherPem,
      keyFingerprint: checkSealFingerprint(otherPem),
      signature: sign(null, Buffer.from(seal.digest), other.privateKey).toString('base64'),
    });
    expect(resigned.problem).toBeNull();
    expect(resigned.fingerprint).not.toBe(key.fingerprint);
    for (const [bad, expected, found] of [
      [dropped, seal.digest, sealDigest(dropped)],
      [digestChanged, digestChanged.digest, seal.digest],
      [signatureChanged, 'a valid Ed25519 signature over the digest', signatureChanged.signature],
      [
        { ...seal, keyFingerprint: bumpFirstDigit(seal.keyFingerprint) },
        bumpFirstDigit(seal.keyFingerprint),
        key.fingerprint,
      ],
    ] as [Seal, string, string][]) {
      const report = await verifyAgainstSeal(store, bad);
      expect(report).toMatchObject({
        ok: false,
        eventsChecked: 0,
        firstProblem: { kind: 'seal-invalid', expected, found },
      });
    }
    expect((await verifyAgainstSeal(store, { ...seal, streams: 'all' })).firstProblem).toMatchObject({
      kind: 'seal-invalid',
      found: 'streams must be an array',
    });
    expect((await verifyAgainstSeal(store, 'not a seal')).firstProblem).toMatchObject({
      kind: 'seal-invalid',
      found: 'not a JSON object',
    });
  });

  it('a tampered ledger is not sealed: 409 chain-broken, and nothing is written', async () => {
    const dir = copyOf(pristine, root);
    tamper(dir, (db) => {
      const row = rowAt(db, projectWith(2), 1);
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run(bumpFirstDigit(row.data), row.position);
    });
    const store = storeIn(dir);
    await expect(createSeal(store, key, ctx('seal-refused'))).rejects.toMatchObject({
      code: 'chain-broken',
      status: 409,
    });
    expect(await store.headPosition()).toBe(headOfLog);
  });
});

function checkSealFingerprint(pem: string): string {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { createPublicKey } = require('node:crypto');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { publicKeyFingerprint } = require('../../src/audit/seal-key');
  return publicKeyFingerprint(createPublicKey(pem));
}
