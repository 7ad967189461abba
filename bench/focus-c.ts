/** Focused (c): interleaved raw scan / rebuild on one store file kept in /tmp between runs. Not part of `npm run bench`. */
import { existsSync, rmSync } from 'node:fs';
import { buildEventStore } from './scenarios/rebuild';
import { runInChild } from './lib/util';
import type { PassResult } from './scenarios/rebuild-child';

export async function main(argv: string[]): Promise<number> {
  const total = Number(argv[0] ?? 300_000);
  const rounds = Number(argv[1] ?? 3);
  const execArgv = argv[2] ? [argv[2], '--cpu-prof-dir=/tmp/prof-c'] : [];
  const eventsFile = `/tmp/focus-c-${total}.sqlite`;
  if (!existsSync(eventsFile)) await buildEventStore(eventsFile, total);
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const rm = `/tmp/focus-c-rm-${process.pid}.sqlite`;
    for (const f of [rm, rm + '-wal', rm + '-shm']) rmSync(f, { force: true });
    const s1 = (await runInChild<PassResult>('scenarios/rebuild-child.ts', 'rawScan', { eventsFile })).result;
    const rb = (
      await runInChild<PassResult>(
        'scenarios/rebuild-child.ts',
        'rebuild',
        { eventsFile, readModelFile: rm },
        50,
        execArgv,
      )
    ).result;
    const s2 = (await runInChild<PassResult>('scenarios/rebuild-child.ts', 'rawScan', { eventsFile })).result;
    const ratio = 2 / (s1.ms + s2.ms) / (1 / rb.ms);
    ratios.push(1 / ((rb.ms * 2) / (s1.ms + s2.ms)));
    console.log(
      `round ${r}: rebuild ${rb.ms.toFixed(0)} ms scans ${s1.ms.toFixed(0)}/${s2.ms.toFixed(0)} ratio ${(1 / ratio).toFixed(3)} hwm ${rb.vmHwmMb.toFixed(0)} ${rb.check}`,
    );
  }
  ratios.sort();
  console.log(`median ratio ${ratios[Math.floor(ratios.length / 2)].toFixed(3)}`);
  return 0;
}
