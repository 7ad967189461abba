/**
 * One project as of a past date over HTTP (issue 19 point 3, the project page as of a date): its
 * state, milestones, a cost-sharing plan, a vote and its history take ?asOf (and ?knownAt). The
 * state, milestones, plan and vote are the stream cut as a replay cuts it (business dates; an event
 * without one counts from its recorded day or from a later event of the project that counts); the
 * history keeps the events recorded by the end of that day (recordedAt, UTC). A bad date is 400
 * naming the field; a viewer sees personal data masked, as in the live reads.
 */
import { STAIRWELL_ROOMS } from '../support/resident-fixtures';
import { consultationInput, jointReviewInput } from '../support/lifecycle-fixtures';
import { TestLedger, expectOk } from './support/test-app';

const PROJECT = 'TN2022-ASOF';
const P = `/api/projects/${PROJECT}`;
const STAIRWELL = STAIRWELL_ROOMS.map((room) => ({
  householdId: `H-3-2-${room}`,
  building: '3',
  unit: '2',
  floor: Number(room.slice(0, -2)),
  room,
  buildingArea: '60.00',
  ownerKey: `OK-3-2-${room}`,
}));
const today = () => new Date().toISOString().slice(0, 10);
const dayBefore = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

describe('a project as of a past date', () => {
  let ledger: TestLedger;
  const housing = (path: string, body: object) => ledger.post(path, body, { role: 'housing' });
  const clerk = (path: string, body: object) => ledger.post(path, body, { role: 'clerk' });

  beforeAll(async () => {
    ledger = await TestLedger.start();
    expectOk(
      await housing('/api/projects', {
        projectId: PROJECT,
        name: '时点测试小区改造',
        community: '时点测试小区',
        town: '桂林街道',
        builtYear: 1996,
        buildingArea: 20000,
        households: 240,
      }),
    );
    expectOk(
      await housing(`${P}/budget-lines`, {
        lineId: 'I1',
        category: 'improvement',
        item: 'elevator',
        estimatedCost: '600000.00',
      }),
    );
    expectOk(await housing(`${P}/milestones`, jointReviewInput({ reviewedOn: '2022-01-05' })));
    expectOk(
      await housing(`${P}/approval`, {
        approvedInvestment: '600000.00',
        docNo: '潼南发改〔2022〕9号',
        approvedOn: '2022-01-10',
        involvesIndependentInfrastructure: false,
      }),
    );
    expectOk(await clerk(`${P}/households`, { households: STAIRWELL }));
    expectOk(
      await clerk(`${P}/votes`, {
        voteId: 'V-ELEV',
        matter: 'alteration',
        scope: { building: '3', unit: '2' },
        heldOn: '2022-03-01',
        ballots: STAIRWELL.map((h) => ({ householdId: h.householdId, choice: 'agree' })),
      }),
    );
    expectOk(
      await housing(`${P}/cost-shares`, {
        planId: 'PL-ELEV',
        lineIds: ['I1'],
        amount: '120000.00',
        scope: { building: '3', unit: '2' },
        key: { kind: 'building_area' },
        voteId: 'V-ELEV',
      }),
    );
  });
  afterAll(() => ledger.stop());

  it('the state: not registered before its first dated event, registered then approved as the dates pass', async () => {
    const before = await ledger.get(`${P}?asOf=2022-01-04`);
    expect([before.status, before.body.error]).toEqual([404, 'project-not-found']);
    const reviewed = await ledger.get(`${P}?asOf=2022-01-05`);
    expect(reviewed.status).toBe(200);
    // Not a revision to write on: no If-Match ETag (Express may still add its weak one of the body).
    expect(reviewed.headers.get('etag')).not.toMatch(/^"\d+"$/);
    expect(reviewed.body).toMatchObject({
      projectId: PROJECT,
      status: 'registered',
      approval: null,
      budgetTotal: '600000.00',
      budgetLines: [{ lineId: 'I1', estimatedCost: '600000.00' }],
      planIds: [],
      voteIds: [],
      bounds: { asOf: '2022-01-05', knownAt: null },
    });
    const approved = (await ledger.get(`${P}?asOf=2022-01-10`)).body;
    expect([approved.status, approved.approval.approvedInvestment]).toEqual(['approved', '600000.00']);
    const now = (await ledger.get(P)).body;
    expect(now.bounds).toBeUndefined();
    expect([now.planIds, now.voteIds]).toEqual([['PL-ELEV'], ['V-ELEV']]);
    expect((await ledger.get(`${P}?asOf=${today()}`)).body).toEqual({ ...now, bounds: expect.any(Object) });
  });

  it('the milestones: those dated by then; one written later shows from its date on', async () => {
    const ids = async (asOf: string) =>
      (expectOk(await ledger.get(`${P}/milestones?asOf=${asOf}`)).body as any[]).map((m) => m.milestoneId);
    expect(await ids('2022-06-30')).toEqual(['JR-1']);
    expectOk(await housing(`${P}/milestones`, consultationInput({ milestoneId: 'CON-2', heldOn: '2022-06-01' })));
    expect(await ids('2022-06-30')).toEqual(['JR-1', 'CON-2']);
    expect(await ids('2022-05-31')).toEqual(['JR-1']);
    // Before the project was registered it has no milestones to list: 404, as its state at that date.
    const early = await ledger.get(`${P}/milestones?asOf=2022-01-04`);
    expect([early.status, early.body.error]).toEqual([404, 'project-not-found']);
    const live = (await ledger.get(`${P}/milestones`)).body;
    expect((await ledger.get(`${P}/milestones?asOf=${today()}`)).body).toEqual(live);
  });

  it('a plan: each household paid as of then; a payment written later shows from its date on, and releases the plan', async () => {
    // The plan carries no date: it counts from today, its recorded day, until a dated event of it counts earlier.
    const early = await ledger.get(`${P}/cost-shares/PL-ELEV?asOf=2022-04-30`);
    expect([early.status, early.body.error]).toEqual([404, 'plan-not-found']);
    const paid601 = async (asOf: string) => {
      const plan = expectOk(await ledger.get(`${P}/cost-shares/PL-ELEV?asOf=${asOf}`, 'finance')).body;
      return plan.households.find((h: any) => h.householdId === 'H-3-2-601').paidTotal;
    };
    expect(await paid601(today())).toBe('0.00');
    expectOk(
      await clerk(`${P}/receipts`, {
        receiptId: 'R-601',
        source: 'resident_direct',
        amount: '2000.00',
        payer: '张三',
        reference: '银行回单',
        receivedOn: '2022-04-01',
        fiscalYear: 2022,
        householdId: 'H-3-2-601',
        planId: 'PL-ELEV',
      }),
    );
    expect(await paid601(today())).toBe('2000.00');
    expect(await paid601('2022-04-30')).toBe('2000.00');
    const march = await ledger.get(`${P}/cost-shares/PL-ELEV?asOf=2022-03-31`);
    expect([march.status, march.body.error]).toEqual([404, 'plan-not-found']);
    const april = expectOk(await ledger.get(`${P}/cost-shares/PL-ELEV?asOf=2022-04-01`, 'finance')).body;
    expect(april.totals).toMatchObject({ share: '120000.00', paidTotal: '2000.00', outstanding: '118000.00' });
    expect(april.bounds.asOf).toBe('2022-04-01');
  });

  it('a vote: 404 before the day it was held, as recorded from that day', async () => {
    const before = await ledger.get(`${P}/votes/V-ELEV?asOf=2022-02-28`);
    expect([before.status, before.body.error]).toEqual([404, 'vote-not-found']);
    const held = expectOk(await ledger.get(`${P}/votes/V-ELEV?asOf=2022-03-01`, 'finance')).body;
    const { bounds, ...vote } = held;
    expect(bounds).toMatchObject({ asOf: '2022-03-01', knownAt: null });
    expect(vote).toEqual((await ledger.get(`${P}/votes/V-ELEV`, 'finance')).body);
  });

  it('the history: the events recorded by the end of that day (recorded time), nothing recorded later', async () => {
    const history = async (query: string) => expectOk(await ledger.get(`${P}/events?${query}`, 'auditor')).body;
    const all = await history('');
    expect(await history(`asOf=${today()}`)).toEqual(all);
    // Every event was recorded today, whatever its business date: none by the end of yesterday.
    expect(await history(`asOf=${dayBefore(today())}`)).toEqual([]);
    const at = all.at(-1).recordedAt;
    expectOk(await housing(`${P}/milestones`, consultationInput({ milestoneId: 'CON-3', heldOn: '2022-07-01' })));
    const after = await history(`asOf=${today()}`);
    expect(after.length).toBe(all.length + 1);
    expect(await history(`knownAt=${at}`)).toEqual(all);
    expect(await history(`asOf=${dayBefore(today())}`)).toEqual([]);
    expect(await history(`asOf=${today()}&fromRevision=1&limit=2`)).toEqual(all.slice(1, 3));
  });

  it('refuses a bad date on every read, naming the field', async () => {
    for (const path of [P, `${P}/milestones`, `${P}/events`, `${P}/cost-shares/PL-ELEV`, `${P}/votes/V-ELEV`]) {
      const bad = await ledger.get(`${path}?asOf=2022-02-30`);
      expect([path, bad.status, bad.body.error, bad.body.field]).toEqual([path, 400, 'invalid-date', 'asOf']);
      const badTime = await ledger.get(`${path}?knownAt=yesterday`);
      expect([path, badTime.status, badTime.body.field]).toEqual([path, 400, 'knownAt']);
    }
    const unknown = await ledger.get(`/api/projects/TN-NONE/milestones?asOf=2022-06-30`);
    expect([unknown.status, unknown.body.error]).toEqual([404, 'project-not-found']);
  });

  it('masks personal data for a viewer, as the live reads do', async () => {
    const asOf = `asOf=${today()}`;
    const plan = expectOk(await ledger.get(`${P}/cost-shares/PL-ELEV?${asOf}`, 'viewer')).body;
    expect(plan.households.map((h: any) => h.householdId)).toEqual(STAIRWELL.map(() => '***'));
    const vote = expectOk(await ledger.get(`${P}/votes/V-ELEV?${asOf}`, 'viewer')).body;
    expect(vote.ballots[0]).toEqual({ householdId: '***', choice: 'agree' });
    const events = expectOk(await ledger.get(`${P}/events?${asOf}`, 'viewer')).body;
    const text = JSON.stringify([plan, vote, events]);
    for (const secret of ['H-3-2-', 'OK-3-2-', '张三']) expect(text).not.toContain(secret);
    const shown = JSON.stringify(expectOk(await ledger.get(`${P}/events?${asOf}`, 'finance')).body);
    for (const secret of ['H-3-2-601', 'OK-3-2-601', '张三']) expect(shown).toContain(secret);
  });
});
