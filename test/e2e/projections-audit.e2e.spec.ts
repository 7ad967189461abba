/**
 * Auditors ask the service whether its read models equal a replay of the log from zero.
 */
import { TestLedger, expectOk } from './support/test-app';

describe('GET/POST /api/audit/projections', () => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await TestLedger.start();
    expectOk(
      await ledger.post(
        '/api/projects',
        {
          projectId: 'TN-A',
          name: 'n',
          community: 'c',
          town: '梓潼街道',
          builtYear: 1995,
          buildingArea: 100,
          households: 10,
        },
        { role: 'housing' },
      ),
    );
    expectOk(
      await ledger.post(
        '/api/projects/TN-A/receipts',
        {
          receiptId: 'R1',
          source: 'district_matching',
          amount: '12.34',
          payer: 'p',
          reference: 'r',
          receivedOn: '2022-01-01',
          fiscalYear: 2022,
        },
        { role: 'clerk' },
      ),
    );
  });
  afterAll(() => ledger.stop());

  it('an auditor gets "identical" for an untouched read model', async () => {
    await ledger.get('/api/projects/TN-A/funding-mix'); // read-your-writes: the projections caught up
    const reply = await ledger.post('/api/audit/projections/funding-mix/drift', {}, { role: 'auditor' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ projection: 'funding-mix', identical: true, differenceCount: 0, position: '2' });
    const list = await ledger.request('GET', '/api/audit/projections', { role: 'auditor' });
    expect(list.body.map((p: { name: string }) => p.name)).toEqual([
      'funding-mix',
      'project-list',
      'source-ledger',
      'cost-shares',
      'red-flags',
      'targets',
    ]);
  });

  it('rebuild is for admins; other roles are refused; an unknown projection is 404', async () => {
    expect((await ledger.post('/api/audit/projections/funding-mix/drift', {}, { role: 'clerk' })).status).toBe(403);
    expect((await ledger.post('/api/audit/projections/funding-mix/rebuild', {}, { role: 'auditor' })).status).toBe(403);
    const rebuilt = await ledger.post('/api/audit/projections/funding-mix/rebuild', {}, { role: 'admin' });
    expect(rebuilt.body).toMatchObject({ projection: 'funding-mix', rebuiltThrough: '2', caughtUp: true });
    expect((await ledger.get('/api/projects/TN-A/funding-mix')).body.totals.received).toBe('12.34');
    const missing = await ledger.post('/api/audit/projections/nope/drift', {}, { role: 'auditor' });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('projection-not-found');
  });
});
