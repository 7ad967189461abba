/**
 * The auditor's commands, run as src/cli/main.ts runs them (parseArgs with the command's own
 * options, then run): `verify` exits 0 only when everything holds and 1 naming the first event
 * that does not; `seal` writes a seal file that `verify --seal` later holds the log to.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSealKeyFile } from '../../src/audit/seal-key';
import { UsageError, parseArgs } from '../../src/cli/args';
import { exportCommand } from '../../src/cli/export.command';
import { rebuildCommand, rebuildHelp } from '../../src/cli/rebuild.command';
import { sealCommand } from '../../src/cli/seal.command';
import { UnreadableEventError } from '../../src/event-store/integrity';
import { verifyCommand } from '../../src/cli/verify.command';
import { LedgerConfig, loadConfig } from '../../src/config/config';
import { copyOf, district, pristineDistrict, rowAt, tamper } from './support/audit-district';

let pristine: string;
let root: string;
let keyFile: string;

beforeAll(async () => {
  // A few projects keep this quick; the demo district as a whole is verify-chain.int.spec.ts's.
  const some = new Set(district.projects.slice(0, 5).map((p) => p.projectId));
  pristine = await pristineDistrict(district.requests.filter((r) => some.has(r.projectId)));
  root = mkdtempSync(join(tmpdir(), 'audit-cli-'));
  keyFile = join(root, 'seal-key.pem');
  generateSealKeyFile(keyFile);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(pristine, { recursive: true, force: true });
});

function configFor(dataDir: string, env: Record<string, string> = {}): LedgerConfig {
  return loadConfig({ DATA_DIR: dataDir, ...env });
}

async function run(
  command: typeof verifyCommand,
  argv: string[],
  config: LedgerConfig,
): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const code = await command.run(parseArgs(argv, command), config, (line) => lines.push(line));
  return { code, output: lines.join('\n') };
}

const firstProject = `project-${district.projects[0].projectId}`;

describe('renovation-ledger verify', () => {
  it('exits 0 on a clean log, and says what it checked', async () => {
    const { code, output } = await run(verifyCommand, ['verify'], configFor(copyOf(pristine, root)));
    expect(code).toBe(0);
    expect(output).toMatch(/checked \d+ events in 5 streams, up to position \d+/);
    expect(output).toContain('OK: every chain verifies');
  });

  it('exits 1 after one byte of one event changed, naming stream, revision, event id, expected and found hash', async () => {
    const dir = copyOf(pristine, root);
    const row = tamper(dir, (db) => {
      const r = rowAt(db, firstProject, 1);
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run(
        r.data.replace(/\d/, (d) => (d === '1' ? '2' : '1')),
        r.position,
      );
      return r;
    });
    const { code, output } = await run(verifyCommand, ['verify'], configFor(dir));
    expect(code).toBe(1);
    expect(output).toContain('FAILED: hash-mismatch');
    expect(output).toMatch(
      new RegExp(`stream +${firstProject}\\n +revision +1\\n +event id +${row.event_id}\\n +position +${row.position}`),
    );
    expect(output).toMatch(new RegExp(`expected +${JSON.parse(row.metadata).hash}\\n +found +[0-9a-f]{64}`));
    // One stream at a time: another stream still verifies.
    const other = `project-${district.projects[1].projectId}`;
    expect((await run(verifyCommand, ['verify', '--stream', other], configFor(dir))).code).toBe(0);
    expect((await run(verifyCommand, ['verify', '--stream', firstProject], configFor(dir))).code).toBe(1);
  });

  it('takes no arguments, and a seal file it cannot read is a usage error (exit 2 through main)', async () => {
    const config = configFor(copyOf(pristine, root));
    await expect(run(verifyCommand, ['verify', 'extra'], config)).rejects.toThrow(UsageError);
    await expect(run(verifyCommand, ['verify', '--seal', join(root, 'no-such-seal.json')], config)).rejects.toThrow(
      /cannot be read/,
    );
    expect(() => parseArgs(['verify', '--seal'], verifyCommand)).toThrow('--seal needs a value');
  });
});

describe('a stored event no longer JSON, met by the other commands', () => {
  it('rebuild goes past it as the service does, names it and exits 1; export stops at it naming it, never a SyntaxError', async () => {
    const dir = copyOf(pristine, root);
    const row = tamper(dir, (db) => {
      const r = rowAt(db, firstProject, 1);
      db.prepare(`UPDATE events SET data = '{"broken' WHERE position = ?`).run(r.position);
      return r;
    });
    const named = `${firstProject} does not verify at revision 1 (event ${row.event_id}, position ${row.position})`;
    const rebuild = { help: rebuildHelp, values: ['projection'], switches: ['diff', 'help'], run: rebuildCommand };
    const rebuilt = await run(rebuild, ['rebuild'], configFor(dir));
    expect(rebuilt.code).toBe(1);
    expect(rebuilt.output).toMatch(/^rebuilt .* through position \d+$/m);
    expect(rebuilt.output).toContain(`${named}: it cannot be read: its data is not JSON`);
    const exported = await run(exportCommand, ['export', '--out', join(dir, 'log.ndjson')], configFor(dir)).catch(
      (err: unknown) => err,
    );
    expect(exported).toBeInstanceOf(UnreadableEventError);
    expect((exported as Error).message).toContain(named);
  });
});

describe('renovation-ledger seal, then verify --seal', () => {
  it('seals to a file; verify --seal exits 0, then 1 once a whole project is deleted, which plain verify misses', async () => {
    const dir = copyOf(pristine, root);
    const config = configFor(dir, { LEDGER_SEAL_KEY_FILE: keyFile });
    const sealFile = join(root, 'kept-seal.json');
    const sealed = await run(sealCommand, ['seal', '--out', sealFile], config);
    expect(sealed.code).toBe(0);
    const seal = JSON.parse(readFileSync(sealFile, 'utf8'));
    expect(seal.streams).toHaveLength(5);
    expect(sealed.output).toContain(`key fingerprint  ${seal.keyFingerprint}`);
    expect(sealed.output).toContain(`written to       ${sealFile}`);

    const before = await run(verifyCommand, ['verify', '--seal', sealFile], config);
    expect(before.code).toBe(0);
    expect(before.output).toContain(`signed by key ${seal.keyFingerprint}`);
    expect(before.output).toContain("this ledger's configured seal key (LEDGER_SEAL_KEY_FILE) is the same key");
    expect(before.output).toContain('OK: every chain verifies, and every sealed stream still holds its sealed event');

    tamper(dir, (db) => {
      db.prepare('DELETE FROM events WHERE stream_id = ?').run(firstProject);
      db.prepare('DELETE FROM streams WHERE stream_id = ?').run(firstProject);
    });
    expect((await run(verifyCommand, ['verify'], config)).code).toBe(0);
    const after = await run(verifyCommand, ['verify', '--seal', sealFile], config);
    expect(after.code).toBe(1);
    expect(after.output).toContain(`FAILED: sealed-stream-missing: ${firstProject} was sealed at revision`);
    expect(after.output).toMatch(new RegExp(`stream +${firstProject}`));

    // A seal file whose content was edited fails by itself, with exit 1.
    const edited = join(root, 'edited-seal.json');
    writeFileSync(
      edited,
      JSON.stringify({
        ...seal,
        streams: seal.streams.filter((s: { streamId: string }) => s.streamId !== firstProject),
      }),
    );
    const forged = await run(verifyCommand, ['verify', '--seal', edited], config);
    expect(forged.code).toBe(1);
    expect(forged.output).toContain("FAILED: seal-invalid: the seal's content does not hash to its digest");
  });

  it('writes ./seal-<sealId>.json by default, and never overwrites a file', async () => {
    const dir = copyOf(pristine, root);
    const config = configFor(dir, { LEDGER_SEAL_KEY_FILE: keyFile });
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const { code, output } = await run(sealCommand, ['seal'], config);
      expect(code).toBe(0);
      const file = /written to +(.*)/.exec(output)![1];
      expect(file).toMatch(/seal-\d{8}T\d{6}Z-[0-9a-f]{8}\.json$/);
      expect(existsSync(file)).toBe(true);
      await expect(run(sealCommand, ['seal', '--out', file], config)).rejects.toThrow(
        /exists; a seal file is never overwritten/,
      );
    } finally {
      process.chdir(cwd);
    }
  });

  it('exits 1 with the reason when no key is configured, or the log does not verify', async () => {
    const dir = copyOf(pristine, root);
    const noKey = await run(sealCommand, ['seal', '--out', join(root, 'never.json')], configFor(dir));
    expect(noKey.code).toBe(1);
    expect(noKey.output).toContain('set LEDGER_SEAL_KEY_FILE');
    tamper(dir, (db) =>
      db.prepare("UPDATE events SET type = 'funds-received.v2' WHERE stream_id = ? AND revision = 0").run(firstProject),
    );
    const broken = await run(
      sealCommand,
      ['seal', '--out', join(root, 'never.json')],
      configFor(dir, { LEDGER_SEAL_KEY_FILE: keyFile }),
    );
    expect(broken.code).toBe(1);
    expect(broken.output).toContain('the ledger cannot be sealed: its chain does not verify (hash-mismatch');
    expect(existsSync(join(root, 'never.json'))).toBe(false);
  });
});

describe.each([
  ['verify', verifyCommand, ['--stream', '--seal']],
  ['seal', sealCommand, ['--out']],
])('%s --help', (name, command, options) => {
  it('is a switch, and the help opens with the usage line and names every option', () => {
    expect(parseArgs([name, '--help'], command).flags.get('help')).toBe(true);
    expect(command.help.split('\n')[0]).toMatch(new RegExp(`^renovation-ledger ${name}`));
    for (const option of options) expect(command.help).toContain(`${option} `);
    for (const option of command.values) expect(command.help).toContain(`--${option} `);
  });
});
