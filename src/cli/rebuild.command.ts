import { mkdirSync } from 'node:fs';
import { LedgerConfig } from '../config/config';
import { driftReport } from '../audit/drift';
import { EventStore } from '../event-store/event-store.port';
import { brokenStreamsOf } from '../event-store/integrity';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import { PROJECTIONS, readModelFile } from '../projection-runner/read-models';
import { ParsedArgs, UsageError } from './args';
import { openStoreSpec } from './store-spec';

export const rebuildHelp = `renovation-ledger rebuild [--projection NAME] [--diff]

Rebuilds read models from position 0 of the event log.

  --diff              do not touch the live read model: replay the log into a shadow copy, up to
                      the position the live one has processed, and compare them row by row.
                      Prints "identical" or every difference; exits 1 when there is any.
                      Rows work still due would change in the live one (the red flags' time
                      flags of scopes not yet settled) are left out on both sides, and counted.
  --projection NAME   one projection (${PROJECTIONS.map((p) => p.name).join(', ')}); default: all

Without --diff the live read model (DATA_DIR/read-model.sqlite) is dropped and replayed, which is
safe while the service runs: both take the same checkpoint rows under SQLite's write lock.

An event damaged in the store (its data or metadata not JSON, or no longer its recorded hash) is
gone past, as the service's projections go past it; its stream is named and the exit code is 1.
`;

export async function rebuildCommand(
  args: ParsedArgs,
  config: LedgerConfig,
  out: (line: string) => void,
): Promise<number> {
  const name = args.flags.get('projection');
  const chosen = typeof name === 'string' ? PROJECTIONS.filter((p) => p.name === name) : PROJECTIONS;
  if (chosen.length === 0)
    throw new UsageError(`no projection named ${String(name)}; there are ${PROJECTIONS.map((p) => p.name).join(', ')}`);
  const { store } = await openStoreSpec(undefined, config);
  // With EventStoreDB the read model is the only thing in DATA_DIR, and may be the first.
  mkdirSync(config.dataDir, { recursive: true });
  const runner = new ProjectionRunner(store, PROJECTIONS, readModelFile(config), (m) => out(m));
  try {
    if (args.flags.get('diff') === true) {
      let drifted = 0;
      for (const p of chosen) {
        const report = await driftReport(store, runner.db, p);
        if (report.identical) {
          const leftOut = report.rowsLeftOut > 0 ? `, ${report.rowsLeftOut} due left out` : '';
          out(
            `${p.name} v${p.version}: identical (${report.rowsCompared} rows${leftOut}, at position ${report.position})`,
          );
        } else {
          drifted += 1;
          out(`${p.name} v${p.version}: ${report.differenceCount} difference(s) at position ${report.position}`);
          for (const d of report.differences) out(`  ${JSON.stringify(d)}`);
        }
      }
      return drifted === 0 && !saidBroken(store, out) ? 0 : 1;
    }
    const head = await store.headPosition();
    for (const p of chosen) await runner.rebuild(p.name);
    runner.start();
    const done = await runner.waitFor(head, 600_000);
    out(
      done
        ? `rebuilt ${chosen.map((p) => p.name).join(', ')} through position ${head}`
        : `rebuild did not reach position ${head} in time`,
    );
    return done && !saidBroken(store, out) ? 0 : 1;
  } finally {
    await runner.close();
    await store.close();
  }
}

/** Names each stream a damaged event was found in (gone past by the replay); whether there was any. */
export function saidBroken(store: EventStore, out: (line: string) => void): boolean {
  const faults = brokenStreamsOf(store).all();
  for (const f of faults)
    out(
      `${f.streamId} does not verify at revision ${f.revision} (event ${f.eventId}, position ${f.position}): ${f.problem}; ` +
        'the read models leave that event out (renovation-ledger verify names every fault)',
    );
  return faults.length > 0;
}
