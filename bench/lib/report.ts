/**
 * What a scenario returns and how the run is reported: a table on stdout,
 * bench/results/<date>.json and bench/RESULTS.md.
 *
 * Every comparison is a figure of ours beside a baseline measured in the same run, and their
 * ratio: the machine is shared and noisy, so only ratios carry from one run to the next.
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { round } from './util';

export interface Figure {
  /** JSON key, e.g. "ours_events_per_s". */
  key: string;
  label: string;
  value: number;
  unit: string;
}

export interface Comparison {
  /** JSON key within the scenario, e.g. "distinct_64_vs_raw_single". */
  key: string;
  what: string;
  ours: Figure;
  baseline: Figure;
  /** JSON key of the ratio: always contains "ratio", e.g. "ratio_ours_over_raw_single". */
  ratioKey: string;
  /** ours.value / baseline.value */
  ratio: number;
  target?: { text: string; met: boolean };
}

export interface ScenarioResult {
  id: string;
  title: string;
  comparisons: Comparison[];
  /** Further figures worth keeping (sizes, counts, group sizes), by key. */
  details: Record<string, number | string | boolean>;
  notes: string[];
  seconds: number;
}

export function compare(
  key: string, what: string, ours: Figure, baseline: Figure, ratioName: string,
  target?: (c: { ratio: number; ours: number; baseline: number }) => { text: string; met: boolean },
): Comparison {
  if (!/ratio/.test(ratioName)) throw new Error(`a ratio key names itself a ratio: ${ratioName}`);
  const ratio = ours.value / baseline.value;
  return { key, what, ours, baseline, ratioKey: ratioName, ratio, target: target?.({ ratio, ours: ours.value, baseline: baseline.value }) };
}

export interface Machine {
  /** The commit measured, and whether src/ or projections/ had uncommitted changes then. */
  code: string;
  cpu: string;
  cores: number;
  node: string;
  os: string;
  memoryGb: number;
  loadAverageAtStart: number[];
}

export function machineInfo(): Machine {
  return {
    code: codeVersion(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    memoryGb: round(os.totalmem() / 1024 ** 3),
    loadAverageAtStart: os.loadavg().map((x) => round(x)),
  };
}

function codeVersion(): string {
  const git = (args: string) => execSync(`git ${args}`, { cwd: join(__dirname, '..', '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const dirty = git('status --porcelain -- src projections') !== '';
    return `${git('rev-parse --short HEAD')}${dirty ? ' + uncommitted changes in src/ or projections/' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

export interface RunReport {
  date: string;
  startedAt: string;
  quick: boolean;
  machine: Machine;
  seconds: number;
  scenarios: ScenarioResult[];
}

function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const r = round(value);
  return Math.abs(r) >= 10_000 ? Math.round(r).toLocaleString('en-US') : String(r);
}

function rows(report: RunReport): string[][] {
  const out: string[][] = [];
  for (const s of report.scenarios) {
    for (const c of s.comparisons) {
      out.push([
        s.id, c.what, `${fmt(c.ours.value)} ${c.ours.unit}`, `${fmt(c.baseline.value)} ${c.baseline.unit} (${c.baseline.label})`,
        `${fmt(c.ratio)}`, c.target?.text ?? '', c.target ? (c.target.met ? 'yes' : 'NO') : '',
      ]);
    }
  }
  return out;
}

const HEAD = ['', 'measure', 'ours', 'baseline (same run)', 'ratio', 'target', 'met'];

export function printTable(report: RunReport): void {
  const all = [HEAD, ...rows(report)];
  const widths = HEAD.map((_, i) => Math.max(...all.map((r) => [...r[i]].length)));
  const line = (r: string[]) => r.map((cell, i) => cell + ' '.repeat(widths[i] - [...cell].length)).join(' | ');
  process.stdout.write(`\n${line(HEAD)}\n${widths.map((w) => '-'.repeat(w)).join('-+-')}\n`);
  for (const r of rows(report)) process.stdout.write(`${line(r)}\n`);
  for (const s of report.scenarios) for (const n of s.notes) process.stdout.write(`(${s.id}) ${n}\n`);
}

/** The run as JSON: each ratio under a key containing "ratio", next to the two figures it divides. */
export function toJson(report: RunReport): unknown {
  return {
    date: report.date,
    startedAt: report.startedAt,
    quick: report.quick,
    machine: report.machine,
    seconds: round(report.seconds),
    scenarios: Object.fromEntries(report.scenarios.map((s) => [s.id, {
      title: s.title,
      seconds: round(s.seconds),
      comparisons: Object.fromEntries(s.comparisons.map((c) => [c.key, {
        what: c.what,
        [c.ours.key]: round(c.ours.value),
        [c.baseline.key]: round(c.baseline.value),
        unit: c.ours.unit === c.baseline.unit ? c.ours.unit : `${c.ours.unit} / ${c.baseline.unit}`,
        baseline: c.baseline.label,
        [c.ratioKey]: round(c.ratio),
        ...(c.target ? { target: c.target.text, target_met: c.target.met ? 'yes' : 'no' } : {}),
      }])),
      details: Object.fromEntries(Object.entries(s.details).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v])),
      notes: s.notes,
    }])),
  };
}

const BENCH_DIR = join(__dirname, '..');
const RESULTS_DIR = join(BENCH_DIR, 'results');
const RESULTS_MD = join(BENCH_DIR, 'RESULTS.md');
const QUICK_MARK = '<!-- bench: quick run -->';

/**
 * Writes bench/results/<date>.json. A --quick run never overwrites a full run's file of the same
 * day: it then writes <date>-quick.json beside it.
 */
export function writeJson(report: RunReport): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  let file = join(RESULTS_DIR, `${report.date}.json`);
  if (report.quick && existsSync(file)) {
    let previousWasFull = false;
    try {
      previousWasFull = (JSON.parse(readFileSync(file, 'utf8')) as { quick?: boolean }).quick === false;
    } catch {
      previousWasFull = false;
    }
    if (previousWasFull) file = join(RESULTS_DIR, `${report.date}-quick.json`);
  }
  writeFileSync(file, `${JSON.stringify(toJson(report), null, 2)}\n`);
  return file;
}

/** Rewrites bench/RESULTS.md on a full run; on --quick only while no full run's figures are there. */
export function writeMarkdown(report: RunReport, jsonFile: string): string | null {
  if (report.quick && existsSync(RESULTS_MD) && !readFileSync(RESULTS_MD, 'utf8').includes(QUICK_MARK)) return null;
  const m = report.machine;
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    ...(report.quick ? [QUICK_MARK] : []),
    '# Benchmark results',
    '',
    `Latest ${report.quick ? '**quick** (`npm run bench -- --quick`, smaller sizes: replace with a full run)' : 'full'} run of \`npm run bench\`, ${report.date} (started ${report.startedAt}), ${round(report.seconds)} s.`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, ${m.os}, Node ${m.node}; load average at start ${m.loadAverageAtStart.join(' / ')}.`,
    `Code measured: ${m.code}.`,
    'The machine is shared and noisy: every figure stands beside a baseline measured in the same run, and only the ratios carry between runs.',
    `Every figure, baseline and ratio of this run is in \`bench/${relative(BENCH_DIR, jsonFile)}\`.`,
    '',
    `| ${HEAD.map(esc).join(' | ')} |`,
    `|${HEAD.map(() => '---').join('|')}|`,
    ...rows(report).map((r) => `| ${r.map(esc).join(' | ')} |`),
    '',
  ];
  for (const s of report.scenarios) {
    lines.push(`## ${s.id}. ${s.title}`, '');
    for (const n of s.notes) lines.push(`- ${n}`);
    const details = Object.entries(s.details);
    if (details.length) lines.push(`- details: ${details.map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v) : v}`).join(', ')}`);
    lines.push('');
  }
  writeFileSync(RESULTS_MD, `${lines.join('\n')}`);
  return RESULTS_MD;
}
