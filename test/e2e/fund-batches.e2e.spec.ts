/**
 * Fund batches over HTTP, as the finance bureau uses them: a batch's allocations never exceed it,
 * receipts never exceed what remains of the allocation they name, and both hold when requests
 * race (two streams, each with its own optimistic concurrency); reversals and reallocation;
 * refusals write nothing, in either stream: every rule of the second write (the allocation
 * reactor's) is checked before the first.
 */
import { TestLedger, expectOk } from './support/test-app';

const project = (projectId: string) => ({
  projectId,
  name: `${projectId} 老旧小区改造`,
  community: `${projectId} 小区`,
  town: '桂林街道',
  builtYear: 1998,
  buildingArea: 12000,
  households: 150,
});
const batch = {
  batchId: 'YCJ2021-88',
  source: 'central_fiscal_subsidy',
  docNo: '渝财建〔2021〕88号',
  fiscalYear: 2021,
  amount: '1000000.00',
  issuedOn: '2021-06-01',
};
const B = '/api/fund-batches/YCJ2021-88';
const receipt = (receiptId: string, amount: string, allocationId?: string) => ({
  receiptId,
  source: 'central_fiscal_subsidy',
  amount,
  payer: '潼南区财政局',
  reference: '国库拨款',
  receivedOn: '2021-07-01',
  fiscalYear: 2021,
  ...(allocationId ? { allocationId } : {}),
});

describe('fund batches and their allocations', () => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await TestLedger.start();
    for (const id of ['TN-A', 'TN-B', 'TN-C'])
      expectOk(await ledger.post('/api/projects', project(id), { role: 'housing' }));
    expectOk(await ledger.post('/api/fund-batches', batch, { role: 'finance' }));
  });
  afterAll(() => ledger.stop());

  it('records a batch in its own stream and refuses sources that do not come in batches', async () => {
    const again = await ledger.post('/api/fund-batches', batch, { role: 'finance' });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('fund-batch-exists');
    const before = await ledger.eventCount();
    const resident = await ledger.post(
      '/api/fund-batches',
      { ...batch, batchId: 'X1', source: 'resident_direct' },
      { role: 'finance' },
    );
    expect(resident.status).toBe(422);
    expect(resident.body).toMatchObject({ error: 'source-not-batched', field: 'source' });
    const noProgram = await ledger.post(
      '/api/fund-batches',
      { ...batch, batchId: 'X2', source: 'municipal_subsidy' },
      { role: 'finance' },
    );
    expect(noProgram.body).toMatchObject({ error: 'sub-field-required', field: 'program' });
    const clerk = await ledger.post('/api/fund-batches', { ...batch, batchId: 'X3' }, { role: 'clerk' });
    expect(clerk.status).toBe(403);
    expect(await ledger.eventCount()).toBe(before);
  });

  it('allocates to a project in two streams and refuses an allocation that would exceed the batch, writing nothing', async () => {
    const ok = expectOk(
      await ledger.post(
        `${B}/allocations`,
        { allocationId: 'A1', projectId: 'TN-A', amount: '400000.00', allocatedOn: '2021-06-10' },
        { role: 'finance' },
      ),
    );
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      streamId: 'fundbatch-YCJ2021-88',
      events: [{ type: 'funds-allocated.v1' }],
      project: { streamId: 'project-TN-A', events: [{ type: 'allocation-recorded.v1' }] },
    });
    const before = await ledger.eventCount();
    const over = await ledger.post(
      `${B}/allocations`,
      { allocationId: 'A2', projectId: 'TN-B', amount: '600000.01' },
      { role: 'finance' },
    );
    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({ error: 'allocation-exceeds-batch', field: 'amount' });
    expect(over.body.message).toContain('600000.00');
    const unknown = await ledger.post(
      `${B}/allocations`,
      { allocationId: 'A2', projectId: 'TN-NONE', amount: '1.00' },
      { role: 'finance' },
    );
    expect(unknown.status).toBe(404);
    const noBatch = await ledger.post(
      '/api/fund-batches/NOPE/allocations',
      { allocationId: 'A2', projectId: 'TN-B', amount: '1.00' },
      { role: 'finance' },
    );
    expect(noBatch.body.error).toBe('fund-batch-not-found');
    expect(await ledger.eventCount()).toBe(before);
  });

  it('of two allocations sent at once that together exceed the batch, exactly one is written', async () => {
    // 600,000.00 remain: two of 400,000.00 cannot both fit.
    const replies = await Promise.all(
      ['A3', 'A4'].map((allocationId, i) =>
        ledger.post(
          `${B}/allocations`,
          { allocationId, projectId: i ? 'TN-B' : 'TN-C', amount: '400000.00' },
          { role: 'finance' },
        ),
      ),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([201, 422]);
    expect(replies.find((r) => r.status === 422)!.body.error).toBe('allocation-exceeds-batch');
    const events = expectOk(await ledger.get(`${B}/events`)).body;
    expect(
      events
        .filter((e: any) => e.type === 'funds-allocated.v1')
        .map((e: any) => e.data.allocationId)
        .sort(),
    ).toEqual(['A1', replies[0].status === 201 ? 'A3' : 'A4']);
  });

  it('a receipt naming an allocation never exceeds what remains of it, also when two are sent at once', async () => {
    const over = await ledger.post('/api/projects/TN-A/receipts', receipt('R-over', '400000.01', 'A1'), {
      role: 'clerk',
    });
    expect(over.body).toMatchObject({ error: 'receipt-exceeds-allocation', field: 'amount' });
    const wrongSource = await ledger.post(
      '/api/projects/TN-A/receipts',
      { ...receipt('R-ws', '1.00', 'A1'), source: 'district_matching' },
      { role: 'clerk' },
    );
    expect(wrongSource.body.error).toBe('allocation-source-mismatch');
    const otherProject = await ledger.post('/api/projects/TN-B/receipts', receipt('R-op', '1.00', 'A1'), {
      role: 'clerk',
    });
    expect(otherProject.body.error).toBe('allocation-not-found');
    const replies = await Promise.all(
      ['R1', 'R2'].map((id) =>
        ledger.post('/api/projects/TN-A/receipts', receipt(id, '250000.00', 'A1'), { role: 'clerk' }),
      ),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([201, 422]);
    expect(replies.find((r) => r.status === 422)!.body.error).toBe('receipt-exceeds-allocation');
    const state = (await ledger.get('/api/projects/TN-A')).body;
    expect(state.receipts.filter((r: any) => r.allocationId === 'A1').map((r: any) => r.amount)).toEqual(['250000.00']);
  });

  it('a reversal never gives back what receipts drew; a reallocation is a reversal plus a new allocation', async () => {
    const drawn = await ledger.post(
      `${B}/reversals`,
      { reversalId: 'AR1', allocationId: 'A1', reason: '调整' },
      { role: 'finance' },
    );
    expect(drawn.body).toMatchObject({ error: 'allocation-drawn', field: 'amount' });
    const part = expectOk(
      await ledger.post(
        `${B}/reversals`,
        { reversalId: 'AR1', allocationId: 'A1', amount: '150000.00', reason: '调整至 TN-C', reversedOn: '2021-08-01' },
        { role: 'finance' },
      ),
    );
    expect(part.body).toMatchObject({
      events: [{ type: 'allocation-reversed.v1' }],
      project: { streamId: 'project-TN-A', events: [{ type: 'allocation-released.v1' }] },
    });
    // The room is back in the batch: 200,000.00 + 150,000.00 unallocated, and it goes to TN-C.
    expectOk(
      await ledger.post(
        `${B}/allocations`,
        { allocationId: 'A5', projectId: 'TN-C', amount: '350000.00' },
        { role: 'finance' },
      ),
    );
    const over = await ledger.post(
      `${B}/allocations`,
      { allocationId: 'A6', projectId: 'TN-C', amount: '0.01' },
      { role: 'finance' },
    );
    expect(over.body.error).toBe('allocation-exceeds-batch');
    // What remains of A1 (400,000 − 150,000 − 250,000 drawn) is nothing: another receipt is refused.
    const none = await ledger.post('/api/projects/TN-A/receipts', receipt('R3', '0.01', 'A1'), { role: 'clerk' });
    expect(none.body.error).toBe('receipt-exceeds-allocation');
  });

  it('a receipt and a reversal racing on one allocation never both take the same money', async () => {
    // A3 or A4 (whichever won) holds 400,000.00 undrawn.
    const state = (await ledger.get('/api/projects/TN-B')).body;
    const [project, allocationId] = state.allocations?.some((a: any) => a.allocationId === 'A4')
      ? ['TN-B', 'A4']
      : ['TN-C', 'A3'];
    const [r, x] = await Promise.all([
      ledger.post(`/api/projects/${project}/receipts`, receipt('R-race', '300000.00', allocationId), { role: 'clerk' }),
      ledger.post(
        `${B}/reversals`,
        { reversalId: 'AR-race', allocationId, amount: '300000.00', reason: '撤回' },
        { role: 'finance' },
      ),
    ]);
    expect([r.status, x.status].sort()).toEqual([201, 422]);
  });

  it('repeats an allocation with its Idempotency-Key without writing again', async () => {
    const body = { allocationId: 'A7', projectId: 'TN-B', amount: '0.01' };
    // The batch is full: first give 1.00 back from A5 to make room.
    expectOk(
      await ledger.post(
        `${B}/reversals`,
        { reversalId: 'AR2', allocationId: 'A5', amount: '1.00', reason: '腾出额度' },
        { role: 'finance' },
      ),
    );
    const first = expectOk(
      await ledger.post(`${B}/allocations`, body, { role: 'finance', headers: { 'Idempotency-Key': 'alloc-7' } }),
    );
    const before = await ledger.eventCount();
    const again = expectOk(
      await ledger.post(`${B}/allocations`, body, { role: 'finance', headers: { 'Idempotency-Key': 'alloc-7' } }),
    );
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await ledger.eventCount()).toBe(before);
  });

  it('refuses a reversal dated before its allocation (date-before-allocation), writing nothing in either stream', async () => {
    // Issue 14: the project's release used to be written first, then refused by the batch, for good.
    const early = '/api/fund-batches/YCJ2021-14';
    expectOk(
      await ledger.post(
        '/api/fund-batches',
        { ...batch, batchId: 'YCJ2021-14', amount: '1000.00', issuedOn: '2021-01-01' },
        { role: 'finance' },
      ),
    );
    expectOk(
      await ledger.post(
        `${early}/allocations`,
        { allocationId: 'A14', projectId: 'TN-B', amount: '500.00', allocatedOn: '2021-06-01' },
        { role: 'finance' },
      ),
    );
    const before = await ledger.eventCount();
    const reversal = {
      reversalId: 'AR1',
      allocationId: 'A14',
      amount: '100.00',
      reason: 'x',
      reversedOn: '2021-05-01',
    };
    for (const key of ['rev-14', 'rev-14-again']) {
      const refused = await ledger.post(`${early}/reversals`, reversal, {
        role: 'finance',
        headers: { 'Idempotency-Key': key },
      });
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ error: 'date-before-allocation', field: 'reversedOn' });
    }
    expect(await ledger.eventCount()).toBe(before);
    const onProject = (await ledger.get('/api/projects/TN-B')).body.allocations.find(
      (a: any) => a.allocationId === 'A14',
    );
    expect(onProject).toMatchObject({ amount: '500.00', released: '0.00' });

    // With its date corrected it is made in both streams, which agree.
    const corrected = expectOk(
      await ledger.post(
        `${early}/reversals`,
        { ...reversal, reversedOn: '2021-06-01' },
        { role: 'finance', headers: { 'Idempotency-Key': 'rev-14-corrected' } },
      ),
    );
    expect(corrected.status).toBe(201);
    expect(corrected.body).toMatchObject({
      events: [{ type: 'allocation-reversed.v1' }],
      project: { streamId: 'project-TN-B', events: [{ type: 'allocation-released.v1' }] },
    });
    const batchEvents = expectOk(await ledger.get(`${early}/events`)).body;
    expect(batchEvents.at(-1)).toMatchObject({
      type: 'allocation-reversed.v1',
      data: { amount: '100.00', allocatedTotal: '400.00' },
    });
    expect(
      (await ledger.get('/api/projects/TN-B')).body.allocations.find((a: any) => a.allocationId === 'A14'),
    ).toMatchObject({ released: '100.00' });
  });
});
