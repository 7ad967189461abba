/**
 * The embedded store's write thread (see write-worker.ts for what it does and promises): owns the
 * write connection, runs each transaction, chains the hashes of the events it writes.
 */
import Database from 'better-sqlite3';
import { MessagePort, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { NewEvent } from '../event-store.port';
import { GENESIS_HASH, chainedMetadata } from '../hashing';
import { EncodedResult, WriteThreadData, WorkerAnswer, WorkerRequest, decodeRequest } from './write-worker';

const port = parentPort!;
const data = workerData as WriteThreadData;
// Answers go on their own channel, which the main thread can also read between its other work.
const answers: MessagePort = data.answers;
const db = new Database(data.file, { timeout: data.busyTimeoutMs });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.defaultSafeIntegers(false); // revisions and positions stay far below 2^53
const head = db.prepare('SELECT coalesce(max(position), 0) FROM events').pluck(true);
const byCommand = db.prepare('SELECT 1 FROM events WHERE command_id = ? LIMIT 1').pluck(true);
const stream = db.prepare('SELECT revision, last_hash FROM streams WHERE stream_id = ?').raw(true);
const eventIdAt = db.prepare('SELECT event_id FROM events WHERE stream_id = ? AND revision = ?').pluck(true);
const insert = db.prepare('INSERT INTO events (position, stream_id, revision, event_id, command_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
const upsert = db.prepare('INSERT INTO streams (stream_id, revision, last_hash) VALUES (?, ?, ?) ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, last_hash = excluded.last_hash');
const begin = db.prepare('BEGIN IMMEDIATE');
const commit = db.prepare('COMMIT');
const rollback = db.prepare('ROLLBACK');
const savepoint = db.prepare('SAVEPOINT request');
const release = db.prepare('RELEASE request');
const rollbackTo = db.prepare('ROLLBACK TO request');

type Outcome = WorkerAnswer;

function rollbackAll(): void {
  if (db.inTransaction) {
    try {
      rollback.run();
    } catch {
      // already gone
    }
  }
}
const errorOf = (id: number, phase: 'append' | 'commit', err: unknown): Outcome => ({ id, error: { message: String((err as Error)?.message ?? err), phase } });

/** One request's appends, inside the open transaction; throws if an append fails while writing. */
function runAppends({ appends, fault }: WorkerRequest): { results: EncodedResult[]; position: number } {
  const results = new Array<EncodedResult>(appends.length);
  let position = head.get() as number;
  for (let i = 0; i < appends.length; i++) {
    const a = appends[i];
    if (byCommand.get(a.commandId) !== undefined) {
      results[i] = 'd';
      continue;
    }
    const current = stream.get(a.streamId) as [number, string] | undefined;
    const revision0 = current === undefined ? -1 : current[0];
    // The stream must be exactly where the decision saw it: the same revision and, at it, the same
    // event (event ids derive from their command's id, so this pins the history the state was
    // folded from; an append decided on top of one that was never written cannot match).
    if (
      revision0 !== a.expectedRevision ||
      (current !== undefined && eventIdAt.get(a.streamId, revision0) !== a.expectedEventId) ||
      (fault?.kind === 'conflict' && fault.streamId === a.streamId)
    ) {
      results[i] = 'c';
      continue;
    }
    if (a.rows.length === 0) {
      results[i] = [revision0, position]; // a check only: writes nothing
      continue;
    }
    // The hash chain, computed here from the rows as they will be stored: the one definition in hashing.ts.
    const events: NewEvent[] = a.rows.map((r) => ({ eventId: r[0], type: r[1], data: JSON.parse(r[2]), metadata: JSON.parse(r[3]) }));
    const chained = chainedMetadata(a.streamId, BigInt(revision0), current === undefined ? GENESIS_HASH : current[1], events);
    let revision = revision0;
    for (let k = 0; k < a.rows.length; k++) {
      const r = a.rows[k];
      revision += 1;
      position += 1;
      insert.run(position, a.streamId, revision, r[0], a.commandId, r[1], r[2], JSON.stringify(chained[k]));
      if (fault?.kind === 'throw-half-way' && (fault.streamId === a.streamId || fault.commandId === a.commandId)) throw new Error('disk I/O error half way');
    }
    upsert.run(a.streamId, revision, String(chained[chained.length - 1].hash));
    results[i] = [revision, position];
  }
  return { results, position };
}

/**
 * Every request waiting when the thread gets to them commits in ONE transaction, one fsync: the
 * requests that queued during the last commit's fsync wait for one more fsync, not one each. Each
 * request runs in a savepoint of its own, in the order sent, so one that fails half way is rolled
 * back alone; the others commit. If the COMMIT fails, every request in it fails.
 */
function runBatch(batch: WorkerRequest[]): Outcome[] {
  try {
    begin.run();
  } catch (err) {
    return batch.map((r) => errorOf(r.id, 'commit', err));
  }
  const many = batch.length > 1;
  const outs = new Array<Outcome>(batch.length);
  for (let i = 0; i < batch.length; i++) {
    const request = batch[i];
    try {
      if (many) savepoint.run();
      const { results, position } = runAppends(request);
      if (many) release.run();
      outs[i] = { id: request.id, results, head: position, shared: 0 };
    } catch (err) {
      if (!many) {
        rollbackAll();
        return [errorOf(request.id, 'append', err)];
      }
      try {
        rollbackTo.run();
        release.run();
      } catch (e) {
        rollbackAll();
        return batch.map((r) => errorOf(r.id, 'append', e));
      }
      outs[i] = errorOf(request.id, 'append', err);
    }
  }
  if (batch.some((r) => r.fault?.kind === 'exit-before-commit')) process.exit(70);
  try {
    if (batch.some((r) => r.fault?.kind === 'throw-on-commit')) throw new Error('power cut before commit');
    commit.run();
  } catch (err) {
    rollbackAll();
    return outs.map((o) => ('error' in o ? o : errorOf(o.id, 'commit', err)));
  }
  const final = head.get() as number;
  for (const o of outs) {
    if (!('error' in o)) {
      o.head = final;
      o.shared = batch.length;
    }
  }
  return outs;
}

const decoder = new TextDecoder();
port.on('message', (bytes: Uint8Array) => {
  // One UTF-8 buffer per request, transferred, not cloned: far cheaper than a tree of small objects.
  const batch: WorkerRequest[] = [];
  let close = false;
  for (let m: { message: unknown } | undefined = { message: bytes }; m !== undefined; m = close ? undefined : receiveMessageOnPort(port)) {
    const request = decodeRequest(decoder.decode(m.message as Uint8Array));
    if (request.close) close = true;
    else batch.push(request);
  }
  if (batch.length > 0) answers.postMessage(JSON.stringify(runBatch(batch)));
  if (close) {
    try {
      db.close();
    } finally {
      port.postMessage({ closed: true });
    }
  }
});
port.postMessage({ ready: true });
