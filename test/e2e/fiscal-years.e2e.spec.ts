/**
 * 年终结账 end to end: a finance user closes 2022; a receipt dated in 2022 is then refused (409
 * year-closed naming the year) with nothing written anywhere, one dated in 2023 is taken; the year
 * reopened with a reason takes the 2022 receipt again; reopening needs a reason (400); a clerk
 * cannot close a year (403); both acts are events, listed with the year's history.
 */
import { jointReviewInput } from '../support/lifecycle-fixtures';
import { TestLedger, expectOk } from './support/test-app';

const P = '/api/projects/TN2022-FY';

describe('closing a fiscal year', () => {
  let ledger: TestLedger;
  const receipt = (receiptId: string, receivedOn: string) => ({
    receiptId,
    source: 'district_matching',
    payer: '潼南区财政局',
    amount: '1000.00',
    reference: `YH-${receiptId}`,
    receivedOn,
    fiscalYear: Number(receivedOn.slice(0, 4)),
  });

  beforeAll(async () => {
    ledger = await TestLedger.start();
    const housing = { role: 'housing' as const };
    expectOk(
      await ledger.post(
        '/api/projects',
        {
          projectId: 'TN2022-FY',
          name: '桂林街道老旧小区改造',
          community: '建设路小区',
          town: '桂林街道',
          builtYear: 1996,
          buildingArea: 12000,
          households: 150,
        },
        housing,
      ),
    );
    expectOk(
      await ledger.post(
        `${P}/budget-lines`,
        { lineId: 'B1', category: 'basic', item: 'roof', estimatedCost: '500000.00' },
        housing,
      ),
    );
    expectOk(await ledger.post(`${P}/milestones`, jointReviewInput({ reviewedOn: '2022-02-10' }), housing));
    expectOk(
      await ledger.post(
        `${P}/approval`,
        {
          approvedInvestment: '600000.00',
          docNo: '潼南发改〔2022〕9号',
          approvedOn: '2022-02-15',
          involvesIndependentInfrastructure: false,
        },
        housing,
      ),
    );
  });
  afterAll(() => ledger?.stop());

  it('refuses a clerk (403) and a year still running (409 year-not-ended)', async () => {
    const before = await ledger.headPosition();
    expect(await ledger.post('/api/fiscal-years/2022/close', {}, { role: 'clerk' })).toMatchObject({ status: 403 });
    const thisYear = new Date().getUTCFullYear();
    expect(await ledger.post(`/api/fiscal-years/${thisYear}/close`, {}, { role: 'finance' })).toMatchObject({
      status: 409,
      body: { error: 'year-not-ended' },
    });
    expect(await ledger.post('/api/fiscal-years/twenty/close', {}, { role: 'finance' })).toMatchObject({
      status: 400,
      body: { error: 'invalid-fiscal-year' },
    });
    expect(await ledger.headPosition()).toBe(before);
  });

  it('refuses an entry dated in a closed year, writing nothing, and takes one dated in the next', async () => {
    expectOk(await ledger.post('/api/fiscal-years/2022/close', { reason: '2022年度年终结账' }, { role: 'finance' }));
    const before = await ledger.headPosition();
    const refused = await ledger.post(`${P}/receipts`, receipt('R-2022', '2022-05-01'), { role: 'clerk' });
    expect(refused).toMatchObject({ status: 409, body: { error: 'year-closed', field: 'receivedOn' } });
    expect(refused.body.message).toContain('fiscal year 2022 is closed');
    expect(await ledger.headPosition()).toBe(before);
    // A fund batch dated in the closed year is refused the same way, before either stream is written.
    const batch = await ledger.post(
      '/api/fund-batches',
      {
        batchId: 'YCJ2022-1',
        source: 'central_fiscal_subsidy',
        docNo: '渝财建〔2022〕1号',
        fiscalYear: 2022,
        amount: '1000.00',
        issuedOn: '2022-06-01',
      },
      { role: 'finance' },
    );
    expect(batch).toMatchObject({ status: 409, body: { error: 'year-closed', field: 'issuedOn' } });
    expect(await ledger.headPosition()).toBe(before);
    expectOk(await ledger.post(`${P}/receipts`, receipt('R-2023', '2023-01-02'), { role: 'clerk' }));
  });

  it('refuses to close a closed year (409 year-already-closed)', async () => {
    expect(await ledger.post('/api/fiscal-years/2022/close', {}, { role: 'finance' })).toMatchObject({
      status: 409,
      body: { error: 'year-already-closed' },
    });
  });

  it('reopens a year only with a reason, and then takes its entries again', async () => {
    const before = await ledger.headPosition();
    expect(await ledger.post('/api/fiscal-years/2022/reopen', {}, { role: 'finance' })).toMatchObject({
      status: 400,
      body: { error: 'reopen-reason-required', field: 'reason' },
    });
    expect(await ledger.headPosition()).toBe(before);
    expectOk(
      await ledger.post('/api/fiscal-years/2022/reopen', { reason: '补记5月未入账的拨款' }, { role: 'finance' }),
    );
    expectOk(await ledger.post(`${P}/receipts`, receipt('R-2022', '2022-05-01'), { role: 'clerk' }));
    expect(await ledger.post('/api/fiscal-years/2022/reopen', { reason: '再次' }, { role: 'finance' })).toMatchObject({
      status: 409,
      body: { error: 'year-not-closed' },
    });
  });

  it('lists each year with its state and the acts, as events', async () => {
    const years = expectOk(await ledger.get('/api/fiscal-years', 'viewer')).body;
    expect(years).toEqual([
      {
        fiscalYear: 2022,
        status: 'open',
        revision: 1,
        history: [
          { act: 'closed', on: expect.any(String), reason: '2022年度年终结账', by: 'u-finance' },
          { act: 'reopened', on: expect.any(String), reason: '补记5月未入账的拨款', by: 'u-finance' },
        ],
      },
    ]);
    const events = expectOk(await ledger.get('/api/events?limit=1000', 'admin')).body;
    const types = events.events.map((e: { type: string }) => e.type);
    expect(types.filter((t: string) => t.startsWith('fiscal-year-'))).toEqual([
      'fiscal-year-closed.v1',
      'fiscal-year-reopened.v1',
    ]);
  });
});
