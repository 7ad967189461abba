/**
 * Child-process halves of bench (c)/(e): each runs alone in a fresh process (bench/child.js), so
 * its peak resident memory (VmHWM) is its own.
 */
import Database from 'better-sqlite3';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { ProjectionRunner } from '../../src/projection-runner/projection-runner';
import { fundingMixProjection } from '../../projections/funding-mix/funding-mix.projection';
import { MB, nowMs, procStatusMb } from '../lib/util';

export interface PassResult {
  events: number;
  ms: number;
  vmHwmMb: number;
  rssBeforeMb: number;
  selfSampledPeakRssMb: number;
  selfSamples: number;
  check: string;
}

/** Samples process.memoryUsage().rss every 50 ms (whenever the event loop lets the timer run). */
function rssSampler(): { stop: () => { peak: number; samples: number } } {
  let peak = process.memoryUsage().rss;
  let samples = 1;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
    samples += 1;
  }, 50);
  return {
    stop: () => {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return { peak: peak / MB, samples };
    },
  };
}

/** The funding mix rebuilt from zero: a new ProjectionRunner on a fresh read-model file, start(), waitFor(head). */
export async function rebuild(args: { eventsFile: string; readModelFile: string }): Promise<PassResult> {
  const store = new SqliteEventStore(args.eventsFile);
  const head = await store.headPosition();
  const runner = new ProjectionRunner(store, [fundingMixProjection], args.readModelFile, (m) =>
    process.stderr.write(`${m}\n`),
  );
  const rssBeforeMb = process.memoryUsage().rss / MB;
  const sampler = rssSampler();
  const t0 = nowMs();
  runner.start();
  const done = await runner.waitFor(head, 30 * 60_000);
  const ms = nowMs() - t0;
  const sampled = sampler.stop();
  if (!done) throw new Error(`rebuild did not reach ${head} in time (at ${runner.position()})`);
  const check = runner.db.prepare('SELECT count(*) AS rows, sum(received_fen) AS received FROM funding_mix').get() as {
    rows: bigint;
    received: bigint;
  };
  await runner.close();
  await store.close();
  return {
    events: Number(head),
    ms,
    vmHwmMb: procStatusMb('VmHWM'),
    rssBeforeMb,
    selfSampledPeakRssMb: sampled.peak,
    selfSamples: sampled.samples,
    check: `${check.rows} rows, ${check.received} fen received`,
  };
}

/** The baseline: SELECT data FROM events ORDER BY position, JSON.parse of each row. */
export async function rawScan(args: { eventsFile: string }): Promise<PassResult> {
  const db = new Database(args.eventsFile, { readonly: true });
  const rssBeforeMb = process.memoryUsage().rss / MB;
  const sampler = rssSampler();
  const t0 = nowMs();
  let events = 0;
  let chars = 0;
  for (const data of db
    .prepare('SELECT data FROM events ORDER BY position')
    .pluck()
    .iterate() as IterableIterator<string>) {
    const d = JSON.parse(data) as { amount: string };
    chars += d.amount.length;
    events += 1;
  }
  const ms = nowMs() - t0;
  const sampled = sampler.stop();
  db.close();
  return {
    events,
    ms,
    vmHwmMb: procStatusMb('VmHWM'),
    rssBeforeMb,
    selfSampledPeakRssMb: sampled.peak,
    selfSamples: sampled.samples,
    check: `${chars} amount chars`,
  };
}
