import { MessageChannel, MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';

/**
 * The embedded store's write connection on its own thread (node:worker_threads). The main thread
 * decides, builds the rows (hash chain included) and sends them here; this thread runs
 * BEGIN IMMEDIATE → checks → inserts → COMMIT (synchronous=FULL), so the main thread keeps parsing
 * HTTP and deciding while the fsync runs. Requests are handled one after another, in the order
 * they were sent: a later request sees every earlier one's outcome. The requests that arrived
 * while the last transaction committed go into the next one together (a savepoint each, one
 * COMMIT, one fsync).
 *
 * Each append is checked inside the transaction before it writes anything:
 * - its command id must have no events yet (idempotency; also against other processes), else
 *   `duplicate`, nothing written;
 * - the stream must be exactly where the decision saw it: the same revision AND the same last
 *   hash (the hash chain pins the whole history the state was folded from), else `conflict`,
 *   nothing written. So an append decided on top of an earlier, not yet committed append that
 *   then failed can never be written: its expected hash is one the store never held.
 * An append that fails while writing (an I/O error) rolls its whole request back: `failed`; the
 * other requests of the transaction are kept. A failed COMMIT fails every request in it.
 */
export interface WorkerAppend {
  streamId: string;
  /** Revision of the stream's last event the decision saw; -1n: no stream. */
  expectedRevision: bigint;
  /** That event's hash (GENESIS_HASH for no stream). */
  expectedHash: string;
  commandId: string;
  /** [eventId, type, data JSON, metadata JSON] per event, hashes computed; none: only check the stream is there. */
  rows: [string, string, string, string][];
  lastHash: string;
}

export type WorkerAppendResult =
  | { ok: true; revision: bigint; position: bigint }
  | { ok: false; duplicate: true }
  | { ok: false; conflict: true };

export interface WorkerGroupResult {
  results: WorkerAppendResult[];
  /** The store's head after the commit. */
  head: bigint;
  /** How many requests (this one included) the transaction committed together. */
  shared: number;
}

/** The whole request was rolled back; `phase` says whether an append or the commit failed. */
export class WriteGroupFailed extends Error {
  constructor(message: string, readonly phase: 'append' | 'commit') {
    super(message);
    this.name = 'WriteGroupFailed';
  }
}

/** The write thread died (or the store closed) with this request unanswered: it may or may not have committed. */
export class WriteWorkerLost extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WriteWorkerLost';
  }
}

/** Faults a test can inject into the requests sent while it is set (there is no other way into the thread). */
export type WriteFault =
  | { kind: 'throw-half-way'; streamId?: string; commandId?: string } // an append to this stream (of this command) writes one row, then throws
  | { kind: 'exit-before-commit' } // the thread dies after all inserts, before COMMIT
  | { kind: 'throw-on-commit' } // COMMIT fails
  | { kind: 'conflict'; streamId: string }; // every append to this stream is answered `conflict` (as if another process kept writing it)

const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData, receiveMessageOnPort } = require('node:worker_threads');
// Answers go on their own channel, which the main thread can also read between its other work.
const answers = workerData.answers;
const Database = require(workerData.betterSqlite3);
const db = new Database(workerData.file, { timeout: workerData.busyTimeoutMs });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.defaultSafeIntegers(false); // revisions and positions stay far below 2^53
const head = db.prepare('SELECT coalesce(max(position), 0) FROM events').pluck(true);
const byCommand = db.prepare('SELECT 1 FROM events WHERE command_id = ? LIMIT 1').pluck(true);
const stream = db.prepare('SELECT revision, last_hash FROM streams WHERE stream_id = ?').raw(true);
const insert = db.prepare('INSERT INTO events (position, stream_id, revision, event_id, command_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
const upsert = db.prepare('INSERT INTO streams (stream_id, revision, last_hash) VALUES (?, ?, ?) ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, last_hash = excluded.last_hash');
const begin = db.prepare('BEGIN IMMEDIATE');
const commit = db.prepare('COMMIT');
const rollback = db.prepare('ROLLBACK');

const savepoint = db.prepare('SAVEPOINT request');
const release = db.prepare('RELEASE request');
const rollbackTo = db.prepare('ROLLBACK TO request');

function rollbackAll() {
  if (db.inTransaction) { try { rollback.run(); } catch (_) { /* already gone */ } }
}
const errorOf = (id, phase, err) => ({ id, error: { message: String(err && err.message || err), phase } });

const decoder = new TextDecoder();
// A field as encode() wrote it: as is, or JSON after \u0003 when it held a control character.
const field = (f) => (f.charCodeAt(0) === 3 ? JSON.parse(f.slice(1)) : f);
function decodeRequest(text) {
  const parts = text.split('\u0002');
  const head = parts[0].split('\u0001');
  const appends = new Array(parts.length - 1);
  for (let i = 1; i < parts.length; i++) {
    const f = parts[i].split('\u0001');
    const rows = [];
    for (let k = 5; k < f.length; k += 4) rows.push([field(f[k]), field(f[k + 1]), f[k + 2], f[k + 3]]);
    appends[i - 1] = { streamId: field(f[0]), expectedRevision: Number(f[1]), expectedHash: field(f[2]), commandId: field(f[3]), lastHash: field(f[4]), rows };
  }
  return { id: Number(head[0]), fault: head[1] ? JSON.parse(head[1]) : undefined, close: head[2] === 'close', appends };
}

// One request's appends, inside the open transaction; throws if an append fails while writing.
function runAppends(appends, fault) {
  const results = new Array(appends.length);
  let position = head.get();
  for (let i = 0; i < appends.length; i++) {
    const a = appends[i];
    if (byCommand.get(a.commandId) !== undefined) { results[i] = 'd'; continue; }
    const current = stream.get(a.streamId);
    const revision0 = current === undefined ? -1 : current[0];
    if (revision0 !== a.expectedRevision || (current !== undefined && current[1] !== a.expectedHash) || (fault && fault.kind === 'conflict' && fault.streamId === a.streamId)) {
      results[i] = 'c';
      continue;
    }
    if (a.rows.length === 0) { results[i] = [revision0, position]; continue; } // a check only: writes nothing
    let revision = revision0;
    for (let k = 0; k < a.rows.length; k++) {
      const r = a.rows[k];
      revision += 1;
      position += 1;
      insert.run(position, a.streamId, revision, r[0], a.commandId, r[1], r[2], r[3]);
      if (fault && fault.kind === 'throw-half-way' && (fault.streamId === a.streamId || fault.commandId === a.commandId)) throw new Error('disk I/O error half way');
    }
    upsert.run(a.streamId, revision, a.lastHash);
    results[i] = [revision, position];
  }
  return { results, position };
}

// Every request waiting when the thread gets to them commits in ONE transaction, one fsync: the
// requests that queued during the last commit's fsync wait for one more fsync, not one each.
// Each request runs in a savepoint of its own, in the order sent, so one that fails half way is
// rolled back alone; the others commit. If the COMMIT fails, every request in it fails.
function runBatch(batch) {
  try { begin.run(); } catch (err) { return batch.map((r) => errorOf(r.id, 'commit', err)); }
  const many = batch.length > 1;
  const outs = new Array(batch.length);
  for (let i = 0; i < batch.length; i++) {
    const { id, appends, fault } = batch[i];
    try {
      if (many) savepoint.run();
      const { results, position } = runAppends(appends, fault);
      if (many) release.run();
      outs[i] = { id, results, head: position };
    } catch (err) {
      if (!many) { rollbackAll(); return [errorOf(id, 'append', err)]; }
      try { rollbackTo.run(); release.run(); } catch (e) { rollbackAll(); return batch.map((r) => errorOf(r.id, 'append', e)); }
      outs[i] = errorOf(id, 'append', err);
    }
  }
  if (batch.some((r) => r.fault && r.fault.kind === 'exit-before-commit')) process.exit(70);
  try {
    if (batch.some((r) => r.fault && r.fault.kind === 'throw-on-commit')) throw new Error('power cut before commit');
    commit.run();
  } catch (err) {
    rollbackAll();
    return outs.map((o) => (o.error ? o : errorOf(o.id, 'commit', err)));
  }
  const final = head.get();
  for (const o of outs) if (!o.error) { o.head = final; o.shared = batch.length; }
  return outs;
}

parentPort.on('message', (bytes) => {
  // One UTF-8 buffer per request, transferred, not cloned: far cheaper than a tree of small objects.
  const batch = [];
  let close = false;
  for (let m = { message: bytes }; m !== undefined; m = close ? undefined : receiveMessageOnPort(parentPort)) {
    const msg = decodeRequest(decoder.decode(m.message));
    if (msg.close) close = true;
    else batch.push(msg);
  }
  if (batch.length > 0) answers.postMessage(JSON.stringify(runBatch(batch)));
  if (close) { try { db.close(); } finally { parentPort.postMessage({ closed: true }); } }
});
parentPort.postMessage({ ready: true });
`;

/** [revision, position] of the last event written; 'd': duplicate; 'c': conflict. */
type EncodedResult = [number, number] | 'd' | 'c';

/** The write thread's answer to one request. */
type WorkerAnswer = { id: number; results: EncodedResult[]; head: number; shared: number } | { id: number; error: { message: string; phase: 'append' | 'commit' } };

/**
 * A request as one string: fields split by \u0001, appends by \u0002 (a header first). Data and
 * metadata are JSON.stringify output, which never holds a raw control character; any other field
 * that does (an id from a client) goes as \u0003 + its JSON. Building and transferring this costs
 * a tenth of JSON.stringify over the rows (which escapes every JSON text once more).
 */
function encode(id: number, appends: WorkerAppend[], fault?: WriteFault, close = false): string {
  let out = id + '\u0001' + (fault ? JSON.stringify(fault) : '') + '\u0001' + (close ? 'close' : '');
  for (let i = 0; i < appends.length; i++) {
    const a = appends[i];
    out += '\u0002' + field(a.streamId) + '\u0001' + a.expectedRevision.toString() + '\u0001' + field(a.expectedHash) + '\u0001' + field(a.commandId) + '\u0001' + field(a.lastHash);
    for (const r of a.rows) out += '\u0001' + field(r[0]) + '\u0001' + field(r[1]) + '\u0001' + r[2] + '\u0001' + r[3];
  }
  return out;
}

const CONTROL = /[\u0000-\u001f]/;
function field(value: string): string {
  return CONTROL.test(value) || value.length === 0 ? '\u0003' + JSON.stringify(value) : value;
}

function toBytes(text: string): Uint8Array {
  const bytes = Buffer.from(text, 'utf8');
  // A small Buffer shares its ArrayBuffer with Node's pool: transfer a copy of its own then.
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : Uint8Array.prototype.slice.call(bytes);
}

function decode(results: EncodedResult[], head: number, shared: number): WorkerGroupResult {
  const out = new Array<WorkerAppendResult>(results.length);
  for (let i = 0; i < results.length; i++) {
    const r = results[i];
    if (r === 'd') out[i] = { ok: false, duplicate: true };
    else if (r === 'c') out[i] = { ok: false, conflict: true };
    else out[i] = { ok: true, revision: BigInt(r[0]), position: BigInt(r[1]) };
  }
  return { results: out, head: BigInt(head), shared };
}


interface Pending {
  resolve: (r: WorkerGroupResult) => void;
  reject: (e: unknown) => void;
}

/**
 * The main thread's handle on the write thread: one per store, shared by every writer on it, so
 * the store has one write connection in this process. Started on first use; if the thread dies,
 * every unanswered request is rejected (WriteWorkerLost) and the next request starts a new one.
 * The thread keeps the process alive only while requests are unanswered.
 */
export class WriteWorkerClient {
  private worker: Worker | null = null;
  /** The main thread's end of the answers channel of the current thread. */
  private answers: MessagePort | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly busyTimeoutMs: number,
  ) {}

  send(appends: WorkerAppend[], fault?: WriteFault): Promise<WorkerGroupResult> {
    if (this.closed) return Promise.reject(new WriteWorkerLost('store is closed'));
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    const bytes = toBytes(encode(id, appends, fault)); // first: should it throw, nothing is pending
    return new Promise<WorkerGroupResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) this.ref(true);
      worker.postMessage(bytes, [bytes.buffer]);
    });
  }

  /**
   * Takes the answers that have arrived, without waiting for the event loop to come round to the
   * channel: a writer calls this as it queues a command, so a commit is answered as soon as the
   * main thread is between two pieces of work, not after every request already read from the
   * sockets has been handled. Resolutions run as microtasks, after the caller's own code.
   */
  poll(): void {
    const port = this.answers;
    if (!port || this.pending.size === 0) return;
    for (let m = receiveMessageOnPort(port); m !== undefined; m = this.answers === port ? receiveMessageOnPort(port) : undefined) {
      this.answered(m.message as string);
    }
  }

  private ref(on: boolean): void {
    if (on) {
      this.worker?.ref();
      this.answers?.ref();
    } else {
      this.worker?.unref();
      this.answers?.unref();
    }
  }

  /** The answers to every request of one transaction, in the order sent. */
  private answered(raw: string): void {
    for (const msg of JSON.parse(raw) as WorkerAnswer[]) {
      const p = this.pending.get(msg.id);
      if (!p) continue;
      this.pending.delete(msg.id);
      if ('error' in msg) p.reject(new WriteGroupFailed(msg.error.message, msg.error.phase));
      else p.resolve(decode(msg.results, msg.head, msg.shared));
    }
    if (this.pending.size === 0) this.ref(false);
  }

  private start(): Worker {
    const { port1: answers, port2: theirs } = new MessageChannel();
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file: this.file, busyTimeoutMs: this.busyTimeoutMs, betterSqlite3: require.resolve('better-sqlite3'), answers: theirs },
      transferList: [theirs],
    });
    worker.unref();
    answers.on('message', (raw: string) => {
      if (this.answers === answers) this.answered(raw);
    });
    answers.unref();
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      // Answers already on the channel are real: take them before the rest is declared lost.
      this.poll();
      this.worker = null;
      this.answers = null;
      answers.close();
      const error = new WriteWorkerLost(`the write thread stopped (${why}); the outcome of the unanswered writes is unknown until read back`);
      const all = [...this.pending.values()];
      this.pending.clear();
      for (const p of all) p.reject(error);
    };
    worker.on('error', (err) => lost(err.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    this.worker = worker;
    this.answers = answers;
    return worker;
  }

  /** Lets every sent request finish, then closes the thread's connection. */
  async close(): Promise<void> {
    this.closed = true;
    await this.closeThread(this.worker);
  }

  private async closeThread(worker: Worker | null): Promise<void> {
    if (!worker) return;
    worker.ref();
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      worker.once('exit', done);
      worker.on('message', (m: { closed?: boolean }) => {
        if (!m.closed) return;
        this.poll(); // the last answers, sent before `closed` on their own channel
        void worker.terminate().then(done, done);
      });
      worker.postMessage(toBytes(encode(0, [], undefined, true)));
    });
  }
}
