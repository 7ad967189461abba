/**
 * The residents' share end to end over HTTP (issue 15, points 1-5): a register of households,
 * owners' votes (domain.md §1's example), cost-sharing plans (domain.md §4 Examples A and B),
 * household payments by every channel (direct, provident fund, maintenance fund under a vote),
 * the household's statement and the plan's public notice; one room one household, no vote held
 * after it is recorded, R-CS6 both ways, no provident fund without a plan. A refusal writes
 * nothing; personal data (household ids, owner keys) is masked for a viewer and absent from the
 * notice.
 */
import { Workbook } from 'exceljs';
import { EXAMPLE_A } from '../support/cost-sharing-examples';
import { STAIRWELL_ROOMS } from '../support/resident-fixtures';
import { jointReviewInput } from '../support/lifecycle-fixtures';
import { TOKENS, TestLedger, expectOk } from './support/test-app';

const PROJECT = 'TN2022-RS';
const OTHER_TOWN_CLERK = 'zitong-clerk-token-00001';
const P = `/api/projects/${PROJECT}`;
const unit = (building: string, u: string, room: string, buildingArea: string, extra: object = {}) => ({
  householdId: `H-${building}-${u}-${room}`,
  building,
  unit: u,
  floor: Number(room.slice(0, -2)),
  room,
  buildingArea,
  ownerKey: `OK-${building}-${u}-${room}`,
  ...extra,
});
/** Example A's stairwell: building 3, unit 2, twelve units of 60 m². */
const STAIRWELL = STAIRWELL_ROOMS.map((room) => unit('3', '2', room, '60.00'));
/** domain.md §1's failing case: building 7, unit 1, 720 m² with 80 m² on floor 1 and 40 m² on floor 3. */
const AREAS_7: Record<string, string> = { '101': '80.00', '102': '80.00', '301': '40.00', '302': '40.00' };
const STAIRWELL_7 = STAIRWELL_ROOMS.map((room) => unit('7', '1', room, AREAS_7[room] ?? '60.00'));
/** Example B: three units of building 5 (55.3 / 72.1 / 88.6 m²), one owner holding two of them. */
const BUILDING_5 = [
  unit('5', '1', '101', '55.30', { exclusiveArea: '45.00', ownerKey: 'OK-WANG' }),
  unit('5', '1', '201', '72.10', { ownerKey: 'OK-WANG' }),
  unit('5', '1', '301', '88.60', { tenure: '房改房' }),
];
const ballots = (building: string, u: string, rooms: string[], choice: string) =>
  rooms.map((room) => ({ householdId: `H-${building}-${u}-${room}`, choice }));
const FLOORS_3_TO_6 = ['301', '302', '401', '402', '501', '502', '601', '602'];
const receipt = (receiptId: string, body: object) => ({
  receiptId,
  amount: '1000.00',
  payer: '住户',
  reference: '银行回单',
  receivedOn: '2022-04-01',
  fiscalYear: 2022,
  ...body,
});

describe("the residents' share over HTTP", () => {
  let ledger: TestLedger;
  const housing = (path: string, body: object) => ledger.post(path, body, { role: 'housing' });
  const clerk = (path: string, body: object, headers: Record<string, string> = {}) =>
    ledger.post(path, body, { role: 'clerk', headers });

  beforeAll(async () => {
    ledger = await TestLedger.start({
      extraTokens: [
        { token: OTHER_TOWN_CLERK, actorId: 'zitong-clerk', role: 'clerk', org: '梓潼街道办事处', towns: ['梓潼街道'] },
      ],
    });
    expectOk(
      await housing('/api/projects', {
        projectId: PROJECT,
        name: '居民分摊测试小区改造',
        community: '分摊测试小区',
        town: '桂林街道',
        builtYear: 1996,
        buildingArea: 20000,
        households: 240,
      }),
    );
    for (const line of [
      { lineId: 'I1', category: 'improvement', item: 'elevator', estimatedCost: '600000.00' },
      { lineId: 'B1', category: 'basic', item: 'roof', estimatedCost: '300000.00' },
      { lineId: 'I2', category: 'improvement', item: 'parking', estimatedCost: '100000.00' },
      { lineId: 'I3', category: 'improvement', item: 'elevator', estimatedCost: '500000.00' },
    ])
      expectOk(await housing(`${P}/budget-lines`, line));
    expectOk(await housing(`${P}/milestones`, jointReviewInput({ reviewedOn: '2022-01-05' })));
    expectOk(
      await housing(`${P}/approval`, {
        approvedInvestment: '1500000.00',
        docNo: '潼南发改〔2022〕3号',
        approvedOn: '2022-01-10',
        involvesIndependentInfrastructure: false,
      }),
    );
    // The elevator's subsidy (illustrative, Example A): the residents share the other 400,000.00.
    expectOk(
      await ledger.post(
        `${P}/pledges`,
        {
          pledgeId: 'P-SUB',
          source: 'district_matching',
          amount: '200000.00',
          payer: '潼南区财政局',
          fiscalYear: 2022,
          pledgedOn: '2022-01-20',
          lineId: 'I1',
        },
        { role: 'finance' },
      ),
    );
  });
  afterAll(() => ledger.stop());

  describe('the register', () => {
    it('takes a stairwell, a building and another stairwell, each in one request', async () => {
      for (const households of [STAIRWELL, BUILDING_5, STAIRWELL_7]) {
        const res = expectOk(await clerk(`${P}/households`, { households }));
        expect(res.status).toBe(201);
        expect(res.body.events).toEqual([{ type: 'households-registered.v1', eventId: expect.any(String) }]);
      }
      const register = (await ledger.get(`${P}/households`, 'finance')).body;
      expect(register.totals).toEqual({
        households: 27,
        owners: 26,
        buildingArea: '1656.00',
        exclusiveArea: '45.00',
      });
      expect(register.households.find((h: any) => h.householdId === 'H-5-1-101')).toEqual({
        ...BUILDING_5[0],
        buildingArea: '55.30',
      });
    });

    it('refuses a whole request when one household is wrong, writing nothing', async () => {
      const before = await ledger.eventCount();
      const bad = await clerk(`${P}/households`, {
        households: [unit('9', '1', '101', '50.00'), unit('9', '1', '102', '50.001')],
      });
      expect([bad.status, bad.body.error, bad.body.field]).toEqual([400, 'invalid-area', 'households[1].buildingArea']);
      const taken = await clerk(`${P}/households`, { households: [unit('9', '1', '101', '50.00'), STAIRWELL[0]] });
      expect([taken.status, taken.body.error]).toEqual([409, 'household-exists']);
      expect(await ledger.eventCount()).toBe(before);
      expect((await ledger.get(`${P}/households`, 'finance')).body.totals.households).toBe(27);
    });

    it('is written by clerks of the project town: housing is 403 forbidden, another town 403 outside-town-scope', async () => {
      const body = { households: [unit('9', '1', '101', '50.00')] };
      const byHousing = await housing(`${P}/households`, body);
      expect([byHousing.status, byHousing.body.error]).toEqual([403, 'forbidden']);
      const elsewhere = await ledger.request('POST', `${P}/households`, {
        role: null,
        body,
        headers: { authorization: `Bearer ${OTHER_TOWN_CLERK}` },
      });
      expect([elsewhere.status, elsewhere.body.error]).toEqual([403, 'outside-town-scope']);
    });

    it('refuses a JSON number for an area and a field a household does not have', async () => {
      const number = await clerk(`${P}/households`, {
        households: [{ ...unit('9', '1', '101', '1'), buildingArea: 50 }],
      });
      expect([number.status, number.body.error]).toEqual([400, 'invalid-area']);
      const extra = await clerk(`${P}/households`, {
        households: [{ ...unit('9', '1', '101', '50.00'), idCard: 'x' }],
      });
      expect([extra.status, extra.body.error, extra.body.field]).toEqual([
        400,
        'unknown-field',
        'households[0].idCard',
      ]);
    });

    it('corrects an area with a reason; the key covers the household, so another household is another request', async () => {
      const body = { buildingArea: '88.65', reason: '不动产登记簿记载 88.65 m²' };
      const headers = { 'Idempotency-Key': 'correct-5-1-301' };
      const res = expectOk(await clerk(`${P}/households/H-5-1-301/corrections`, body, headers));
      expect(res.body.events[0].type).toBe('household-corrected.v1');
      const again = await clerk(`${P}/households/H-5-1-301/corrections`, body, headers);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      const other = await clerk(`${P}/households/H-5-1-201/corrections`, body, headers);
      expect([other.status, other.body.error]).toEqual([409, 'idempotency-key-reused']);
      const missing = await clerk(`${P}/households/H-0-0-000/corrections`, body);
      expect([missing.status, missing.body.error]).toEqual([404, 'household-not-found']);
      // Back to Example B's figure for the plan below.
      expectOk(await clerk(`${P}/households/H-5-1-301/corrections`, { buildingArea: '88.60', reason: '更正录入错误' }));
    });

    it('shows a viewer rooms and areas, never household ids or owner keys', async () => {
      const res = await ledger.get(`${P}/households`, 'viewer');
      expect(res.status).toBe(200);
      const text = JSON.stringify(res.body);
      expect(text).not.toMatch(/H-3-2-|OK-/);
      expect(res.body.households[0]).toMatchObject({ householdId: '***', ownerKey: '***', room: '101' });
    });
  });

  describe("domain.md §1: owners' votes", () => {
    it('8 units with 480 m² of the 10 taking part pass an elevator', async () => {
      const res = expectOk(
        await clerk(`${P}/votes`, {
          voteId: 'V-ELEV-3-2',
          matter: 'alteration',
          scope: { building: '3', unit: '2' },
          heldOn: '2022-03-01',
          ballots: [...ballots('3', '2', FLOORS_3_TO_6, 'agree'), ...ballots('3', '2', ['201', '202'], 'disagree')],
        }),
      );
      expect(res.body.events[0].type).toBe('owner-vote-recorded.v1');
      const vote = (await ledger.get(`${P}/votes/V-ELEV-3-2`, 'finance')).body;
      expect(vote).toMatchObject({
        matter: 'alteration',
        passed: true,
        tally: {
          rule: { ruleId: 'civil-code-278', citation: '《中华人民共和国民法典》第二百七十八条' },
          scope: { units: 12, owners: 12, area: '720.00' },
          participating: { units: 10, owners: 10, area: '600.00' },
          agreeing: { units: 8, owners: 8, area: '480.00' },
          quorum: { met: true, area: { display: '600.00/720.00', percent: '83.33' } },
          approval: { met: true, area: { display: '480.00/600.00', percent: '80.00' }, owners: { display: '8/10' } },
        },
      });
    });

    it('8 units with 440 m² fail it on area, though 8 of 10 owners agree', async () => {
      expectOk(
        await clerk(`${P}/votes`, {
          voteId: 'V-ELEV-7-1',
          matter: 'alteration',
          scope: { building: '7', unit: '1' },
          heldOn: '2022-03-01',
          ballots: [...ballots('7', '1', FLOORS_3_TO_6, 'agree'), ...ballots('7', '1', ['101', '102'], 'disagree')],
        }),
      );
      const vote = (await ledger.get(`${P}/votes/V-ELEV-7-1`)).body;
      expect(vote.passed).toBe(false);
      expect(vote.tally.agreeing.area).toBe('440.00');
      expect(vote.tally.approval.owners.display).toBe('8/10');
      expect(vote.tally.approval.area.display).toBe('440.00/600.00');
    });

    it('shows a viewer the figures and choices, not whose they are', async () => {
      const vote = (await ledger.get(`${P}/votes/V-ELEV-3-2`, 'viewer')).body;
      expect(JSON.stringify(vote)).not.toContain('H-3-2-');
      expect(vote.ballots[0]).toEqual({ householdId: '***', choice: expect.any(String) });
    });

    it('answers 404 for a vote that is not recorded', async () => {
      const res = await ledger.get(`${P}/votes/V-NONE`);
      expect([res.status, res.body.error]).toEqual([404, 'vote-not-found']);
    });
  });

  describe('cost-sharing plans', () => {
    it('Example A: the elevator by floor coefficients, to the fen', async () => {
      expectOk(
        await housing(`${P}/cost-shares`, {
          planId: 'PL-ELEV',
          lineIds: ['I1'],
          amount: '400000.00',
          scope: { building: '3', unit: '2' },
          key: { kind: 'floor_coefficient', coefficients: EXAMPLE_A.coefficients, basis: 'building_area' },
          voteId: 'V-ELEV-3-2',
        }),
      );
      const plan = (await ledger.get(`${P}/cost-shares/PL-ELEV`, 'finance')).body;
      const byRoom = Object.fromEntries(plan.households.map((h: any) => [h.room, h]));
      for (const [room, share] of Object.entries(EXAMPLE_A.sharesByUnit)) expect(byRoom[room].share).toBe(share);
      expect(byRoom['601']).toMatchObject({
        weight: '60',
        share: '58823.53',
        outstanding: '58823.53',
        paidTotal: '0.00',
      });
      expect(plan.totals).toMatchObject({ share: '400000.00', outstanding: '400000.00' });
    });

    it('refuses a fen more than the line net of its subsidy (R-CS6), and an elevator without its vote, writing nothing', async () => {
      const before = await ledger.eventCount();
      const more = await housing(`${P}/cost-shares`, {
        planId: 'PL-MORE',
        lineIds: ['I1'],
        amount: '0.01',
        scope: { building: '3', unit: '2' },
        key: { kind: 'building_area' },
        voteId: 'V-ELEV-3-2',
      });
      expect([more.status, more.body.error]).toEqual([422, 'share-exceeds-net-cost']);
      const unvoted = await housing(`${P}/cost-shares`, {
        planId: 'PL-7',
        lineIds: ['I3'],
        amount: '1.00',
        scope: { building: '7', unit: '1' },
        key: { kind: 'building_area' },
        voteId: 'V-ELEV-7-1',
      });
      expect([unvoted.status, unvoted.body.error]).toEqual([422, 'vote-not-passed']);
      expect(await ledger.eventCount()).toBe(before);
    });

    it('Example B: a roof by building area', async () => {
      expectOk(
        await housing(`${P}/cost-shares`, {
          planId: 'PL-ROOF-5',
          lineIds: ['B1'],
          amount: '100000.00',
          scope: { building: '5' },
          key: { kind: 'building_area' },
        }),
      );
      const plan = (await ledger.get(`${P}/cost-shares/PL-ROOF-5`, 'finance')).body;
      expect(plan.households.map((h: any) => [h.room, h.weight, h.share])).toEqual([
        ['101', '55.3', '25601.85'],
        ['201', '72.1', '33379.63'],
        ['301', '88.6', '41018.52'],
      ]);
    });
  });

  describe('payments by household', () => {
    it('takes a direct payment and a provident-fund withdrawal within the share', async () => {
      expectOk(
        await clerk(
          `${P}/receipts`,
          receipt('R-601-D', {
            source: 'resident_direct',
            amount: '20000.00',
            householdId: 'H-3-2-601',
            planId: 'PL-ELEV',
          }),
        ),
      );
      expectOk(
        await clerk(
          `${P}/receipts`,
          receipt('R-601-G', {
            source: 'provident_fund',
            amount: '30000.00',
            payer: '重庆市住房公积金管理中心潼南分中心',
            householdId: 'H-3-2-601',
            planId: 'PL-ELEV',
          }),
        ),
      );
    });

    it('refuses a withdrawal above the outstanding share and a payment beyond it, writing nothing', async () => {
      const before = await ledger.eventCount();
      const gjj = await clerk(
        `${P}/receipts`,
        receipt('R-601-G2', {
          source: 'provident_fund',
          amount: '8823.54',
          householdId: 'H-3-2-601',
          planId: 'PL-ELEV',
        }),
      );
      expect([gjj.status, gjj.body.error, gjj.body.field]).toEqual([422, 'provident-exceeds-share', 'amount']);
      const direct = await clerk(
        `${P}/receipts`,
        receipt('R-601-D2', {
          source: 'resident_direct',
          amount: '8823.54',
          householdId: 'H-3-2-601',
          planId: 'PL-ELEV',
        }),
      );
      expect([direct.status, direct.body.error]).toEqual([422, 'payment-exceeds-share']);
      // The new user: a provident fund paying 900,000.00 on a 600,000.00 elevator.
      const huge = await clerk(
        `${P}/receipts`,
        receipt('R-HUGE', {
          source: 'provident_fund',
          amount: '900000.00',
          householdId: 'H-3-2-602',
          planId: 'PL-ELEV',
        }),
      );
      expect([huge.status, huge.body.error]).toEqual([422, 'provident-exceeds-share']);
      const noPlan = await clerk(
        `${P}/receipts`,
        receipt('R-HUGE', { source: 'provident_fund', amount: '900000.00', householdId: 'H-3-2-602', lineId: 'I1' }),
      );
      expect([noPlan.status, noPlan.body.error]).toEqual([422, 'plan-required']);
      expect(await ledger.eventCount()).toBe(before);
    });

    it('refuses the maintenance fund without a passed vote, writing nothing; takes it under one', async () => {
      const body = receipt('R-601-M', {
        source: 'maintenance_fund',
        amount: '5000.00',
        payer: '潼南区住宅专项维修资金管理中心',
        householdId: 'H-3-2-601',
        planId: 'PL-ELEV',
      });
      const before = await ledger.eventCount();
      const unvoted = await clerk(`${P}/receipts`, body);
      expect([unvoted.status, unvoted.body.error]).toEqual([422, 'vote-required']);
      const wrongVote = await clerk(`${P}/receipts`, { ...body, voteId: 'V-ELEV-3-2' });
      expect([wrongVote.status, wrongVote.body.error]).toEqual([422, 'vote-matter-mismatch']);
      expect(await ledger.eventCount()).toBe(before);
      expectOk(
        await clerk(`${P}/votes`, {
          voteId: 'V-FUND-3-2',
          matter: 'fund_use',
          scope: { building: '3', unit: '2' },
          heldOn: '2022-03-15',
          ballots: ballots('3', '2', STAIRWELL_ROOMS, 'agree'),
        }),
      );
      expectOk(await clerk(`${P}/receipts`, { ...body, voteId: 'V-FUND-3-2' }));
      const parking = await clerk(
        `${P}/receipts`,
        receipt('R-PARK', { source: 'maintenance_fund', lineId: 'I2', emergency: true, emergencyReason: '紧急' }),
      );
      expect([parking.status, parking.body.error]).toEqual([422, 'source-line-mismatch']);
    });

    it('takes the maintenance fund without a vote in an emergency, with its reason', async () => {
      const res = expectOk(
        await clerk(
          `${P}/receipts`,
          receipt('R-ROOF-M', {
            source: 'maintenance_fund',
            amount: '3000.00',
            lineId: 'B1',
            emergency: true,
            emergencyReason: '屋面渗漏危及安全，紧急维修',
          }),
        ),
      );
      const history = (await ledger.get(`${P}/events?fromRevision=${res.body.revision}`, 'auditor')).body;
      expect(history[0].data).toMatchObject({ emergency: true, emergencyReason: '屋面渗漏危及安全，紧急维修' });
    });
  });

  describe("a household's statement and the plan's notice", () => {
    it('the statement is the share less the payments, by channel, with the votes that bind it', async () => {
      const statement = (await ledger.get(`${P}/households/H-3-2-601/statement`, 'clerk')).body;
      expect(statement.household).toMatchObject({ householdId: 'H-3-2-601', room: '601', ownerKey: 'OK-3-2-601' });
      expect(statement.plans).toHaveLength(1);
      const plan = statement.plans[0];
      expect(plan).toMatchObject({
        planId: 'PL-ELEV',
        share: '58823.53',
        paid: { resident_direct: '20000.00', provident_fund: '30000.00', maintenance_fund: '5000.00' },
        paidTotal: '55000.00',
        outstanding: '3823.53',
      });
      expect(plan.receipts.map((r: any) => r.receiptId)).toEqual(['R-601-D', 'R-601-G', 'R-601-M']);
      expect(plan.votes).toEqual([
        { voteId: 'V-ELEV-3-2', matter: 'alteration', heldOn: '2022-03-01', passed: true },
        { voteId: 'V-FUND-3-2', matter: 'fund_use', heldOn: '2022-03-15', passed: true },
      ]);
      const perPlan = (await ledger.get(`${P}/cost-shares/PL-ELEV`, 'finance')).body;
      expect(perPlan.households.find((h: any) => h.room === '601')).toMatchObject({ outstanding: '3823.53' });
      expect(perPlan.totals).toMatchObject({ paidTotal: '55000.00', outstanding: '345000.00' });
    });

    it('a household in no plan has an empty statement; one not registered is 404', async () => {
      const none = (await ledger.get(`${P}/households/H-7-1-101/statement`, 'clerk')).body;
      expect(none.plans).toEqual([]);
      expect(none.totals.share).toBe('0.00');
      const missing = await ledger.get(`${P}/households/H-0-0-000/statement`);
      expect([missing.status, missing.body.error]).toEqual([404, 'household-not-found']);
    });

    it('a viewer reads the statement with the household id and owner key masked', async () => {
      const statement = (await ledger.get(`${P}/households/H-3-2-601/statement`, 'viewer')).body;
      expect(statement.household).toMatchObject({ householdId: '***', ownerKey: '***', room: '601' });
    });

    it('the notice lists rooms, areas, coefficients and shares, no household id and no owner key', async () => {
      const notice = (await ledger.get(`${P}/cost-shares/PL-ELEV/notice`, 'viewer')).body;
      expect(notice.rooms).toHaveLength(12);
      expect(notice.rooms[11]).toEqual({
        building: '3',
        unit: '2',
        floor: 6,
        room: '602',
        area: '60.00',
        coefficient: '1.0',
        weight: '60',
        share: '58823.53',
      });
      expect(notice.total).toBe('400000.00');
      expect(JSON.stringify(notice)).not.toMatch(/H-3-2-|OK-/);
    });

    it('prints the notice as CSV and XLSX', async () => {
      const get = (format: string) =>
        fetch(`${ledger.url}${P}/cost-shares/PL-ELEV/notice?format=${format}`, {
          headers: { authorization: `Bearer ${TOKENS.viewer}` },
        });
      const csv = await get('csv');
      expect(csv.headers.get('content-type')).toContain('text/csv');
      const text = await csv.text();
      expect(text).toContain('房号');
      expect(text).toContain('58823.53');
      expect(text).toContain('400000.00');
      expect(text).not.toMatch(/H-3-2-|OK-/);
      const xlsx = await get('xlsx');
      const workbook = new Workbook();
      await workbook.xlsx.load((await xlsx.arrayBuffer()) as ArrayBuffer);
      expect(workbook.getWorksheet('分摊公示')?.rowCount).toBeGreaterThan(12);
      const bad = await ledger.get(`${P}/cost-shares/PL-ELEV/notice?format=pdf`);
      expect([bad.status, bad.body.error]).toEqual([400, 'invalid-format']);
    });

    it('answers 404 for a plan that is not adopted', async () => {
      const res = await ledger.get(`${P}/cost-shares/PL-NONE`);
      expect([res.status, res.body.error]).toEqual([404, 'plan-not-found']);
    });
  });

  describe('the rules that close the gaps, each refused with nothing written', () => {
    it('one room, one household; a vote held after the day it is recorded; money that takes a shared line above its cost', async () => {
      const before = await ledger.eventCount();
      const twice = await clerk(`${P}/households`, { households: [{ ...STAIRWELL[11], householdId: 'H-3-2-602-B' }] });
      expect([twice.status, twice.body.error, twice.body.field]).toEqual([
        409,
        'household-room-exists',
        'households[0].room',
      ]);
      const ahead = await clerk(`${P}/votes`, {
        voteId: 'V-AHEAD',
        matter: 'other',
        scope: { building: '5' },
        heldOn: '2099-01-01',
        ballots: [],
      });
      expect([ahead.status, ahead.body.error, ahead.body.field]).toEqual([422, 'date-in-future', 'heldOn']);
      // The elevator I1 (600,000.00) holds its subsidy (200,000.00) and Example A's plan (400,000.00).
      const more = await ledger.post(
        `${P}/pledges`,
        {
          pledgeId: 'P-MORE',
          source: 'district_matching',
          amount: '0.01',
          payer: '潼南区财政局',
          fiscalYear: 2022,
          pledgedOn: '2022-04-01',
          lineId: 'I1',
        },
        { role: 'finance' },
      );
      expect([more.status, more.body.error]).toEqual([422, 'funding-exceeds-net-cost']);
      expect(await ledger.eventCount()).toBe(before);
    });

    it("refuses the issue's 900,000.00 of provident fund on a 600,000.00 elevator of a project without a register", async () => {
      const other = '/api/projects/TN2022-NOREG';
      expectOk(
        await housing('/api/projects', {
          projectId: 'TN2022-NOREG',
          name: '无登记册小区改造',
          community: '无登记册小区',
          town: '桂林街道',
          builtYear: 1996,
          buildingArea: 5000,
          households: 60,
        }),
      );
      expectOk(
        await housing(`${other}/budget-lines`, {
          lineId: 'I1',
          category: 'improvement',
          item: 'elevator',
          estimatedCost: '600000.00',
        }),
      );
      const before = await ledger.eventCount();
      const huge = await clerk(
        `${other}/receipts`,
        receipt('R-HUGE', { source: 'provident_fund', amount: '900000.00', householdId: 'H-1-1-601', lineId: 'I1' }),
      );
      expect([huge.status, huge.body.error, huge.body.field]).toEqual([422, 'provident-needs-plan', 'planId']);
      expect(await ledger.eventCount()).toBe(before);
    });
  });

  it('holds after a restart: the plan, the statement and the register read the same', async () => {
    const read = () =>
      Promise.all(
        [`${P}/cost-shares/PL-ELEV`, `${P}/households/H-3-2-601/statement`, `${P}/households`].map(
          async (path) => (await ledger.get(path, 'auditor')).body,
        ),
      );
    const before = await read();
    await ledger.restart();
    expect(await read()).toEqual(before);
  });
});
