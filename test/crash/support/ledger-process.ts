/**
 * The real service and the real command line, each in a process of its own, started from the
 * TypeScript sources through the repository's require hook (tools/register-ts.js), so the suite
 * needs no build. The service runs on a data directory and a tokens file it is given, on a port it
 * picks itself (read back from its start-up line); the suite kills it with SIGKILL, as a power cut
 * or the OOM killer would.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '../../..');
const REGISTER_TS = resolve(REPO_ROOT, 'tools/register-ts.js');
const SERVICE_ENTRY = resolve(REPO_ROOT, 'src/main.ts');
const CLI_ENTRY = resolve(REPO_ROOT, 'src/cli/main.ts');

/** How much of a process's output is kept for a failure message (its end: where it died). */
const OUTPUT_KEPT_CHARS = 16_000;
/** Bounds on waits for a process: never a measure of speed, only a limit on a hang. */
const START_LIMIT_MS = 60_000;
const EXIT_LIMIT_MS = 15_000;
const CLI_LIMIT_MS = 60_000;

/** Resolves once `condition` holds (polled every `everyMs`); rejects naming `what` after `limitMs`. */
export async function until(
  condition: () => Promise<boolean> | boolean,
  what: string,
  limitMs: number,
  everyMs = 20,
): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up after ${limitMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * The address the service logs once it listens (src/bootstrap.ts, "renovation-ledger listening on
 * http://127.0.0.1:<port> ..."). It is given PORT=0 and picks its own port: a port found free
 * beforehand is free for anyone (another spec's server asking for any port may be given it) in the
 * seconds the service takes to start.
 */
const LISTENING = /renovation-ledger listening on (http:\/\/127\.0\.0\.1:\d+)/;

/**
 * The environment of a child: this one's without any of the ledger's settings, then `settings`.
 * No metrics port: a fixed one would be taken by whichever service started first on the machine.
 */
function ledgerEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env))
    if (!/^(LEDGER_|EVENT_?STORE|METRICS_|DATA_DIR$|PORT$|HOST$)/.test(name)) env[name] = value;
  return { ...env, EVENT_STORE: 'sqlite', METRICS_PORT: 'off', ...settings };
}

/** Keeps the end of a child's stdout and stderr, interleaved as they came. */
function keepOutput(child: ChildProcess): () => string {
  let kept = '';
  const take = (chunk: Buffer) => {
    kept = (kept + chunk.toString('utf8')).slice(-OUTPUT_KEPT_CHARS);
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  return () => kept;
}

export class LedgerProcess {
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  readonly output: () => string;

  /** Its API's base URL, once it has logged that it listens. */
  private listening: string | null = null;

  private constructor(private readonly child: ChildProcess) {
    this.output = keepOutput(child);
    // Looked for as the output comes (the end of a chunk kept, should the line straddle two).
    let recent = '';
    const onData = (chunk: Buffer) => {
      recent = (recent + chunk.toString('utf8')).slice(-4096);
      const found = LISTENING.exec(recent);
      if (!found) return;
      this.listening = found[1];
      child.stdout?.off('data', onData);
    };
    child.stdout?.on('data', onData);
    this.exited = new Promise((done) =>
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        done({ code, signal });
      }),
    );
  }

  /** Its API's base URL (it is started listening). */
  get url(): string {
    if (this.listening === null) throw new Error('the service has not said where it listens');
    return this.listening;
  }

  /** Starts the service on `dataDir`, on a port it picks, and resolves once it answers HTTP (its liveness route). */
  static async start(dataDir: string, tokensFile: string): Promise<LedgerProcess> {
    const child = spawn(process.execPath, ['-r', REGISTER_TS, SERVICE_ENTRY], {
      cwd: REPO_ROOT,
      env: ledgerEnv({ DATA_DIR: dataDir, LEDGER_TOKENS_FILE: tokensFile, PORT: '0', HOST: '127.0.0.1' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const service = new LedgerProcess(child);
    try {
      await until(
        async () => {
          if (service.exit) throw new Error(`the service exited (${JSON.stringify(service.exit)}) before answering`);
          if (service.listening === null) return false; // not listening yet
          try {
            return (await fetch(`${service.url}/api/health/live`)).status === 200;
          } catch {
            return false; // not listening yet
          }
        },
        'the service to log where it listens and answer /api/health/live',
        START_LIMIT_MS,
      );
    } catch (err) {
      await service.kill9();
      throw new Error(`${(err as Error).message}\n--- service output ---\n${service.output()}`);
    }
    return service;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed or closed. Resolves once the process is gone. */
  async kill9(): Promise<void> {
    if (!this.exit) this.child.kill('SIGKILL');
    await this.exitWithin(EXIT_LIMIT_MS);
  }

  /** SIGTERM, the orderly stop (Nest's shutdown hooks run); SIGKILL if it does not end in time. */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (!this.exit) this.child.kill('SIGTERM');
    try {
      return await this.exitWithin(EXIT_LIMIT_MS);
    } catch (err) {
      await this.kill9();
      throw err;
    }
  }

  private async exitWithin(limitMs: number) {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new Error(`process ${this.child.pid} did not exit within ${limitMs} ms`)), limitMs);
    });
    try {
      return await Promise.race([this.exited, limit]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Runs `renovation-ledger <args>` on `dataDir` in a process of its own: its exit code and everything it printed. */
export function runCli(dataDir: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['-r', REGISTER_TS, CLI_ENTRY, ...args], {
    cwd: REPO_ROOT,
    env: ledgerEnv({ DATA_DIR: dataDir }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = keepOutput(child);
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`renovation-ledger ${args.join(' ')} did not end within ${CLI_LIMIT_MS} ms:\n${output()}`));
    }, CLI_LIMIT_MS);
    // 'close', not 'exit': it comes once the output pipes are drained too.
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code, output: output() });
    });
  });
}
