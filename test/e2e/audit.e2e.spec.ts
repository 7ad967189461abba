/**
 * The audit endpoints end to end: GET /api/audit/verify answers 200 with the report (ok true, or
 * false naming the first bad event) to auditors and administrators only; POST /api/audit/seals
 * answers 201 with a seal that checks by itself, is stored, and is idempotent; without
 * LEDGER_SEAL_KEY_FILE it is 503 seal-key-missing.
 */
import Database from 'better-sqlite3';
import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkSeal, verifyAgainstSeal } from '../../src/audit/seal';
import { generateSealKeyFile } from '../../src/audit/seal-key';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { TOKENS, TestLedger, TestRole, expectOk } from './support/test-app';

const register = (projectId: string) => ({
  projectId,
  name: `${projectId} 老旧小区改造`,
  community: '建设路小区',
  town: '凉风垭街道',
  builtYear: 1996,
  buildingArea: 68500.5,
  households: 820,
});

async function loadSome(
  post: (path: string, body: unknown, role: TestRole) => Promise<{ status: number; body: unknown }>,
): Promise<void> {
  for (const id of ['TN2021-801', 'TN2021-802']) {
    expectOk((await post('/api/projects', register(id), 'housing')) as never);
    expectOk(
      (await post(
        `/api/projects/${id}/budget-lines`,
        { lineId: 'B1', category: 'basic', item: 'roof', estimatedCost: '400000.00' },
        'housing',
      )) as never,
    );
    expectOk(
      (await post(
        `/api/projects/${id}/pledges`,
        {
          pledgeId: 'P1',
          source: 'district_matching',
          amount: '100000.00',
          payer: '潼南区财政局',
          fiscalYear: 2022,
          pledgedOn: '2022-02-20',
        },
        'finance',
      )) as never,
    );
  }
}

describe('GET /api/audit/verify, and sealing without a key', () => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await TestLedger.start();
    await loadSome((path, body, role) => ledger.post(path, body, { role }));
  });
  afterAll(() => ledger.stop());

  it('answers auditors and administrators with the report; other roles are 403', async () => {
    for (const role of ['auditor', 'admin'] as const) {
      const reply = await ledger.get('/api/audit/verify', role);
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ ok: true, store: 'sqlite', eventsChecked: 6, streamsChecked: 2, headPosition: '6' });
    }
    for (const role of ['viewer', 'finance', 'housing', 'clerk'] as const) {
      expect((await ledger.get('/api/audit/verify', role)).body).toMatchObject({ error: 'forbidden' });
    }
    expect((await ledger.get('/api/audit/verify', null)).status).toBe(401);
  });

  it('verifies one stream with ?stream=, and refuses a malformed one', async () => {
    expect((await ledger.get('/api/audit/verify?stream=project-TN2021-802', 'auditor')).body).toEqual({
      ok: true,
      store: 'sqlite',
      stream: 'project-TN2021-802',
      eventsChecked: 3,
      streamsChecked: 1,
      headPosition: '6',
    });
    const bad = await ledger.get('/api/audit/verify?stream=a%20b', 'auditor');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'invalid-query', field: 'stream' });
  });

  it('POST /api/audit/seals without LEDGER_SEAL_KEY_FILE is 503 seal-key-missing, with what to do', async () => {
    const reply = await ledger.post('/api/audit/seals', {}, { role: 'auditor' });
    expect(reply.status).toBe(503);
    expect(reply.body).toMatchObject({
      error: 'seal-key-missing',
      message: expect.stringContaining('LEDGER_SEAL_KEY_FILE'),
    });
    expect((await ledger.post('/api/audit/seals', {}, { role: 'viewer' })).status).toBe(403);
  });

  it('answers 200 with ok false, naming the event, once a byte of the SQLite file was changed', async () => {
    const db = new Database(join(ledger.dataDir, 'events.sqlite'));
    const row = db.prepare("SELECT * FROM events WHERE stream_id = 'project-TN2021-801' AND revision = 1").get() as {
      position: number;
      event_id: string;
      data: string;
      metadata: string;
    };
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(
      row.data.replace('400000.00', '900000.00'),
      row.position,
    );
    db.close();
    const reply = await ledger.get('/api/audit/verify', 'auditor');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      ok: false,
      firstProblem: {
        kind: 'hash-mismatch',
        streamId: 'project-TN2021-801',
        revision: 1,
        eventId: row.event_id,
        position: String(row.position),
        expected: JSON.parse(row.metadata).hash,
      },
    });
  });
});

describe('POST /api/audit/seals with a key', () => {
  let dir: string;
  let app: INestApplication;
  let url: string;
  const request = async (method: string, path: string, role: TestRole, headers: Record<string, string> = {}) => {
    const res = await fetch(url + path, { method, headers: { authorization: `Bearer ${TOKENS[role]}`, ...headers } });
    return { status: res.status, headers: res.headers, body: JSON.parse(await res.text()) };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'audit-e2e-'));
    const tokensFile = join(dir, 'tokens.json');
    writeFileSync(
      tokensFile,
      JSON.stringify(
        Object.entries(TOKENS).map(([role, token]) => ({ token, role, actorId: `u-${role}`, org: `org-${role}` })),
      ),
    );
    generateSealKeyFile(join(dir, 'seal-key.pem'));
    const config = loadConfig({
      DATA_DIR: join(dir, 'data'),
      LEDGER_TOKENS_FILE: tokensFile,
      LEDGER_SEAL_KEY_FILE: join(dir, 'seal-key.pem'),
      PORT: '0',
    });
    app = await createApp(config, { logger: false });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    await loadSome(async (path, body, role) => {
      const res = await fetch(url + path, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKENS[role]}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    });
  });

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 201 with a seal that checks by itself, stores it, and repeats it for the same Idempotency-Key', async () => {
    const reply = await request('POST', '/api/audit/seals', 'auditor', { 'idempotency-key': 'seal-e2e-1' });
    expect(reply.status).toBe(201);
    const seal = reply.body;
    expect(Object.keys(seal).sort()).toEqual([
      'digest',
      'headPosition',
      'keyFingerprint',
      'publicKey',
      'sealId',
      'sealedAt',
      'signature',
      'streams',
    ]);
    expect(seal).toMatchObject({
      headPosition: '6',
      streams: [
        { streamId: 'project-TN2021-801', revision: 2 },
        { streamId: 'project-TN2021-802', revision: 2 },
      ],
    });
    expect(checkSeal(seal).problem).toBeNull();

    const again = await request('POST', '/api/audit/seals', 'auditor', { 'idempotency-key': 'seal-e2e-1' });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(seal);

    const stored = await request('GET', `/api/audit/seals/${seal.sealId}`, 'auditor');
    expect(stored).toMatchObject({ status: 200, body: seal });
    expect((await request('GET', '/api/audit/seals/20990101T000000Z-00000000', 'auditor')).body).toMatchObject({
      error: 'seal-not-found',
    });

    // The seal event is recorded with the caller as actor, and the log verifies against the seal.
    const store = new SqliteEventStore(join(dir, 'data', 'events.sqlite'));
    try {
      const [event] = await store.readStream(`seal-${seal.sealId}`);
      expect(event).toMatchObject({
        type: 'ledger-sealed.v1',
        metadata: {
          commandId: 'seal-e2e-1@u-auditor',
          actor: { id: 'u-auditor', role: 'auditor', org: 'org-auditor' },
        },
      });
      expect(await verifyAgainstSeal(store, seal)).toMatchObject({ ok: true, seal: { sealId: seal.sealId } });
    } finally {
      await store.close();
    }
    expect((await request('GET', '/api/audit/verify', 'admin')).body).toMatchObject({
      ok: true,
      eventsChecked: 7,
      streamsChecked: 3,
    });
  });

  it('refuses a body with fields: a seal takes none', async () => {
    const res = await fetch(`${url}/api/audit/seals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ streams: [] }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'unknown-field', field: 'streams' });
  });
});
