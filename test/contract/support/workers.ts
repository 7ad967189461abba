/**
 * Child processes running test/contract/support/append-worker.js, for tests that need two OS
 * processes on one store: each opens the store, says "ready", and starts on "go".
 */
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { waitFor } from '../event-store.contract';

const WORKER = resolve(__dirname, 'append-worker.js');
const REPO_ROOT = resolve(__dirname, '../../..');

export interface Worker {
  child: ChildProcessWithoutNullStreams;
  /** What it printed, line by line. */
  lines: string[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startWorker(args: string[]): Worker {
  const child = spawn(process.execPath, [WORKER, ...args], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
    const parts = out.split('\n');
    out = parts.pop() ?? '';
    lines.push(...parts.filter((l) => l.length > 0));
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('close', (code, signal) => done({ code, signal })),
  );
  return { child, lines, stderr: () => err, exited };
}

/** Starts one worker per argument list, lets them all go at once, and waits for every one to exit cleanly. */
export async function runTogether(argLists: string[][]): Promise<Worker[]> {
  const workers = argLists.map(startWorker);
  try {
    await waitFor(() => workers.every((w) => w.lines.includes('ready')), 'every worker to open the store', 20_000);
    for (const w of workers) w.child.stdin.end('go\n');
    const exits = await Promise.all(workers.map((w) => w.exited));
    exits.forEach((exit, i) => {
      if (exit.code !== 0)
        throw new Error(`worker ${i + 1} exited with ${exit.code ?? exit.signal}: ${workers[i].stderr()}`);
    });
  } finally {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  }
  return workers;
}
