/** Small helpers the scenarios share: clocks, statistics, temp directories, child processes, memory. */
import { ChildProcess, fork } from 'node:child_process';
import { SeededRandom } from '../../src/demo/seeded-random';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Milliseconds on the monotonic clock, with sub-millisecond resolution. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export async function timed<T>(work: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t0 = nowMs();
  const value = await work();
  return { ms: nowMs() - t0, value };
}

/** The p-th percentile (0-100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = values.slice().sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Rounds for display and JSON: 3 significant digits at least, no float noise. */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value)) return value;
  const abs = Math.abs(value);
  const places = abs >= 100 ? 1 : abs >= 1 ? digits - 1 : digits + 1;
  return Number(value.toFixed(places));
}

/** A deterministic PRNG (mulberry32): the same seed picks the same projects in every run. */
export function seededRandom(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.uint32() / 4294967296;
}

/** A fresh temp directory, removed by `cleanup`. */
export function tempDir(label: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `ledger-bench-${label}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A field of /proc/<pid>/status in MB (VmRSS, VmHWM), or NaN where /proc is not there. */
export function procStatusMb(field: 'VmRSS' | 'VmHWM', pid: number | 'self' = 'self'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

export const MB = 1024 * 1024;

const CHILD = join(__dirname, '..', 'child.js');

/**
 * Runs `exported` of the TypeScript module `modulePath` (relative to bench/) in a child process
 * (node bench/child.js), with `args`, and returns what it sent back. While it runs, the parent
 * samples the child's VmRSS from /proc every `sampleMs`: a child busy in synchronous work cannot
 * sample itself on a timer.
 */
export function runInChild<R>(
  modulePath: string,
  exported: string,
  args: unknown,
  sampleMs = 50,
  execArgv: string[] = [],
): Promise<{ result: R; parentSampledPeakRssMb: number; parentSamples: number }> {
  // Load (and so compile, into the require hook's cache) the child's modules here first: the child
  // then never loads the compiler, whose memory would count as the child's.
  require(join(__dirname, '..', modulePath));
  return new Promise((resolve, reject) => {
    const child: ChildProcess = fork(CHILD, [modulePath, exported], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv,
    });
    let peak = 0;
    let samples = 0;
    const timer = setInterval(() => {
      const rss = procStatusMb('VmRSS', child.pid!);
      if (Number.isFinite(rss)) {
        samples += 1;
        peak = Math.max(peak, rss);
      }
    }, sampleMs);
    let result: { ok: true; value: R } | { ok: false; error: string } | undefined;
    child.on('message', (msg: { ok: true; value: R } | { ok: false; error: string }) => {
      result = msg;
    });
    child.once('error', (err) => {
      clearInterval(timer);
      reject(err);
    });
    // 'close', not 'exit': a child's last IPC message may still be on its way at 'exit' (seen under
    // load: a child that sent its answer and exited 0 was read as "no answer").
    child.once('close', (code) => {
      clearInterval(timer);
      if (result?.ok) resolve({ result: result.value, parentSampledPeakRssMb: peak, parentSamples: samples });
      else
        reject(
          new Error(
            `bench child ${modulePath}#${exported} failed (exit ${code}): ${result && !result.ok ? result.error : 'no answer'}`,
          ),
        );
    });
    child.send({ args });
  });
}
