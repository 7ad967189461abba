/**
 * What the audit endpoints do, as the plain functions AuditController wires (no HTTP here;
 * test/e2e/audit.e2e.spec.ts goes through the routes): verify answers the report and refuses a
 * malformed stream; a seal takes no body, needs LEDGER_SEAL_KEY_FILE (503 seal-key-missing), is
 * recorded with the caller as actor, and repeats for the same Idempotency-Key.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sealOverHttp, storedSealOverHttp, verifyOverHttp } from '../../src/audit/audit.controller';
import { checkSeal } from '../../src/audit/seal';
import { generateSealKeyFile } from '../../src/audit/seal-key';
import { TokenEntry } from '../../src/auth/tokens';
import { LedgerConfig, loadConfig } from '../../src/config/config';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { district, loadDemo } from './support/audit-district';

describe('the audit endpoints, as functions', () => {
  let dir: string;
  let store: SqliteEventStore;
  let withKey: LedgerConfig;
  let withoutKey: LedgerConfig;
  const clock = { now: () => new Date('2024-05-06T07:08:09.000Z') };
  const auditor: TokenEntry = { token: 't', actorId: 'auditor-zhao', role: 'auditor', org: '区审计局' };
  const request = (headers: Record<string, string> = {}, body?: unknown) => ({ headers, actor: auditor, body });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'audit-http-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
    const first = district.projects[0].projectId;
    await loadDemo(
      store,
      district.requests.filter((r) => r.projectId === first),
    );
    generateSealKeyFile(join(dir, 'key.pem'));
    withoutKey = loadConfig({ DATA_DIR: dir });
    withKey = loadConfig({ DATA_DIR: dir, LEDGER_SEAL_KEY_FILE: join(dir, 'key.pem') });
  });

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verify answers the report, for the log or one stream, and refuses a malformed stream with 400 invalid-query', async () => {
    const head = await store.headPosition();
    expect(await verifyOverHttp(store, undefined)).toEqual({
      ok: true,
      store: 'sqlite',
      eventsChecked: Number(head),
      streamsChecked: 1,
      headPosition: head.toString(),
    });
    expect(await verifyOverHttp(store, `project-${district.projects[0].projectId}`)).toMatchObject({
      ok: true,
      streamsChecked: 1,
    });
    for (const stream of ['', 'a b', ['project-a', 'project-b'], 'x'.repeat(201)]) {
      await expect(verifyOverHttp(store, stream)).rejects.toMatchObject({
        code: 'invalid-query',
        status: 400,
        field: 'stream',
      });
    }
  });

  it('a seal without LEDGER_SEAL_KEY_FILE is 503 seal-key-missing, and writes nothing', async () => {
    const head = await store.headPosition();
    await expect(sealOverHttp(store, withoutKey, clock, request())).rejects.toMatchObject({
      code: 'seal-key-missing',
      status: 503,
      message: expect.stringContaining('LEDGER_SEAL_KEY_FILE'),
    });
    expect(await store.headPosition()).toBe(head);
  });

  it('a seal takes no body fields', async () => {
    await expect(sealOverHttp(store, withKey, clock, request({}, { streams: [] }))).rejects.toMatchObject({
      code: 'unknown-field',
      status: 400,
      field: 'streams',
    });
    await expect(sealOverHttp(store, withKey, clock, request({}, [1]))).rejects.toMatchObject({
      code: 'invalid-body',
      status: 400,
    });
  });

  it('seals with the caller as actor, repeats for the same Idempotency-Key, and answers a stored seal by id', async () => {
    const first = await sealOverHttp(store, withKey, clock, request({ 'idempotency-key': 'audit-seal-1' }, {}));
    expect(first).toMatchObject({ idempotencyKey: 'audit-seal-1', replayed: false });
    expect(first.seal.sealId).toMatch(/^20240506T070809Z-[0-9a-f]{8}$/);
    expect(checkSeal(first.seal).problem).toBeNull();
    const [event] = await store.readStream(`seal-${first.seal.sealId}`);
    expect(event.metadata).toMatchObject({
      commandId: 'audit-seal-1@auditor-zhao',
      actor: { id: 'auditor-zhao', role: 'auditor', org: '区审计局' },
      recordedAt: '2024-05-06T07:08:09.000Z',
    });

    const again = await sealOverHttp(store, withKey, clock, request({ 'idempotency-key': 'audit-seal-1' }));
    expect(again).toEqual({ ...first, replayed: true });
    const other = await sealOverHttp(store, withKey, clock, request());
    expect(other.seal.sealId).not.toBe(first.seal.sealId);

    expect(await storedSealOverHttp(store, first.seal.sealId)).toEqual(first.seal);
    await expect(storedSealOverHttp(store, '20990101T000000Z-00000000')).rejects.toMatchObject({
      code: 'seal-not-found',
      status: 404,
    });
    await expect(storedSealOverHttp(store, '../x')).rejects.toMatchObject({ code: 'invalid-id', status: 400 });
  });
});
