/** Focused (a): ours at 64 distinct writers vs raw batched, interleaved, N rounds. Not part of `npm run bench`. */
import 'reflect-metadata';
import { runOurs, runRaw } from './scenarios/writes';

export async function main(argv: string[]): Promise<number> {
  const rounds = Number(argv[0] ?? 3);
  const total = Number(argv[1] ?? 12800);
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const raw1 = runRaw(total, 100);
    const ours = await runOurs('distinct', 64, total / 64, 4);
    const first = ours.eventsPerS;
    const runs = [`ours ${ours.eventsPerS.toFixed(0)} (group ${ours.meanGroup.toFixed(1)})`];
    const raw2 = runRaw(total, 100);
    const raw = (raw1 + raw2) / 2;
    ratios.push(first / raw);
    console.log(
      `round ${r}: ${runs.join(' ')} raw ${raw1.toFixed(0)}/${raw2.toFixed(0)} ratio(first) ${(first / raw).toFixed(3)}`,
    );
  }
  ratios.sort();
  console.log(`median ratio ${ratios[Math.floor(ratios.length / 2)].toFixed(3)}`);
  return 0;
}
