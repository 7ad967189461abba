/**
 * Focused A/B (not part of `npm run bench`): what skipping the stream read before a decision buys
 * when the writer's cache is known current (write-path.ts, GroupCommitWriter). "off" is a store
 * that always reports another process's write, so every decision reads its stream first.
 * Interleaved rounds (on, off, off, on), 64 writers on distinct projects; prints each round's
 * on/off ratio and their median.
 */
import { SqliteEventStore, SqliteWriteTx } from '../src/event-store/sqlite/sqlite-event-store';
import { runOurs } from './scenarios/writes';
import { median } from './lib/util';

class OthersAlwaysWrote extends SqliteEventStore {
  override writeBatch<T>(work: (tx: SqliteWriteTx) => T): T {
    return super.writeBatch((tx) => work({ ...tx, othersWrote: true }));
  }
}

export async function main(argv: string[]): Promise<number> {
  const rounds = Number(argv[0] ?? 5);
  const total = Number(argv[1] ?? 12800);
  const run = async (off: boolean) =>
    (await runOurs('distinct', 64, total / 64, 4, off ? (f) => new OthersAlwaysWrote(f) : undefined)).eventsPerS;
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const on1 = await run(false);
    const off1 = await run(true);
    const off2 = await run(true);
    const on2 = await run(false);
    const ratio = (on1 + on2) / (off1 + off2);
    ratios.push(ratio);
    console.log(
      `round ${r}: on ${on1.toFixed(0)}/${on2.toFixed(0)} off ${off1.toFixed(0)}/${off2.toFixed(0)} ratio ${ratio.toFixed(3)}`,
    );
  }
  console.log(`median on/off ${median(ratios).toFixed(3)}`);
  return 0;
}
