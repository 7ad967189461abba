import { copyLog } from './copy-log';
import { EventStore, RecordedEvent } from '../event-store/event-store.port';
import { ShapeError } from '../shared/domain/data-shape';
import { storedMetadata } from '../shared/events/recorded-event';
import { GENESIS_HASH, eventHash } from '../event-store/hashing';
import { EXPORT_END_FORMAT, EXPORT_FORMAT, EXPORT_VERSION, LineTooLongError, linesOf } from './ndjson-format';

/**
 * Why an import was refused:
 * - `target-not-empty`: the target store already holds events;
 * - `not-an-export`: the first line is not a header this version reads;
 * - `invalid-line`: a line that is not JSON or not an event of the format;
 * - `broken-chain`: an event whose revision, `prevHash` or `hash` does not chain;
 * - `truncated-export`: no trailer, or one that does not match the events read.
 */
export type ImportRefusal = 'target-not-empty' | 'not-an-export' | 'invalid-line' | 'broken-chain' | 'truncated-export';

export class ImportRefusedError extends Error {
  override name = 'ImportRefusedError';
  constructor(
    readonly code: ImportRefusal,
    message: string,
    /** The file's line (from 1) at fault, when one is. */
    readonly line?: number,
  ) {
    super(message);
  }

  /** Events written before the fault: 0, unless the file changed after it was verified. */
  written = 0;
}

export interface ImportProgress {
  phase: 'verifying' | 'importing';
  /** Events verified (verifying) or written (importing) so far. */
  eventCount: number;
  /** Source position reached. */
  position: bigint;
  /** The source head named in the file's header. */
  headPosition: bigint;
}

export interface VerifiedExport {
  eventCount: number;
  streamCount: number;
  headPosition: bigint;
  lastPosition: bigint;
  exportedAt: string;
  source: string;
}

export interface ImportResult extends VerifiedExport {
  written: number;
}

/** Events per append page handed to copyLog. */
const PAGE_SIZE = 1000;
/** How often progress is reported, in events (the CLI throttles it to once a second). */
const PROGRESS_EVERY = 1000;

/**
 * Imports an export file into an EMPTY store. The whole file is verified first (format, order,
 * every hash, every stream's chain from GENESIS_HASH with revisions 0..n, the trailer), and only
 * then is anything written: a broken file writes nothing at all. The events are then appended
 * through copyLog, which keeps runs of one command together and checks that the target's
 * recomputed hash of every event equals the one in the file. The second pass verifies again as it
 * reads, so a file changed between the passes stops the import at the first bad event (events of
 * earlier pages would stay: import into a store nobody else uses, from a file nobody is writing).
 */
export async function importLog(
  file: string,
  target: EventStore,
  onProgress?: (p: ImportProgress) => void,
): Promise<ImportResult> {
  await refuseNonEmpty(target);
  const verified = await verifyExport(file, onProgress);
  await refuseNonEmpty(target);
  const pages = new ExportReader(file).pages(PAGE_SIZE);
  let written = 0;
  const copied = await copyLog(pages, target, {
    head: verified.headPosition,
    onProgress: (p) => {
      written = p.copied;
      onProgress?.({
        phase: 'importing',
        eventCount: p.copied,
        position: p.position,
        headPosition: verified.headPosition,
      });
    },
  }).catch((err: Error) => {
    if (err instanceof ImportRefusedError) err.written = written;
    throw err;
  });
  if (copied.copied !== verified.eventCount || copied.skipped !== 0) {
    throw new Error(
      `import wrote ${copied.copied} events and found ${copied.skipped} already there, of ${verified.eventCount} verified`,
    );
  }
  return { ...verified, written: copied.copied };
}

/**
 * The events of an export file in pages, each checked as an import checks it (order, every hash,
 * every stream's chain); a file cut short or changed fails (ImportRefusedError) when that is found,
 * at the latest after the last page: a reader must not act on what it read before the error.
 */
export function verifiedExportPages(file: string, size = PAGE_SIZE): AsyncGenerator<RecordedEvent[]> {
  return new ExportReader(file).pages(size);
}

/** Reads the whole file and checks everything an import checks, writing nothing. */
export async function verifyExport(file: string, onProgress?: (p: ImportProgress) => void): Promise<VerifiedExport> {
  const reader = new ExportReader(file);
  for await (const page of reader.pages(PROGRESS_EVERY)) {
    onProgress?.({
      phase: 'verifying',
      eventCount: reader.eventCount,
      position: page[page.length - 1].position,
      headPosition: reader.headPosition,
    });
  }
  return reader.summary();
}

async function refuseNonEmpty(target: EventStore): Promise<void> {
  const head = await target.headPosition();
  if (head !== 0n)
    throw new ImportRefusedError(
      'target-not-empty',
      `the target store is not empty (its head is at position ${head}); import only into an empty store`,
    );
}

interface ChainEnd {
  next: bigint;
  lastHash: string;
}

/** Reads an export file once, line by line, checking each event before it is handed on. */
class ExportReader {
  eventCount = 0;
  headPosition = 0n;
  private lastPosition = 0n;
  private exportedAt = '';
  private source = '';
  /** Per stream: the revision expected next and the hash the next event must chain to. */
  private readonly streams = new Map<string, ChainEnd>();
  private sawHeader = false;
  private ended = false;

  constructor(private readonly file: string) {}

  /** Verified events in pages of `size`; throws ImportRefusedError at the first fault. */
  async *pages(size: number): AsyncGenerator<RecordedEvent[]> {
    let page: RecordedEvent[] = [];
    try {
      for await (const { text, line } of linesOf(this.file)) {
        if (line === 1) {
          this.header(text);
          continue;
        }
        if (this.ended) {
          if (text.trim() === '') continue;
          throw new ImportRefusedError('invalid-line', `line ${line}: there is more after the trailer`, line);
        }
        const value = parseLine(text, line);
        if (value.format === EXPORT_END_FORMAT) {
          this.trailer(value, line);
          continue;
        }
        page.push(this.event(value, line));
        if (page.length >= size) {
          yield page;
          page = [];
        }
      }
    } catch (err) {
      if (err instanceof LineTooLongError) throw new ImportRefusedError('invalid-line', err.message, err.line);
      throw err;
    }
    if (!this.sawHeader) {
      throw new ImportRefusedError('not-an-export', 'the file is empty: is this an export file?');
    }
    if (!this.ended)
      throw new ImportRefusedError(
        'truncated-export',
        `the file ends after ${this.eventCount} events without its trailer line: it was cut short`,
      );
    if (page.length > 0) yield page;
  }

  summary(): VerifiedExport {
    return {
      eventCount: this.eventCount,
      streamCount: this.streams.size,
      headPosition: this.headPosition,
      lastPosition: this.lastPosition,
      exportedAt: this.exportedAt,
      source: this.source,
    };
  }

  private header(text: string): void {
    let value: Record<string, unknown> | null = null;
    try {
      value = JSON.parse(text);
    } catch {
      // refused below
    }
    if (!isObject(value) || value.format !== EXPORT_FORMAT) {
      throw new ImportRefusedError(
        'not-an-export',
        `line 1 is not a ${EXPORT_FORMAT} header: is this an export file?`,
        1,
      );
    }
    if (value.version !== EXPORT_VERSION)
      throw new ImportRefusedError(
        'not-an-export',
        `line 1: export version ${String(value.version)} is not one this ledger reads (${EXPORT_VERSION})`,
        1,
      );
    if (typeof value.headPosition !== 'string' || !DECIMAL.test(value.headPosition))
      throw new ImportRefusedError('not-an-export', 'line 1: the header has no headPosition', 1);
    this.sawHeader = true;
    this.headPosition = BigInt(value.headPosition);
    this.exportedAt = String(value.exportedAt ?? '');
    this.source = String(value.source ?? '');
  }

  private trailer(value: Record<string, unknown>, line: number): void {
    if (value.eventCount !== this.eventCount || value.lastPosition !== this.lastPosition.toString()) {
      throw new ImportRefusedError(
        'truncated-export',
        `line ${line}: the trailer counts ${String(value.eventCount)} events up to position ${String(value.lastPosition)}, the file holds ${this.eventCount} up to ${this.lastPosition}`,
        line,
      );
    }
    this.ended = true;
  }

  private event(value: Record<string, unknown>, line: number): RecordedEvent {
    const e = recordedEventOf(value, line);
    const at = `line ${line}, stream ${e.streamId} revision ${e.revision}, event ${e.eventId}`;
    if (e.position <= this.lastPosition)
      throw new ImportRefusedError(
        'invalid-line',
        `${at}: position ${e.position} is not after ${this.lastPosition}: events must be in global order`,
        line,
      );
    if (e.position > this.headPosition)
      throw new ImportRefusedError(
        'invalid-line',
        `${at}: position ${e.position} is past the header's head ${this.headPosition}`,
        line,
      );
    if (e.metadata.eventId !== e.eventId)
      throw new ImportRefusedError('broken-chain', `${at}: its metadata names event ${e.metadata.eventId}`, line);
    const chain = this.streams.get(e.streamId) ?? { next: 0n, lastHash: GENESIS_HASH };
    if (e.revision !== chain.next) {
      throw new ImportRefusedError(
        'broken-chain',
        `${at}: expected revision ${chain.next} of the stream (revisions run 0, 1, 2, ... without gaps)`,
        line,
      );
    }
    if (e.metadata.prevHash !== chain.lastHash) {
      throw new ImportRefusedError(
        'broken-chain',
        `${at}: prevHash ${e.metadata.prevHash} is not the hash of the stream's previous event (${chain.lastHash})`,
        line,
      );
    }
    const { hash, ...withoutHash } = e.metadata;
    const recomputed = eventHash(e.streamId, e.revision, e.type, e.data, withoutHash);
    if (recomputed !== hash) {
      throw new ImportRefusedError(
        'broken-chain',
        `${at}: its content hashes to ${recomputed}, but the line says ${hash}: the event was changed`,
        line,
      );
    }
    this.streams.set(e.streamId, { next: e.revision + 1n, lastHash: hash });
    this.lastPosition = e.position;
    this.eventCount += 1;
    return e;
  }
}

const DECIMAL = /^(0|[1-9]\d{0,39})$/;
const EVENT_KEYS = ['streamId', 'revision', 'position', 'eventId', 'type', 'data', 'metadata'];

function parseLine(text: string, line: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ImportRefusedError('invalid-line', `line ${line} is not JSON: ${(err as Error).message}`, line);
  }
  if (!isObject(value)) throw new ImportRefusedError('invalid-line', `line ${line} is not a JSON object`, line);
  return value;
}

/** An event line as a RecordedEvent, after checking it has every field, of the right type, and no other. */
function recordedEventOf(v: Record<string, unknown>, line: number): RecordedEvent {
  const bad = (what: string) =>
    new ImportRefusedError(
      'invalid-line',
      `line ${line}${typeof v.eventId === 'string' ? ` (event ${v.eventId})` : ''}: ${what}`,
      line,
    );
  const extra = Object.keys(v).filter((k) => !EVENT_KEYS.includes(k));
  if (extra.length > 0) throw bad(`unknown field ${extra[0]}`);
  for (const k of ['streamId', 'eventId', 'type'] as const)
    if (typeof v[k] !== 'string' || v[k] === '') throw bad(`${k} must be a non-empty string`);
  for (const k of ['revision', 'position'] as const)
    if (typeof v[k] !== 'string' || !DECIMAL.test(v[k] as string))
      throw bad(`${k} must be a whole number written as a decimal string`);
  if (!isObject(v.data)) throw bad('data must be a JSON object');
  if (!isObject(v.metadata)) throw bad('metadata must be a JSON object');
  const m = metadataOf(v.metadata, bad);
  return {
    streamId: v.streamId as string,
    revision: BigInt(v.revision as string),
    position: BigInt(v.position as string),
    eventId: v.eventId as string,
    type: v.type as string,
    data: v.data,
    metadata: m,
  };
}

/** The shape of a stored event's metadata, as the stores check it (what its fields say is checked by verify, on the chain). */
function metadataOf(m: Record<string, unknown>, bad: (what: string) => Error): RecordedEvent['metadata'] {
  try {
    return storedMetadata(m);
  } catch (err) {
    throw err instanceof ShapeError ? bad(err.at('metadata')) : err;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
