import { join } from 'node:path';
import { MessageChannel, MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { moduleWorker } from '../../shared/threads/module-worker';

/**
 * The embedded store's write connection on its own thread (node:worker_threads;
 * write-thread.entry.ts). The main thread decides and sends the rows; this thread runs
 * BEGIN IMMEDIATE → checks → chains the hashes → inserts → COMMIT (synchronous=FULL), so the main
 * thread keeps parsing HTTP and deciding while the fsync runs. Requests are handled one after
 * another, in the order they were sent: a later request sees every earlier one's outcome. The
 * requests that arrived while the last transaction committed go into the next one together (a
 * savepoint each, one COMMIT, one fsync).
 *
 * Each append is checked inside the transaction before it writes anything:
 * - its command id must have no events yet (idempotency; also against other processes), else
 *   `duplicate`, nothing written;
 * - the stream must be exactly where the decision saw it: the same revision AND, at that
 *   revision, the same event (event ids derive from their command's id, so this pins the history
 *   the state was folded from), else `conflict`, nothing written. So an append decided on top of
 *   an earlier, not yet committed append that then failed can never be written: the event it
 *   expects was never stored.
 * The thread computes each event's `prevHash` and `hash` (hashing.ts's chainedMetadata, the one
 * definition of the chain) from the stream's last hash as stored, and writes them with the event.
 * An append that fails while writing (an I/O error) rolls its whole request back: `failed`; the
 * other requests of the transaction are kept. A failed COMMIT fails every request in it.
 */
export interface WorkerAppend {
  streamId: string;
  /** Revision of the stream's last event the decision saw; -1n: no stream. */
  expectedRevision: bigint;
  /** That event's id ('' for no stream). */
  expectedEventId: string;
  commandId: string;
  /** [eventId, type, data JSON, metadata JSON without prevHash and hash] per event; none: only check the stream is there. */
  rows: [string, string, string, string][];
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

/** [revision, position] of the last event written; 'd': duplicate; 'c': conflict. */
export type EncodedResult = [number, number] | 'd' | 'c';

/** The write thread's answer to one request. */
export type WorkerAnswer = { id: number; results: EncodedResult[]; head: number; shared: number } | { id: number; error: { message: string; phase: 'append' | 'commit' } };

/** A request as the write thread reads it (revisions as numbers: they stay far below 2^53). */
export interface WorkerRequest {
  id: number;
  fault: WriteFault | undefined;
  close: boolean;
  appends: { streamId: string; expectedRevision: number; expectedEventId: string; commandId: string; rows: [string, string, string, string][] }[];
}

/** What the write thread is started with. */
export interface WriteThreadData {
  file: string;
  busyTimeoutMs: number;
  /** Its end of the answers channel. */
  answers: MessagePort;
}

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
    out += '\u0002' + field(a.streamId) + '\u0001' + a.expectedRevision.toString() + '\u0001' + field(a.expectedEventId) + '\u0001' + field(a.commandId);
    for (const r of a.rows) out += '\u0001' + field(r[0]) + '\u0001' + field(r[1]) + '\u0001' + r[2] + '\u0001' + r[3];
  }
  return out;
}

/** `encode`'s inverse, on the write thread. */
export function decodeRequest(text: string): WorkerRequest {
  const parts = text.split('\u0002');
  const head = parts[0].split('\u0001');
  const appends = new Array<WorkerRequest['appends'][number]>(parts.length - 1);
  for (let i = 1; i < parts.length; i++) {
    const f = parts[i].split('\u0001');
    const rows: [string, string, string, string][] = [];
    for (let k = 4; k < f.length; k += 4) rows.push([unfield(f[k]), unfield(f[k + 1]), f[k + 2], f[k + 3]]);
    appends[i - 1] = { streamId: unfield(f[0]), expectedRevision: Number(f[1]), expectedEventId: unfield(f[2]), commandId: unfield(f[3]), rows };
  }
  return { id: Number(head[0]), fault: head[1] ? (JSON.parse(head[1]) as WriteFault) : undefined, close: head[2] === 'close', appends };
}

/** A field as `field` wrote it: as is, or JSON after \u0003 when it held a control character or was empty. */
function unfield(f: string): string {
  return f.charCodeAt(0) === 3 ? (JSON.parse(f.slice(1)) as string) : f;
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
    const data: WriteThreadData = { file: this.file, busyTimeoutMs: this.busyTimeoutMs, answers: theirs };
    const worker = moduleWorker(join(__dirname, 'write-thread.entry'), { workerData: data, transferList: [theirs] });
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
