/**
 * `renovation-ledger red-flags` (issue 17 point 3): the red flags computed from the log alone,
 * from the configured store or from an export file, which an auditor may hold without the ledger:
 * the same list both ways; as CSV with the Chinese headers; an export cut short or changed lists
 * nothing (exit 1).
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { exportLog } from '../../src/audit/export-log';
import { parseArgs } from '../../src/cli/args';
import { redFlagsCommand } from '../../src/cli/red-flags.command';
import { loadConfig } from '../../src/config/config';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { district, pristineDistrict } from './support/audit-district';

let pristine: string;
let root: string;
let exportFile: string;

beforeAll(async () => {
  // Projects with money (the earlier batch has none in the ledger), among them some the demo plants flags on.
  const some = new Set(
    district.projects
      .filter((p) => p.stage === 'funded')
      .slice(0, 6)
      .map((p) => p.projectId),
  );
  pristine = await pristineDistrict(district.requests.filter((r) => some.has(r.projectId)));
  root = mkdtempSync(join(tmpdir(), 'red-flags-cli-'));
  exportFile = join(root, 'ledger.ndjson');
  const store = new SqliteEventStore(join(pristine, 'events.sqlite'));
  try {
    await exportLog(store, createWriteStream(exportFile));
  } finally {
    await store.close();
  }
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(pristine, { recursive: true, force: true });
});

async function run(argv: string[]): Promise<{ code: number; stdout: string; output: string }> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  const lines: string[] = [];
  const code = await redFlagsCommand.run(
    parseArgs(['red-flags', ...argv], redFlagsCommand),
    loadConfig({ DATA_DIR: pristine }),
    (line) => lines.push(line),
    { stdout, progress: (line) => lines.push(line) },
  );
  return { code, stdout: Buffer.concat(chunks).toString('utf8'), output: lines.join('\n') };
}

describe('renovation-ledger red-flags', () => {
  it('lists the same flags from the store and from an export of it', async () => {
    const fromStore = await run(['--as-of', '2024-12-31']);
    const fromFile = await run(['--as-of', '2024-12-31', '--from', exportFile]);
    expect([fromStore.code, fromFile.code]).toEqual([0, 0]);
    const list = JSON.parse(fromStore.stdout);
    expect(list.referenceDate).toBe('2024-12-31');
    expect(list.flags.length).toBeGreaterThan(0);
    expect(JSON.parse(fromFile.stdout)).toEqual(list);
    expect(fromStore.output).toMatch(/\d+ red flags \(\d+ open, \d+ cleared\) as of 2024-12-31/);
  });

  it('writes CSV with the Chinese headers, and takes the API filters', async () => {
    const { code, stdout } = await run(['--as-of', '2024-12-31', '--format', 'csv', '--severity', 'high']);
    expect(code).toBe(0);
    const [header, ...rows] = stdout
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(header.startsWith('线索编号,代码,问题类型,严重程度')).toBe(true);
    for (const row of rows) expect(row.split(',')[3]).toBe('高');
  });

  it('lists nothing from an export that was changed or cut short (exit 1)', async () => {
    const text = readFileSync(exportFile, 'utf8');
    const lines = text.split('\n');
    const changed = join(root, 'changed.ndjson');
    const altered = text.replace(/"amount":"(\d)/, '"amount":"9$1');
    expect(altered).not.toBe(text);
    writeFileSync(changed, altered);
    const cut = join(root, 'cut.ndjson');
    writeFileSync(cut, lines.slice(0, -3).join('\n') + '\n');
    for (const file of [changed, cut]) {
      const { code, stdout, output } = await run(['--from', file]);
      expect({ file, code, stdout }).toEqual({ file, code: 1, stdout: '' });
      expect(output).toMatch(/is not an export this ledger can read \((broken-chain|truncated-export)\)/);
    }
  });

  it('refuses a bad option naming it', async () => {
    await expect(run(['--as-of', '2024-02-30'])).rejects.toThrow(/--as-of/);
    await expect(run(['--code', 'RF-99'])).rejects.toThrow(/--code/);
    await expect(run(['--format', 'pdf'])).rejects.toThrow(/--format/);
  });
});
