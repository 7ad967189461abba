/**
 * `npm run bench` (bench/run.js): every scenario, each figure beside a baseline measured in the
 * same run, then a table on stdout, bench/results/<date>.json and (full runs) bench/RESULTS.md.
 *
 *   npm run bench                 full sizes (several minutes)
 *   npm run bench -- --quick      smaller sizes, under a minute on the reference machine
 *   npm run bench -- --only a,d   some scenarios only: prints the table, writes no file
 */
import 'reflect-metadata';
import {
  RunReport,
  ScenarioResult,
  appendHistory,
  machineInfo,
  printTable,
  writeJson,
  writeMarkdown,
} from './lib/report';
import { nowMs } from './lib/util';
import { costSharesScenario } from './scenarios/cost-shares';
import { growthScenario } from './scenarios/growth';
import { httpScenario } from './scenarios/http';
import { overviewScenario } from './scenarios/overview';
import { queryScenario } from './scenarios/query';
import { rebuildScenario } from './scenarios/rebuild';
import { redFlagsScenario } from './scenarios/red-flags';
import { residentsScenario } from './scenarios/residents';
import { statementImportScenario } from './scenarios/statement-import';
import { timeTravelScenario } from './scenarios/time-travel';
import { writesScenario } from './scenarios/writes';

type Scenario = (quick: boolean) => Promise<Omit<ScenarioResult, 'seconds'> | Omit<ScenarioResult, 'seconds'>[]>;

/** In run order; `rebuild` yields (c) and (e). */
const SCENARIOS: { ids: string[]; name: string; run: Scenario }[] = [
  { ids: ['a'], name: 'durable writes', run: writesScenario },
  { ids: ['b'], name: 'HTTP receipts', run: httpScenario },
  { ids: ['c', 'e'], name: 'funding-mix rebuild and its memory', run: rebuildScenario },
  { ids: ['d'], name: 'funding-mix query latency', run: queryScenario },
  { ids: ['f'], name: 'growth of one stream', run: growthScenario },
  { ids: ['g'], name: 'time travel beside health and writes', run: timeTravelScenario },
  { ids: ['h'], name: 'shares of a 5,000-household plan', run: costSharesScenario },
  { ids: ['i'], name: 'a 5,000-household register written and plan list served', run: residentsScenario },
  { ids: ['j'], name: 'red-flag rebuild and the red-flags CLI over an export', run: redFlagsScenario },
  { ids: ['k'], name: 'a GBK statement imported and matched', run: statementImportScenario },
  { ids: ['l'], name: "the overview's data with 10,000 projects", run: overviewScenario },
];

export async function main(argv: string[]): Promise<number> {
  const quick = argv.includes('--quick');
  const onlyArg = argv.find((a, i) => a.startsWith('--only=') || argv[i - 1] === '--only');
  const only = onlyArg
    ? (onlyArg.startsWith('--only=') ? onlyArg.slice('--only='.length) : onlyArg).split(',').map((s) => s.trim())
    : null;
  const unknown = argv.filter(
    (a, i) => a !== '--quick' && a !== '--only' && !a.startsWith('--only=') && argv[i - 1] !== '--only',
  );
  if (unknown.length) {
    process.stderr.write(
      `unknown argument(s): ${unknown.join(' ')}\nusage: npm run bench [-- --quick] [-- --only a,b,...]\n`,
    );
    return 2;
  }
  const started = new Date();
  const t0 = nowMs();
  const report: RunReport = {
    date: started.toISOString().slice(0, 10),
    startedAt: started.toISOString(),
    quick,
    machine: machineInfo(),
    seconds: 0,
    scenarios: [],
  };
  process.stdout.write(
    `renovation-ledger bench${quick ? ' --quick' : ''}: ${report.machine.cpu}, ${report.machine.cores} cores, Node ${report.machine.node}; code ${report.machine.code}\n`,
  );
  for (const s of SCENARIOS) {
    if (only && !s.ids.some((id) => only.includes(id))) continue;
    const s0 = nowMs();
    process.stdout.write(`(${s.ids.join(', ')}) ${s.name} ...`);
    const out = await s.run(quick);
    const seconds = (nowMs() - s0) / 1000;
    process.stdout.write(` ${seconds.toFixed(1)} s\n`);
    for (const r of Array.isArray(out) ? out : [out])
      report.scenarios.push({ ...r, seconds: seconds / (Array.isArray(out) ? out.length : 1) });
  }
  report.scenarios.sort((a, b) => a.id.localeCompare(b.id));
  report.seconds = (nowMs() - t0) / 1000;
  printTable(report);
  process.stdout.write(`\ntotal ${report.seconds.toFixed(1)} s${quick ? ' (--quick)' : ''}\n`);
  if (only) {
    process.stdout.write('--only: no file written\n');
    return 0;
  }
  const jsonFile = writeJson(report);
  process.stdout.write(`wrote ${jsonFile}\n`);
  appendHistory(report, jsonFile);
  const md = writeMarkdown(report, jsonFile);
  process.stdout.write(
    `wrote ${md.file}${md.historyOnly ? ' (its run history only: the figures above it stay those of the latest full run)' : ''}\n`,
  );
  return 0;
}
