import { LedgerConfig } from '../config/config';
import {
  CheckedBounds,
  checkTimeBounds,
  districtMixesAtBounds,
  isBounded,
  projectMixAtBounds,
} from '../audit/time-bounds';
import { DomainError } from '../shared/domain/domain-error';
import { ParsedArgs, UsageError } from './args';
import { CliStreams, processStreams, writeOut } from './export.command';
import { openStoreSpec } from './store-spec';
import { saidBroken } from './rebuild.command';

export const replayHelp = `renovation-ledger replay --as-of DATE [--known-at TIME] [--project ID]

Prints the funding mix as it stood, as JSON on standard output, computed from the event log (the read models are not
used): --as-of keeps what had happened by the end of that day (by each event's business date),
--known-at keeps what the ledger had recorded by that time; either may be given alone, or both.
Registration and budget lines have no business date: they count from the day they were recorded,
or from the date of any later event of their project that counts, whichever is earlier.

  --as-of DATE      YYYY-MM-DD, the effective date
  --known-at TIME   an ISO-8601 time, e.g. 2022-03-01T12:00:00Z (a bare date is its midnight UTC)
  --project ID      one project: its own stream, cut at the bounds, prints its mix with "bounds";
                    without it, the whole log is replayed through the funding-mix projection in
                    memory and {bounds, projects: [mix, ...]} is printed

"bounds" says which bounds were used and the position of the last event kept.
`;

export async function runReplay(
  args: ParsedArgs,
  config: LedgerConfig,
  out: (line: string) => void,
  streams: CliStreams = processStreams,
): Promise<number> {
  if (args.positionals.length > 0)
    throw new UsageError(`replay takes no positional arguments (got ${args.positionals[0]})`);
  const asOf = args.flags.get('as-of');
  const knownAt = args.flags.get('known-at');
  const project = args.flags.get('project');
  let bounds: CheckedBounds;
  try {
    bounds = checkTimeBounds({ asOf: asOf as string | undefined, knownAt: knownAt as string | undefined });
  } catch (err) {
    if (err instanceof DomainError)
      throw new UsageError(`--${err.field === 'asOf' ? 'as-of' : 'known-at'}: ${err.message}`);
    throw err;
  }
  if (!isBounded(bounds)) throw new UsageError('replay needs --as-of DATE, --known-at TIME, or both');
  const { store } = await openStoreSpec(undefined, config, { readOnly: true });
  try {
    const result =
      typeof project === 'string'
        ? await projectMixAtBounds(store, project, bounds)
        : await districtMixesAtBounds(store, bounds);
    await writeOut(streams.stdout, `${JSON.stringify(result, null, 2)}\n`); // megabytes for a district
    // A damaged event the replay went past, as the service's projections do: named, and exit 1.
    return saidBroken(store, out) ? 1 : 0;
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    out(`${err.code}: ${err.message}`);
    return 1;
  } finally {
    await store.close();
  }
}

export const replayCommand = {
  help: replayHelp,
  values: ['as-of', 'known-at', 'project'],
  switches: ['help'],
  run: runReplay,
};
