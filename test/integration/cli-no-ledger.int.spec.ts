/**
 * Rule: a command that reads a ledger refuses, exit code 1, when there is no ledger where it is
 * pointed (DATA_DIR without events.sqlite), and creates nothing there: `verify` on a mistyped
 * DATA_DIR used to make an empty ./data and report "OK: every chain verifies".
 * Commands that write a new ledger (`import`, `copy --to`) still create theirs.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSealKeyFile } from '../../src/audit/seal-key';
import { runCli } from '../../src/cli/main';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';

describe('CLI commands that read a ledger, pointed where there is none', () => {
  let root: string;
  let missing: string;
  const saved = { ...process.env };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'cli-no-ledger-'));
    missing = join(root, 'no-such-data');
    const keyFile = join(root, 'seal-key.pem');
    generateSealKeyFile(keyFile);
    process.env.DATA_DIR = missing;
    process.env.LEDGER_SEAL_KEY_FILE = keyFile;
    delete process.env.EVENT_STORE;
  });
  afterEach(() => {
    process.env = { ...saved };
    rmSync(root, { recursive: true, force: true });
  });

  async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      argv,
      (l) => out.push(l),
      (l) => err.push(l),
    );
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it.each([
    [['verify']],
    [['verify', '--stream', 'project-TN2021-001']],
    [['seal']],
    [['replay', '--as-of', '2021-12-31']],
    [['rebuild']],
    [['rebuild', '--diff']],
  ])('%j exits 1 naming the missing ledger, and creates no directory', async (argv) => {
    const r = await run(argv);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`no ledger at ${missing}`);
    expect(r.out).not.toContain('OK');
    expect(existsSync(missing)).toBe(false);
  });

  it('export refuses the same way, and writes no file', async () => {
    const file = join(root, 'log.ndjson');
    const r = await run(['export', '--out', file]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`no ledger at ${missing}`);
    expect(readdirSync(root).sort()).toEqual(['seal-key.pem']);
  });

  it('copy refuses a source that is not there, before making the target', async () => {
    const target = join(root, 'target');
    const r = await run(['copy', '--to', `sqlite:${target}`, '--checkpoint', join(root, 'cp.json')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`no ledger at ${missing}`);
    expect(existsSync(target)).toBe(false);
    expect(existsSync(missing)).toBe(false);
  });

  it('import and copy --to still make a new ledger where there was none', async () => {
    const source = join(root, 'source');
    await new SqliteEventStore(join(mkdirp(source), 'events.sqlite')).close(); // an empty ledger
    process.env.DATA_DIR = source;
    const file = join(root, 'log.ndjson');
    expect((await run(['export', '--out', file])).code).toBe(0);
    const imported = join(root, 'imported');
    expect((await run(['import', file, '--to', `sqlite:${imported}`])).code).toBe(0);
    expect(existsSync(join(imported, 'events.sqlite'))).toBe(true);
    const copied = join(root, 'copied');
    const r = await run(['copy', '--to', `sqlite:${copied}`, '--checkpoint', join(root, 'cp.json')]);
    expect(r.code).toBe(0);
    expect(existsSync(join(copied, 'events.sqlite'))).toBe(true);
  });
});

function mkdirp(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}
