import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { readAllPages } from './copy-log';
import { EventStore } from '../event-store/event-store.port';
import {
  EXPORT_END_FORMAT,
  EXPORT_FORMAT,
  EXPORT_VERSION,
  ExportHeader,
  ExportTrailer,
  eventLine,
} from './ndjson-format';

export interface ExportProgress {
  eventCount: number;
  /** Position of the last event written. */
  position: bigint;
  /** The head the export stops at. */
  headPosition: bigint;
  bytes: number;
}

export interface ExportOptions {
  /** End `sink` when done (default true); false for process.stdout, which must stay open. Either way all was flushed when the promise resolves. */
  end?: boolean;
  /** Events per read from the store (and per write to the sink). */
  pageSize?: number;
  onProgress?: (progress: ExportProgress) => void;
  now?: () => Date;
}

/**
 * Writes the whole log to `sink` as NDJSON (see ndjson-format.ts): a header, every event up to the
 * head as it stood when the export began, in global order, and a trailer. Events appended while it
 * runs are left out, so the file is one consistent cut of the log. Streamed: a page of events is
 * read only once the sink has written the previous one, so memory holds about one page whatever
 * the size of the log, and all of it has reached the OS when the promise resolves.
 */
export async function exportLog(
  store: EventStore,
  sink: Writable,
  options: ExportOptions = {},
): Promise<ExportProgress> {
  const headPosition = await store.headPosition();
  const progress: ExportProgress = { eventCount: 0, position: 0n, headPosition, bytes: 0 };
  const header: ExportHeader = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: (options.now?.() ?? new Date()).toISOString(),
    source: store.kind,
    headPosition: headPosition.toString(),
  };
  async function* chunks(): AsyncGenerator<string> {
    yield counted(`${JSON.stringify(header)}\n`);
    for await (const page of readAllPages(store, { until: headPosition, pageSize: options.pageSize })) {
      let text = '';
      for (const e of page) text += `${JSON.stringify(eventLine(e))}\n`;
      progress.eventCount += page.length;
      progress.position = page[page.length - 1].position;
      yield counted(text);
      options.onProgress?.({ ...progress });
    }
    const trailer: ExportTrailer = {
      format: EXPORT_END_FORMAT,
      eventCount: progress.eventCount,
      lastPosition: progress.position.toString(),
    };
    yield counted(`${JSON.stringify(trailer)}\n`);
  }
  function counted(text: string): string {
    progress.bytes += Buffer.byteLength(text, 'utf8');
    return text;
  }
  await writeAll(sink, chunks(), options.end ?? true);
  return progress;
}

/**
 * Writes each chunk and waits for its callback before taking the next: backpressure, and a sink
 * (a pipe on standard output) that has taken everything before the caller exits the process.
 */
async function writeAll(sink: Writable, chunks: AsyncIterable<string>, end: boolean): Promise<void> {
  const reported = () => undefined; // errors reach the write callbacks; an unheard 'error' event would crash the process
  sink.on('error', reported);
  try {
    for await (const chunk of chunks)
      await new Promise<void>((resolve, reject) => sink.write(chunk, (err) => (err ? reject(err) : resolve())));
    if (end) {
      sink.end();
      await finished(sink);
    }
  } finally {
    sink.off('error', reported);
  }
}
