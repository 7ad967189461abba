/**
 * Child-process passes of bench (j), each alone in a fresh process (bench/child.js): a projection
 * rebuilt from zero, the red-flags CLI over an export, and the two ways of only reading that export.
 * Each pass gives its wall time and the CPU time its process spent (user + system), which a shared
 * machine's load disturbs less.
 */
import { PassThrough } from 'node:stream';
import { verifiedExportPages } from '../../src/audit/import-log';
import { linesOf } from '../../src/audit/ndjson-format';
import { parseArgs } from '../../src/cli/args';
import { redFlagsCommand } from '../../src/cli/red-flags.command';
import { loadConfig } from '../../src/config/config';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { ProjectionRunner } from '../../src/projection-runner/projection-runner';
import { PROJECTIONS } from '../../src/projection-runner/read-models';
import { redFlagList } from '../../src/red-flags/red-flag-report';
import { readRedFlagData } from '../../projections/red-flags/red-flags.query';
import { nowMs, procStatusMb } from '../lib/util';

export interface PassTimes {
  ms: number;
  cpuMs: number;
  vmHwmMb: number;
  /** What the pass found, to check the passes against each other: events read, flags listed. */
  count: number;
}

async function timedPass(work: () => Promise<number>): Promise<PassTimes> {
  const cpu0 = process.cpuUsage();
  const t0 = nowMs();
  const count = await work();
  const ms = nowMs() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, vmHwmMb: procStatusMb('VmHWM'), count };
}

/**
 * `projection` (by name, one of the service's read models) rebuilt from zero: a ProjectionRunner
 * with it alone on a fresh read-model file, start(), waitFor(head). The count is the events it
 * read; for the red flags, `flags` is then the list GET /api/red-flags would give as of
 * `referenceDate` (not timed).
 */
export async function rebuildPass(args: {
  eventsFile: string;
  readModelFile: string;
  projection: string;
  referenceDate: string;
}): Promise<PassTimes & { flags?: number }> {
  const projection = PROJECTIONS.find((p) => p.name === args.projection);
  if (projection === undefined) throw new Error(`no read model named ${args.projection}`);
  const store = new SqliteEventStore(args.eventsFile);
  const head = await store.headPosition();
  const runner = new ProjectionRunner(store, [projection], args.readModelFile, (m) => process.stderr.write(`${m}\n`));
  try {
    const times = await timedPass(async () => {
      runner.start();
      if (!(await runner.waitFor(head, 60 * 60_000)))
        throw new Error(`rebuild did not reach ${head} in time (at ${runner.position()})`);
      return Number(head);
    });
    if (args.projection !== 'red-flags') return times;
    const flags = redFlagList(readRedFlagData(runner.db), args.referenceDate, {}, 'shown').flags.length;
    return { ...times, flags };
  } finally {
    await runner.close();
    await store.close();
  }
}

/** `renovation-ledger red-flags --from FILE` run in process (as test/integration/red-flags-cli.int.spec.ts runs it); the count is the flags it listed. */
export async function cliPass(args: { exportFile: string; dataDir: string }): Promise<PassTimes> {
  const chunks: Buffer[] = [];
  const stdout = new PassThrough();
  stdout.on('data', (c: Buffer) => chunks.push(c));
  const said: string[] = [];
  const times = await timedPass(async () => {
    const code = await redFlagsCommand.run(
      parseArgs(['red-flags', '--from', args.exportFile], redFlagsCommand),
      loadConfig({ DATA_DIR: args.dataDir }),
      (line) => said.push(line),
      { stdout, progress: (line) => said.push(line) },
    );
    if (code !== 0) throw new Error(`red-flags exited ${code}: ${said.join('\n')}`);
    return 0;
  });
  const list = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { flags: unknown[] };
  return { ...times, count: list.flags.length };
}

/** The baseline: the export read line by line (the CLI's own line reader) and each line JSON.parse'd. */
export async function readExportPass(args: { exportFile: string }): Promise<PassTimes> {
  return timedPass(async () => {
    let events = -2; // the header and the trailer are lines too
    for await (const { text } of linesOf(args.exportFile)) {
      JSON.parse(text);
      events += 1;
    }
    return events;
  });
}

/** The export read and verified as the CLI reads it (every hash and chain), nothing projected. */
export async function verifyExportPass(args: { exportFile: string }): Promise<PassTimes> {
  return timedPass(async () => {
    let events = 0;
    for await (const page of verifiedExportPages(args.exportFile)) events += page.length;
    return events;
  });
}
