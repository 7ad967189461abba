/**
 * What a scenario returns and how the run is reported: a table on stdout,
 * bench/results/<date>.json and bench/RESULTS.md.
 *
 * Every comparison is a figure of ours beside a baseline measured in the same run, and their
 * ratio: the machine is shared and noisy, so only ratios carry from one run to the next.
 */
import { execSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  key: string,
  what: string,
  ours: Figure,
  baseline: Figure,
  ratioName: string,
  target?: (c: { ratio: number; ours: number; baseline: number }) => { text: string; met: boolean },
): Comparison {
  if (!/ratio/.test(ratioName)) throw new Error(`a ratio key names itself a ratio: ${ratioName}`);
  const ratio = ours.value / baseline.value;
  return {
    key,
    what,
    ours,
    baseline,
    ratioKey: ratioName,
    ratio,
    target: target?.({ ratio, ours: ours.value, baseline: baseline.value }),
  };
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
  const git = (args: string) =>
    execSync(`git ${args}`, {
      cwd: join(__dirname, '..', '..'),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
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
        s.id,
        c.what,
        `${fmt(c.ours.value)} ${c.ours.unit}`,
        `${fmt(c.baseline.value)} ${c.baseline.unit} (${c.baseline.label})`,
        `${fmt(c.ratio)}`,
        c.target?.text ?? '',
        c.target ? (c.target.met ? 'yes' : 'NO') : '',
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
    scenarios: Object.fromEntries(
      report.scenarios.map((s) => [
        s.id,
        {
          title: s.title,
          seconds: round(s.seconds),
          comparisons: Object.fromEntries(
            s.comparisons.map((c) => [
              c.key,
              {
                what: c.what,
                [c.ours.key]: round(c.ours.value),
                [c.baseline.key]: round(c.baseline.value),
                unit: c.ours.unit === c.baseline.unit ? c.ours.unit : `${c.ours.unit} / ${c.baseline.unit}`,
                baseline: c.baseline.label,
                [c.ratioKey]: round(c.ratio),
                ...(c.target ? { target: c.target.text, target_met: c.target.met ? 'yes' : 'no' } : {}),
              },
            ]),
          ),
          details: Object.fromEntries(
            Object.entries(s.details).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v]),
          ),
          notes: s.notes,
        },
      ]),
    ),
  };
}

const BENCH_DIR = join(__dirname, '..');
const RESULTS_DIR = join(BENCH_DIR, 'results');
const RESULTS_MD = join(BENCH_DIR, 'RESULTS.md');
const MECHANISMS_MD = join(BENCH_DIR, 'mechanisms.md');
const QUICK_MARK = '<!-- bench: quick run -->';
const HISTORY = join(RESULTS_DIR, 'history.jsonl');
const HISTORY_HEADING = '## Every run with a target, newest first';

/** One line of bench/results/history.jsonl: a run that wrote its files, with every targeted ratio. */
interface HistoryEntry {
  startedAt: string;
  quick: boolean;
  code: string;
  machine: string;
  seconds: number;
  file: string;
  /** BENCH_NOTE of the run, e.g. "clean clone". */
  note?: string;
  targets: {
    id: string;
    key: string;
    what: string;
    ratio: number;
    ours: number;
    unit: string;
    target: string;
    met: boolean;
  }[];
}

/**
 * Appends this run to bench/results/history.jsonl (full and --quick runs alike; --only runs write
 * nothing), so RESULTS.md can show every run, not only the latest.
 */
export function appendHistory(report: RunReport, jsonFile: string): void {
  const entry: HistoryEntry = {
    startedAt: report.startedAt,
    quick: report.quick,
    code: report.machine.code,
    machine: `${report.machine.cpu}, ${report.machine.cores} cores, Node ${report.machine.node}, load ${report.machine.loadAverageAtStart.join('/')}`,
    seconds: round(report.seconds),
    file: relative(BENCH_DIR, jsonFile),
    ...(process.env.BENCH_NOTE ? { note: process.env.BENCH_NOTE } : {}),
    targets: report.scenarios.flatMap((s) =>
      s.comparisons
        .filter((c) => c.target)
        .map((c) => ({
          id: s.id,
          key: c.key,
          what: c.what,
          ratio: round(c.ratio),
          ours: round(c.ours.value),
          unit: c.ours.unit,
          target: c.target!.text,
          met: c.target!.met,
        })),
    ),
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  appendFileSync(HISTORY, `${JSON.stringify(entry)}\n`);
}

function readHistory(): HistoryEntry[] {
  if (!existsSync(HISTORY)) return [];
  return readFileSync(HISTORY, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as HistoryEntry);
}

/** The history as a Markdown section: one row per run, one column per targeted comparison (ratio, or the figure for (d) and (e)). */
function historySection(): string[] {
  const runs = readHistory().reverse();
  if (runs.length === 0) return [];
  const columns: { id: string; key: string; what: string; target: string }[] = [];
  for (const r of runs)
    for (const t of r.targets) if (!columns.some((c) => c.id === t.id && c.key === t.key)) columns.push(t);
  const cell = (t: HistoryEntry['targets'][number] | undefined) =>
    t === undefined
      ? ''
      : `${/ratio|about the same/.test(t.target) || t.target.startsWith('>=') ? fmt(t.ratio) : `${fmt(t.ours)} ${t.unit}`}${t.met ? '' : ' **NO**'}`;
  const head = [
    'started (UTC)',
    'run',
    'code',
    'machine',
    's',
    ...columns.map((c) => `${c.id}: ${c.key.replace(/_/g, ' ')} (${c.target})`),
  ];
  return [
    HISTORY_HEADING,
    '',
    "From `bench/results/history.jsonl`, which every full and `--quick` run appends to (`--only` runs write nothing). A column is a comparison with a target, by its key in the results JSON (a --quick run measures smaller sizes: (c) rebuilds 100k events, (f) grows the stream to 10k); a cell is the ratio, or the figure where the target is one (d, e); **NO** marks a missed target. Each run's JSON file is named in history.jsonl.",
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...runs.map(
      (r) =>
        `| ${[r.startedAt.slice(0, 16).replace('T', ' '), `${r.quick ? 'quick' : 'full'}${r.note ? ` (${r.note})` : ''}`, r.code, r.machine, String(r.seconds), ...columns.map((c) => cell(r.targets.find((t) => t.id === c.id && t.key === c.key)))].map((x) => x.replace(/\|/g, '\\|')).join(' | ')} |`,
    ),
    '',
  ];
}

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
/** Renders bench/RESULTS.md's history section again from history.jsonl, leaving everything above it. */
export function rewriteHistory(): void {
  const current = existsSync(RESULTS_MD) ? readFileSync(RESULTS_MD, 'utf8') : '';
  const at = current.indexOf(HISTORY_HEADING);
  writeFileSync(
    RESULTS_MD,
    `${at < 0 ? (current ? `${current.trimEnd()}\n\n` : '') : current.slice(0, at)}${historySection().join('\n')}`,
  );
}

export function writeMarkdown(report: RunReport, jsonFile: string): { file: string; historyOnly: boolean } {
  if (report.quick && existsSync(RESULTS_MD)) {
    const current = readFileSync(RESULTS_MD, 'utf8');
    if (!current.includes(QUICK_MARK)) {
      rewriteHistory(); // a full run's figures stay; only the history below them gains this quick run
      return { file: RESULTS_MD, historyOnly: true };
    }
  }
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
    if (details.length)
      lines.push(`- details: ${details.map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v) : v}`).join(', ')}`);
    lines.push('');
  }
  // What each speed mechanism was measured to buy, kept by hand in bench/mechanisms.md (its A/B
  // switches are gone with the mechanisms it deleted).
  if (existsSync(MECHANISMS_MD)) lines.push(readFileSync(MECHANISMS_MD, 'utf8').trimEnd(), '');
  lines.push(...historySection());
  writeFileSync(RESULTS_MD, `${lines.join('\n')}`);
  return { file: RESULTS_MD, historyOnly: false };
}
