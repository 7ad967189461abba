import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { LedgerConfig } from '../config/config';
import { ImportProgress, ImportRefusedError, importLog } from '../audit/import-log';
import { CopyMismatchError } from '../audit/copy-log';
import { redactUrl } from '../event-store/event-store.module';
import { ParsedArgs, UsageError } from './args';
import { CliStreams, everySecond, processStreams } from './export.command';
import { openStoreSpec } from './store-spec';

export const importHelp = `renovation-ledger import FILE [--to STORE]

Loads an export (see export) into an EMPTY store. The whole file is verified before anything is
written: its header and trailer, global order, and every event's hash recomputed and chained to the
previous event of its stream (from 64 zeros at revision 0, revisions without gaps). A broken file is
refused, naming the line, stream, revision and event, and nothing at all is written. The events
then keep their stream ids, revisions, event ids, types, data and metadata, and must hash in the
target exactly as in the file. Progress goes to standard error every second.

  FILE          the NDJSON export file
  --to STORE    the target (default: the configured store, DATA_DIR / EVENT_STORE):
                sqlite:<data dir>, eventstoredb:<url> or esdb://host:2113?tls=false
`;

export async function runImport(
  args: ParsedArgs,
  config: LedgerConfig,
  out: (line: string) => void,
  streams: CliStreams = processStreams,
): Promise<number> {
  if (args.positionals.length !== 1) throw new UsageError('import needs exactly one FILE');
  const file = resolve(args.positionals[0]);
  if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`${file} is not a file`);
  const toFlag = args.flags.get('to');
  const target = await openStoreSpec(typeof toFlag === 'string' ? toFlag : undefined, config, { create: true });
  try {
    const progress = everySecond((p: ImportProgress) =>
      streams.progress(`  ${p.phase}: ${p.eventCount} events, source position ${p.position} of ${p.headPosition}`),
    );
    const result = await importLog(file, target.store, progress);
    out(
      `verified ${result.eventCount} events in ${result.streamCount} streams (exported from ${result.source || 'a store'} at ${result.exportedAt}): every hash and chain holds`,
    );
    out(`imported ${result.written} events into ${redactUrl(target.label)}`);
    return 0;
  } catch (err) {
    if (err instanceof CopyMismatchError) {
      out(`import failed: ${err.message}`);
      out(`the events before it stay in ${redactUrl(target.label)}: empty it before importing again`);
      return 1;
    }
    if (!(err instanceof ImportRefusedError)) throw err;
    out(`import refused (${err.code}): ${err.message}`);
    out(
      err.written === 0
        ? `nothing was written to ${redactUrl(target.label)}`
        : `${err.written} events had been written to ${redactUrl(target.label)} before the fault (the file changed after it was verified)`,
    );
    return 1;
  } finally {
    await target.store.close();
    target.release();
  }
}

export const importCommand = { help: importHelp, values: ['to'], switches: ['help'], run: runImport };
