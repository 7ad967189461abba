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
import { contractInput, jointReviewInput, startedInput, tenderInput } from '../support/lifecycle-fixtures';
import { TOKENS, TestLedger, expectOk } from './support/test-app';

const PROJECT = 'TN2022-GS';
const P = `/api/projects/${PROJECT}`;
const NAME = '公示测试<script>alert("x")</script>小区改造';

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

/** The shape of a value: an object's keys (sorted) with their shapes, an array's elements' shapes (all alike). */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) {
    const shapes = value.map(shapeOf).map((s) => JSON.stringify(s));
    expect(new Set(shapes).size).toBeLessThanOrEqual(1);
    return value.length === 0 ? [] : [shapeOf(value[0])];
  }
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, shapeOf((value as Record<string, unknown>)[k])]),
    );
  return typeof value;
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
  constructionPeriod: { completedOn: 'object', startedOn: 'string' },
  contractor: { amount: 'string', name: 'string', signedOn: 'string' },
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
          coefficient: 'object',
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
  milestones: [{ date: 'string', kind: 'string', labelZh: 'string' }],
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
    await housing(`${P}/budget-lines`, { lineId: 'B1', category: 'basic', item: 'roof', estimatedCost: '2000000.00' });
    await housing(`${P}/budget-lines`, {
      lineId: 'I1',
      category: 'improvement',
      item: 'elevator',
      estimatedCost: '600000.00',
    });
    await housing(`${P}/milestones`, jointReviewInput({ reviewedOn: '2022-02-10' }));
    await housing(`${P}/approval`, {
      approvedInvestment: '2600000.00',
      docNo: '潼南发改〔2022〕31号',
      approvedOn: '2022-02-15',
      involvesIndependentInfrastructure: false,
    });
    await housing(`${P}/milestones`, tenderInput({ awardedOn: '2022-03-01', amount: '2500000.00' }));
    await housing(`${P}/milestones`, contractInput({ signedOn: '2022-03-10', amount: '2500000.00' }));
    await housing(`${P}/milestones`, startedInput({ startedOn: '2022-03-20' }));
    const home = (householdId: string, room: string, ownerKey: string) => ({
      householdId,
      building: '5',
      unit: '1',
      floor: Number(room.slice(0, -2)),
      room,
      buildingArea: '60.00',
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
      contractor: { name: '重庆潼南建工集团有限公司', amount: '2500000.00', signedOn: '2022-03-10' },
      constructionPeriod: { startedOn: '2022-03-20', completedOn: null },
    });
    expect(notice.noticeDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(notice.renovationContent.map((l: { itemZh: string }) => l.itemZh)).toEqual(['屋顶', expect.any(String)]);
    expect(notice.funding.totals.received).toBe('1294567.89');
    expect(notice.funding.totals.share).toBe('100.00');
    expect(notice.costSharePlans).toHaveLength(1);
    expect(notice.costSharePlans[0].rooms.map((r: { room: string; share: string }) => [r.room, r.share])).toEqual([
      ['101', '30000.00'],
      ['102', '30000.00'],
      ['201', '30000.00'],
    ]);
    expect(notice.votes).toEqual([
      expect.objectContaining({ voteId: 'V-GS', passed: true, participating: { units: 3, owners: 3, area: '180.00' } }),
    ]);
    expect(notice.milestones.map((m: { kind: string }) => m.kind)).toEqual(
      expect.arrayContaining(['tender', 'contract', 'construction_started']),
    );
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
    expect(html).toContain('重庆潼南建工集团有限公司');
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

  it('shows what exists of a project not yet approved', async () => {
    const notice = expectOk(await ledger.get('/api/public/projects/TN2022-GS-NEW/notice', null)).body;
    expect(notice).toMatchObject({
      status: 'registered',
      approval: null,
      renovationContent: [],
      costSharePlans: [],
      votes: [],
      contractor: null,
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
