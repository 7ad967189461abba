/**
 * Rule (attack finding 10): a start-up refused for its tokens file (malformed, missing, the
 * published examples without LEDGER_ALLOW_EXAMPLE_TOKENS) writes the one documented JSON `fatal`
 * line and exits 1: no Nest text log, no stack before it. The service runs as `npm start` runs it,
 * in a process of its own (src/main.ts through the repository's require hook).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '../..');

function start(settings: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/^(LEDGER_|EVENT_?STORE|METRICS_|DATA_DIR$|PORT$|HOST$)/.test(k)) env[k] = v;
  const child = spawn(process.execPath, ['-r', join(REPO, 'tools/register-ts.js'), join(REPO, 'src/main.ts')], {
    cwd: REPO,
    env: { ...env, PORT: '0', METRICS_PORT: 'off', ...settings },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return new Promise((done) => child.once('close', (code) => done({ code, output })));
}

describe('a start-up refused for its tokens file', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'start-refused-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['malformed', (file: string) => writeFileSync(file, '{bad'), 'cannot be read as JSON'],
    ['missing', () => undefined, 'ENOENT'],
    [
      'the published examples',
      (file: string) => copyFileSync(join(REPO, 'deploy/tokens.example.json'), file),
      'published example token',
    ],
  ])(
    '%s: one JSON fatal line naming the file, exit 1',
    async (_, make, says) => {
      const file = join(dir, 'tokens.json');
      make(file);
      const { code, output } = await start({ DATA_DIR: join(dir, 'data'), LEDGER_TOKENS_FILE: file });
      expect(code).toBe(1);
      const lines = output.trim().split('\n');
      expect(lines).toHaveLength(1);
      const line = JSON.parse(lines[0]) as { level: string; msg: string };
      expect(line.level).toBe('fatal');
      expect(line.msg).toMatch(/^configuration error: LEDGER_TOKENS_FILE/);
      expect(line.msg).toContain(says);
    },
    120_000,
  );
});
