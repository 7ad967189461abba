/**
 * Seals an auditor can rely on without asking (issue 17 point 4): the service seals on a schedule
 * (LEDGER_SEAL_SCHEDULE, off by default), one seal a period, none when nothing was written since
 * the last; the key's fingerprint is said at start; and `verify --seal FILE --expect-fingerprint`
 * fails a seal signed by another key, however well it verifies.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SealScheduler, periodStart } from '../../src/audit/seal-schedule';
import { generateSealKeyFile, loadSealKey } from '../../src/audit/seal-key';
import { UsageError, parseArgs } from '../../src/cli/args';
import { verifyCommand } from '../../src/cli/verify.command';
import { ConfigError, loadConfig } from '../../src/config/config';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { sealKeyLine } from '../../src/ops/startup';
import { newEvent } from '../support/new-events';
import { copyOf, district, pristineDistrict } from './support/audit-district';

let pristine: string;
let root: string;
let keyA: string;
let keyB: string;

beforeAll(async () => {
  const some = new Set(district.projects.slice(0, 2).map((p) => p.projectId));
  pristine = await pristineDistrict(district.requests.filter((r) => some.has(r.projectId)));
  root = mkdtempSync(join(tmpdir(), 'seal-trust-'));
  keyA = join(root, 'key-a.pem');
  keyB = join(root, 'key-b.pem');
  generateSealKeyFile(keyA);
  generateSealKeyFile(keyB);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(pristine, { recursive: true, force: true });
});

describe('LEDGER_SEAL_SCHEDULE', () => {
  it('is off by default; hourly or daily needs the seal key; anything else is refused', () => {
    expect(loadConfig({}).sealSchedule).toBe('off');
    expect(loadConfig({ LEDGER_SEAL_SCHEDULE: 'daily', LEDGER_SEAL_KEY_FILE: keyA }).sealSchedule).toBe('daily');
    expect(() => loadConfig({ LEDGER_SEAL_SCHEDULE: 'daily' })).toThrow(ConfigError);
    expect(() => loadConfig({ LEDGER_SEAL_SCHEDULE: 'weekly', LEDGER_SEAL_KEY_FILE: keyA })).toThrow(
      /LEDGER_SEAL_SCHEDULE must be one of off, hourly, daily/,
    );
  });

  it("the start-up line names the key's fingerprint and the schedule", () => {
    const config = loadConfig({ LEDGER_SEAL_SCHEDULE: 'hourly', LEDGER_SEAL_KEY_FILE: keyA });
    expect(sealKeyLine(config)).toBe(
      `seal key fingerprint ${loadSealKey(keyA).fingerprint} (LEDGER_SEAL_KEY_FILE; GET /api/audit/seal-key); sealing hourly`,
    );
    expect(sealKeyLine(loadConfig({}))).toBeNull();
  });
});

describe('the scheduled seal', () => {
  const at = (iso: string) => ({ now: () => new Date(iso) });

  it('seals once a period: nothing new is not sealed again, another instance gets the same seal', async () => {
    const dataDir = copyOf(pristine, root);
    const store = new SqliteEventStore(join(dataDir, 'events.sqlite'));
    try {
      const config = loadConfig({ DATA_DIR: dataDir, LEDGER_SEAL_SCHEDULE: 'daily', LEDGER_SEAL_KEY_FILE: keyA });
      const scheduler = new SealScheduler(store, config, at('2024-02-01T09:30:00.000Z'));
      const first = await scheduler.sealPeriod();
      expect(first).toMatchObject({ replayed: false, seal: { sealedAt: '2024-02-01T09:30:00.000Z' } });
      const [stored] = await store.readStream(first!.streamId);
      expect(stored.metadata).toMatchObject({
        commandId: 'seal-schedule-2024-02-01T00:00:00.000Z',
        actor: { id: 'system:seal-schedule', role: 'admin' },
      });
      // Nothing written since: the same period, or the next, seals nothing.
      expect(await scheduler.sealPeriod()).toBeNull();
      // Another instance in the same period stores no second seal: it gets the period's.
      const other = new SealScheduler(store, config, at('2024-02-01T17:00:00.000Z'));
      expect(await other.sealPeriod()).toMatchObject({ replayed: true, seal: { sealId: first!.seal.sealId } });
      // Something written: the next period seals it.
      await store.append('probe-1', [newEvent('probe-written.v1', { n: 1 })], 'no_stream');
      const next = new SealScheduler(store, config, at('2024-02-02T00:00:05.000Z'));
      const second = await next.sealPeriod();
      expect(second).toMatchObject({ replayed: false });
      expect(BigInt(second!.seal.headPosition)).toBeGreaterThan(BigInt(first!.seal.headPosition));
    } finally {
      await store.close();
    }
  });

  it('periods start on the hour or at midnight, UTC', () => {
    expect(periodStart(new Date('2024-02-01T09:30:12.000Z'), 'hourly').toISOString()).toBe('2024-02-01T09:00:00.000Z');
    expect(periodStart(new Date('2024-02-01T23:59:59.999Z'), 'daily').toISOString()).toBe('2024-02-01T00:00:00.000Z');
  });
});

describe('verify --seal FILE --expect-fingerprint', () => {
  let dataDir: string;
  let sealFile: string;
  let fingerprintA: string;

  beforeAll(async () => {
    dataDir = copyOf(pristine, root);
    const store = new SqliteEventStore(join(dataDir, 'events.sqlite'));
    try {
      const config = loadConfig({ DATA_DIR: dataDir, LEDGER_SEAL_SCHEDULE: 'daily', LEDGER_SEAL_KEY_FILE: keyA });
      const { seal } = (await new SealScheduler(store, config, {
        now: () => new Date('2024-02-01T09:30:00Z'),
      }).sealPeriod())!;
      fingerprintA = seal.keyFingerprint;
      sealFile = join(root, 'seal.json');
      writeFileSync(sealFile, JSON.stringify(seal));
    } finally {
      await store.close();
    }
  });

  async function verify(...argv: string[]): Promise<{ code: number; output: string }> {
    const lines: string[] = [];
    const code = await verifyCommand.run(
      parseArgs(['verify', ...argv], verifyCommand),
      loadConfig({ DATA_DIR: dataDir }),
      (line) => lines.push(line),
    );
    return { code, output: lines.join('\n') };
  }

  it('passes a seal signed by the key expected (any case, colons allowed)', async () => {
    const spaced = fingerprintA.toUpperCase().replace(/(..)(?!$)/g, '$1:');
    const { code, output } = await verify('--seal', sealFile, '--expect-fingerprint', spaced);
    expect(code).toBe(0);
    expect(output).toContain('the key expected (--expect-fingerprint)');
  });

  it('fails a seal signed by another key, naming both fingerprints', async () => {
    const fingerprintB = loadSealKey(keyB).fingerprint;
    const { code, output } = await verify('--seal', sealFile, '--expect-fingerprint', fingerprintB);
    expect(code).toBe(1);
    expect(output).toContain('FAILED: seal-wrong-key');
    expect(output).toMatch(new RegExp(`expected +${fingerprintB}\\n +found +${fingerprintA}`));
  });

  it('refuses a fingerprint that is not 64 hex digits, or one given without a seal', async () => {
    await expect(verify('--seal', sealFile, '--expect-fingerprint', 'abc')).rejects.toThrow(UsageError);
    await expect(verify('--expect-fingerprint', fingerprintA)).rejects.toThrow(/--seal FILE/);
  });
});
