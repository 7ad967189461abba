/**
 * The policies a user reads (issue 16, points 2 and 6): GET /api/policies lists every dated rule
 * with its source and settings, those in force on a day (?asOf=) or of one rule (?family=); a
 * refusal names the rule it applied (`rule`), the version of the act's own date; the codes users
 * see carry the seed's Chinese names (GET /api/renovation-items).
 */
import { TestLedger, expectOk } from './support/test-app';

const P = '/api/projects/TN2021-031';

describe('policies over HTTP', () => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await TestLedger.start();
  });
  afterAll(() => ledger.stop());

  it('lists every rule with its source, dates and settings, to any signed-in role', async () => {
    const reply = await ledger.get('/api/policies', 'viewer');
    expect(reply.status).toBe(200);
    const byId = new Map<string, any>(reply.body.map((r: any) => [r.ruleId, r]));
    expect(byId.get('provident-fund-earmark')).toEqual({
      ruleId: 'provident-fund-earmark',
      family: 'provident-fund-earmark',
      title: { zh: '住房公积金仅用于加装电梯等自住住房改造', en: expect.any(String) },
      source: {
        document: '潼南府办发〔2021〕71号',
        clause: '四(一)',
        quote: '支持提取住房公积金用于加装电梯等自住住房改造。',
        provenance: 'seed',
        verified: true,
      },
      effectiveFrom: '2021-11-25',
      effectiveTo: null,
      settings: { lineRequired: true, items: ['elevator', 'own_home'] },
      silence: null,
    });
    // Integers beyond JSON numbers are decimal strings: a fee in fen, a vote's bound.
    expect(byId.get('one-meter-household-fee').settings).toEqual({ householdFeeFen: { water: '30000' } });
    expect(byId.get('civil-code-278').settings.quorum.area).toEqual({
      num: '2',
      den: '3',
      inclusive: true,
      text: '≥ 2/3',
    });
    expect(byId.get('pipeline-unit-drainage-local').source).toMatchObject({ provenance: 'local', quote: '' });
    expect(byId.get('pipeline-unit-drainage-local').silence).toContain('排水');
    expect((await ledger.request('GET', '/api/policies', { role: null })).status).toBe(401);
  });

  it('?asOf= gives the version of each rule in force that day; ?family= one rule', async () => {
    const before = (await ledger.get('/api/policies?asOf=2021-11-24')).body.map((r: any) => r.ruleId);
    const after = (await ledger.get('/api/policies?asOf=2021-11-25')).body.map((r: any) => r.ruleId);
    expect(before).toContain('provident-fund-earmark-before-seed');
    expect(before).not.toContain('provident-fund-earmark');
    expect(after).toContain('provident-fund-earmark');
    const families = (await ledger.get('/api/policies?asOf=2021-11-25')).body.map((r: any) => r.family);
    expect(new Set(families).size).toBe(families.length);
    const votes = (await ledger.get('/api/policies?family=owner-vote')).body;
    expect(votes.map((r: any) => [r.ruleId, r.effectiveFrom, r.effectiveTo])).toEqual([
      ['property-law-76', '2007-10-01', '2020-12-31'],
      ['civil-code-278', '2021-01-01', null],
    ]);
    expect(
      (await ledger.get('/api/policies?family=owner-vote&asOf=2020-06-01')).body.map((r: any) => r.ruleId),
    ).toEqual(['property-law-76']);
  });

  it('refuses what it cannot answer: an unknown family, a bad date, a parameter it does not take', async () => {
    const family = await ledger.get('/api/policies?family=lottery');
    expect([family.status, family.body.error, family.body.field]).toEqual([400, 'invalid-query', 'family']);
    const date = await ledger.get('/api/policies?asOf=2021-02-30');
    expect([date.status, date.body.error, date.body.field]).toEqual([400, 'invalid-date', 'asOf']);
    const other = await ledger.get('/api/policies?asof=2021-11-25');
    expect([other.status, other.body.error]).toEqual([400, 'invalid-query']);
  });

  it('names the rule a refusal applies, by the date of the act', async () => {
    expectOk(
      await ledger.post(
        '/api/projects',
        {
          projectId: 'TN2021-031',
          name: '桂林街道滨江片区城镇老旧小区改造项目',
          community: '滨江小区',
          town: '桂林街道',
          builtYear: 1995,
          buildingArea: 30000,
          households: 300,
        },
        { role: 'housing' },
      ),
    );
    expectOk(
      await ledger.post(
        `${P}/budget-lines`,
        { lineId: 'B1', category: 'basic', item: 'roof', estimatedCost: '100000.00' },
        { role: 'housing' },
      ),
    );
    const pledge = (pledgedOn: string) =>
      ledger.post(
        `${P}/pledges`,
        {
          pledgeId: `P-${pledgedOn}`,
          source: 'provident_fund',
          householdId: 'H-0601',
          amount: '100.00',
          payer: '重庆市住房公积金管理中心',
          fiscalYear: 2021,
          pledgedOn,
          lineId: 'B1',
        },
        { role: 'finance' },
      );
    const after = await pledge('2021-11-25');
    expect([after.status, after.body.error, after.body.field]).toEqual([422, 'source-line-mismatch', 'lineId']);
    expect(after.body.rule).toEqual({ ruleId: 'provident-fund-earmark', citation: '潼南府办发〔2021〕71号 四(一)' });
    const before = await pledge('2021-11-24');
    expect(before.body.rule.ruleId).toBe('provident-fund-earmark-before-seed');
  });

  it('labels the codes users see with the seed’s own names', async () => {
    const items = (await ledger.get('/api/renovation-items')).body;
    expect(items.basic).toContain('roof'); // the codes as before
    const category = (code: string) => items.categories.find((c: any) => c.code === code);
    expect(items.categories.map((c: any) => c.zh)).toEqual(['基础类', '完善类', '提升类']);
    expect(category('basic').items).toContainEqual({ code: 'drainage', zh: '排水管网', en: 'Drainage network' });
    expect(category('enhancement').items).toContainEqual(
      expect.objectContaining({ code: 'convenience_store', zh: '便利店' }),
    );
    expect(category('improvement').items.map((i: any) => i.zh)).toEqual(
      expect.arrayContaining(['加装电梯', '节能改造', '自住住房改造（适老化）']),
    );
    expect(items.approvalPaths).toContainEqual(
      expect.objectContaining({ code: 'plan_review', zh: '按改造方案审批（总投资1000万元以下）' }),
    );
    expect(items.milestones).toContainEqual(expect.objectContaining({ code: 'joint_acceptance', zh: '联合竣工验收' }));
  });
});
