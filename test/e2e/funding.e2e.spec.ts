/**
 * The ledger end to end over HTTP: a project funded from every one of the 14 sources, with its
 * exact funding mix; idempotency, If-Match, refusal of JSON numbers, restart, auth, concurrency.
 */
import { jointReviewInput } from '../support/lifecycle-fixtures';
import { TestLedger, expectOk } from './support/test-app';

const P = '/api/projects/TN2021-017';
const register = {
  projectId: 'TN2021-017',
  name: '凉风垭街道建设路片区老旧小区改造',
  community: '建设路小区',
  town: '凉风垭街道',
  builtYear: 1996,
  buildingArea: 68500.5,
  households: 820,
};
const base = { payer: '付款方', reference: '银行流水', receivedOn: '2022-03-01', fiscalYear: 2022 };
const line = (lineId: string, category: string, item: string, estimatedCost: string, utility?: string) => ({
  lineId,
  category,
  item,
  estimatedCost,
  ...(utility ? { utility } : {}),
});

/** Receipts from every source; together 10,000,000.00, so each share is easy to check by hand. */
const receipts = [
  { receiptId: 'R01', source: 'resident_direct', amount: '330000.00', householdId: 'H-0101' },
  { receiptId: 'R02', source: 'maintenance_fund', amount: '200000.00', lineId: 'B1', voteId: 'V-FUND' },
  { receiptId: 'R03', source: 'provident_fund', amount: '100000.00', householdId: 'H-0602', planId: 'PL-ELEV' },
  { receiptId: 'R04', source: 'public_revenue', amount: '50000.00' },
  { receiptId: 'R05', source: 'resident_in_kind', amount: '50000.00', valuationBasis: '2000 工时 × 25.00' },
  { receiptId: 'R06', source: 'pipeline_unit', amount: '600000.00', lineId: 'B3', utility: 'gas' },
  { receiptId: 'R07', source: 'social_donation', amount: '100000.00', donorKind: 'enterprise' },
  { receiptId: 'R08', source: 'social_capital', amount: '500000.00', operatingRights: '停车场经营权 10 年' },
  { receiptId: 'R09', source: 'central_budget_investment', amount: '1000000.00', lineId: 'B2' },
  { receiptId: 'R10', source: 'central_fiscal_subsidy', amount: '3000000.00', lineId: 'B1' },
  { receiptId: 'R11', source: 'municipal_subsidy', amount: '600000.00', lineId: 'E1', program: 'elderly_care' },
  { receiptId: 'R12', source: 'district_matching', amount: '2000000.00', pledgeId: 'P12' },
  { receiptId: 'R13', source: 'special_bond', amount: '1000000.00', bondId: '2022 重庆专项债 7 期' },
  { receiptId: 'R14', source: 'bank_loan', amount: '500000.00', lender: '重庆农村商业银行' },
];

describe('a project funded from every source', () => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await TestLedger.start();
    expectOk(await ledger.post('/api/projects', register, { role: 'housing' }));
    for (const l of [
      line('B1', 'basic', 'roof', '4000000.00'),
      line('B2', 'basic', 'drainage', '1500000.00', 'drainage'),
      line('B3', 'basic', 'gas', '600000.00', 'gas'),
      line('I1', 'improvement', 'elevator', '600000.00'),
      line('I2', 'improvement', 'parking', '1700000.00'),
      line('E1', 'enhancement', 'elderly_care', '1600000.00'),
    ])
      expectOk(await ledger.post(`${P}/budget-lines`, l, { role: 'housing' }));
    expectOk(
      await ledger.post(
        `${P}/approval`,
        {
          approvedInvestment: '10000000.00',
          docNo: '潼南发改〔2022〕17号',
          approvedOn: '2022-02-15',
          involvesIndependentInfrastructure: false,
        },
        { role: 'housing' },
      ),
    );
    expectOk(
      await ledger.post(
        `${P}/pledges`,
        {
          pledgeId: 'P12',
          source: 'district_matching',
          amount: '2500000.00',
          payer: '潼南区财政局',
          fiscalYear: 2022,
          pledgedOn: '2022-02-20',
        },
        { role: 'finance' },
      ),
    );
    // The residents' side the residents' receipts need: a withdrawal finances a household's share
    // of a plan (domain.md R-CS7), and on a project with a register the maintenance fund is used
    // under a passed fund_use vote (民法典 第二百七十八条).
    const household = (householdId: string, floor: number, room: string) => ({
      householdId,
      building: '1',
      unit: '1',
      floor,
      room,
      buildingArea: '60.00',
      ownerKey: `OK-${householdId}`,
    });
    const clerk = (path: string, body: object) => ledger.post(`${P}/${path}`, body, { role: 'clerk' });
    expectOk(await clerk('households', { households: [household('H-0101', 1, '101'), household('H-0602', 6, '602')] }));
    const agreeing = [
      { householdId: 'H-0101', choice: 'agree' },
      { householdId: 'H-0602', choice: 'agree' },
    ];
    for (const [voteId, matter] of [
      ['V-ELEV', 'alteration'],
      ['V-FUND', 'fund_use'],
    ])
      expectOk(await clerk('votes', { voteId, matter, scope: { all: true }, heldOn: '2022-02-16', ballots: agreeing }));
    expectOk(
      await clerk('cost-shares', {
        planId: 'PL-ELEV',
        lineIds: ['I1'],
        amount: '100000.00',
        scope: { all: true },
        key: { kind: 'household' },
        exempt: ['H-0101'],
        voteId: 'V-ELEV',
      }),
    );
    for (const r of receipts) expectOk(await ledger.post(`${P}/receipts`, { ...base, ...r }, { role: 'clerk' }));
    expectOk(
      await ledger.post(
        `${P}/disbursements`,
        {
          paymentId: 'D1',
          source: 'central_fiscal_subsidy',
          lineId: 'B1',
          amount: '1200000.00',
          payee: '重庆某建设公司',
          voucher: '国库 001',
          paidOn: '2022-05-10',
          fiscalYear: 2022,
        },
        { role: 'finance' },
      ),
    );
    expectOk(
      await ledger.post(
        `${P}/disbursements`,
        {
          paymentId: 'D2',
          source: 'district_matching',
          lineId: 'I2',
          amount: '500000.00',
          payee: '重庆某建设公司',
          voucher: '国库 002',
          paidOn: '2022-05-12',
          fiscalYear: 2022,
        },
        { role: 'finance' },
      ),
    );
    // A partial correction: 30,000.00 of the residents' payment was booked twice.
    expectOk(
      await ledger.post(
        `${P}/reversals`,
        { reversalId: 'X1', entryId: 'R01', amount: '30000.00', reason: '重复入账', reversedOn: '2022-03-05' },
        { role: 'finance' },
      ),
    );
  });
  afterAll(() => ledger.stop());

  it('serves the exact mix per source, net of reversals, with shares summing to 100.00', async () => {
    const mix = (await ledger.get(`${P}/funding-mix`)).body;
    const bySource = Object.fromEntries(mix.sources.map((s: any) => [s.source, s]));
    expect(Object.keys(bySource)).toHaveLength(14);
    expect(bySource.resident_direct).toMatchObject({ received: '300000.00', share: '3.00', tier: 'resident' });
    expect(bySource.central_fiscal_subsidy).toMatchObject({
      received: '3000000.00',
      disbursed: '1200000.00',
      available: '1800000.00',
      share: '30.00',
    });
    expect(bySource.district_matching).toMatchObject({
      pledged: '2500000.00',
      received: '2000000.00',
      disbursed: '500000.00',
      available: '1500000.00',
      share: '20.00',
    });
    expect(bySource.resident_in_kind).toMatchObject({ received: '50000.00', share: '0.50', inKind: true });
    expect(bySource.pipeline_unit).toMatchObject({ received: '600000.00', share: '6.00', tier: 'utility' });
    expect(mix.totals).toEqual({
      pledged: '2500000.00',
      received: '10000000.00',
      disbursed: '1700000.00',
      available: '8300000.00',
      share: '100.00',
    });
    // 现金 and 实物/投工投劳 apart (issue 18 point 8): the labour valued is the only entry in kind.
    expect(mix.byKind).toEqual({
      cash: { received: '9950000.00', disbursed: '1700000.00', available: '8250000.00' },
      inKind: { received: '50000.00', disbursed: '0.00', available: '50000.00' },
    });
    const tiers = Object.fromEntries(mix.tiers.map((t: any) => [t.tier, t.share]));
    expect(tiers).toEqual({
      resident: '7.00',
      utility: '6.00',
      social: '6.00',
      central: '40.00',
      municipal: '6.00',
      district: '20.00',
      debt: '15.00',
    });
  });

  it('lists the project with its totals and approval path', async () => {
    const list = (await ledger.get('/api/projects')).body;
    expect(list).toEqual([
      expect.objectContaining({
        projectId: 'TN2021-017',
        status: 'approved',
        approvalPath: 'merged_fsr',
        approvedInvestment: '10000000.00',
        received: '10000000.00',
        disbursed: '1700000.00',
      }),
    ]);
    // The project's own view names the rule the path was decided by, and the community's eligibility.
    const project = (await ledger.get(P)).body;
    expect(project.approval).toMatchObject({
      approvalPath: 'merged_fsr',
      ruleId: 'approval-path-seed',
      involvesIndependentInfrastructure: false,
    });
    expect(project.eligibility).toMatchObject({
      basis: 'pre2000',
      withinScope: true,
      ruleId: 'eligibility-scope-seed',
    });
  });

  it('serves the history with actor, command and correlation ids', async () => {
    const events = (await ledger.get(`${P}/events`)).body;
    expect(events[0]).toMatchObject({
      type: 'project-registered.v2',
      revision: 0,
      actor: { id: 'u-housing', role: 'housing' },
    });
    expect(events.at(-1)).toMatchObject({
      type: 'entry-reversed.v1',
      data: { entryId: 'R01', amount: '30000.00', full: false },
    });
    expect(events.every((e: any) => e.commandId && e.correlationId && e.causationId && e.recordedAt && e.hash)).toBe(
      true,
    );
  });

  it('answers the same after a restart', async () => {
    const before = [
      (await ledger.get(`${P}/funding-mix`)).body,
      (await ledger.get('/api/projects')).body,
      (await ledger.get(P)).body,
    ];
    await ledger.restart();
    const after = [
      (await ledger.get(`${P}/funding-mix`)).body,
      (await ledger.get('/api/projects')).body,
      (await ledger.get(P)).body,
    ];
    expect(after).toEqual(before);
  });

  it('shows the mix as of a date before a receipt, and as known before it was recorded', async () => {
    const early = (await ledger.get(`${P}/funding-mix?asOf=2022-02-28`)).body;
    expect(early.totals.received).toBe('0.00');
    expect(early.totals.pledged).toBe('2500000.00');
    expect(early.bounds.asOf).toBe('2022-02-28');
    const before = (await ledger.get(`${P}/funding-mix?knownAt=2000-01-01T00:00:00Z`)).body;
    expect(before.sources).toEqual([]);
  });
});

describe('writes are safe to repeat and refuse what is wrong, writing nothing', () => {
  let ledger: TestLedger;
  const Q = '/api/projects/TN2022-001';
  beforeAll(async () => {
    ledger = await TestLedger.start();
    expectOk(await ledger.post('/api/projects', { ...register, projectId: 'TN2022-001' }, { role: 'housing' }));
    expectOk(await ledger.post(`${Q}/budget-lines`, line('B1', 'basic', 'roof', '500000.00'), { role: 'housing' }));
    expectOk(await ledger.post(`${Q}/milestones`, jointReviewInput({ reviewedOn: '2022-02-10' }), { role: 'housing' }));
    expectOk(
      await ledger.post(
        `${Q}/approval`,
        {
          approvedInvestment: '600000.00',
          docNo: '潼南发改〔2022〕9号',
          approvedOn: '2022-02-15',
          involvesIndependentInfrastructure: false,
        },
        { role: 'housing' },
      ),
    );
  });
  afterAll(() => ledger.stop());

  const receipt = { ...base, receiptId: 'R1', source: 'district_matching', amount: '100.00' };

  it('repeating a write with its Idempotency-Key returns the first answer and writes nothing', async () => {
    const first = expectOk(await ledger.post(`${Q}/receipts`, receipt, { headers: { 'Idempotency-Key': 'k-1' } }));
    const count = await ledger.eventCount();
    const again = expectOk(await ledger.post(`${Q}/receipts`, receipt, { headers: { 'Idempotency-Key': 'k-1' } }));
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await ledger.eventCount()).toBe(count);
  });

  it('the same key with another body is 409 idempotency-key-reused', async () => {
    const count = await ledger.eventCount();
    const reply = await ledger.post(
      `${Q}/receipts`,
      { ...receipt, receiptId: 'R2' },
      { headers: { 'Idempotency-Key': 'k-1' } },
    );
    expect(reply.status).toBe(409);
    expect(reply.body.error).toBe('idempotency-key-reused');
    expect(await ledger.eventCount()).toBe(count);
  });

  it('a write without a key gets one, returned in the Idempotency-Key header', async () => {
    const reply = expectOk(await ledger.post(`${Q}/receipts`, { ...receipt, receiptId: 'R3' }));
    expect(reply.headers.get('idempotency-key')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a stale If-Match is 412 and writes nothing', async () => {
    const state = await ledger.get(Q);
    const etag = state.headers.get('etag')!;
    const count = await ledger.eventCount();
    const stale = `"${Number(JSON.parse(etag)) - 1}"`;
    const reply = await ledger.post(
      `${Q}/receipts`,
      { ...receipt, receiptId: 'R4' },
      { headers: { 'If-Match': stale } },
    );
    expect(reply.status).toBe(412);
    expect(reply.body.error).toBe('revision-mismatch');
    expect(await ledger.eventCount()).toBe(count);
    expectOk(await ledger.post(`${Q}/receipts`, { ...receipt, receiptId: 'R4' }, { headers: { 'If-Match': etag } }));
  });

  // A revision is what ETag gave, a whole number from 0: "-1" was taken as a revision and 412.
  it.each(['"-1"', '-1', 'W/"-2"', '"abc"', '"1.5"', '""'])(
    'an If-Match of %s is 400 invalid-if-match naming the header, not 412, and writes nothing',
    async (ifMatch) => {
      const count = await ledger.eventCount();
      const reply = await ledger.post(
        `${Q}/receipts`,
        { ...receipt, receiptId: 'R-IFM' },
        { headers: { 'If-Match': ifMatch } },
      );
      expect({ status: reply.status, error: reply.body.error, field: reply.body.field }).toEqual({
        status: 400,
        error: 'invalid-if-match',
        field: 'If-Match',
      });
      expect(reply.body.message).toMatch(/^If-Match must be a stream revision/);
      expect(await ledger.eventCount()).toBe(count);
    },
  );

  it('a JSON number where an amount belongs is 400 naming the field', async () => {
    const count = await ledger.eventCount();
    const reply = await ledger.post(`${Q}/receipts`, { ...receipt, receiptId: 'R5', amount: 100 });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ error: 'invalid-amount', field: 'amount' });
    expect(await ledger.eventCount()).toBe(count);
  });

  it.each([
    ['three decimals', { amount: '1.001' }, 'invalid-amount', 'amount'],
    ['an exponent', { amount: '1e3' }, 'invalid-amount', 'amount'],
    ['a negative amount', { amount: '-5.00' }, 'invalid-amount', 'amount'],
    ['an unknown field', { colour: 'red' }, 'unknown-field', 'colour'],
    ['a missing field', { payer: undefined }, 'missing-field', 'payer'],
    ['an unknown source', { source: 'lottery' }, 'unknown-source', 'source'],
    ['a sub-field of another source', { utility: 'gas' }, 'sub-field-not-allowed', 'utility'],
  ])('%s is 400 with a code and the field', async (_what, change, code, field) => {
    const count = await ledger.eventCount();
    const reply = await ledger.post(`${Q}/receipts`, { ...receipt, receiptId: 'R6', ...change });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ error: code, field });
    expect(await ledger.eventCount()).toBe(count);
  });

  it.each(['constructor', '__proto__', 'hasOwnProperty', 'toString'])(
    'a body naming %s is 400 unknown-field, and nothing is written',
    async (key) => {
      const count = await ledger.eventCount();
      for (const value of ['null', '{}', '"x"']) {
        const rawBody = `${JSON.stringify({ ...receipt, receiptId: 'R8' }).slice(0, -1)},"${key}":${value}}`;
        const reply = await ledger.request('POST', `${Q}/receipts`, { rawBody });
        expect(reply.status).toBe(400);
        expect(reply.body).toMatchObject({ error: 'unknown-field', field: key });
      }
      expect(await ledger.eventCount()).toBe(count);
    },
  );

  it('malformed JSON and a non-object body are 400', async () => {
    expect((await ledger.request('POST', `${Q}/receipts`, { rawBody: '{bad' })).body.error).toBe('invalid-json');
    expect((await ledger.request('POST', `${Q}/receipts`, { rawBody: '[1]' })).body.error).toBe('invalid-body');
  });

  it('money for an unregistered project is 404, and nothing is written', async () => {
    const count = await ledger.eventCount();
    const reply = await ledger.post('/api/projects/NOPE-1/receipts', receipt);
    expect(reply.status).toBe(404);
    expect(reply.body.error).toBe('project-not-found');
    expect(await ledger.eventCount()).toBe(count);
  });

  it('authentication: 401 without a token, 403 for a role that may not write, reads for any role', async () => {
    expect((await ledger.request('GET', '/api/projects', { role: null })).status).toBe(401);
    const forbidden = await ledger.post(`${Q}/receipts`, { ...receipt, receiptId: 'R7' }, { role: 'viewer' });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error).toBe('forbidden');
    expect(
      (await ledger.post(`${Q}/budget-lines`, line('B9', 'basic', 'road', '1.00'), { role: 'finance' })).status,
    ).toBe(403);
    expect((await ledger.get('/api/funding-sources', 'auditor')).body).toHaveLength(14);
  });

  it('concurrent writers never see a spurious conflict and never break a rule together', async () => {
    // 1,000.00 received and unpaid; 30 payments of 50.00 race for it: exactly 20 fit.
    expectOk(
      await ledger.post(`${Q}/receipts`, {
        ...receipt,
        receiptId: 'R-CONC',
        amount: '1000.00',
        source: 'special_bond',
      }),
    );
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        ledger.post(`${Q}/disbursements`, {
          paymentId: `D-${i}`,
          source: 'special_bond',
          lineId: 'B1',
          amount: '50.00',
          payee: '施工单位',
          voucher: `V${i}`,
          paidOn: '2022-06-01',
          fiscalYear: 2022,
        }),
      ),
    );
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(replies.filter((r) => r.status !== 201).every((r) => r.body.error === 'disbursement-exceeds-receipts')).toBe(
      true,
    );
    const mix = (await ledger.get(`${Q}/funding-mix`)).body;
    expect(mix.sources.find((s: any) => s.source === 'special_bond')).toMatchObject({
      received: '1000.00',
      disbursed: '1000.00',
      available: '0.00',
    });
  });

  it('shares split by largest remainder sum to exactly 100.00', async () => {
    const T = '/api/projects/TN2022-003';
    expectOk(await ledger.post('/api/projects', { ...register, projectId: 'TN2022-003' }, { role: 'housing' }));
    for (const [i, source] of ['resident_direct', 'public_revenue', 'district_matching'].entries()) {
      expectOk(await ledger.post(`${T}/receipts`, { ...base, receiptId: `R${i}`, source, amount: '100.00' }));
    }
    const mix = (await ledger.get(`${T}/funding-mix`)).body;
    expect(mix.sources.map((s: any) => s.share)).toEqual(['33.34', '33.33', '33.33']);
    expect(mix.totals.share).toBe('100.00');
  });
});
