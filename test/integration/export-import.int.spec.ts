/**
 * Export and import: the whole log as NDJSON, and back into an empty store. An import re-verifies
 * every hash and every stream's chain before it writes anything, refuses a broken file naming the
 * line and the event, refuses a store that is not empty, and yields the same log and the same
 * read models as the store exported.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { verifyExport } from '../../src/audit/import-log';
import { ParsedArgs, UsageError, parseArgs } from '../../src/cli/args';
import { compareLogs } from '../../src/cli/copy.command';
import { CliStreams, exportCommand } from '../../src/cli/export.command';
import { importCommand } from '../../src/cli/import.command';
import { replayCommand } from '../../src/cli/replay.command';
import { LedgerConfig, loadConfig } from '../../src/config/config';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { DATA_DIR_LOCK_FILE, LockHeldError } from '../../src/shared/fs/pid-lock';
import { demoDistrict, loadDemo, readModelsOf } from '../support/demo-store';

type Command = {
  values: string[];
  switches: string[];
  run: (a: ParsedArgs, c: LedgerConfig, out: (l: string) => void, s?: CliStreams) => Promise<number>;
};

describe('export and import of the whole log', () => {
  let dir: string;
  let config: LedgerConfig;
  let exported: string;
  const progress: string[] = [];
  const streams = (stdout = new PassThrough()): CliStreams => ({ stdout, progress: (l) => progress.push(l) });

  /** Runs a command as the CLI would, collecting what it prints. */
  async function run(
    command: Command,
    argv: string[],
    dataDir = join(dir, 'src'),
    stdout?: PassThrough,
  ): Promise<{ code: number; lines: string[] }> {
    const lines: string[] = [];
    const code = await command.run(
      parseArgs(argv, command),
      { ...config, dataDir },
      (l) => lines.push(l),
      streams(stdout),
    );
    return { code, lines };
  }
  const headOf = async (dataDir: string) => {
    const store = new SqliteEventStore(join(dataDir, 'events.sqlite'));
    try {
      return await store.headPosition();
    } finally {
      await store.close();
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'export-'));
    config = loadConfig({ DATA_DIR: join(dir, 'src') });
    mkdirSync(join(dir, 'src'));
    const store = new SqliteEventStore(join(dir, 'src', 'events.sqlite'));
    await loadDemo(store);
    await store.close();
    exported = join(dir, 'district.ndjson');
    const { code } = await run(exportCommand, ['export', '--out', exported]);
    expect(code).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a header, one line per event in global order, and a trailer', async () => {
    const lines = readFileSync(exported, 'utf8').split('\n');
    expect(lines.pop()).toBe(''); // every line ends in "\n"
    const head = await headOf(join(dir, 'src'));
    expect(lines.length).toBe(Number(head) + 2);
    const header = JSON.parse(lines[0]);
    expect(header).toMatchObject({
      format: 'renovation-ledger-export',
      version: 1,
      source: 'sqlite',
      headPosition: head.toString(),
    });
    expect(JSON.parse(lines.at(-1)!)).toEqual({
      format: 'renovation-ledger-export-end',
      eventCount: Number(head),
      lastPosition: head.toString(),
    });
    const first = JSON.parse(lines[1]);
    expect(Object.keys(first)).toEqual(['streamId', 'revision', 'position', 'eventId', 'type', 'data', 'metadata']);
    expect(first).toMatchObject({
      revision: '0',
      position: '1',
      type: 'project-registered.v2',
      metadata: { prevHash: '0'.repeat(64) },
    });
    expect(lines.slice(1, -1).map((l) => JSON.parse(l).position)).toEqual(
      Array.from({ length: Number(head) }, (_, i) => String(i + 1)),
    );
  });

  it('while a service holds the directory: export still reads it, import into it is refused and writes nothing', async () => {
    // The jest worker's parent: a live process other than this one, as a running service would be.
    writeFileSync(join(dir, 'src', DATA_DIR_LOCK_FILE), `${process.ppid}\n`);
    const target = join(dir, 'held');
    mkdirSync(target);
    writeFileSync(join(target, DATA_DIR_LOCK_FILE), `${process.ppid}\n`);
    try {
      expect((await run(exportCommand, ['export', '--out', join(dir, 'live.ndjson')])).code).toBe(0);
      const lines = (file: string) => readFileSync(file, 'utf8').split('\n');
      expect(lines(join(dir, 'live.ndjson')).slice(1)).toEqual(lines(exported).slice(1)); // the header has the time
      const refused = run(importCommand, ['import', exported], target);
      await expect(refused).rejects.toThrow(LockHeldError);
      await expect(refused).rejects.toThrow(`data directory ${target} is in use by process ${process.ppid}`);
      expect(readdirSync(target)).toEqual([DATA_DIR_LOCK_FILE]);
    } finally {
      rmSync(join(dir, 'src', DATA_DIR_LOCK_FILE));
    }
  });

  it('imports into a fresh directory: verified, the same log, the same read models', async () => {
    const target = join(dir, 'fresh');
    const { code, lines } = await run(importCommand, ['import', exported], target);
    expect(code).toBe(0);
    const head = await headOf(join(dir, 'src'));
    expect(lines[0]).toMatch(
      new RegExp(`^verified ${head} events in ${demoDistrict.projects.length} streams .*every hash and chain holds$`),
    );
    expect(lines[1]).toBe(`imported ${head} events into sqlite:${target}`);

    const [a, b] = [
      new SqliteEventStore(join(dir, 'src', 'events.sqlite')),
      new SqliteEventStore(join(target, 'events.sqlite')),
    ];
    try {
      expect(await compareLogs(a, b)).toBeNull();
      const [before, after] = [
        await readModelsOf(join(dir, 'rm-a.sqlite'), a),
        await readModelsOf(join(dir, 'rm-b.sqlite'), b),
      ];
      expect(after).toEqual(before);
      expect(before.mixes.filter((m) => m.sources.length > 0).length).toBeGreaterThan(30);
    } finally {
      await a.close();
      await b.close();
    }
    // The imported store exports to the very same events: every hash verifies again.
    const again = join(dir, 'again.ndjson');
    expect((await run(exportCommand, ['export', '--out', again], target)).code).toBe(0);
    expect(readFileSync(again, 'utf8').split('\n').slice(1)).toEqual(
      readFileSync(exported, 'utf8').split('\n').slice(1),
    );
    expect((await verifyExport(again)).eventCount).toBe(Number(head));
    // And a replay of each at a past date gives the same district.
    const replayed = async (dataDir: string) => {
      const stdout = new PassThrough();
      const chunks: Buffer[] = [];
      stdout.on('data', (c: Buffer) => chunks.push(c));
      expect((await run(replayCommand, ['replay', '--as-of', '2022-06-30'], dataDir, stdout)).code).toBe(0);
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    };
    const [x, y] = [await replayed(join(dir, 'src')), await replayed(target)];
    expect(y).toEqual(x);
    expect(x.projects.length).toBeGreaterThan(20); // those with something dated by then (30 of the 36)
  });

  it('streams to standard output by default, with notes on standard error only', async () => {
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (c: Buffer) => chunks.push(c));
    progress.length = 0;
    const { code, lines } = await run(exportCommand, ['export'], join(dir, 'src'), stdout);
    expect(code).toBe(0);
    expect(lines).toEqual([]);
    expect(progress.at(-1)).toMatch(/^exported \d+ events \(\d+ bytes\) from sqlite:.* up to position \d+$/);
    expect(stdout.writableEnded).toBe(false); // standard output stays open
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text.split('\n').slice(1)).toEqual(readFileSync(exported, 'utf8').split('\n').slice(1));
  });

  it('refuses a file with one byte changed, naming the line and the event, and writes nothing', async () => {
    const lines = readFileSync(exported, 'utf8').split('\n');
    const index = lines.findIndex((l) => l.includes('"type":"funds-received.v1"'));
    const event = JSON.parse(lines[index]);
    const at = lines[index].indexOf('"amount":"') + '"amount":"'.length;
    const digit = lines[index][at];
    lines[index] =
      lines[index].slice(0, at) + (digit === '9' ? '8' : String(Number(digit) + 1)) + lines[index].slice(at + 1);
    const tampered = join(dir, 'tampered.ndjson');
    writeFileSync(tampered, lines.join('\n'));
    expect(Buffer.compare(readFileSync(tampered), readFileSync(exported))).not.toBe(0);

    const target = join(dir, 'tampered-target');
    const { code, lines: said } = await run(importCommand, ['import', tampered], target);
    expect(code).toBe(1);
    expect(said[0]).toBe(
      `import refused (broken-chain): line ${index + 1}, stream ${event.streamId} revision ${event.revision}, event ${event.eventId}: ` +
        `its content hashes to ${said[0].match(/hashes to ([0-9a-f]{64})/)![1]}, but the line says ${event.metadata.hash}: the event was changed`,
    );
    expect(said[1]).toBe(`nothing was written to sqlite:${target}`);
    expect(await headOf(target)).toBe(0n);
  });

  it('refuses a file with a line left out, or cut short, and writes nothing', async () => {
    const lines = readFileSync(exported, 'utf8').split('\n');
    // The second event of the first project: its successor no longer chains.
    const missing = join(dir, 'missing.ndjson');
    writeFileSync(missing, [...lines.slice(0, 2), ...lines.slice(3)].join('\n'));
    const next = JSON.parse(lines[3]);
    const gap = await run(importCommand, ['import', missing], join(dir, 'missing-target'));
    expect(gap.code).toBe(1);
    expect(gap.lines[0]).toContain(
      `(broken-chain): line 3, stream ${next.streamId} revision 2, event ${next.eventId}: expected revision 1`,
    );
    expect(await headOf(join(dir, 'missing-target'))).toBe(0n);

    const cut = join(dir, 'cut.ndjson');
    writeFileSync(cut, lines.slice(0, 100).join('\n') + '\n');
    const short = await run(importCommand, ['import', cut], join(dir, 'cut-target'));
    expect(short.code).toBe(1);
    expect(short.lines[0]).toBe(
      'import refused (truncated-export): the file ends after 99 events without its trailer line: it was cut short',
    );
    expect(await headOf(join(dir, 'cut-target'))).toBe(0n);

    const notAnExport = join(dir, 'not.ndjson');
    writeFileSync(notAnExport, '{"hello":"world"}\n');
    expect((await run(importCommand, ['import', notAnExport], join(dir, 'not-target'))).lines[0]).toMatch(
      /^import refused \(not-an-export\): line 1/,
    );
  });

  it('refuses to import into a store that is not empty, and leaves it as it was', async () => {
    const before = await headOf(join(dir, 'src'));
    const { code, lines } = await run(importCommand, ['import', exported], join(dir, 'src'));
    expect(code).toBe(1);
    expect(lines[0]).toBe(
      `import refused (target-not-empty): the target store is not empty (its head is at position ${before}); import only into an empty store`,
    );
    expect(await headOf(join(dir, 'src'))).toBe(before);
  });

  it('refuses bad usage', async () => {
    await expect(run(importCommand, ['import'])).rejects.toThrow(UsageError);
    await expect(run(importCommand, ['import', join(dir, 'no-such-file')])).rejects.toThrow(/is not a file/);
    await expect(run(exportCommand, ['export', 'file.ndjson'])).rejects.toThrow(/use --out FILE/);
    expect(() => parseArgs(['export', '--to', 'x'], exportCommand)).toThrow('unknown option --to');
  });
});
