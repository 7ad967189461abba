/**
 * GET /api/audit/seal-key (issue 17 point 4): the key that signs the ledger's seals, its
 * fingerprint and how often the service seals by itself, for an auditor to hold every seal to;
 * `configured: false` on a ledger without a key. With LEDGER_SEAL_SCHEDULE the service seals by
 * itself, and the seal it stores is signed by that key.
 */
import { join } from 'node:path';
import { SealScheduler } from '../../src/audit/seal-schedule';
import { generateSealKeyFile, loadSealKey } from '../../src/audit/seal-key';
import { TestLedger, expectOk } from './support/test-app';

describe('GET /api/audit/seal-key', () => {
  let ledger: TestLedger;
  let keyFile: string;

  beforeAll(async () => {
    ledger = await TestLedger.start({
      beforeBoot: async (dataDir) => {
        keyFile = join(dataDir, 'seal-key.pem');
        generateSealKeyFile(keyFile);
        return { LEDGER_SEAL_KEY_FILE: keyFile, LEDGER_SEAL_SCHEDULE: 'daily' };
      },
    });
  });
  afterAll(() => ledger.stop());

  it("serves the key's fingerprint, its public half and the schedule, to any role", async () => {
    const key = loadSealKey(keyFile);
    const reply = expectOk(await ledger.get('/api/audit/seal-key', 'viewer'));
    expect(reply.body).toEqual({
      configured: true,
      algorithm: 'Ed25519',
      fingerprint: key.fingerprint,
      publicKey: key.publicKeyPem,
      schedule: 'daily',
    });
  });

  it('the scheduled seal is stored, and signed by the key served', async () => {
    expectOk(
      await ledger.post(
        '/api/projects',
        {
          projectId: 'TN-SK',
          name: '封存测试',
          community: '封存小区',
          town: '桂林街道',
          builtYear: 1995,
          buildingArea: 1000,
          households: 10,
        },
        { role: 'housing' },
      ),
    );
    // The scheduler's first period may have sealed the registration already, as it started.
    const scheduler = ledger.service(SealScheduler);
    const result = (await scheduler.sealPeriod()) ?? scheduler.lastSeal();
    expect(result).not.toBeNull();
    const stored = expectOk(await ledger.get(`/api/audit/seals/${result!.seal.sealId}`, 'auditor')).body;
    const served = expectOk(await ledger.get('/api/audit/seal-key', 'auditor')).body;
    expect(stored.keyFingerprint).toBe(served.fingerprint);
  });
});

describe('GET /api/audit/seal-key without a key', () => {
  it('says that none is configured: nothing is sealed', async () => {
    const ledger = await TestLedger.start();
    try {
      const reply = expectOk(await ledger.get('/api/audit/seal-key', 'auditor'));
      expect(reply.body).toEqual({
        configured: false,
        algorithm: 'Ed25519',
        fingerprint: null,
        publicKey: null,
        schedule: 'off',
      });
    } finally {
      await ledger.stop();
    }
  });
});
