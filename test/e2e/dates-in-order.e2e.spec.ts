/**
 * Issue 14 over HTTP: as of every business date a project is one the rules would have accepted
 * (defect 3), and the rules point 10 found missing; every refusal writes nothing.
 */
import { jointReviewInput } from '../support/lifecycle-fixtures';
import { Reply, TestLedger, expectOk } from './support/test-app';

const P = '/api/projects/TN2021-031';
const money = { payer: '潼南区财政局', reference: '国库集中支付', fiscalYear: 2021 };

describe('dates in order, and what a new user met', () => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await TestLedger.start();
    expectOk(
      await ledger.post(
        '/api/projects',
        {
          projectId: 'TN2021-031',
          name: '桂林街道南街片区城镇老旧小区改造项目',
          community: '南街小区',
          town: '桂林街道',
          builtYear: 1995,
          buildingArea: 20500.5,
          households: 240,
        },
        { role: 'housing' },
      ),
    );
    for (const l of [
      { lineId: 'B1', category: 'basic', item: 'facade', estimatedCost: '3000.00' },
      { lineId: 'I2', category: 'improvement', item: 'parking', estimatedCost: '2000.00' },
      { lineId: 'B3', category: 'basic', item: 'road', estimatedCost: '100.00' },
    ])
      expectOk(await ledger.post(`${P}/budget-lines`, l, { role: 'housing' }));
    expectOk(
      await ledger.post(
        `${P}/approval`,
        // before the seed (2021-11-25): the standard path, no joint review needed
        {
          approvedInvestment: '6000.00',
          docNo: '潼南发改〔2021〕31号',
          approvedOn: '2021-11-01',
          involvesIndependentInfrastructure: false,
        },
        { role: 'housing' },
      ),
    );
    expectOk(
      await ledger.post(
        `${P}/receipts`,
        { ...money, receiptId: 'R1', source: 'district_matching', amount: '1000.00', receivedOn: '2021-12-10' },
        { role: 'finance' },
      ),
    );
    expectOk(
      await ledger.post(
        `${P}/receipts`,
        {
          ...money,
          receiptId: 'R2',
          source: 'municipal_subsidy',
          program: 'parking',
          lineId: 'I2',
          amount: '500.00',
          receivedOn: '2021-12-10',
        },
        { role: 'finance' },
      ),
    );
  });
  afterAll(() => ledger.stop());

  /** Sends a write that must be refused with `error` (naming `field`), and checks that nothing was written. */
  async function refused(path: string, body: object, status: number, error: string, field?: string): Promise<Reply> {
    const before = await ledger.eventCount();
    const reply = await ledger.post(path, body, { role: 'finance' });
    expect({ status: reply.status, error: reply.body.error }).toEqual({ status, error });
    if (field !== undefined) expect(reply.body.field).toBe(field);
    expect(await ledger.eventCount()).toBe(before);
    return reply;
  }

  const payment = (overrides: object) => ({
    paymentId: 'D1',
    source: 'district_matching',
    lineId: 'B1',
    amount: '1000.00',
    payee: '重庆某建设公司',
    voucher: '国库 2021-001',
    paidOn: '2021-12-20',
    fiscalYear: 2021,
    ...overrides,
  });

  it('refuses a reversal dated before the receipt it reverses (422 date-before-entry)', async () => {
    await refused(
      `${P}/reversals`,
      { reversalId: 'X0', entryId: 'R1', reason: '退回', reversedOn: '2021-12-01' },
      422,
      'date-before-entry',
      'reversedOn',
    );
  });

  it('refuses a payment dated before any money was received (422 insufficient-funds-at-date)', async () => {
    await refused(`${P}/disbursements`, payment({ paidOn: '2021-12-05' }), 422, 'insufficient-funds-at-date', 'amount');
  });

  it('so the as-of view never shows negative money on any date', async () => {
    for (const asOf of ['2021-12-01', '2021-12-05', '2021-12-10']) {
      const mix = (await ledger.get(`${P}/funding-mix?asOf=${asOf}`)).body;
      for (const s of [...mix.sources, mix.totals]) {
        expect(s.received.startsWith('-')).toBe(false);
        expect(s.available.startsWith('-')).toBe(false);
      }
    }
    expect((await ledger.get(`${P}/funding-mix?asOf=2021-12-05`)).body.totals).toMatchObject({
      received: '0.00',
      available: '0.00',
    });
  });

  it('refuses a receipt dated years ahead (422 date-in-future), and one of another fiscal year (422 fiscal-year-mismatch)', async () => {
    const receipt = { ...money, receiptId: 'R9', source: 'district_matching', amount: '1.00' };
    await refused(
      `${P}/receipts`,
      { ...receipt, receivedOn: '2099-12-10', fiscalYear: 2099 },
      422,
      'date-in-future',
      'receivedOn',
    );
    await refused(
      `${P}/receipts`,
      { ...receipt, receivedOn: '2021-12-10', fiscalYear: 2019 },
      422,
      'fiscal-year-mismatch',
      'fiscalYear',
    );
  });

  it("refuses paying a parking programme's money to a facade line, as at receipt (422 source-line-mismatch)", async () => {
    await refused(
      `${P}/disbursements`,
      payment({ source: 'municipal_subsidy', amount: '500.00' }),
      422,
      'source-line-mismatch',
      'lineId',
    );
  });

  it("refuses a payment above its line's estimate (422 disbursement-exceeds-budget-line)", async () => {
    await refused(
      `${P}/disbursements`,
      payment({ lineId: 'B3', amount: '100.01' }),
      422,
      'disbursement-exceeds-budget-line',
      'amount',
    );
    expectOk(await ledger.post(`${P}/disbursements`, payment({ lineId: 'B3', amount: '100.00' }), { role: 'finance' }));
  });

  it('undoes a wrong reversal by reversing it, and the money counts again from the undo on', async () => {
    expectOk(
      await ledger.post(
        `${P}/reversals`,
        { reversalId: 'X1', entryId: 'R1', amount: '900.00', reason: '误认为重复入账', reversedOn: '2021-12-15' },
        { role: 'finance' },
      ),
    );
    expect((await ledger.get(`${P}/funding-mix`)).body.totals.received).toBe('600.00');
    const undo = expectOk(
      await ledger.post(
        `${P}/reversals`,
        { reversalId: 'X2', entryId: 'X1', reason: '冲销有误，予以恢复', reversedOn: '2021-12-18' },
        { role: 'finance' },
      ),
    );
    expect(undo.body.events.map((e: { type: string }) => e.type)).toEqual(['reversal-reversed.v1']);
    expect((await ledger.get(`${P}/funding-mix`)).body.totals.received).toBe('1500.00');
    expect((await ledger.get(`${P}/funding-mix?asOf=2021-12-16`)).body.totals.received).toBe('600.00');
    expect((await ledger.get('/api/projects')).body[0]).toMatchObject({ received: '1500.00' });
  });

  it('takes a budget line that exceeds the approved investment, then holds payments until approved again', async () => {
    const added = expectOk(
      await ledger.post(
        `${P}/budget-lines`,
        { lineId: 'B4', category: 'basic', item: 'roof', estimatedCost: '1000.00' },
        { role: 'housing' },
      ),
    );
    expect(added.body.events.map((e: { type: string }) => e.type)).toEqual(['budget-line-added.v1']);
    expect((await ledger.get(P)).body.status).toBe('reapproval_required');
    await refused(`${P}/disbursements`, payment({ paymentId: 'D2', amount: '1.00' }), 409, 'reapproval-required');
    // Under the seed the re-approval below 10,000,000.00 is on the plan, jointly reviewed first.
    expectOk(await ledger.post(`${P}/milestones`, jointReviewInput({ reviewedOn: '2022-01-05' }), { role: 'housing' }));
    expectOk(
      await ledger.post(
        `${P}/approval`,
        {
          approvedInvestment: '6100.00',
          docNo: '潼南发改〔2022〕5号',
          approvedOn: '2022-01-10',
          involvesIndependentInfrastructure: false,
        },
        { role: 'housing' },
      ),
    );
    expectOk(
      await ledger.post(`${P}/disbursements`, payment({ paymentId: 'D2', amount: '1.00' }), { role: 'finance' }),
    );
  });
});
