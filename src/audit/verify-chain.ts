/**
 * Verifies the hash chain (docs/audit.md, "Hash chain" and "Verify"): for every stream (or one), that its
 * revisions run 0, 1, 2, ... without a gap, that each event's `prevHash` is the `hash` of the event
 * before it (GENESIS_HASH for revision 0), and that each event's `hash` is what its content hashes
 * to. It names the first event that fails, in global order.
 *
 * Through the port this works on any store. On the embedded store it reads the SQLite file
 * directly instead (a second, read-only connection): through the port a tampered row that is no
 * longer JSON would throw instead of being named, and the port's objects cost more than the
 * check itself. There the log is split into position ranges scanned by worker threads, one per
 * CPU; their summaries (each stream's first and last event in the range) are stitched together
 * in order, which finds exactly what one pass in global order would. Measured on a 2-core
 * machine: see docs/audit.md, "Verify".
 *
 * What a chain cannot show: a stream deleted whole, or cut short at its end (its remaining events
 * still chain). The embedded store's stream index (`streams` table) catches the second unless it
 * was edited too; a seal (seal.ts) catches both.
 */
import Database from 'better-sqlite3';
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { startWorker } from '../shared/worker/ts-worker';
import type { EventStore, RecordedEvent } from '../event-store/event-store.port';
import { GENESIS_HASH, canonicalParsedJson, hashOfCanonical } from '../event-store/hashing';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { UnreadableEventError } from '../event-store/integrity';

export type ProblemKind =
  | 'unreadable-event' // a row that is not JSON, or metadata without hash / prevHash
  | 'revision-gap' // a stream's revisions do not run 0, 1, 2, ...: an event is missing
  | 'event-id-mismatch' // the stored event id is not the one in the event's hashed metadata
  | 'hash-mismatch' // the event's content does not hash to its recorded hash: it was changed
  | 'broken-link' // prevHash is not the hash of the event before: that one was changed or replaced
  | 'head-mismatch' // (embedded store) the stream index disagrees with the stream's last event
  | 'seal-invalid' // a seal file whose digest, key fingerprint or signature does not hold
  | 'seal-wrong-key' // a seal that holds, signed by another key than the one the auditor expects
  | 'sealed-stream-missing' // a stream the seal names is gone
  | 'sealed-revision-missing' // a stream the seal names no longer reaches the sealed revision
  | 'sealed-hash-mismatch'; // the event at the sealed revision hashes otherwise than when sealed

/** The first thing that does not hold. `expected` and `found` are hashes for hash problems, revisions for gaps. */
export interface ChainProblem {
  kind: ProblemKind;
  streamId: string | null;
  revision: number | null;
  eventId: string | null;
  /** Global position of the event at fault, as a string (positions are 128-bit on EventStoreDB). */
  position: string | null;
  expected: string;
  found: string;
  message: string;
}

/** What a kept seal covered; filled in by seal.ts. */
export interface SealSummary {
  sealId: string;
  sealedAt: string;
  headPosition: string;
  keyFingerprint: string;
  streamsSealed: number;
}

export interface VerifyReport {
  ok: boolean;
  store: 'sqlite' | 'eventstoredb';
  /** Set when one stream was verified. */
  stream?: string;
  eventsChecked: number;
  streamsChecked: number;
  /** The log's head when the check started: events after it are left for the next run. */
  headPosition: string;
  firstProblem?: ChainProblem;
  seal?: SealSummary;
}

export interface VerifyOptions {
  /** Verify this stream only. */
  streamId?: string;
  /** Record the hash each of these streams holds at the given revision (verifying against a seal). */
  wanted?: ReadonlyMap<string, bigint>;
  /** Worker threads for a whole-log check of the embedded store (default: one per CPU, at most 4; 1: none). */
  workers?: number;
  /** Workers are started only when each gets at least this many events (default 25,000). */
  minEventsPerWorker?: number;
}

/** The last event of a stream, as verified. */
export interface StreamHead {
  revision: bigint;
  hash: string;
  eventId: string;
  position: bigint;
}

/** A report, and what a seal needs: each stream's head, and the hashes at the wanted revisions. */
export interface ChainScan {
  report: VerifyReport;
  headPosition: bigint;
  heads: Map<string, StreamHead>;
  /** For each wanted stream that reaches the wanted revision: the event there. */
  hits: Map<string, StreamHead>;
}

export async function verifyChain(store: EventStore, options: VerifyOptions = {}): Promise<VerifyReport> {
  return (await scanChain(store, options)).report;
}

export async function scanChain(store: EventStore, options: VerifyOptions = {}): Promise<ChainScan> {
  if (store instanceof SqliteEventStore) return scanSqlite(store.file, options);
  return scanPort(store, options);
}

/** What the verifier needs of an event's metadata: its canonical form without `hash`, and three of its members. */
export interface MetadataView {
  canonical: string;
  hash: unknown;
  prevHash: unknown;
  eventId: unknown;
}

export function metadataView(metadata: Record<string, unknown>): MetadataView {
  return {
    canonical: canonicalParsedJson(metadata, 'hash'),
    hash: metadata.hash,
    prevHash: metadata.prevHash,
    eventId: metadata.eventId,
  };
}

/**
 * The metadata text exactly as the store writes it (the keys in the order write-path.ts and
 * the adapter put them, every value a string with no escape, no control character and no
 * surrogate, so that JSON.stringify would write it back unchanged). Such a text's canonical form
 * is a reordering of its pieces, with no JSON.parse: this saves a third of the verifier's time
 * (measured). Anything else, or anything tampered into another shape, takes the general path;
 * a test holds the two equal.
 */
const PLAIN = String.raw`"([^"\\\u0000-\u001f\ud800-\udfff]*)"`;
const STORED_METADATA = new RegExp(
  String.raw`^\{"eventId":${PLAIN},"commandId":${PLAIN},"requestHash":${PLAIN},"actor":\{"id":${PLAIN},"role":${PLAIN},"org":${PLAIN}\},` +
    String.raw`"correlationId":${PLAIN},"causationId":${PLAIN},"recordedAt":${PLAIN},"prevHash":${PLAIN},"hash":${PLAIN}\}$`,
);

/** The view of a stored metadata text, or null when it is not JSON (or not an object). */
export function storedMetadataView(text: string): MetadataView | null {
  const m = STORED_METADATA.exec(text);
  if (m) {
    const [
      ,
      eventId,
      commandId,
      requestHash,
      actorId,
      role,
      org,
      correlationId,
      causationId,
      recordedAt,
      prevHash,
      hash,
    ] = m;
    return {
      canonical:
        `{"actor":{"id":"${actorId}","org":"${org}","role":"${role}"},"causationId":"${causationId}","commandId":"${commandId}",` +
        `"correlationId":"${correlationId}","eventId":"${eventId}","prevHash":"${prevHash}","recordedAt":"${recordedAt}","requestHash":"${requestHash}"}`,
      hash,
      prevHash,
      eventId,
    };
  }
  const parsed: unknown = JSON.parse(text);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  return metadataView(parsed as Record<string, unknown>);
}

// ---------------------------------------------------------------------------------------------
// One pass over a run of events in global order (the whole log, one stream, or one range)

/** A problem found during a scan, with what orders it: the first by position, then by RANK. */
interface Found {
  problem: ChainProblem;
  position: bigint;
  /** Index of the event within its segment, to count the events checked up to it. */
  ordinal: number;
}

/** Which problem to name when one event has several: the order a reader would look in. */
const RANK: Record<ProblemKind, number> = {
  'unreadable-event': 0,
  'revision-gap': 1,
  'event-id-mismatch': 2,
  'hash-mismatch': 3,
  'broken-link': 4,
  'head-mismatch': 5,
  'seal-invalid': 6,
  'seal-wrong-key': 7,
  'sealed-stream-missing': 8,
  'sealed-revision-missing': 9,
  'sealed-hash-mismatch': 10,
};

/** The first event of a stream in a segment that does not start at the log's beginning: checked when stitching. */
interface OpenStart {
  streamId: string;
  revision: bigint;
  prevHash: string;
  eventId: string;
  position: bigint;
  ordinal: number;
}

/** What a scan of one run of events leaves behind (structured-clonable: it crosses from a worker). */
interface Segment {
  count: number;
  problem: Found | null;
  opens: OpenStart[];
  heads: Map<string, StreamHead>;
  hits: Map<string, StreamHead>;
  /** Position of each stream's first event in the segment: counts the streams checked up to a problem. */
  firstSeen: Map<string, bigint>;
}

function problemAt(
  kind: ProblemKind,
  streamId: string,
  revision: bigint,
  eventId: string,
  position: bigint,
  expected: string,
  found: string,
  message: string,
): ChainProblem {
  return {
    kind,
    streamId,
    revision: Number(revision),
    eventId,
    position: position.toString(),
    expected,
    found,
    message,
  };
}

/** Checks that an event follows `last` (or starts its stream, when `last` is undefined). */
function linkProblem(
  last: StreamHead | undefined,
  streamId: string,
  revision: bigint,
  eventId: string,
  position: bigint,
): ChainProblem | null {
  const expectedRevision = last ? last.revision + 1n : 0n;
  if (revision !== expectedRevision) {
    const message = last
      ? `${streamId} revision ${revision} follows revision ${last.revision}: ${revision > expectedRevision ? 'an event before it is missing' : 'revisions are out of order'}`
      : `${streamId} starts at revision ${revision}, not 0: its first events are missing`;
    return problemAt(
      'revision-gap',
      streamId,
      revision,
      eventId,
      position,
      expectedRevision.toString(),
      revision.toString(),
      message,
    );
  }
  return null;
}

function prevHashProblem(
  last: StreamHead | undefined,
  streamId: string,
  revision: bigint,
  prevHash: string,
  eventId: string,
  position: bigint,
): ChainProblem | null {
  const expected = last ? last.hash : GENESIS_HASH;
  if (prevHash === expected) return null;
  const message = last
    ? `${streamId} revision ${revision}: prevHash is not the hash of revision ${last.revision}, so an event before it was changed or replaced`
    : `${streamId} revision 0: prevHash is not the genesis hash (64 zeros)`;
  return problemAt('broken-link', streamId, revision, eventId, position, expected, prevHash, message);
}

export class SegmentScanner {
  readonly heads = new Map<string, StreamHead>();
  readonly hits = new Map<string, StreamHead>();
  readonly opens: OpenStart[] = [];
  readonly firstSeen = new Map<string, bigint>();
  count = 0;
  problem: Found | null = null;

  /** `fromStart`: the segment begins at the log's (or the stream's) beginning, so a stream's first event must be revision 0. */
  constructor(
    private readonly fromStart: boolean,
    private readonly wanted: ReadonlyMap<string, bigint> | undefined,
  ) {}

  /**
   * `consume` on an event as a store returns it (through the port); one with a part the store
   * could not read (integrity.ts, UnreadableEventError) is named as a row that is not JSON is.
   */
  consumeStored(e: RecordedEvent): boolean {
    let metadata: MetadataView;
    let data: string;
    try {
      metadata = metadataView(e.metadata);
      data = canonicalParsedJson(e.data);
    } catch (err) {
      if (!(err instanceof UnreadableEventError)) throw err;
      return this.unreadable(e.position, e.streamId, e.revision, e.eventId, err.what);
    }
    return this.consume(e.position, e.streamId, e.revision, e.eventId, e.type, data, metadata);
  }

  /** Checks one event; false once a problem is found (the scan stops there). */
  consume(
    position: bigint,
    streamId: string,
    revision: bigint,
    eventId: string,
    type: string,
    canonicalData: string,
    metadata: MetadataView,
  ): boolean {
    const ordinal = this.count++;
    const last = this.heads.get(streamId);
    if (!last) this.firstSeen.set(streamId, position);
    const hash = metadata.hash;
    const prevHash = metadata.prevHash;
    if (typeof hash !== 'string' || typeof prevHash !== 'string') {
      return this.fail(
        ordinal,
        position,
        problemAt(
          'unreadable-event',
          streamId,
          revision,
          eventId,
          position,
          'metadata with hash and prevHash',
          JSON.stringify({ hash, prevHash }),
          `${streamId} revision ${revision}: its metadata has no hash or prevHash`,
        ),
      );
    }
    const open = !last && !this.fromStart;
    const gap = open ? null : linkProblem(last, streamId, revision, eventId, position);
    if (gap) return this.fail(ordinal, position, gap);
    if (metadata.eventId !== eventId) {
      return this.fail(
        ordinal,
        position,
        problemAt(
          'event-id-mismatch',
          streamId,
          revision,
          eventId,
          position,
          String(metadata.eventId),
          eventId,
          `${streamId} revision ${revision}: the stored event id is not the eventId in its hashed metadata`,
        ),
      );
    }
    const recomputed = hashOfCanonical(streamId, revision, type, canonicalData, metadata.canonical);
    if (recomputed !== hash) {
      return this.fail(
        ordinal,
        position,
        problemAt(
          'hash-mismatch',
          streamId,
          revision,
          eventId,
          position,
          hash,
          recomputed,
          `${streamId} revision ${revision} (event ${eventId}): its type, data or metadata was changed; it no longer hashes to its recorded hash`,
        ),
      );
    }
    const broken = open ? null : prevHashProblem(last, streamId, revision, prevHash, eventId, position);
    if (broken) return this.fail(ordinal, position, broken);
    if (open) this.opens.push({ streamId, revision, prevHash, eventId, position, ordinal });
    if (this.wanted !== undefined && this.wanted.get(streamId) === revision)
      this.hits.set(streamId, { revision, hash, eventId, position });
    if (last) {
      // Updated in place: one allocation per stream, not per event.
      last.revision = revision;
      last.hash = hash;
      last.eventId = eventId;
      last.position = position;
    } else {
      this.heads.set(streamId, { revision, hash, eventId, position });
    }
    return true;
  }

  unreadable(position: bigint, streamId: string, revision: bigint, eventId: string, what: string): false {
    const ordinal = this.count++;
    if (!this.heads.has(streamId)) this.firstSeen.set(streamId, position);
    return this.fail(
      ordinal,
      position,
      problemAt(
        'unreadable-event',
        streamId,
        revision,
        eventId,
        position,
        'JSON',
        what,
        `${streamId} revision ${revision} (event ${eventId}): ${what}`,
      ),
    );
  }

  /** The problem found, forgotten here: a scan that goes on past it (the service's watch) takes it and continues. */
  takeProblem(): ChainProblem | null {
    const found = this.problem;
    this.problem = null;
    return found?.problem ?? null;
  }

  private fail(ordinal: number, position: bigint, problem: ChainProblem): false {
    this.problem = { problem, position, ordinal };
    return false;
  }

  segment(): Segment {
    return {
      count: this.count,
      problem: this.problem,
      opens: this.opens,
      heads: this.heads,
      hits: this.hits,
      firstSeen: this.firstSeen,
    };
  }
}

/** Joins segments scanned in global order: the result one pass over all of them would give. */
interface Stitched {
  heads: Map<string, StreamHead>;
  hits: Map<string, StreamHead>;
  problem: Found | null;
  /** Events checked: all of them, or up to and including the problem's. */
  count: number;
  /** Streams with an event checked: all of them, or up to and including the problem's event. */
  streams: number;
}

function stitch(segments: Segment[]): Stitched {
  const heads = new Map<string, StreamHead>();
  const hits = new Map<string, StreamHead>();
  let best: Found | null = null;
  let offset = 0;
  const consider = (found: Found) => {
    const better =
      best === null ||
      found.position < best.position ||
      (found.position === best.position && RANK[found.problem.kind] < RANK[best.problem.kind]);
    if (better) best = found;
  };
  for (const segment of segments) {
    for (const open of segment.opens) {
      const last = heads.get(open.streamId);
      const problem =
        linkProblem(last, open.streamId, open.revision, open.eventId, open.position) ??
        prevHashProblem(last, open.streamId, open.revision, open.prevHash, open.eventId, open.position);
      if (problem) consider({ problem, position: open.position, ordinal: offset + open.ordinal });
    }
    if (segment.problem) consider({ ...segment.problem, ordinal: offset + segment.problem.ordinal });
    for (const [streamId, head] of segment.heads) heads.set(streamId, head);
    for (const [streamId, hit] of segment.hits) hits.set(streamId, hit);
    offset += segment.count;
  }
  // Segments after the first problem were scanned from a state the problem had already broken,
  // but nothing they found can come before it, so the earliest is the answer.
  const found = best as Found | null;
  if (!found) return { heads, hits, problem: null, count: offset, streams: heads.size };
  const seen = new Set<string>();
  for (const segment of segments)
    for (const [streamId, position] of segment.firstSeen) if (position <= found.position) seen.add(streamId);
  return { heads, hits, problem: found, count: found.ordinal + 1, streams: seen.size };
}

function reportOf(
  kind: VerifyReport['store'],
  options: VerifyOptions,
  head: bigint,
  count: number,
  streams: number,
  problem: ChainProblem | null,
): VerifyReport {
  return {
    ok: problem === null,
    store: kind,
    ...(options.streamId !== undefined ? { stream: options.streamId } : {}),
    eventsChecked: count,
    streamsChecked: streams,
    headPosition: head.toString(),
    ...(problem ? { firstProblem: problem } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Any store, through the port

/** Page size through the port: small pages keep the garbage collector's work young. */
const PORT_PAGE = 1_000;

async function scanPort(store: EventStore, options: VerifyOptions): Promise<ChainScan> {
  const head = await store.headPosition();
  const scanner = new SegmentScanner(true, options.wanted);
  const feed = (events: RecordedEvent[]): boolean => {
    for (const e of events) {
      if (options.streamId === undefined && e.position > head) return false;
      if (!scanner.consumeStored(e)) return false;
    }
    return events.length > 0;
  };
  if (options.streamId !== undefined) {
    let from = 0n;
    for (;;) {
      const page = await store.readStream(options.streamId, from, PORT_PAGE);
      if (!feed(page) || page.length < PORT_PAGE) break;
      from = page[page.length - 1].revision + 1n;
    }
  } else {
    let after = 0n;
    while (after < head) {
      const page = await store.readAll({ after, limit: PORT_PAGE });
      if (!feed(page)) break;
      after = page[page.length - 1].position;
    }
  }
  const result = stitch([scanner.segment()]);
  return {
    report: reportOf(store.kind, options, head, result.count, result.streams, result.problem?.problem ?? null),
    headPosition: head,
    heads: result.heads,
    hits: result.hits,
  };
}

// ---------------------------------------------------------------------------------------------
// The embedded store: the SQLite file, read directly, in parallel

export const COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata';
/** Rows per read: big pages cost more in garbage collection than they save in calls (measured: 10,000 rows a page read 4x slower than 250-1,000). */
const SQLITE_PAGE = 250;
const DEFAULT_MIN_EVENTS_PER_WORKER = 25_000;
const MAX_WORKERS = 4;
const WORKER_TASK = 'renovation-ledger:verify-chain-range';

export type Row = [
  position: unknown,
  streamId: unknown,
  revision: unknown,
  eventId: unknown,
  type: unknown,
  data: unknown,
  metadata: unknown,
];

/** Feeds raw rows to a scanner; false once it has found a problem. A row that is not what the schema promises is named, never thrown. */
export function scanRows(rows: Row[], scanner: SegmentScanner): boolean {
  for (const [position, streamId, revision, eventId, type, dataText, metadataText] of rows) {
    const pos = typeof position === 'bigint' ? position : -1n;
    const stream = String(streamId);
    const id = String(eventId);
    if (typeof revision !== 'bigint')
      return scanner.unreadable(pos, stream, -1n, id, `its revision is not an integer (${String(revision)})`);
    let data: string;
    let metadata: MetadataView | null;
    try {
      data = canonicalParsedJson(JSON.parse(String(dataText)));
    } catch (err) {
      return scanner.unreadable(pos, stream, revision, id, `its data is not JSON (${(err as Error).message})`);
    }
    try {
      metadata = storedMetadataView(String(metadataText));
    } catch (err) {
      return scanner.unreadable(pos, stream, revision, id, `its metadata is not JSON (${(err as Error).message})`);
    }
    if (metadata === null) return scanner.unreadable(pos, stream, revision, id, 'its metadata is not a JSON object');
    if (!scanner.consume(pos, stream, revision, id, String(type), data, metadata)) return false;
  }
  return true;
}

export function openReadOnly(file: string): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.defaultSafeIntegers(true);
  return db;
}

/**
 * Scans positions in (after, until] of the file; `fromStart` when `after` is the log's beginning.
 * In the service's own thread it yields after each page, so requests are answered meanwhile.
 */
async function scanRange(
  db: Database.Database,
  after: bigint,
  until: bigint,
  fromStart: boolean,
  wanted: ReadonlyMap<string, bigint> | undefined,
  yieldBetweenPages: boolean,
): Promise<Segment> {
  const scanner = new SegmentScanner(fromStart, wanted);
  const page = db
    .prepare(`SELECT ${COLUMNS} FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT ?`)
    .raw(true);
  let from = after;
  for (;;) {
    const rows = page.all(from, until, SQLITE_PAGE) as Row[];
    if (rows.length === 0 || !scanRows(rows, scanner) || rows.length < SQLITE_PAGE) break;
    from = rows[rows.length - 1][0] as bigint;
    if (yieldBetweenPages) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return scanner.segment();
}

function scanStream(db: Database.Database, streamId: string, wanted: ReadonlyMap<string, bigint> | undefined): Segment {
  const scanner = new SegmentScanner(true, wanted);
  const page = db
    .prepare(`SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision > ? ORDER BY revision LIMIT ?`)
    .raw(true);
  let from = -1n;
  for (;;) {
    const rows = page.all(streamId, from, SQLITE_PAGE) as Row[];
    if (rows.length === 0 || !scanRows(rows, scanner) || rows.length < SQLITE_PAGE) break;
    from = rows[rows.length - 1][2] as bigint;
  }
  return scanner.segment();
}

interface StreamIndexEntry {
  revision: bigint;
  lastHash: string;
}

async function scanSqlite(file: string, options: VerifyOptions): Promise<ChainScan> {
  const db = openReadOnly(file);
  try {
    // One read snapshot for the head and the stream index: appends that land meanwhile are after
    // `head` and out of this check, and the index is read as of `head`.
    db.exec('BEGIN');
    const head = db.prepare('SELECT coalesce(max(position), 0) FROM events').pluck().get() as bigint;
    const index = new Map<string, StreamIndexEntry>();
    const indexRows =
      options.streamId !== undefined
        ? db
            .prepare('SELECT stream_id, revision, last_hash FROM streams WHERE stream_id = ?')
            .raw(true)
            .all(options.streamId)
        : db.prepare('SELECT stream_id, revision, last_hash FROM streams').raw(true).all();
    for (const [streamId, revision, lastHash] of indexRows as [string, bigint, string][])
      index.set(String(streamId), { revision, lastHash: String(lastHash) });

    let segments: Segment[];
    if (options.streamId !== undefined) {
      segments = [scanStream(db, options.streamId, options.wanted)];
    } else {
      const workers = workerCount(head, options);
      segments =
        workers <= 1
          ? [await scanRange(db, 0n, head, true, options.wanted, true)]
          : await scanInWorkers(file, head, workers, options.wanted);
    }
    db.exec('COMMIT');
    const result = stitch(segments);
    const problem = result.problem?.problem ?? indexProblem(result.heads, index);
    return {
      report: reportOf('sqlite', options, head, result.count, result.streams, problem),
      headPosition: head,
      heads: result.heads,
      hits: result.hits,
    };
  } finally {
    db.close();
  }
}

/**
 * The stream index (`streams`: each stream's last revision and hash, written in the same
 * transaction as its events) against the log: it catches a stream cut short at its end, which
 * the chain alone cannot show, unless the index was edited to match.
 */
function indexProblem(heads: Map<string, StreamHead>, index: Map<string, StreamIndexEntry>): ChainProblem | null {
  const names = [...new Set([...heads.keys(), ...index.keys()])].sort();
  for (const streamId of names) {
    const head = heads.get(streamId);
    const entry = index.get(streamId);
    if (head && entry && head.revision === entry.revision && head.hash === entry.lastHash) continue;
    if (!entry) {
      return problemAt(
        'head-mismatch',
        streamId,
        head!.revision,
        head!.eventId,
        head!.position,
        'an entry in the stream index',
        'none',
        `${streamId} has events but no entry in the stream index`,
      );
    }
    if (!head) {
      return {
        kind: 'head-mismatch',
        streamId,
        revision: Number(entry.revision),
        eventId: null,
        position: null,
        expected: entry.lastHash,
        found: 'no events',
        message: `the stream index has ${streamId} at revision ${entry.revision}, but the log holds none of its events`,
      };
    }
    return problemAt(
      'head-mismatch',
      streamId,
      head.revision,
      head.eventId,
      head.position,
      entry.lastHash,
      head.hash,
      `the stream index has ${streamId} ending at revision ${entry.revision}, but its last event is revision ${head.revision}` +
        (head.revision < entry.revision
          ? ': events at its end are missing'
          : head.revision === entry.revision
            ? ' with another hash'
            : ''),
    );
  }
  return null;
}

function workerCount(head: bigint, options: VerifyOptions): number {
  const wanted = options.workers ?? Math.min(availableParallelism(), MAX_WORKERS);
  const minPerWorker = BigInt(options.minEventsPerWorker ?? DEFAULT_MIN_EVENTS_PER_WORKER);
  let n = Math.max(1, Math.floor(wanted));
  while (n > 1 && head < minPerWorker * BigInt(n)) n -= 1;
  return n;
}

interface WorkerTask {
  task: typeof WORKER_TASK;
  file: string;
  after: bigint;
  until: bigint;
  fromStart: boolean;
  wanted: Map<string, bigint> | undefined;
}

/** Splits (0, head] into `n` ranges of positions, one worker each, and waits for every summary. */
async function scanInWorkers(
  file: string,
  head: bigint,
  n: number,
  wanted: ReadonlyMap<string, bigint> | undefined,
): Promise<Segment[]> {
  const size = (head + BigInt(n) - 1n) / BigInt(n);
  const tasks: WorkerTask[] = [];
  for (let i = 0n; i < BigInt(n); i++) {
    const after = i * size;
    const until = after + size < head ? after + size : head;
    if (after < until)
      tasks.push({
        task: WORKER_TASK,
        file,
        after,
        until,
        fromStart: i === 0n,
        wanted: wanted ? new Map(wanted) : undefined,
      });
  }
  return Promise.all(tasks.map(runWorker));
}

function runWorker(task: WorkerTask): Promise<Segment> {
  return new Promise<Segment>((resolve, reject) => {
    const worker = startWorker(__filename, task);
    let settled = false;
    worker.once('message', (segment: Segment) => {
      settled = true;
      resolve(segment);
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`a verify worker stopped (exit code ${code}) before it answered`));
    });
  });
}

if (!isMainThread && (workerData as Partial<WorkerTask> | null)?.task === WORKER_TASK) {
  const task = workerData as WorkerTask;
  const db = openReadOnly(task.file);
  void scanRange(db, task.after, task.until, task.fromStart, task.wanted, false)
    .then((segment) => parentPort!.postMessage(segment))
    .finally(() => db.close());
}
