/**
 * Rule (issue 14 point 12): a token may carry `towns`; it then writes only projects of those
 * towns, and their entries (403 outside-town-scope otherwise, nothing written), and no
 * district-level write at all: fund batches are allocated across towns by the finance bureau.
 * Reads are never narrowed.
 */
import { registerBody } from '../support/project-fixtures';
import { TestLedger, expectOk } from './support/test-app';

const GUILIN_CLERK = 'guilin-clerk-token-0001';
const GUILIN_HOUSING = 'guilin-housing-token-001';
const SCOPED_FINANCE = 'scoped-finance-token-001';
const project = (projectId: string, town: string) => registerBody({ projectId, town });
const receipt = (receiptId: string) => ({
  receiptId,
  source: 'district_matching',
  amount: '1000.00',
  payer: '潼南区财政局',
  reference: '国库拨款',
  receivedOn: '2021-07-01',
  fiscalYear: 2021,
});

describe('town-scoped writers', () => {
  let ledger: TestLedger;
  const as = (token: string, path: string, body: unknown) =>
    ledger.request('POST', path, { role: null, body, headers: { authorization: `Bearer ${token}` } });
  const read = (token: string, path: string) =>
    ledger.request('GET', path, { role: null, headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    ledger = await TestLedger.start({
      extraTokens: [
        { token: GUILIN_CLERK, actorId: 'guilin-clerk', role: 'clerk', org: '桂林街道办事处', towns: ['桂林街道'] },
        {
          token: GUILIN_HOUSING,
          actorId: 'guilin-housing',
          role: 'housing',
          org: '桂林街道办事处',
          towns: ['桂林街道'],
        },
        { token: SCOPED_FINANCE, actorId: 'scoped-finance', role: 'finance', org: '区财政局', towns: ['桂林街道'] },
      ],
    });
    expectOk(await ledger.post('/api/projects', project('TN-G', '桂林街道'), { role: 'housing' }));
    expectOk(await ledger.post('/api/projects', project('TN-Z', '梓潼街道'), { role: 'housing' }));
  });
  afterAll(() => ledger.stop());

  it("writes its own towns' projects and their entries", async () => {
    expect((await as(GUILIN_CLERK, '/api/projects/TN-G/receipts', receipt('R1'))).status).toBe(201);
    expect((await as(GUILIN_HOUSING, '/api/projects', project('TN-G2', '桂林街道'))).status).toBe(201);
  });

  it("refuses another town's project with 403 outside-town-scope, writing nothing", async () => {
    const before = await ledger.eventCount();
    const receiptThere = await as(GUILIN_CLERK, '/api/projects/TN-Z/receipts', receipt('R2'));
    expect([receiptThere.status, receiptThere.body.error]).toEqual([403, 'outside-town-scope']);
    expect(receiptThere.body.message).toContain('梓潼街道');
    const registerThere = await as(GUILIN_HOUSING, '/api/projects', project('TN-Z2', '梓潼街道'));
    expect([registerThere.status, registerThere.body.error]).toEqual([403, 'outside-town-scope']);
    const lineThere = await as(GUILIN_HOUSING, '/api/projects/TN-Z/budget-lines', {
      lineId: 'B1',
      category: 'basic',
      item: 'roof',
      estimatedCost: '1000.00',
    });
    expect([lineThere.status, lineThere.body.error]).toEqual([403, 'outside-town-scope']);
    expect(await ledger.eventCount()).toBe(before);
  });

  it('answers 404 for a project that is not registered, as for anyone', async () => {
    const reply = await as(GUILIN_CLERK, '/api/projects/TN-NONE/receipts', receipt('R3'));
    expect([reply.status, reply.body.error]).toEqual([404, 'project-not-found']);
  });

  it('refuses every fund-batch write to a scoped token: batches are the district’s', async () => {
    const before = await ledger.eventCount();
    const batch = {
      batchId: 'YCJ2021-1',
      source: 'central_fiscal_subsidy',
      docNo: '渝财建〔2021〕1号',
      fiscalYear: 2021,
      amount: '1000.00',
      issuedOn: '2021-06-01',
    };
    const issued = await as(SCOPED_FINANCE, '/api/fund-batches', batch);
    expect([issued.status, issued.body.error]).toEqual([403, 'outside-town-scope']);
    expectOk(await ledger.post('/api/fund-batches', batch, { role: 'finance' }));
    const after = await ledger.eventCount();
    const allocation = await as(SCOPED_FINANCE, '/api/fund-batches/YCJ2021-1/allocations', {
      allocationId: 'A1',
      projectId: 'TN-G',
      amount: '100.00',
      allocatedOn: '2021-06-02',
    });
    expect([allocation.status, allocation.body.error]).toEqual([403, 'outside-town-scope']);
    expect(await ledger.eventCount()).toBe(after);
    expect(after).toBe(before + 1n);
  });

  it('reads the whole district', async () => {
    const list = expectOk(await read(SCOPED_FINANCE, '/api/projects')).body as { projectId: string }[];
    expect(list.map((p) => p.projectId).sort()).toEqual(['TN-G', 'TN-G2', 'TN-Z']);
    expect((await read(GUILIN_CLERK, '/api/projects/TN-Z/funding-mix')).status).toBe(200);
    expect((await read(SCOPED_FINANCE, '/api/projects/TN-Z/events')).status).toBe(200);
  });
});
