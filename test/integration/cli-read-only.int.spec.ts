/**
 * Rule (attack finding 6): `verify` and `export` read a ledger in a directory they cannot write (an
 * auditor's copy, a backup mount). Copied while in use, with its -shm, it is opened read-only and
 * read as any other; after a clean shutdown (no -shm, which SQLite cannot make there) the command
 * says in one line which file, that the directory is read-only and what to do: never a raw stack.
 * The directory is made read-only with chmod 0555 (files 0444); the CLI runs in a process of its
 * own, as an unprivileged user when the suite runs as root (root ignores the permissions).
 */
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { GroupCommitWriter } from '../../src/event-store/write-path';
import { projectDecider } from '../../src/project/project.decider';
import { ctx, receipt, register } from './support/embedded-writer-cases';

const REPO = resolve(__dirname, '../..');
const NOBODY = 65534;

/** The CLI as a process of its own, on `dataDir`, as a user who may not write there. */
function cli(
  dataDir: string,
  args: string[],
  entry = 'src/cli/main.ts',
): Promise<{ code: number | null; out: string; err: string }> {
  const asUser = process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(LEDGER_|EVENT_?STORE|DATA_DIR$)/.test(k)) env[k] = v;
  const child = spawn(process.execPath, ['-r', join(REPO, 'tools/register-ts.js'), join(REPO, entry), ...args], {
    cwd: tmpdir(),
    env: { ...env, DATA_DIR: dataDir, EVENT_STORE: 'sqlite', PORT: '0', METRICS_PORT: 'off' },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...asUser,
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return new Promise((done) => child.once('close', (code) => done({ code, out, err })));
}

describe('verify and export on a read-only data directory', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'cli-read-only-'));
    chmodSync(root, 0o755); // the unprivileged user must reach the copies
  });
  afterEach(() => {
    for (const name of readdirSync(root)) chmodSync(join(root, name), 0o755);
    rmSync(root, { recursive: true, force: true });
  });

  /** A ledger of 3 events in root/live; `copyWhileOpen`: copied to root/copy while its connection is open (-wal and -shm with it). */
  async function readOnlyCopy(copyWhileOpen: boolean): Promise<string> {
    const live = join(root, 'live');
    const copy = join(root, 'copy');
    mkdirSync(live);
    const store = new SqliteEventStore(join(live, 'events.sqlite'));
    const writer = new GroupCommitWriter(store, projectDecider);
    await writer.execute('project-A', register('A'), ctx());
    await writer.execute('project-A', receipt('R1', '10.00'), ctx());
    await writer.execute('project-A', receipt('R2', '20.00'), ctx());
    if (copyWhileOpen) cpSync(live, copy, { recursive: true });
    await store.close();
    if (!copyWhileOpen) cpSync(live, copy, { recursive: true });
    for (const name of readdirSync(copy)) chmodSync(join(copy, name), 0o444);
    chmodSync(copy, 0o555);
    return copy;
  }

  it('copied while in use (its -shm with it): verify and export read it, and nothing is written there', async () => {
    const copy = await readOnlyCopy(true);
    const before = readdirSync(copy).sort();
    expect(before).toEqual(['events.sqlite', 'events.sqlite-shm', 'events.sqlite-wal']);
    const verify = await cli(copy, ['verify']);
    expect({ code: verify.code, err: verify.err }).toEqual({ code: 0, err: '' });
    expect(verify.out).toMatch(/checked 3 events in 1 streams[\s\S]*OK: every chain verifies/);
    const exported = await cli(copy, ['export']);
    expect(exported.code).toBe(0);
    expect(exported.out.trim().split('\n')).toHaveLength(3 + 2); // header, 3 events, trailer
    expect(readdirSync(copy).sort()).toEqual(before);
  }, 120_000);

  it('after a clean shutdown (no -shm): one line naming the file, saying the directory is read-only and what to do', async () => {
    const copy = await readOnlyCopy(false);
    expect(readdirSync(copy)).toEqual(['events.sqlite']);
    for (const command of ['verify', 'export']) {
      const r = await cli(copy, [command]);
      expect(r.code).toBe(1);
      expect(r.err.trim().split('\n')).toHaveLength(1); // no stack
      expect(r.err).toContain(`${command}: cannot read ${join(copy, 'events.sqlite')}: ${copy} is read-only`);
      expect(r.err).toContain('Copy the directory somewhere writable');
    }
    expect(readdirSync(copy)).toEqual(['events.sqlite']);
  }, 120_000);

  it('the service refuses it at start in one line: the directory is read-only, and what reads it', async () => {
    const copy = await readOnlyCopy(false);
    const r = await cli(copy, [], 'src/main.ts');
    expect(r.code).toBe(1);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'fatal' });
    expect(JSON.parse(lines[0]).msg).toMatch(
      new RegExp(`^${copy} is read-only \\(EACCES: cannot create ledger.lock there\\).*verify`),
    );
    expect(readdirSync(copy)).toEqual(['events.sqlite']);
  }, 120_000);
});
