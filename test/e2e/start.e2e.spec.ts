/**
 * Rule (issue 14, point 10): the service says at start what an operator must know. Without a
 * tokens file it warns that every request but health and /docs will be 401 (it used to start
 * silently); it listens on HOST (127.0.0.1 unless set) and logs the address really bound (it used
 * to print [::1] while listening on every interface); /metrics is served on METRICS_PORT.
 */
import { INestApplication } from '@nestjs/common';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config';
import { DATA_DIR_LOCK_FILE, LockHeldError } from '../../src/shared/fs/pid-lock';

describe('starting the service', () => {
  let dir: string;
  let app: INestApplication | undefined;
  // One stream for every application of this file: nestjs-pino keeps the first logger it is given
  // for lines outside a request.
  let lines: string[] = [];
  const logStream = { write: (line: string) => void lines.push(line) };
  const logged = () => lines.map((l) => JSON.parse(l) as { level: string; msg: string; context?: string });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-start-'));
    lines = [];
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('without LEDGER_TOKENS_FILE: warns that every request but health will be refused', async () => {
    const started = await startService(loadConfig({ DATA_DIR: dir, PORT: '0', METRICS_PORT: 'off' }), { logStream });
    app = started.app;
    const warning = logged().find((l) => l.level === 'warn');
    expect(warning?.msg).toMatch(/LEDGER_TOKENS_FILE is not set.*401/);
    expect(started.metrics).toBeNull();
  });

  it('with a tokens file holding tokens: no such warning', async () => {
    const tokensFile = join(dir, 'tokens.json');
    writeFileSync(
      tokensFile,
      JSON.stringify([{ token: 'a-token-of-16-chars-or-more', actorId: 'u1', role: 'viewer', org: 'o' }]),
    );
    const config = loadConfig({ DATA_DIR: dir, PORT: '0', METRICS_PORT: 'off', LEDGER_TOKENS_FILE: tokensFile });
    app = (await startService(config, { logStream })).app;
    expect(logged().filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('listens on 127.0.0.1 by default and logs that address and its port', async () => {
    const started = await startService(loadConfig({ DATA_DIR: dir, PORT: '0', METRICS_PORT: '0' }), { logStream });
    app = started.app;
    expect(started.api.address).toBe('127.0.0.1');
    expect(started.metrics?.address).toBe('127.0.0.1');
    const messages = logged().map((l) => l.msg);
    expect(messages).toContain(
      `renovation-ledger listening on http://127.0.0.1:${started.api.port} (store: sqlite, data: ${dir})`,
    );
    expect(messages).toContain(`metrics for Prometheus on http://127.0.0.1:${started.metrics!.port}/metrics`);
    const res = await fetch(`http://127.0.0.1:${started.metrics!.port}/metrics`);
    expect(res.status).toBe(200);
  });

  it('with HOST=0.0.0.0 says it listens on every IPv4 interface', async () => {
    const config = loadConfig({ DATA_DIR: dir, PORT: '0', METRICS_PORT: 'off', HOST: '0.0.0.0' });
    const started = await startService(config, { logStream });
    app = started.app;
    expect(started.api.address).toBe('0.0.0.0');
    expect(logged().map((l) => l.msg)).toContain(
      `renovation-ledger listening on http://0.0.0.0:${started.api.port} (every IPv4 interface) (store: sqlite, data: ${dir})`,
    );
  });

  it('holds the data directory while it runs (a lock file with its pid), and gives it back at shutdown', async () => {
    const started = await startService(loadConfig({ DATA_DIR: dir, PORT: '0', METRICS_PORT: 'off' }), { logStream });
    expect(readFileSync(join(dir, DATA_DIR_LOCK_FILE), 'utf8').split('\n')[0]).toBe(`${process.pid}`);
    await started.app.close();
    expect(existsSync(join(dir, DATA_DIR_LOCK_FILE))).toBe(false);
  });

  it('is refused on a data directory another live process holds, naming it and the pid, before opening anything there', async () => {
    writeFileSync(join(dir, DATA_DIR_LOCK_FILE), `${process.ppid}\n`); // the jest worker's parent: alive, not us
    const refused = startService(loadConfig({ DATA_DIR: dir, PORT: '0', METRICS_PORT: 'off' }), { logStream });
    await expect(refused).rejects.toThrow(LockHeldError);
    await expect(refused).rejects.toThrow(`data directory ${dir} is in use by process ${process.ppid}`);
    expect(readdirSync(dir)).toEqual([DATA_DIR_LOCK_FILE]);
  });
});
