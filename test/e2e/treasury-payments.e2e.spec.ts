/**
 * A treasury direct payment (国库集中支付·直接支付) over HTTP: the treasury pays the contractor from
 * the project's allocation, so one request records the money received on the allocation and paid
 * at once. It shows once as received and once as disbursed in the funding mix, the project list,
 * the sources report and the fund-batch list, with every conservation check holding; it is checked
 * as the receipt and the payment would be, and a reversal takes back both sides.
 */
import { approvedProjectOverHttp } from '../support/http-project-fixtures';
import { TestLedger, expectOk } from './support/test-app';

const CFS = 'central_fiscal_subsidy';
const P = '/api/projects/TN-T';

describe('treasury direct payments', () => {
  let ledger: TestLedger;
  const post = async (path: string, body: unknown, role: 'housing' | 'finance' | 'clerk' = 'finance') =>
    expectOk(await ledger.post(path, body, { role }));
  const treasuryPayment = (paymentId: string, amount: string, overrides: Record<string, unknown> = {}) => ({
    paymentId,
    allocationId: 'A1',
    lineId: 'B1',
    amount,
    payee: '重庆某建设工程有限公司',
    voucher: `国库支付凭证 ${paymentId}`,
    paidOn: '2021-09-15',
    ...overrides,
  });
  const mixOf = async () =>
    expectOk(await ledger.get(`${P}/funding-mix`)).body.sources.find((s: any) => s.source === CFS);
  const sourcesReport = async () => expectOk(await ledger.get('/api/reports/sources?fiscalYear=2021')).body;

  beforeAll(async () => {
    ledger = await TestLedger.start();
    await approvedProjectOverHttp((path, body) => post(path, body, 'housing'), 'TN-T', {
      docNo: '潼南住建〔2021〕7号',
      approvedOn: '2021-05-20',
    });
    await post('/api/fund-batches', {
      batchId: 'YCJ2021-88',
      source: CFS,
      docNo: '渝财建〔2021〕88号',
      fiscalYear: 2021,
      amount: '1000000.00',
      issuedOn: '2021-06-01',
    });
    await post('/api/fund-batches/YCJ2021-88/allocations', {
      allocationId: 'A1',
      projectId: 'TN-T',
      amount: '600000.00',
      allocatedOn: '2021-06-10',
    });
    // Money that passed through the project's account: received, then partly paid.
    await post(
      `${P}/receipts`,
      {
        receiptId: 'R1',
        source: CFS,
        amount: '100000.00',
        payer: '潼南区财政局',
        reference: '国库拨款 R1',
        receivedOn: '2021-07-01',
        fiscalYear: 2021,
        allocationId: 'A1',
      },
      'clerk',
    );
    await post(`${P}/disbursements`, {
      paymentId: 'D1',
      source: CFS,
      lineId: 'B1',
      amount: '40000.00',
      payee: '重庆某建设工程有限公司',
      voucher: '付款凭证 D1',
      paidOn: '2021-08-01',
      fiscalYear: 2021,
      allocationId: 'A1',
    });
  });
  afterAll(() => ledger.stop());

  it('records one event that spends the allocation and pays the payee, in the fiscal year of the allocation', async () => {
    const written = await post(`${P}/treasury-payments`, treasuryPayment('TP1', '250000.00'));
    expect(written.status).toBe(201);
    expect(written.body.events).toEqual([expect.objectContaining({ type: 'treasury-payment-made.v1' })]);
    const events = expectOk(await ledger.get(`${P}/events`)).body;
    expect(events.filter((e: any) => e.type === 'treasury-payment-made.v1').map((e: any) => e.data)).toEqual([
      expect.objectContaining({
        paymentId: 'TP1',
        source: CFS,
        allocationId: 'A1',
        batchId: 'YCJ2021-88',
        amount: '250000.00',
        fiscalYear: 2021,
      }),
    ]);
    const project = expectOk(await ledger.get(P)).body;
    expect(project.treasuryPayments).toEqual([expect.objectContaining({ id: 'TP1', amount: '250000.00' })]);
    expect(project.receipts.map((e: any) => e.id)).toEqual(['R1']);
    expect(project.payments.map((e: any) => e.id)).toEqual(['D1']);
    expect(project.allocations[0]).toMatchObject({
      received: '350000.00',
      disbursed: '290000.00',
      undrawn: '250000.00',
    });
  });

  it('shows once as received and once as disbursed in the funding mix, the project list and the fund batches', async () => {
    expect(await mixOf()).toMatchObject({ received: '350000.00', disbursed: '290000.00', available: '60000.00' });
    const listed = expectOk(await ledger.get('/api/projects')).body;
    expect((listed.items ?? listed).find((p: any) => p.projectId === 'TN-T')).toMatchObject({
      received: '350000.00',
      disbursed: '290000.00',
    });
    const batches = expectOk(await ledger.get('/api/fund-batches')).body;
    expect(batches.batches.find((b: any) => b.batchId === 'YCJ2021-88')).toMatchObject({
      allocated: '600000.00',
      received: '350000.00',
      disbursed: '290000.00',
      available: '60000.00',
    });
  });

  it('shows once as received and once as disbursed in the sources report, and every conservation check holds', async () => {
    const report = await sourcesReport();
    expect(report.rows.map((r: any) => [r.source, r.projectId, r.allocated, r.received, r.disbursed])).toEqual([
      [CFS, 'TN-T', '600000.00', '350000.00', '290000.00'],
    ]);
    expect(report.totals).toMatchObject({ received: '350000.00', disbursed: '290000.00', available: '60000.00' });
    expect(report.checks.filter((c: any) => !c.holds)).toEqual([]);
    expect(report.checks.find((c: any) => c.name === 'received-adds-up').figures).toEqual({
      bySource: '350000.00',
      byProject: '350000.00',
      total: '350000.00',
    });
  });

  it('is refused as the receipt would be, beyond what the allocation has undrawn, and writes nothing', async () => {
    const before = await ledger.eventCount();
    const over = await ledger.post(`${P}/treasury-payments`, treasuryPayment('TP2', '250000.01'), { role: 'finance' });
    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({ error: 'receipt-exceeds-allocation', field: 'amount' });
    const early = await ledger.post(
      `${P}/treasury-payments`,
      treasuryPayment('TP2', '1.00', { paidOn: '2021-06-01' }),
      {
        role: 'finance',
      },
    );
    expect(early.body).toMatchObject({ error: 'date-before-allocation', field: 'paidOn' });
    const noLine = await ledger.post(`${P}/treasury-payments`, treasuryPayment('TP2', '1.00', { lineId: 'B9' }), {
      role: 'finance',
    });
    expect(noLine.body).toMatchObject({ error: 'budget-line-not-found', field: 'lineId' });
    const viewer = await ledger.post(`${P}/treasury-payments`, treasuryPayment('TP2', '1.00'), { role: 'viewer' });
    expect(viewer.status).toBe(403);
    expect(await ledger.eventCount()).toBe(before);
  });

  it('is reversed like any entry: a reversal takes back both sides, and the checks still hold', async () => {
    await post(`${P}/reversals`, {
      reversalId: 'X1',
      entryId: 'TP1',
      amount: '50000.00',
      reason: '国库退回多付工程款',
      reversedOn: '2021-10-01',
    });
    expect(await mixOf()).toMatchObject({ received: '300000.00', disbursed: '240000.00', available: '60000.00' });
    const report = await sourcesReport();
    expect(report.totals).toMatchObject({ received: '300000.00', disbursed: '240000.00' });
    expect(report.checks.filter((c: any) => !c.holds)).toEqual([]);
    const batches = expectOk(await ledger.get('/api/fund-batches')).body;
    expect(batches.batches[0]).toMatchObject({ received: '300000.00', disbursed: '240000.00' });
  });
});
