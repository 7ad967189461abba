/**
 * Focused: the cost of `ledgerEvents.parse` per stored event, on funds-received.v1 rows shaped like
 * the demo's. `node bench/focus.js parse [events] [rounds] [beforeSrc]` runs A B B A rounds, each in
 * its own process: A reads the registry from `beforeSrc` (a copy of another checkout's src/), B from
 * this one. Not part of `npm run bench`.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { receivedRow } from './lib/fixtures';

/** Events per store page (the SQLite store's subscription page size is of this order). */
const PAGE = 256;

interface Parser {
  parse(stored: { type: string; data: unknown; streamId: string; revision: bigint }): { data: unknown };
}

/** One variant in this process: the median of 4 timed passes over `total` events, in ns per event. */
function measure(srcRoot: string, total: number): number {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ledgerEvents } = require(path.join(srcRoot, 'events/ledger-events')) as { ledgerEvents: Parser };
  const rows = Array.from({ length: total }, (_, i) => receivedRow(i, `TN2021-${String(i % 50).padStart(3, '0')}`));
  const passes: number[] = [];
  let sink = 0;
  for (let pass = 0; pass < 6; pass++) {
    // As the store hands them over: a page of rows read, their data just parsed (so in cache), then
    // each parsed by the registry. Only the registry's parse is timed.
    let ms = 0;
    for (let first = 0; first < total; first += PAGE) {
      const page = rows.slice(first, first + PAGE).map((row, i) => ({
        type: JSON.parse(`"${row.type}"`) as string, // a string of its own per row, as a store read gives
        data: JSON.parse(row.data) as unknown,
        streamId: `project-${row.eventId.slice(0, 8)}`,
        revision: BigInt(first + i),
      }));
      const start = performance.now();
      for (let i = 0; i < page.length; i++) if (ledgerEvents.parse(page[i]).data) sink++;
      ms += performance.now() - start;
    }
    if (pass >= 2) passes.push((ms * 1e6) / total); // two warm-up passes
  }
  if (sink !== 6 * total) throw new Error('a parse returned no data');
  passes.sort((a, b) => a - b);
  return passes[passes.length >> 1];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

export async function main(argv: string[]): Promise<number> {
  const total = Number(argv[0] ?? 300_000);
  if (argv[3]) {
    console.log(measure(path.resolve(argv[3]), total).toFixed(1));
    return 0;
  }
  const rounds = Number(argv[1] ?? 5);
  const before = argv[2] ?? '/tmp/perfparse-before/src';
  const after = path.join(__dirname, '../src');

  const run = (src: string) =>
    Number(
      execFileSync(process.execPath, [
        path.join(__dirname, 'focus.js'),
        'parse',
        String(total),
        '0',
        '',
        src,
      ]).toString(),
    );
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rounds; r++) {
    a.push(run(before));
    b.push(run(after));
    b.push(run(after));
    a.push(run(before));
    console.log(`round ${r}: before ${a.slice(-2).join(' / ')} ns, after ${b.slice(-2).join(' / ')} ns`);
  }
  console.log(
    `median per event: before ${median(a).toFixed(1)} ns, after ${median(b).toFixed(1)} ns (${(median(a) / median(b)).toFixed(2)}x)`,
  );
  return 0;
}
