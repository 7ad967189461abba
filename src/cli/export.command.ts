import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import { LedgerConfig } from '../config/config';
import { exportLog } from '../audit/export-log';
import { redactUrl } from '../event-store/event-store.module';
import { ParsedArgs, UsageError } from './args';
import { openStoreSpec } from './store-spec';

export const exportHelp = `renovation-ledger export [--out FILE] [--from STORE]

Writes the whole event log as NDJSON: a header line, then one line per event in global order
({streamId, revision, position, eventId, type, data, metadata}, with each event's prevHash and hash),
then a trailer line with the event count. Events appended while it runs are left out: the file is
the log up to the head it found when it began. Progress goes to standard error every second.

  --out FILE     write the file here (written as FILE.partial, renamed when complete);
                 default: standard output
  --from STORE   the store to export (default: the configured store, DATA_DIR / EVENT_STORE):
                 sqlite:<data dir>, eventstoredb:<url> or esdb://host:2113?tls=false
`;

/** Where a command's data and its progress go; tests pass their own. */
export interface CliStreams {
  stdout: Writable;
  /** One line of progress or of a note that must stay out of the data (standard error). */
  progress: (line: string) => void;
}

export const processStreams: CliStreams = {
  stdout: process.stdout,
  progress: (line) => process.stderr.write(`${line}\n`),
};

/** Writes `text` and resolves once it has reached the OS: the CLI ends with process.exit, which drops what a pipe has not yet taken. */
export function writeOut(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(text, (err) => (err ? reject(err) : resolve())));
}

/** Calls `print` at most once a second: progress for a human, not a log. */
export function everySecond<T>(print: (value: T) => void): (value: T) => void {
  let last = 0;
  return (value) => {
    const now = Date.now();
    if (now - last < 1000) return;
    last = now;
    print(value);
  };
}

export async function runExport(
  args: ParsedArgs,
  config: LedgerConfig,
  out: (line: string) => void,
  streams: CliStreams = processStreams,
): Promise<number> {
  if (args.positionals.length > 0)
    throw new UsageError(`export takes no file name (got ${args.positionals[0]}); use --out FILE`);
  const outFlag = args.flags.get('out');
  const fromFlag = args.flags.get('from');
  const file = typeof outFlag === 'string' ? resolve(outFlag) : undefined;
  // With the data on standard output, every note goes to standard error.
  const say = file ? out : streams.progress;
  const source = await openStoreSpec(typeof fromFlag === 'string' ? fromFlag : undefined, config, { readOnly: true });
  const partial = file && `${file}.partial`;
  try {
    const sink = partial ? createWriteStream(partial) : streams.stdout;
    const progress = everySecond((p: { eventCount: number; position: bigint; headPosition: bigint }) =>
      streams.progress(`  ${p.eventCount} events, position ${p.position} of ${p.headPosition}`),
    );
    const result = await exportLog(source.store, sink, { end: partial !== undefined, onProgress: progress });
    if (partial && file) renameSync(partial, file);
    say(
      `exported ${result.eventCount} events (${result.bytes} bytes) from ${redactUrl(source.label)} up to position ${result.headPosition}${file ? ` to ${file}` : ''}`,
    );
    return 0;
  } catch (err) {
    if (partial) rmSync(partial, { force: true });
    throw err;
  } finally {
    await source.store.close();
  }
}

export const exportCommand = { help: exportHelp, values: ['out', 'from'], switches: ['help'], run: runExport };
