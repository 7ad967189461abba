import { resolve } from 'node:path';
import { ImportRefusedError, verifiedExportPages } from '../audit/import-log';
import { readAllPages } from '../audit/copy-log';
import { BoundsUsed, CheckedBounds, checkTimeBounds, replayPagesInto } from '../audit/time-bounds';
import { LedgerConfig } from '../config/config';
import { RecordedEvent } from '../event-store/event-store.port';
import { toCsv } from '../reports/export/report-csv';
import { DomainError } from '../shared/domain/domain-error';
import { redFlagsProjection } from '../../projections/red-flags/red-flags.projection';
import { readRedFlagData } from '../../projections/red-flags/red-flags.query';
import { RedFlagFilters, RedFlagList, checkFilters, redFlagList, scopeOf } from '../red-flags/red-flag-report';
import { redFlagTables } from '../red-flags/red-flag-tables';
import { ParsedArgs, UsageError } from './args';
import { CliStreams, processStreams, writeOut } from './export.command';
import { openStoreSpec } from './store-spec';

export const redFlagsHelp = `renovation-ledger red-flags [--as-of DATE] [--known-at TIME] [--format json|csv] [--from FILE]
                           [--project ID] [--code RF-xx] [--severity high|medium|low] [--open true|false]

Lists the red flags (domain.md §6, docs/red-flags.md) computed from the event log alone: the log is
replayed through the red-flag projection in memory, the read models are not used. The same list
as GET /api/red-flags, as JSON (default) or CSV (UTF-8 with BOM, Chinese headers, the evidence as
event ids) on standard output.

  --from FILE       an export (renovation-ledger export --out FILE): every hash and chain is checked
                    as an import checks them, and nothing is listed from a file cut short or changed;
                    default: the configured store (DATA_DIR / EVENT_STORE)
  --as-of DATE      YYYY-MM-DD: the log as it stood at the end of that day (business dates); idle
                    money, matching and shares due are judged as of that day (default: today)
  --known-at TIME   an ISO-8601 time: what the ledger had recorded by then
  --format FORMAT   json (default) or csv
  --project ID      one project's flags
  --code RF-xx      one rule's
  --severity LEVEL  high, medium or low
  --open BOOL       true: only flags still holding; false: only cleared ones
`;

/** The flags of a log, read page by page in global order, as of the bounds (the API's list, whole). */
export async function redFlagsOfLog(
  pages: AsyncIterable<readonly RecordedEvent[]>,
  bounds: CheckedBounds,
  filters: RedFlagFilters,
  referenceDate: string,
): Promise<RedFlagList & { bounds: BoundsUsed }> {
  const replayed = await replayPagesInto(pages, bounds, [redFlagsProjection]);
  try {
    return {
      bounds: replayed.bounds,
      ...redFlagList(readRedFlagData(replayed.db, scopeOf(filters)), referenceDate, filters, 'shown'),
    };
  } finally {
    replayed.db.close();
  }
}

export async function runRedFlags(
  args: ParsedArgs,
  config: LedgerConfig,
  out: (line: string) => void,
  streams: CliStreams = processStreams,
): Promise<number> {
  if (args.positionals.length > 0)
    throw new UsageError(`red-flags takes no positional arguments (got ${args.positionals[0]})`);
  const value = (name: string) => {
    const v = args.flags.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  const format = value('format') ?? 'json';
  if (format !== 'json' && format !== 'csv') throw new UsageError(`--format is json or csv (got ${format})`);
  let bounds: CheckedBounds;
  let filters: RedFlagFilters;
  try {
    bounds = checkTimeBounds({ asOf: value('as-of'), knownAt: value('known-at') });
    filters = checkFilters({
      projectId: value('project'),
      code: value('code'),
      severity: value('severity'),
      open: value('open'),
    });
  } catch (err) {
    if (err instanceof DomainError) throw new UsageError(`--${optionOf(err.field)}: ${err.message}`);
    throw err;
  }
  const referenceDate = bounds.asOf ?? new Date().toISOString().slice(0, 10);
  const from = value('from');
  let list: RedFlagList & { bounds: BoundsUsed };
  try {
    if (from !== undefined) {
      list = await redFlagsOfLog(verifiedExportPages(resolve(from)), bounds, filters, referenceDate);
    } else {
      const { store } = await openStoreSpec(undefined, config);
      try {
        list = await redFlagsOfLog(readAllPages(store), bounds, filters, referenceDate);
      } finally {
        await store.close();
      }
    }
  } catch (err) {
    if (err instanceof ImportRefusedError) {
      out(`red-flags: ${from} is not an export this ledger can read (${err.code}): ${err.message}`);
      return 1;
    }
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      out(`red-flags: ${from} cannot be read: ${(err as Error).message}`);
      return 1;
    }
    throw err;
  }
  if (format === 'csv') await writeOut(streams.stdout, toCsv(redFlagTables(list)[0]).toString('utf8'));
  else await writeOut(streams.stdout, `${JSON.stringify(list, null, 2)}\n`);
  streams.progress(
    `${list.flags.length} red flags (${list.totals.open} open, ${list.totals.cleared} cleared) as of ${referenceDate}, log up to position ${list.bounds.position}`,
  );
  return 0;
}

/** The command-line option a checked field came from. */
function optionOf(field: string | undefined): string {
  const options: Record<string, string> = { asOf: 'as-of', knownAt: 'known-at', projectId: 'project' };
  return field === undefined ? 'options' : (options[field] ?? field);
}

/** The `red-flags` entry of the CLI's command table (src/cli/main.ts). */
export const redFlagsCommand = {
  help: redFlagsHelp,
  values: ['as-of', 'known-at', 'format', 'from', 'project', 'code', 'severity', 'open'],
  switches: ['help'],
  run: runRedFlags,
};
