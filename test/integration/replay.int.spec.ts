/**
 * Time travel from the command line: `replay --as-of` leaves out what had not happened by that day,
 * `--known-at` leaves out what the ledger had not recorded by then (a receipt recorded late, with
 * an early business date, counts for --as-of but not before it was recorded), and one project's
 * fold agrees with the whole log's replay.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { UsageError, parseArgs } from '../../src/cli/args';
import { replayCommand } from '../../src/cli/replay.command';
import { LedgerConfig, loadConfig } from '../../src/config/config';
import { OptimisticWriter } from '../../src/event-store/write-path';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { ProjectCommand, ReceiveFunds, RegisterProject } from '../../src/project/project.commands';
import { projectDecider } from '../../src/project/project.decider';
import { projectStreamId } from '../../src/project/project.events';

const register = (projectId: string): RegisterProject => ({
  type: 'RegisterProject',
  projectId,
  name: `n-${projectId}`,
  community: 'c',
  town: '梓潼街道',
  builtYear: 1995,
  buildingArea: 1000,
  households: 20,
});
const receipt = (
  projectId: string,
  receiptId: string,
  source: string,
  amount: string,
  receivedOn: string,
): ReceiveFunds => ({
  type: 'ReceiveFunds',
  projectId,
  receiptId,
  source,
  amount,
  payer: 'p',
  reference: `ref-${receiptId}`,
  receivedOn,
  fiscalYear: Number(receivedOn.slice(0, 4)),
  details: {},
  recordedOn: '2024-01-05', // the last day of `history` below: no receipt is dated after it
});

/** What was decided, and when the ledger recorded it (oldest first). */
const history: [ProjectCommand, string][] = [
  [register('P1'), '2022-01-10T09:00:00.000Z'],
  [receipt('P1', 'R1', 'district_matching', '100.00', '2022-03-01'), '2022-03-02T10:00:00.000Z'],
  [receipt('P1', 'R2', 'district_matching', '200.00', '2022-06-01'), '2022-06-02T10:00:00.000Z'],
  // Recorded late: received on 2022-02-01, entered in the ledger only on 2022-09-01.
  [receipt('P1', 'R3', 'resident_direct', '50.00', '2022-02-01'), '2022-09-01T10:00:00.000Z'],
  // A project entered in 2024 with a receipt from 2021: its registration counts from that receipt's date.
  [register('P2'), '2024-01-05T08:00:00.000Z'],
  [receipt('P2', 'R9', 'district_matching', '10.00', '2021-12-01'), '2024-01-05T08:00:01.000Z'],
];

describe('replay --as-of / --known-at', () => {
  let dir: string;
  let config: LedgerConfig;

  /** Runs the command as the CLI would: the JSON answer on standard output, messages through `out`. */
  async function replay(...flags: string[]): Promise<{ code: number; output: any; lines: string[] }> {
    const lines: string[] = [];
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (c: Buffer) => chunks.push(c));
    const code = await replayCommand.run(parseArgs(['replay', ...flags], replayCommand), config, (l) => lines.push(l), {
      stdout,
      progress: (l) => lines.push(l),
    });
    const text = Buffer.concat(chunks).toString('utf8');
    return { code, output: text ? JSON.parse(text) : null, lines };
  }
  const received = (mix: any) => Object.fromEntries(mix.sources.map((s: any) => [s.source, s.received]));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'replay-'));
    config = loadConfig({ DATA_DIR: dir });
    const store = new SqliteEventStore(join(dir, 'events.sqlite'));
    const writer = new OptimisticWriter(store, projectDecider);
    for (const [i, [command, recordedAt]] of history.entries()) {
      await writer.execute(projectStreamId(command.projectId), command, {
        commandId: `c-${i}`,
        requestHash: `h-${i}`,
        actor: { id: 'u', role: 'clerk', org: 'o' },
        correlationId: `c-${i}`,
        causationId: `c-${i}`,
        recordedAt,
      });
    }
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('as of a date before a receipt leaves that receipt out', async () => {
    const { code, output } = await replay('--as-of', '2022-02-15', '--project', 'P1');
    expect(code).toBe(0);
    expect(received(output)).toEqual({ resident_direct: '50.00' }); // R1 (2022-03-01) is not in yet
    expect(output.bounds).toEqual({ asOf: '2022-02-15', knownAt: null, position: '4' });
    const later = await replay('--as-of', '2022-04-30', '--project', 'P1');
    expect(received(later.output)).toEqual({ resident_direct: '50.00', district_matching: '100.00' });
  });

  it('known at a time before a late-recorded receipt leaves it out; as of alone keeps it', async () => {
    const asOf = await replay('--as-of', '2022-12-31', '--project', 'P1');
    expect(asOf.output.totals.received).toBe('350.00');
    const known = await replay('--as-of', '2022-12-31', '--known-at', '2022-08-01T00:00:00Z', '--project', 'P1');
    expect(received(known.output)).toEqual({ district_matching: '300.00' }); // R3 was recorded on 2022-09-01
    expect(known.output.bounds).toEqual({ asOf: '2022-12-31', knownAt: '2022-08-01T00:00:00.000Z', position: '3' });
    const knownOnly = await replay('--known-at', '2022-03-02T10:00:00.000Z', '--project', 'P1');
    expect(received(knownOnly.output)).toEqual({ district_matching: '100.00' }); // inclusive: recorded at that very instant
  });

  it('replays the whole log to every project, each the same as its own fold', async () => {
    const all = await replay('--as-of', '2022-06-30');
    expect(all.code).toBe(0);
    expect(all.output.bounds).toEqual({ asOf: '2022-06-30', knownAt: null, position: '6' });
    expect(all.output.projects.map((m: any) => [m.projectId, m.totals.received])).toEqual([
      ['P1', '350.00'],
      ['P2', '10.00'],
    ]);
    for (const mix of all.output.projects) {
      const one = await replay('--as-of', '2022-06-30', '--project', mix.projectId);
      const { bounds: _bounds, ...withoutBounds } = one.output;
      expect(withoutBounds).toEqual(mix);
    }
    // Known before P2 was entered in 2024: P2 is not there at all.
    const known = await replay('--as-of', '2022-06-30', '--known-at', '2023-01-01');
    expect(known.output.projects.map((m: any) => m.projectId)).toEqual(['P1']);
    expect(known.output.bounds).toEqual({ asOf: '2022-06-30', knownAt: '2023-01-01T00:00:00.000Z', position: '4' });
  });

  it('refuses bad bounds and names an unknown project', async () => {
    await expect(replay('--as-of', '2022-02-30')).rejects.toThrow(
      new UsageError('--as-of: asOf is not a day of the calendar: 2022-02-30 does not exist'),
    );
    await expect(replay('--as-of', '2022/02/03')).rejects.toThrow(
      new UsageError('--as-of: asOf must be a date written YYYY-MM-DD (got "2022/02/03")'),
    );
    await expect(replay('--known-at', 'yesterday')).rejects.toThrow(/--known-at: knownAt must be an ISO-8601 time/);
    await expect(replay('--project', 'P1')).rejects.toThrow('replay needs --as-of DATE, --known-at TIME, or both');
    const unknown = await replay('--as-of', '2022-06-30', '--project', 'NOPE');
    expect(unknown.code).toBe(1);
    expect(unknown.lines).toEqual(['project-not-found: project NOPE is not registered']);
  });
});
