/**
 * Red flags over HTTP (issue 17 point 3): GET /api/red-flags lists what the log shows is wrong,
 * each flag with evidence ids that GET /api/events has and the rule it breaks; filters and totals;
 * the past by asOf (a date before the irregularity does not show it, a date after its clearing
 * shows it cleared); CSV and XLSX with Chinese headers and the evidence as event ids; one
 * project's flags under /api/projects/:id; bad parameters refused naming the field; and the
 * projection rebuilt from zero is identical to the live one.
 */
import { Workbook } from 'exceljs';
import { PassThrough } from 'node:stream';
import { parseArgs } from '../../src/cli/args';
import { redFlagsCommand } from '../../src/cli/red-flags.command';
import { loadConfig } from '../../src/config/config';
import { TestLedger, expectOk } from './support/test-app';
import { consultationInput, jointReviewInput, publicityInput } from '../support/lifecycle-fixtures';

const P = 'TN-RF';

describe('red flags over HTTP', () => {
  let ledger: TestLedger;

  beforeAll(async () => {
    ledger = await TestLedger.start();
    const housing = (path: string, body: object) => ledger.post(path, body, { role: 'housing' });
    const finance = (path: string, body: object) => ledger.post(path, body, { role: 'finance' });
    expectOk(
      await housing('/api/projects', {
        projectId: P,
        name: '红旗测试小区改造',
        community: '红旗小区',
        town: '桂林街道',
        builtYear: 1996,
        buildingArea: 12000,
        households: 120,
      }),
    );
    for (const line of [
      { lineId: 'B1', category: 'basic', item: 'roof', estimatedCost: '2000000.00' },
      { lineId: 'E1', category: 'enhancement', item: 'meal_aid', estimatedCost: '600000.00' },
    ])
      expectOk(await housing(`/api/projects/${P}/budget-lines`, line));
    const receipt = { payer: '潼南区财政局', reference: '国库拨款', fiscalYear: 2022 };
    // Money before approval: received on 2022-02-01, approved on 2022-03-01.
    expectOk(
      await finance(`/api/projects/${P}/receipts`, {
        ...receipt,
        receiptId: 'R1',
        source: 'district_matching',
        amount: '50000.00',
        receivedOn: '2022-02-01',
      }),
    );
    // The residents consulted and the content publicized before the approval (RF-11 otherwise),
    // then the plan's joint review, which approval on the plan (plan_review) rests on.
    expectOk(await housing(`/api/projects/${P}/milestones`, consultationInput({ heldOn: '2022-02-03' })));
    expectOk(
      await housing(
        `/api/projects/${P}/milestones`,
        publicityInput({ startDate: '2022-02-05', endDate: '2022-02-12' }),
      ),
    );
    expectOk(await housing(`/api/projects/${P}/milestones`, jointReviewInput({ reviewedOn: '2022-02-15' })));
    expectOk(
      await housing(`/api/projects/${P}/approval`, {
        approvedInvestment: '2600000.00',
        docNo: '潼南发改〔2022〕11号',
        approvedOn: '2022-03-01',
        involvesIndependentInfrastructure: false,
      }),
    );
    // Central money on an enhancement line (保基本): the ledger takes it, the flag finds it.
    expectOk(
      await finance(`/api/projects/${P}/receipts`, {
        ...receipt,
        receiptId: 'R2',
        source: 'central_fiscal_subsidy',
        amount: '300000.00',
        receivedOn: '2022-04-01',
        lineId: 'E1',
      }),
    );
  });
  afterAll(() => ledger.stop());

  it('lists each irregularity with its rule, and evidence ids that GET /api/events has', async () => {
    const reply = expectOk(await ledger.get('/api/red-flags?asOf=2022-12-31', 'auditor'));
    const flags = reply.body.flags as {
      code: string;
      raisedAt: string;
      clearedAt: string | null;
      evidence: { eventId: string }[];
      rule: { ruleId: string; citation: string; quote: string };
    }[];
    expect(flags.map((f) => [f.code, f.raisedAt, f.clearedAt])).toEqual([
      ['RF-01', '2022-02-01', '2022-03-01'],
      ['RF-21', '2022-04-01', null],
    ]);
    expect(flags[0].rule).toMatchObject({ ruleId: 'red-flag-money-before-approval' });
    expect(flags[0].rule.quote).not.toBe('');
    const events = expectOk(await ledger.get('/api/events?limit=1000', 'auditor')).body.events as { eventId: string }[];
    const known = new Set(events.map((e) => e.eventId));
    for (const f of flags) {
      expect(f.evidence.length).toBeGreaterThan(0);
      for (const e of f.evidence) expect(known.has(e.eventId)).toBe(true);
    }
    expect(reply.body.totals).toMatchObject({ open: 1, cleared: 1, total: 2, byCode: { 'RF-01': { cleared: 1 } } });
    expect(reply.body.bounds).toMatchObject({ asOf: '2022-12-31' });
  });

  it('as of a date before the money came shows nothing; between it and the approval, the flag open', async () => {
    const before = expectOk(await ledger.get('/api/red-flags?asOf=2022-01-31', 'auditor')).body;
    expect(before.flags).toEqual([]);
    const between = expectOk(await ledger.get('/api/red-flags?asOf=2022-02-15', 'auditor')).body;
    expect(between.flags.map((f: { code: string; open: boolean }) => [f.code, f.open])).toEqual([['RF-01', true]]);
  });

  it("filters by code, severity, open and town; one project's flags under /api/projects/:id", async () => {
    const codes = async (query: string) =>
      (
        expectOk(await ledger.get(`/api/red-flags?asOf=2022-12-31&${query}`, 'finance')).body.flags as {
          code: string;
        }[]
      ).map((f) => f.code);
    expect(await codes('code=RF-21')).toEqual(['RF-21']);
    expect(await codes('severity=high&open=false')).toEqual(['RF-01']);
    expect(await codes('town=大佛街道')).toEqual([]);
    const project = expectOk(await ledger.get(`/api/projects/${P}/red-flags?open=true&asOf=2022-12-31`, 'viewer')).body;
    expect(project.flags.map((f: { code: string }) => f.code)).toEqual(['RF-21']);
    expect((await ledger.get('/api/projects/TN-NONE/red-flags', 'auditor')).body.error).toBe('project-not-found');
  });

  it('refuses a bad filter naming it', async () => {
    for (const [query, field] of [
      ['code=RF-99', 'code'],
      ['severity=urgent', 'severity'],
      ['open=yes', 'open'],
      ['projectid=TN-RF', 'projectid'],
      ['format=pdf', 'format'],
      ['asOf=2022-02-30', 'asOf'],
      ['view=all', 'view'],
      ['view=totals&format=csv', 'view'],
      ['view=totals&encoding=bogus', 'encoding'],
      ['encoding=bogus', 'encoding'],
      ['encoding=gb18030', 'encoding'],
      ['format=xlsx&encoding=gb18030', 'encoding'],
    ]) {
      const reply = await ledger.get(`/api/red-flags?${query}`, 'auditor');
      expect({ query, status: reply.status, field: reply.body.field }).toEqual({ query, status: 400, field });
    }
  });

  it('exports CSV and XLSX with Chinese headers and the evidence as event ids', async () => {
    const res = await fetch(`${ledger.url}/api/red-flags?format=csv&asOf=2022-12-31`, {
      headers: { authorization: 'Bearer test-auditor-token-0000' },
    });
    expect(res.headers.get('content-type')).toContain('text/csv');
    const csv = (await res.text()).replace(/^\uFEFF/, '');
    const [header, ...rows] = csv.trim().split('\r\n');
    expect(header.split(',').slice(0, 4)).toEqual(['线索编号', '代码', '问题类型', '严重程度']);
    expect(header).toContain('证据事件');
    expect(rows).toHaveLength(2);
    const json = expectOk(await ledger.get('/api/red-flags?asOf=2022-12-31', 'auditor')).body;
    expect(rows[0]).toContain(json.flags[0].evidence.map((e: { eventId: string }) => e.eventId).join(' '));
    const xlsx = await fetch(`${ledger.url}/api/projects/${P}/red-flags?format=xlsx`, {
      headers: { authorization: 'Bearer test-auditor-token-0000' },
    });
    const book = new Workbook();
    await book.xlsx.load((await xlsx.arrayBuffer()) as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['问题线索', '按问题类型', '按严重程度']);
    expect(book.getWorksheet('问题线索')!.getRow(2).getCell(2).value).toBe('代码');
  });

  it('read today, money received and unpaid for a year is idle (RF-14)', async () => {
    const today = expectOk(await ledger.get('/api/red-flags?code=RF-14', 'auditor')).body;
    expect(today.flags.map((f: { subject: string; raisedAt: string }) => [f.subject, f.raisedAt])).toEqual([
      ['source:district_matching', '2023-02-01'],
      ['source:central_fiscal_subsidy', '2023-04-01'],
    ]);
  });

  it("read today, from the read model's stored time flags, lists what a replay as of today lists", async () => {
    const today = expectOk(await ledger.get('/api/red-flags', 'auditor')).body;
    const replayed = expectOk(await ledger.get(`/api/red-flags?asOf=${today.referenceDate}`, 'auditor')).body;
    expect(today.flags.length).toBeGreaterThan(2);
    expect(today.flags).toEqual(replayed.flags);
    expect(today.totals).toEqual(replayed.totals);
    const open = expectOk(await ledger.get('/api/red-flags?open=true&code=RF-14', 'auditor')).body;
    expect(open.flags).toEqual(
      replayed.flags.filter((f: { open: boolean; code: string }) => f.open && f.code === 'RF-14'),
    );
  });

  it('view=totals answers the totals of the list and its open flags per town and severity, without the flags', async () => {
    for (const query of ['', 'code=RF-14', 'open=false', `projectId=${P}`, 'asOf=2022-12-31', 'town=渝北区']) {
      const list = expectOk(await ledger.get(`/api/red-flags?${query}`, 'auditor')).body;
      const totals = expectOk(await ledger.get(`/api/red-flags?view=totals&${query}`, 'auditor')).body;
      expect(Object.keys(totals).sort()).toEqual(['bounds', 'filters', 'openByTown', 'referenceDate', 'totals']);
      expect({ query, totals: totals.totals }).toEqual({ query, totals: list.totals });
      const openByTown: Record<string, Record<string, number>> = {};
      for (const f of list.flags as { open: boolean; town: string | null; severity: string }[])
        if (f.open && f.town !== null) {
          openByTown[f.town] ??= { high: 0, medium: 0, low: 0 };
          openByTown[f.town][f.severity] += 1;
        }
      expect({ query, openByTown: totals.openByTown }).toEqual({ query, openByTown });
    }
    const all = expectOk(await ledger.get('/api/red-flags?view=totals', 'auditor')).body;
    expect(all.openByTown['桂林街道'].medium).toBeGreaterThan(0);
  });

  it('renovation-ledger red-flags, from the log alone, lists what the API lists', async () => {
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (c: Buffer) => chunks.push(c));
    const argv = ['red-flags', '--as-of', '2022-12-31'];
    const code = await redFlagsCommand.run(
      parseArgs(argv, redFlagsCommand),
      loadConfig({ DATA_DIR: ledger.dataDir }),
      () => {},
      {
        stdout,
        progress: () => {},
      },
    );
    expect(code).toBe(0);
    const api = expectOk(await ledger.get('/api/red-flags?asOf=2022-12-31', 'auditor')).body;
    expect(JSON.parse(Buffer.concat(chunks).toString('utf8'))).toEqual(api);
  });

  it('the red-flag projection rebuilt from zero is identical to the live one', async () => {
    await ledger.get('/api/red-flags', 'auditor'); // read-your-writes: caught up
    const drift = expectOk(await ledger.post('/api/audit/projections/red-flags/drift', {}, { role: 'auditor' })).body;
    expect(drift).toMatchObject({ projection: 'red-flags', identical: true, differenceCount: 0 });
    expect(drift.rowsCompared).toBeGreaterThan(0);
  });
});
