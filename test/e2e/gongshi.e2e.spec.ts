/**
 * Rule (issue 19 point 6; seed 三(一) "将小区改造内容全部进行公示，接受……社会监督"): anyone may read a
 * project's public notice without a token, as JSON and as a printable page, and it shows what the
 * seed asks to be publicised and nothing personal: no household id, owner key, resident payer,
 * payee, account number or token, and exactly the whitelisted fields (a field added to the
 * service's reads does not reach it unnoticed).
 */
import { verify } from 'node:crypto';
import { generateSealKeyFile } from '../../src/audit/seal-key';
import { PUBLIC_NOTICES_PER_ADDRESS, PublicReadLimit } from '../../src/public-notice/public-read-limit';
import { CREDIT_CODE, contractInput, jointReviewInput, startedInput, tenderInput } from '../support/lifecycle-fixtures';
import { TOKENS, TestLedger, expectOk } from './support/test-app';

const PROJECT = 'TN2022-GS';
const P = `/api/projects/${PROJECT}`;
const NAME = '公示测试<script>alert("x")</script>小区改造';
const GENERAL_FIRM = '重庆潼南建工集团有限公司';
const TELECOM_FIRM = '重庆信通通信工程有限公司';
const ELEVATOR_FIRM = '重庆快上电梯安装有限公司';

/** Personal values planted in the project's history, each distinctive enough to be searched for. */
const PLANTED = {
  household101: 'HH-GS-Q7X-101',
  household102: 'HH-GS-Q7X-102',
  household201: 'HH-GS-Q7X-201',
  ownerKey101: 'OK-GS-OUYANG-MINGYUE',
  ownerKey102: 'OK-GS-SIMA-QINGYUN',
  ownerKey201: 'OK-GS-ZHUGE-KONGMING',
  residentPayer: '欧阳明月',
  providentPayer: '司马青云',
  pledgePayer: '诸葛孔明',
  payee: '赵公明',
  accountNo: '6228 4801 2345 6789',
};
const PLANTED_VALUES = [...Object.values(PLANTED), ...Object.values(TOKENS)];

/**
 * The shape of a value: an object's keys (sorted) with their shapes, a scalar's type ('null' for
 * null), an array's elements' shapes merged: alike but for the types a field takes ('null|string').
 */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [value.map(shapeOf).reduce(mergeShapes)];
  if (value === null) return 'null';
  if (typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, shapeOf((value as Record<string, unknown>)[k])]),
    );
  return typeof value;
}

/** Two elements' shapes as one: the same keys (else the test fails), each scalar's types joined. */
function mergeShapes(a: unknown, b: unknown): unknown {
  if (typeof a === 'string' && typeof b === 'string')
    return [...new Set([...a.split('|'), ...b.split('|')])].sort().join('|');
  if (Array.isArray(a) && Array.isArray(b)) return a.length === 0 ? b : b.length === 0 ? a : [mergeShapes(a[0], b[0])];
  if (
    a !== null &&
    b !== null &&
    typeof a === 'object' &&
    typeof b === 'object' &&
    !Array.isArray(a) &&
    !Array.isArray(b)
  ) {
    expect(Object.keys(b)).toEqual(Object.keys(a));
    return Object.fromEntries(
      Object.entries(a).map(([k, v]) => [k, mergeShapes(v, (b as Record<string, unknown>)[k])]),
    );
  }
  expect(b).toEqual(a);
  return a;
}

const FIGURES = { available: 'string', disbursed: 'string', pledged: 'string', received: 'string', share: 'string' };
const COUNTS = { area: 'string', owners: 'number', units: 'number' };
/** Every field the notice may hold, and nothing else. */
const WHITELIST = {
  approval: {
    approvalPath: 'string',
    approvalPathZh: 'string',
    approvedInvestment: 'string',
    approvedOn: 'string',
    docNo: 'string',
  },
  budgetTotal: 'string',
  community: 'string',
  constructionPeriod: { completedOn: 'null', startedOn: 'string' },
  contractors: [{ amount: 'string', lineIds: ['string'], name: 'string', signedOn: 'null|string' }],
  costSharePlans: [
    {
      amount: 'string',
      keyKind: 'string',
      lineIds: ['string'],
      planId: 'string',
      rooms: [
        {
          area: 'string',
          building: 'string',
          coefficient: 'null',
          floor: 'number',
          room: 'string',
          share: 'string',
          unit: 'string',
          weight: 'string',
        },
      ],
      total: 'string',
      voteId: 'string',
    },
  ],
  funding: {
    sources: [{ ...FIGURES, labelZh: 'string', source: 'string', tier: 'string' }],
    totals: FIGURES,
  },
  milestones: [{ date: 'string', kind: 'string', labelZh: 'string', party: 'null|string' }],
  name: 'string',
  noticeDate: 'string',
  projectId: 'string',
  renovationContent: [
    {
      category: 'string',
      categoryZh: 'string',
      estimatedCost: 'string',
      item: 'string',
      itemZh: 'string',
      lineId: 'string',
      utility: 'null|string',
      utilityZh: 'null|string',
    },
  ],
  seal: {
    digest: 'string',
    headPosition: 'string',
    keyFingerprint: 'string',
    projectStream: { hash: 'string', revision: 'number' },
    publicKey: 'string',
    sealId: 'string',
    sealedAt: 'string',
    signature: 'string',
  },
  status: 'string',
  town: 'string',
  votes: [
    {
      agreeing: COUNTS,
      approvalMet: 'boolean',
      citation: 'string',
      heldOn: 'string',
      matter: 'string',
      matterZh: 'string',
      participating: COUNTS,
      passed: 'boolean',
      quorumMet: 'boolean',
      scope: COUNTS,
      voteId: 'string',
    },
  ],
};

describe('the public notice (公示)', () => {
  let ledger: TestLedger;
  let seal: Record<string, any>;

  beforeAll(async () => {
    ledger = await TestLedger.start({
      beforeBoot: async (dir) => {
        generateSealKeyFile(`${dir}/seal-key.pem`);
        return { LEDGER_SEAL_KEY_FILE: `${dir}/seal-key.pem` };
      },
    });
    const as = (role: 'housing' | 'finance' | 'clerk') => async (path: string, body: object) =>
      expectOk(await ledger.post(path, body, { role }));
    const housing = as('housing');
    const finance = as('finance');
    const clerk = as('clerk');
    await housing('/api/projects', {
      projectId: PROJECT,
      name: NAME,
      community: '公示测试小区',
      town: '桂林街道',
      builtYear: 1995,
      buildingArea: 12000,
      households: 150,
    });
    await housing(`${P}/budget-lines`, { lineId: 'B1', category: 'basic', item: 'roof', estimatedCost: '1900000.00' });
    await housing(`${P}/budget-lines`, {
      lineId: 'I1',
      category: 'improvement',
      item: 'elevator',
      estimatedCost: '600000.00',
    });
    // Two lines of one item (水电气讯（通信）), told apart by their utility.
    const pipeline = (lineId: string, utility: string) => ({ lineId, category: 'basic', item: 'telecom', utility });
    await housing(`${P}/budget-lines`, { ...pipeline('P1', 'telecom'), estimatedCost: '60000.00' });
    await housing(`${P}/budget-lines`, { ...pipeline('P2', 'broadcast'), estimatedCost: '40000.00' });
    await housing(`${P}/milestones`, jointReviewInput({ reviewedOn: '2022-02-10' }));
    await housing(`${P}/approval`, {
      approvedInvestment: '2600000.00',
      docNo: '潼南发改〔2022〕31号',
      approvedOn: '2022-02-15',
      involvesIndependentInfrastructure: false,
    });
    // Three firms: the general contractor and the pipelines' under contract, the elevators' awarded only.
    await housing(`${P}/milestones`, tenderInput({ awardedOn: '2022-03-01', amount: '2500000.00' }));
    await housing(`${P}/milestones`, contractInput({ signedOn: '2022-03-10', amount: '2500000.00' }));
    const awarded = { winner: TELECOM_FIRM, amount: '100000.00', method: 'direct_award' as const };
    await housing(`${P}/milestones`, tenderInput({ milestoneId: 'TEN-2', awardedOn: '2022-03-02', ...awarded }));
    await housing(
      `${P}/milestones`,
      contractInput({
        milestoneId: 'CTR-2',
        contractId: 'HT-GS-2',
        signedOn: '2022-03-12',
        payee: { name: TELECOM_FIRM, creditCode: CREDIT_CODE },
        amount: '100000.00',
      }),
    );
    await housing(
      `${P}/milestones`,
      tenderInput({ milestoneId: 'TEN-3', awardedOn: '2022-03-05', winner: ELEVATOR_FIRM, amount: '600000.00' }),
    );
    await housing(`${P}/milestones`, startedInput({ startedOn: '2022-03-20' }));
    const home = (householdId: string, room: string, ownerKey: string) => ({
      householdId,
      building: '5',
      unit: '1',
      floor: Number(room.slice(0, -2)),
      room,
      buildingArea: '400.00',
      ownerKey,
    });
    await clerk(`${P}/households`, {
      households: [
        home(PLANTED.household101, '101', PLANTED.ownerKey101),
        home(PLANTED.household102, '102', PLANTED.ownerKey102),
        home(PLANTED.household201, '201', PLANTED.ownerKey201),
      ],
    });
    await clerk(`${P}/votes`, {
      voteId: 'V-GS',
      matter: 'alteration',
      scope: { building: '5' },
      heldOn: '2022-05-01',
      ballots: [
        { householdId: PLANTED.household101, choice: 'agree' },
        { householdId: PLANTED.household102, choice: 'agree' },
        { householdId: PLANTED.household201, choice: 'agree' },
      ],
    });
    await clerk(`${P}/cost-shares`, {
      planId: 'PL-GS',
      lineIds: ['I1'],
      amount: '90000.00',
      scope: { building: '5' },
      key: { kind: 'building_area' },
      voteId: 'V-GS',
    });
    const receipt = { reference: '银行回单 GS-1', receivedOn: '2022-06-01', fiscalYear: 2022 };
    await finance(`${P}/pledges`, {
      pledgeId: 'PG-GS',
      source: 'resident_direct',
      amount: '30000.00',
      payer: PLANTED.pledgePayer,
      fiscalYear: 2022,
      pledgedOn: '2022-05-20',
      householdId: PLANTED.household101,
    });
    await finance(`${P}/receipts`, {
      ...receipt,
      receiptId: 'R-GS-1',
      source: 'resident_direct',
      amount: '30000.00',
      payer: PLANTED.residentPayer,
      householdId: PLANTED.household101,
      planId: 'PL-GS',
    });
    await finance(`${P}/receipts`, {
      ...receipt,
      receiptId: 'R-GS-2',
      source: 'provident_fund',
      amount: '30000.00',
      payer: PLANTED.providentPayer,
      householdId: PLANTED.household102,
      planId: 'PL-GS',
    });
    await finance(`${P}/receipts`, {
      ...receipt,
      receiptId: 'R-GS-3',
      source: 'district_matching',
      amount: '1234567.89',
      payer: '潼南区财政局',
    });
    await finance(`${P}/disbursements`, {
      paymentId: 'D-GS-1',
      source: 'district_matching',
      lineId: 'B1',
      amount: '10000.00',
      payee: PLANTED.payee,
      voucher: '付款凭证 GS-1',
      paidOn: '2022-07-01',
      fiscalYear: 2022,
    });
    // The contractors' payments: the lines each contract covers.
    const paid = (paymentId: string, lineId: string, payee: string) =>
      finance(`${P}/disbursements`, {
        paymentId,
        source: 'district_matching',
        lineId,
        amount: '1000.00',
        payee,
        voucher: `付款凭证 ${paymentId}`,
        paidOn: '2022-07-02',
        fiscalYear: 2022,
      });
    await paid('D-GS-2', 'B1', GENERAL_FIRM);
    await paid('D-GS-3', 'P2', TELECOM_FIRM);
    await paid('D-GS-4', 'P1', TELECOM_FIRM);
    // The telecom firm paid on the general contractor's line by mistake, corrected by a reversal:
    // the line is not the telecom firm's.
    await paid('D-GS-5', 'B1', TELECOM_FIRM);
    await finance(`${P}/reversals`, {
      reversalId: 'RV-GS-5',
      entryId: 'D-GS-5',
      reason: '付款对象错误，冲回',
      reversedOn: '2022-07-03',
    });
    await finance('/api/bank-accounts', {
      accountId: 'ZH-GS',
      name: '公示测试专户',
      bank: '中国农业银行潼南支行',
      accountNo: PLANTED.accountNo,
      projectIds: [PROJECT],
    });
    // A project registered only: its notice shows what exists.
    await housing('/api/projects', {
      projectId: 'TN2022-GS-NEW',
      name: '尚未批复的改造项目',
      community: '新小区',
      town: '桂林街道',
      builtYear: 1996,
      buildingArea: 8000,
      households: 90,
    });
    seal = expectOk(await ledger.request('POST', '/api/audit/seals', { role: 'auditor' })).body;
  });
  afterAll(() => ledger.stop());

  it('answers without a token, with exactly the whitelisted fields', async () => {
    const notice = expectOk(await ledger.get(`/api/public/projects/${PROJECT}/notice`, null)).body;
    expect(shapeOf(notice)).toEqual(WHITELIST);
  });

  it('shows what the seed asks to publicise: content, investment, funding, rooms, votes, contractor, period', async () => {
    const notice = expectOk(await ledger.get(`/api/public/projects/${PROJECT}/notice`, null)).body;
    expect(notice).toMatchObject({
      projectId: PROJECT,
      name: NAME,
      status: 'approved',
      approval: { approvedInvestment: '2600000.00', docNo: '潼南发改〔2022〕31号', approvedOn: '2022-02-15' },
      budgetTotal: '2600000.00',
      constructionPeriod: { startedOn: '2022-03-20', completedOn: null },
    });
    expect(notice.noticeDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(notice.renovationContent.map((l: { itemZh: string }) => l.itemZh)).toEqual([
      '屋顶',
      expect.any(String),
      '水电气讯（通信）',
      '水电气讯（通信）',
    ]);
    expect(notice.renovationContent.slice(2).map((l: { utilityZh: string }) => l.utilityZh)).toEqual(['通信', '广电']);
    // Every contract, with the lines paid to its contractor; then the tender awarded without one.
    expect(notice.contractors).toEqual([
      { name: GENERAL_FIRM, amount: '2500000.00', signedOn: '2022-03-10', lineIds: ['B1'] },
      { name: TELECOM_FIRM, amount: '100000.00', signedOn: '2022-03-12', lineIds: ['P1', 'P2'] },
      { name: ELEVATOR_FIRM, amount: '600000.00', signedOn: null, lineIds: [] },
    ]);
    expect(notice.funding.totals.received).toBe('1294567.89');
    expect(notice.funding.totals.share).toBe('100.00');
    expect(notice.costSharePlans).toHaveLength(1);
    expect(notice.costSharePlans[0].rooms.map((r: { room: string; share: string }) => [r.room, r.share])).toEqual([
      ['101', '30000.00'],
      ['102', '30000.00'],
      ['201', '30000.00'],
    ]);
    expect(notice.votes).toEqual([
      expect.objectContaining({
        voteId: 'V-GS',
        passed: true,
        participating: { units: 3, owners: 3, area: '1200.00' },
      }),
    ]);
    // The milestones say whose tender and whose contract each is.
    const steps = notice.milestones.map((m: { kind: string; party: string | null }) => [m.kind, m.party]);
    expect(steps).toEqual(
      expect.arrayContaining([
        ['tender', GENERAL_FIRM],
        ['contract', GENERAL_FIRM],
        ['tender', TELECOM_FIRM],
        ['contract', TELECOM_FIRM],
        ['tender', ELEVATOR_FIRM],
        ['construction_started', null],
      ]),
    );
    expect(steps.filter(([kind]: [string]) => kind === 'contract')).toHaveLength(2);
  });

  it("shows the ledger's latest seal, which checks as the openssl recipe checks it", async () => {
    const notice = expectOk(await ledger.get(`/api/public/projects/${PROJECT}/notice`, null)).body;
    const sealed = (seal.streams as { streamId: string; revision: number; hash: string }[]).find(
      (s) => s.streamId === `project-${PROJECT}`,
    )!;
    expect(notice.seal).toEqual({
      sealId: seal.sealId,
      sealedAt: seal.sealedAt,
      headPosition: seal.headPosition,
      digest: seal.digest,
      keyFingerprint: seal.keyFingerprint,
      publicKey: seal.publicKey,
      signature: seal.signature,
      projectStream: { revision: sealed.revision, hash: sealed.hash },
    });
    // `openssl pkeyutl -verify -pubin -inkey seal-pub.pem -rawin -in digest.txt -sigfile signature.bin`
    const s = notice.seal as { digest: string; publicKey: string; signature: string };
    expect(verify(null, Buffer.from(s.digest, 'utf8'), s.publicKey, Buffer.from(s.signature, 'base64'))).toBe(true);
    const key = expectOk(await ledger.get('/api/audit/seal-key', 'viewer')).body;
    expect(notice.seal.keyFingerprint).toBe(key.fingerprint);
  });

  it('holds no household id, owner key, resident payer, payee, account number or token, as JSON or as a page', async () => {
    const json = await fetch(`${ledger.url}/api/public/projects/${PROJECT}/notice`);
    const page = await fetch(`${ledger.url}/gongshi/${PROJECT}`);
    const texts = { json: await json.text(), page: await page.text() };
    // The page and the answer were read: they hold the project's own figures.
    expect(texts.json).toContain('PL-GS');
    expect(texts.page).toContain('PL-GS');
    for (const [what, text] of Object.entries(texts))
      expect({ what, leaks: PLANTED_VALUES.filter((v) => text.includes(v)) }).toEqual({ what, leaks: [] });
    // The account number without its spaces, too.
    expect(texts.page).not.toContain(PLANTED.accountNo.replace(/ /g, ''));
  });

  it('is a printable zh-CN page: title, date, money with separators, escaped values, no token, the CSP', async () => {
    const res = await fetch(`${ledger.url}/gongshi/${PROJECT}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<h1>老旧小区改造项目公示</h1>');
    expect(html).toMatch(/公示日期：<time datetime="\d{4}-\d{2}-\d{2}">\d{4}-\d{2}-\d{2}<\/time>/);
    expect(html).toContain('<link rel="stylesheet" href="/gongshi/notice.css">');
    // The name with <script>, escaped everywhere it is written; no script of any kind on the page.
    expect(html).toContain('公示测试&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;小区改造');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<td class="num">2,600,000.00</td>');
    expect(html).toContain('<td class="num">1,294,567.89</td>');
    expect(html).toContain('2022-03-20');
    expect(html).toContain(seal.digest);
    expect(html).toContain(seal.keyFingerprint);
    expect(html).toContain(
      'openssl pkeyutl -verify -pubin -inkey seal-pub.pem -rawin -in digest.txt -sigfile signature.bin',
    );

    const css = await fetch(`${ledger.url}/gongshi/notice.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const rules = await css.text();
    expect(rules).toContain('@page { size: A4;');
    expect(rules).toContain('.num { text-align: right;');
  });

  it('lists every contract on the page: its contractor, its lines by name, amount and day', async () => {
    const html = await (await fetch(`${ledger.url}/gongshi/${PROJECT}`)).text();
    // Every contract: its contractor, the lines it covers by name (no line id), amount and day.
    const rowOf = (text: string) => html.match(new RegExp(`<tr>(?:(?!</tr>).)*${text}(?:(?!</tr>).)*</tr>`))?.[0];
    expect(rowOf(GENERAL_FIRM)).toBe(
      `<tr><td class="text">${GENERAL_FIRM}</td><td class="text">屋顶</td><td class="num">2,500,000.00</td><td class="nowrap">2022-03-10</td></tr>`,
    );
    expect(rowOf(TELECOM_FIRM)).toContain(
      '<td class="text">水电气讯（通信）（通信管线）、水电气讯（通信）（广电管线）</td>',
    );
    expect(rowOf(ELEVATOR_FIRM)).toContain('已中标，尚未签订');
    expect(html).toContain(`签订施工合同：${TELECOM_FIRM}`);
    expect(html).toContain(`签订施工合同：${GENERAL_FIRM}`);
    // Lines by their names: the two 水电气讯（通信） by their utility, a plan's lines too.
    expect(html).toContain('<td>水电气讯（通信）（广电管线）</td>');
    expect(html).toContain('（改造内容：加装电梯）');
    expect(html).not.toMatch(/改造内容 ?I1/);
  });

  it("writes the votes' counts with thousands separators and the seal's time in 北京时间 to the minute", async () => {
    const html = await (await fetch(`${ledger.url}/gongshi/${PROJECT}`)).text();
    // Votes with thousands separators; the seal's time as the page writes times, in 北京时间.
    expect(html).toContain('面积 1,200.00/1,200.00 m²');
    const beijing = new Date(Date.parse(seal.sealedAt) + 8 * 3600_000).toISOString();
    expect(html).toContain(`<dd>${beijing.slice(0, 10)} ${beijing.slice(11, 16)}（北京时间）</dd>`);
    expect(html).not.toContain(seal.sealedAt);
  });

  it('shows what exists of a project not yet approved', async () => {
    const notice = expectOk(await ledger.get('/api/public/projects/TN2022-GS-NEW/notice', null)).body;
    expect(notice).toMatchObject({
      status: 'registered',
      approval: null,
      renovationContent: [],
      costSharePlans: [],
      votes: [],
      contractors: [],
      constructionPeriod: { startedOn: null, completedOn: null },
      // Registered before the seal: its stream is in it.
      seal: { sealId: seal.sealId, projectStream: { revision: 0 } },
    });
    const page = await fetch(`${ledger.url}/gongshi/TN2022-GS-NEW`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('尚未批复');
  });

  it('answers 404 for an unknown project: JSON from the API, a page from /gongshi', async () => {
    const api = await ledger.get('/api/public/projects/NO-SUCH/notice', null);
    expect(api.status).toBe(404);
    expect(api.body.error).toBe('project-not-found');
    const page = await fetch(`${ledger.url}/gongshi/%3Cb%3ENO-SUCH`);
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain('未找到项目');
    expect(html).toContain('&lt;b&gt;NO-SUCH');
    expect(html).not.toContain('<b>');
  });

  it('lets one address have a bounded number of notices in flight (429 beyond)', async () => {
    const limit = new PublicReadLimit();
    const headers: Record<string, string> = {};
    const req = { ip: '192.0.2.7', res: { setHeader: (n: string, v: string) => (headers[n] = v) } };
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const pending = Array.from({ length: PUBLIC_NOTICES_PER_ADDRESS }, () => limit.run(req, () => gate));
    await expect(limit.run(req, async () => 'more')).rejects.toMatchObject({ code: 'too-many-requests', status: 429 });
    expect(headers['Retry-After']).toBe('1');
    // Another address is not held back, and the first one may read again once its reads answered.
    await expect(limit.run({ ip: '192.0.2.8' }, async () => 'other')).resolves.toBe('other');
    release();
    await Promise.all(pending);
    await expect(limit.run(req, async () => 'again')).resolves.toBe('again');
  });
});
