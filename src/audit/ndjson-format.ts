/**
 * The export format: NDJSON (one JSON value per line, UTF-8, each line ending in "\n").
 *
 *   line 1      header   {"format":"renovation-ledger-export","version":1,"exportedAt","source","headPosition"}
 *   lines 2..   events   {"streamId","revision","position","eventId","type","data","metadata"}, in global order
 *   last line   trailer  {"format":"renovation-ledger-export-end","eventCount","lastPosition"}
 *
 * Revisions and positions are decimal strings (an EventStoreDB position is 128 bits). `metadata`
 * is the stored metadata, with `prevHash` and `hash`, so anyone can recompute the chain from the
 * file alone (docs/audit.md, "Hash chain"). The trailer makes a file cut short at a line boundary
 * detectable: a hash chain cannot tell a stream's missing tail from a stream that ended there.
 */
import { createReadStream } from 'node:fs';
import { RecordedEvent } from '../event-store/event-store.port';

export const EXPORT_FORMAT = 'renovation-ledger-export';
export const EXPORT_END_FORMAT = 'renovation-ledger-export-end';
export const EXPORT_VERSION = 1;
/** Longest line an import reads (a stored event is a few kilobytes; anything near this is not ours). */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;

export interface ExportHeader {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: string;
  /** The kind of store exported: 'sqlite' or 'eventstoredb'. */
  source: string;
  /** The store's head when the export began: the file holds every event up to it, and none after. */
  headPosition: string;
}

export interface ExportTrailer {
  format: typeof EXPORT_END_FORMAT;
  eventCount: number;
  /** Position of the last event in the file ("0" for an empty log). */
  lastPosition: string;
}

export interface EventLine {
  streamId: string;
  revision: string;
  position: string;
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export function eventLine(e: RecordedEvent): EventLine {
  return {
    streamId: e.streamId,
    revision: e.revision.toString(),
    position: e.position.toString(),
    eventId: e.eventId,
    type: e.type,
    data: e.data,
    metadata: e.metadata,
  };
}

export class LineTooLongError extends Error {
  constructor(readonly line: number) {
    super(`line ${line} is longer than ${MAX_LINE_CHARS} characters`);
    this.name = 'LineTooLongError';
  }
}

/**
 * The lines of a UTF-8 file, numbered from 1, without their "\n" (or "\r\n"), read as a stream:
 * memory holds one chunk and one line, and the file is read only as fast as lines are taken.
 * (Not node:readline: it would hold a line of any length in memory before we could refuse it.)
 */
export async function* linesOf(file: string): AsyncGenerator<{ text: string; line: number }> {
  const input = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let rest = '';
  let line = 0;
  try {
    for await (const chunk of input as AsyncIterable<string>) {
      rest += chunk;
      let start = 0;
      for (let nl = rest.indexOf('\n'); nl >= 0; nl = rest.indexOf('\n', start)) {
        yield { text: stripCr(rest.slice(start, nl), line === 0), line: ++line };
        start = nl + 1;
      }
      rest = rest.slice(start);
      if (rest.length > MAX_LINE_CHARS) throw new LineTooLongError(line + 1);
    }
    if (rest.length > 0) yield { text: stripCr(rest, line === 0), line: ++line };
  } finally {
    input.destroy();
  }
}

/** A line without a trailing "\r" (a file saved on Windows), and the first without a byte-order mark. */
function stripCr(text: string, first: boolean): string {
  const t = text.endsWith('\r') ? text.slice(0, -1) : text;
  return first && t.charCodeAt(0) === 0xfeff ? t.slice(1) : t;
}
