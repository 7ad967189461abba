/**
 * GET /api/reports/targets over HTTP (issue 16, point 4): the seed's periods with target and actual
 * side by side, a community counted once however many projects it has, a failed acceptance not
 * counted; `asOf` and `knownAt` replay the log; CSV (the periods) and XLSX (periods, projects,
 * definitions) with Chinese headers and the JSON's figures; bad parameters refused by name.
 */
import { Workbook } from 'exceljs';
import { TOKENS, TestLedger, expectOk } from './support/test-app';

const PARTICIPANTS = ['construction_unit', 'town_office', 'contractor', 'community', 'resident_representative'];

describe('the targets report', () => {
  let ledger: TestLedger;
  const post = async (path: string, body: unknown) => expectOk(await ledger.post(path, body, { role: 'housing' }));
  const milestone = (projectId: string, body: object) => post(`/api/projects/${projectId}/milestones`, body);
  const works = async (projectId: string, startedOn: string, completedOn: string) => {
    await milestone(projectId, { kind: 'construction_started', milestoneId: 'START-1', docRefs: [], startedOn });
    await milestone(projectId, { kind: 'construction_completed', milestoneId: 'DONE-1', docRefs: [], completedOn });
  };
  const acceptance = (projectId: string, milestoneId: string, acceptedOn: string, result = 'passed') =>
    milestone(projectId, {
      kind: 'joint_acceptance',
      milestoneId,
      docRefs: [],
      acceptedOn,
      lead: 'housing_commission',
      participants: PARTICIPANTS,
      result,
    });
  const period = (body: any, id: string) => body.periods.find((p: any) => p.periodId === id);
  const download = async (path: string) => {
    const res = await fetch(ledger.url + path, { headers: { authorization: `Bearer ${TOKENS.viewer}` } });
    return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
  };

  beforeAll(async () => {
    ledger = await TestLedger.start();
    const register = (projectId: string, town: string, community: string, buildingArea: number, households: number) =>
      post('/api/projects', {
        projectId,
        name: `${town}${community}城镇老旧小区改造项目`,
        community,
        town,
        builtYear: 1992,
        buildingArea,
        households,
      });
    // Two projects of one community, and one of another whose first acceptance failed.
    await register('TN-A', '桂林街道', '桂林路小区', 10000.1, 150);
    await register('TN-B', '桂林街道', '桂林路小区', 9000, 140);
    await register('TN-C', '双江镇', '正街居民楼', 5000.2, 80);
    await works('TN-A', '2020-05-10', '2021-03-01');
    await acceptance('TN-A', 'ACC-1', '2021-03-20');
    await works('TN-B', '2021-04-01', '2021-10-10');
    await acceptance('TN-B', 'ACC-1', '2021-10-25');
    await works('TN-C', '2021-06-01', '2022-05-01');
    await acceptance('TN-C', 'ACC-1', '2022-05-10', 'failed');
    await acceptance('TN-C', 'ACC-2', '2022-06-10');
  });
  afterAll(() => ledger.stop());

  it('as of 2021-12-31: target beside actual, the community of two projects counted once, with the reading taken', async () => {
    const r = expectOk(await ledger.get('/api/reports/targets?asOf=2021-12-31')).body;
    expect(r).toMatchObject({
      referenceDate: '2021-12-31',
      bounds: { asOf: '2021-12-31', knownAt: null },
      source: { document: '潼南府办发〔2021〕71号' },
    });
    expect(r.definitions.completed.en).toMatch(/joint acceptance that passed/);
    const done = period(r, '2021-completed');
    expect(done).toMatchObject({
      status: 'closed',
      target: { communities: 77, areaWanM2: '66.70' },
      actual: { communities: 1, areaM2: '10000.10', areaWanM2: '1.00', households: 150 },
      progress: { communities: '1.30', area: '1.50' },
    });
    expect(done.reading.zh).toMatch(/^累计口径/);
    expect(done.projects.map((p: any) => [p.projectId, p.counted])).toEqual([
      ['TN-A', true],
      ['TN-B', false],
    ]);
    const started = period(r, '2021-started');
    expect(started.reading.zh).toMatch(/^年内口径/);
    expect(started.projects.map((p: any) => [p.projectId, p.counted])).toEqual([
      ['TN-B', false],
      ['TN-C', true],
    ]);
    expect(started.actual).toEqual({ communities: 1, areaM2: '5000.20', areaWanM2: '0.50', households: 80 });
    expect(period(r, '2022-completed')).toMatchObject({ status: 'not_started', actual: { communities: 0 } });
  });

  it('live (counted at today): the acceptance that passed in 2022 counts, the failed one does not', async () => {
    const r = expectOk(await ledger.get('/api/reports/targets')).body;
    expect(r.bounds).toMatchObject({ asOf: null, knownAt: null });
    expect(r.referenceDate).toBe(new Date().toISOString().slice(0, 10));
    expect(period(r, '2022-completed').projects).toEqual([
      expect.objectContaining({ projectId: 'TN-C', on: '2022-06-10', milestoneId: 'ACC-2', counted: true }),
    ]);
    expect(period(r, '2023-pre2000')).toMatchObject({ actual: { communities: 2 }, register: { communities: 2 } });
  });

  it('asOf before the works shows nothing of them; knownAt before anything was recorded shows nothing at all', async () => {
    const before = expectOk(await ledger.get('/api/reports/targets?asOf=2020-12-31')).body;
    expect(period(before, '2021-completed').actual.communities).toBe(0);
    const unknown = expectOk(await ledger.get('/api/reports/targets?knownAt=2001-01-01T00:00:00Z')).body;
    expect(unknown.bounds.position).toBe('0');
    expect(unknown.periods.every((p: any) => p.projects.length === 0)).toBe(true);
  });

  it('CSV: the periods, target and actual side by side under Chinese headers; XLSX: periods, projects and definitions', async () => {
    const csv = await download('/api/reports/targets?asOf=2021-12-31&format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain('targets-asof-2021-12-31.csv');
    expect([...csv.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.body.toString('utf8').slice(1).trimEnd().split('\r\n');
    const header = lines[0].split(',');
    for (const h of ['期间', '指标', '口径', '目标个数', '实际个数', '目标面积（万平方米）', '实际面积（万平方米）'])
      expect(header).toContain(h);
    expect(lines).toHaveLength(1 + 6);
    const row = lines[1].split(',');
    const cell = (name: string) => row[header.indexOf(name)];
    expect([
      cell('期间'),
      cell('目标个数'),
      cell('实际个数'),
      cell('目标面积（万平方米）'),
      cell('实际面积（平方米）'),
    ]).toEqual(['截止2021年底 完成', '77', '1', '66.70', '10000.10']);

    const xlsx = await download('/api/reports/targets?asOf=2021-12-31&format=xlsx');
    const workbook = new Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['目标对照', '项目明细', '口径说明']);
    const projects = workbook.getWorksheet('项目明细')!;
    const projectHeader = (projects.getRow(2).values as unknown[]).slice(1);
    const area = projects.getRow(3).getCell(projectHeader.indexOf('建筑面积（平方米）') + 1);
    expect([area.value, area.numFmt]).toEqual([10000.1, '#,##0.00']);
  });

  it('refuses a bad asOf, knownAt or format by name, and a caller without a token', async () => {
    for (const [query, error, field] of [
      ['asOf=2021-02-30', 'invalid-date', 'asOf'],
      ['knownAt=yesterday', 'invalid-time', 'knownAt'],
      ['format=pdf', 'invalid-format', 'format'],
    ]) {
      const r = await ledger.get(`/api/reports/targets?${query}`);
      expect([query, r.status, r.body.error, r.body.field]).toEqual([query, 400, error, field]);
    }
    expect((await ledger.get('/api/reports/targets', null)).status).toBe(401);
  });
});
