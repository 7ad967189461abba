/**
 * Issue 16, points 1-3, over HTTP: one project walked through every milestone of its life under
 * the seed, from the residents' consultation to the management model, with the approval on the
 * jointly reviewed plan; refusals name their code, field and policy rule and write nothing; a
 * late filing is recorded, not refused; the list of milestones shows the filing's deadline and
 * whether it was late; the registration shows the community's eligibility.
 */
import {
  acceptanceInput,
  completedInput,
  consultationInput,
  contractInput,
  determinationInput,
  filingInput,
  handoverInput,
  jointReviewInput,
  managementInput,
  publicityInput,
  startedInput,
  tenderInput,
} from '../support/lifecycle-fixtures';
import { MILESTONE_KINDS } from '../../src/project/project.events';
import { TestLedger, TestRole, expectOk } from './support/test-app';

const P = '/api/projects/TN2022-050';
const M = `${P}/milestones`;

describe("a project's life, milestone by milestone", () => {
  let ledger: TestLedger;
  const record = (body: object, role: TestRole = 'clerk', headers: Record<string, string> = {}) =>
    ledger.post(M, body, { role, headers });
  /** A refusal: its status, code, field and rule; nothing written. */
  async function refused(body: object, status: number, error: string, field?: string, ruleId?: string) {
    const before = await ledger.eventCount();
    const reply = await record(body, 'admin');
    expect({ status: reply.status, error: reply.body.error }).toEqual({ status, error });
    if (field !== undefined) expect(reply.body.field).toBe(field);
    if (ruleId !== undefined)
      expect(reply.body.rule).toEqual({ ruleId, citation: expect.stringContaining('潼南府办发〔2021〕71号') });
    expect(await ledger.eventCount()).toBe(before);
    return reply;
  }

  beforeAll(async () => {
    ledger = await TestLedger.start();
    expectOk(
      await ledger.post(
        '/api/projects',
        {
          projectId: 'TN2022-050',
          name: '桂林街道东升小区城镇老旧小区改造项目',
          community: '东升小区',
          town: '桂林街道',
          builtYear: 2003,
          buildingArea: 15800,
          households: 120,
          conditionJustification: '屋面渗漏、管网老化，无物业管理',
        },
        { role: 'housing' },
      ),
    );
  });
  afterAll(() => ledger.stop());

  it('records the eligibility of a community built in 2003 on its justification', async () => {
    expect((await ledger.get(P)).body.eligibility).toEqual({
      basis: 'pre2005_poor_condition',
      ruleId: 'eligibility-scope-seed',
      withinScope: true,
      reason: expect.stringContaining('2003'),
    });
  });

  it('consults the residents, publicizes the content and reviews the plan jointly', async () => {
    expectOk(await record(consultationInput()));
    await refused(
      publicityInput({ endDate: '2021-12-01' }),
      422,
      'publicity-too-short',
      'endDate',
      'publicity-minimum-seed',
    );
    expectOk(await record(publicityInput()));
    await refused(
      jointReviewInput({ reviewers: ['finance_bureau'] }),
      422,
      'joint-review-incomplete',
      'reviewers',
      'joint-review-seed',
    );
    expectOk(await record(jointReviewInput(), 'housing'));
  });

  it('approves on the reviewed plan, naming the rule', async () => {
    const approval = {
      approvedInvestment: '8000000.00',
      docNo: '潼南住建发〔2021〕40号',
      approvedOn: '2021-12-01',
      involvesIndependentInfrastructure: false,
    };
    const wrongPath = await ledger.post(`${P}/approval`, { ...approval, path: 'merged_fsr' }, { role: 'housing' });
    expect(wrongPath.status).toBe(422);
    expect(wrongPath.body).toMatchObject({
      error: 'approval-path-not-allowed',
      rule: { ruleId: 'approval-path-seed' },
    });
    expectOk(await ledger.post(`${P}/approval`, approval, { role: 'housing' }));
    expect((await ledger.get(P)).body.approval).toMatchObject({
      approvalPath: 'plan_review',
      ruleId: 'approval-path-seed',
      jointReviewId: 'JR-1',
      involvesIndependentInfrastructure: false,
    });
  });

  it('determines land, planning, drawing review and construction permit: an exemption its facts refuse writes nothing', async () => {
    expectOk(
      await record(
        determinationInput('land_procedure', {
          exemption: 'no_new_construction_land',
          facts: { newConstructionLand: false },
        }),
        'housing',
      ),
    );
    expectOk(
      await record(
        determinationInput('planning_permit', { exemption: 'landscaping', facts: { changesFireAccess: false } }),
        'housing',
      ),
    );
    expectOk(
      await record(
        determinationInput('drawing_review', {
          exemption: 'low_risk_commitment',
          facts: { commitmentMade: true, structureChanged: false, addedArea: '0' },
        }),
        'housing',
      ),
    );
    await refused(
      determinationInput('construction_permit', {
        exemption: 'added_area_below_500m2_or_investment_below_1m',
        facts: { addedArea: '500.00', investment: '1000000.00' },
      }),
      422,
      'exemption-not-allowed',
      'facts.addedArea',
      'construction-permit-exemptions-seed',
    );
    expectOk(await record(determinationInput('construction_permit', { permitNo: '潼南建施〔2022〕012号' }), 'housing'));
  });

  it('tenders, contracts, starts the works; refuses acceptance before completion', async () => {
    expectOk(await record(tenderInput(), 'finance'));
    await refused(
      contractInput({ payee: { name: '某公司', creditCode: '91500152MA5UTN001Q' } }),
      400,
      'invalid-credit-code',
      'payee.creditCode',
    );
    expectOk(await record(contractInput(), 'finance'));
    expectOk(await record(startedInput()));
    await refused(acceptanceInput(), 422, 'milestone-out-of-order', 'acceptedOn', 'milestone-order-seed');
    expectOk(await record(completedInput()));
  });

  it('accepts the works with resident representatives and records a late filing as late', async () => {
    expectOk(await record(acceptanceInput(), 'housing'));
    expectOk(await record(filingInput({ filedOn: '2022-11-02' })));
    expectOk(await record(handoverInput()));
    expectOk(await record(managementInput()));
  });

  it('lists every milestone in order, with the filing deadline and the late flag', async () => {
    const list = expectOk(await ledger.get(M)).body as { kind: string; date: string; [k: string]: unknown }[];
    // every kind, in the seed's sequence
    expect(list.map((m) => m.kind)).toEqual([...MILESTONE_KINDS]);
    const byKind = Object.fromEntries(list.map((m) => [m.kind, m]));
    // Accepted Friday 2022-10-14: 15 days is Saturday 2022-10-29, so the deadline is Monday 2022-10-31.
    expect(byKind.joint_acceptance).toMatchObject({ date: '2022-10-14', filingDeadline: '2022-10-31' });
    expect(byKind.acceptance_report_filed).toMatchObject({
      date: '2022-11-02',
      filingDeadline: '2022-10-31',
      late: true,
      ruleId: 'acceptance-filing-seed',
      details: { acceptanceId: 'ACC-1', acceptedOn: '2022-10-14' },
    });
    expect(byKind.construction_started).toMatchObject({
      date: '2022-03-01',
      docRefs: ['开工报告 2022-03-01'],
      actor: { id: 'u-clerk', role: 'clerk' },
      type: 'construction-started.v1',
    });
    expect(byKind.drawing_review).toMatchObject({ ruleId: 'drawing-review-exemptions-seed' });
  });

  it('takes Idempotency-Key and If-Match as every write does, and the roles of the project writes', async () => {
    const body = consultationInput({ milestoneId: 'CON-2', heldOn: '2022-11-20' });
    const first = expectOk(await record(body, 'clerk', { 'idempotency-key': 'con-2' }));
    const again = expectOk(await record(body, 'clerk', { 'idempotency-key': 'con-2' }));
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const stale = await record(consultationInput({ milestoneId: 'CON-3', heldOn: '2022-11-21' }), 'clerk', {
      'if-match': '"1"',
    });
    expect([stale.status, stale.body.error]).toEqual([412, 'revision-mismatch']);
    const viewer = await ledger.post(M, consultationInput({ milestoneId: 'CON-4' }), { role: 'viewer' });
    expect([viewer.status, viewer.body.error]).toEqual([403, 'forbidden']);
  });

  it('judges the body by its kind: 400 naming the field', async () => {
    const { startedOn: _startedOn, ...noDate } = startedInput({ milestoneId: 'START-9' });
    await refused(noDate, 400, 'missing-field', 'startedOn');
    await refused({ ...startedInput({ milestoneId: 'START-9' }), colour: 'red' }, 400, 'unknown-field', 'colour');
    await refused({ ...startedInput(), kind: 'groundbreaking' }, 400, 'invalid-field', 'kind');
    await refused({ milestoneId: 'X' }, 400, 'missing-field', 'kind');
    await refused(startedInput({ milestoneId: 'START-9', startedOn: '2022-13-01' }), 400, 'invalid-date', 'startedOn');
  });
});
