/**
 * Rule (个人信息保护法; issue 14 point 11): a resident's household, a payer or payee who is a
 * person, and (once recorded) a bank account are shown to finance, clerks, auditors and
 * administrators only. A viewer reads none of them anywhere: every read route, JSON and every
 * export (CSV, XLSX), history included. The routes walked are every GET the Nest application
 * registers (read from its controllers' route metadata) and every GET the OpenAPI document
 * lists; the two lists must agree, so a new read route is walked without editing this test.
 */
import { Workbook } from 'exceljs';
import { PERSONAL_FIELDS, MASKED } from '../../src/events/personal-fields';
import { openApiOperations, registeredRoutes } from './support/routes';
import { jointReviewInput } from '../support/lifecycle-fixtures';
import { TOKENS, TestLedger, TestRole, expectOk } from './support/test-app';

const PROJECT = 'TN2022-PI';
const P = `/api/projects/${PROJECT}`;
const BATCH = 'YCJ2022-PI';

/** The personal values planted, each in one declared field. */
const PLANTED = {
  pledgePayer: '王五福',
  pledgeHousehold: 'HH-2-1-302',
  residentPayer: '张三丰',
  residentHousehold: 'HH-7-3-502',
  providentPayer: '李四光',
  providentHousehold: 'HH-9-1-301',
  payee: '赵六顺',
  treasuryPayee: '周九安',
  registeredHousehold: 'HH-5-1-101',
  exemptHousehold: 'HH-5-1-102',
  ownerKey: 'OK-ZHAO-LIU',
  correctedOwnerKey: 'OK-QIAN-QI',
  accountNo: '6222 0202 0000 9876',
  statementCounterparty: '孙七娘',
  statementCounterpartyAccount: '6222030300004321',
  // Banks write the payer's name and id number in a line's 摘要 / 附言.
  statementMemo: '孙七娘代缴维修资金身份证500223199001011234',
};
/** An organisation's name: not personal, and still shown to a viewer. */
const ORGANISATION_PAYER = '潼南区财政局';

/** Route parameter values, by the route they start: an unknown parameter fails the walk until it is given here. */
const PARAM_VALUES: Record<string, Record<string, string>> = {
  '/api/projects/:id': { id: PROJECT, householdId: PLANTED.registeredHousehold, voteId: 'V-PI', planId: 'PL-PI' },
  '/api/fund-batches/:id': { id: BATCH },
  '/api/bank-accounts/:id': { id: 'ZH-PI' },
  '/api/audit/seals/:sealId': { sealId: 'none' },
  '/api/public/projects/:projectId': { projectId: PROJECT },
};

describe('personal data by role', () => {
  let ledger: TestLedger;

  beforeAll(async () => {
    ledger = await TestLedger.start();
    const housing = (path: string, body: object) => ledger.post(path, body, { role: 'housing' });
    const finance = (path: string, body: object) => ledger.post(path, body, { role: 'finance' });
    expectOk(
      await housing('/api/projects', {
        projectId: PROJECT,
        name: '个人信息测试小区改造',
        community: '测试小区',
        town: '桂林街道',
        builtYear: 1995,
        buildingArea: 12000,
        households: 150,
      }),
    );
    for (const line of [
      { lineId: 'B1', category: 'basic', item: 'roof', estimatedCost: '2000000.00' },
      { lineId: 'I1', category: 'improvement', item: 'elevator', estimatedCost: '600000.00' },
    ])
      expectOk(await housing(`${P}/budget-lines`, line));
    expectOk(await housing(`${P}/milestones`, jointReviewInput({ reviewedOn: '2022-02-10' })));
    expectOk(
      await housing(`${P}/approval`, {
        approvedInvestment: '2600000.00',
        docNo: '潼南发改〔2022〕9号',
        approvedOn: '2022-02-15',
        involvesIndependentInfrastructure: false,
      }),
    );
    expectOk(
      await finance(`${P}/pledges`, {
        pledgeId: 'PL1',
        source: 'resident_direct',
        amount: '30000.00',
        payer: PLANTED.pledgePayer,
        fiscalYear: 2022,
        pledgedOn: '2022-02-20',
        householdId: PLANTED.pledgeHousehold,
      }),
    );
    const receipt = { reference: '银行回单 0001', receivedOn: '2022-03-01', fiscalYear: 2022 };
    expectOk(
      await finance(`${P}/receipts`, {
        ...receipt,
        receiptId: 'R1',
        source: 'resident_direct',
        amount: '20000.00',
        payer: PLANTED.residentPayer,
        householdId: PLANTED.residentHousehold,
      }),
    );
    expectOk(
      await finance(`${P}/receipts`, {
        ...receipt,
        receiptId: 'R3',
        source: 'district_matching',
        amount: '500000.00',
        payer: ORGANISATION_PAYER,
      }),
    );
    expectOk(
      await finance(`${P}/disbursements`, {
        paymentId: 'D1',
        source: 'resident_direct',
        lineId: 'B1',
        amount: '10000.00',
        payee: PLANTED.payee,
        voucher: '付款凭证 0001',
        paidOn: '2022-04-01',
        fiscalYear: 2022,
      }),
    );
    expectOk(
      await finance('/api/fund-batches', {
        batchId: BATCH,
        source: 'central_fiscal_subsidy',
        docNo: '渝财建〔2022〕7号',
        fiscalYear: 2022,
        amount: '1000000.00',
        issuedOn: '2022-01-10',
      }),
    );
    expectOk(
      await finance(`/api/fund-batches/${BATCH}/allocations`, {
        allocationId: 'A1',
        projectId: PROJECT,
        amount: '400000.00',
        allocatedOn: '2022-01-20',
      }),
    );
    // A treasury direct payment to a person (a refund of a deposit, say): its payee is personal too.
    expectOk(
      await finance(`${P}/treasury-payments`, {
        paymentId: 'TP1',
        allocationId: 'A1',
        lineId: 'B1',
        amount: '1000.00',
        payee: PLANTED.treasuryPayee,
        voucher: '国库支付凭证 0001',
        paidOn: '2022-04-10',
      }),
    );
    // The residents' side, after the lump receipts above (which name households of no register): a
    // register, a correction, votes and plans, each holding household ids or owner keys.
    const clerk = (path: string, body: object) => ledger.post(path, body, { role: 'clerk' });
    const home = (householdId: string, room: string, ownerKey: string, building = '5') => ({
      householdId,
      building,
      unit: '1',
      floor: Number(room.slice(0, -2)),
      room,
      buildingArea: '60.00',
      ownerKey,
    });
    expectOk(
      await clerk(`${P}/households`, {
        households: [
          home(PLANTED.registeredHousehold, '101', PLANTED.ownerKey),
          home(PLANTED.exemptHousehold, '102', 'OK-OTHER'),
          home(PLANTED.providentHousehold, '301', 'OK-ELEVATOR', '9'),
        ],
      }),
    );
    expectOk(
      await clerk(`${P}/households/${PLANTED.registeredHousehold}/corrections`, {
        ownerKey: PLANTED.correctedOwnerKey,
        reason: '产权转移登记',
      }),
    );
    expectOk(
      await clerk(`${P}/votes`, {
        voteId: 'V-PI',
        matter: 'common_parts',
        scope: { building: '5' },
        heldOn: '2022-05-01',
        ballots: [
          { householdId: PLANTED.registeredHousehold, choice: 'agree' },
          { householdId: PLANTED.exemptHousehold, choice: 'agree' },
        ],
      }),
    );
    expectOk(
      await clerk(`${P}/cost-shares`, {
        planId: 'PL-PI',
        lineIds: ['B1'],
        amount: '10000.00',
        scope: { building: '5' },
        key: { kind: 'building_area' },
        exempt: [PLANTED.exemptHousehold],
        voteId: 'V-PI',
      }),
    );
    // A provident-fund withdrawal finances a household's share of a plan (domain.md R-CS7): building
    // 9's elevator, under its alteration vote.
    expectOk(
      await clerk(`${P}/votes`, {
        voteId: 'V-PI-ELEV',
        matter: 'alteration',
        scope: { building: '9' },
        heldOn: '2022-05-01',
        ballots: [{ householdId: PLANTED.providentHousehold, choice: 'agree' }],
      }),
    );
    expectOk(
      await clerk(`${P}/cost-shares`, {
        planId: 'PL-PI-ELEV',
        lineIds: ['I1'],
        amount: '50000.00',
        scope: { building: '9' },
        key: { kind: 'building_area' },
        voteId: 'V-PI-ELEV',
      }),
    );
    expectOk(
      await finance(`${P}/receipts`, {
        ...receipt,
        receiptId: 'R2',
        source: 'provident_fund',
        amount: '50000.00',
        payer: PLANTED.providentPayer,
        householdId: PLANTED.providentHousehold,
        planId: 'PL-PI-ELEV',
      }),
    );
    // A special account and a statement line from a person (a refund paid in by a resident).
    expectOk(
      await finance('/api/bank-accounts', {
        accountId: 'ZH-PI',
        name: '个人信息测试专户',
        bank: '中国农业银行潼南支行',
        accountNo: PLANTED.accountNo,
        projectIds: [PROJECT],
      }),
    );
    const statement = [
      '交易日期,交易流水号,摘要,收入金额,支出金额,余额,对方户名,对方账号',
      `2022-06-01,PI-001,${PLANTED.statementMemo},"1,000.00",,"1,000.00",${PLANTED.statementCounterparty},${PLANTED.statementCounterpartyAccount}`,
    ].join('\n');
    const imported = await fetch(`${ledger.url}/api/bank-accounts/ZH-PI/statements`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.finance}`, 'content-type': 'text/csv; charset=utf-8' },
      body: statement,
    });
    expect(imported.status).toBe(201);
    // The treasury's payment file, with the line that paid the person above.
    const treasuryFile = [
      '支付凭证号,指标文号,收款人,金额,支付日期,功能科目',
      `国库支付凭证 0001,渝财建〔2022〕7号,${PLANTED.treasuryPayee},"1,000.00",2022-04-10,2120303`,
    ].join('\n');
    const treasuryImported = await fetch(`${ledger.url}/api/treasury-files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.finance}`, 'content-type': 'text/csv' },
      body: treasuryFile,
    });
    expect(treasuryImported.status).toBe(201);
  });
  afterAll(() => ledger.stop());

  it('plants a value in every field the declaration names personal', async () => {
    const { events } = expectOk(await ledger.get('/api/events?limit=1000', 'auditor')).body as {
      events: { type: string; data: Record<string, unknown> }[];
    };
    const planted = new Set(Object.values(PLANTED));
    for (const [type, fields] of Object.entries(PERSONAL_FIELDS)) {
      for (const { path } of fields) {
        const values = events.filter((e) => e.type === type).flatMap((e) => valuesAt(e.data, path));
        expect({ type, path, planted: values.some((v) => typeof v === 'string' && planted.has(v)) }).toEqual({
          type,
          path,
          planted: true,
        });
      }
    }
  });

  it('the GET routes Nest registers and those the OpenAPI document lists are the same', async () => {
    const documented = await openApiGetRoutes(ledger);
    expect([...registeredGetRoutes(ledger)].sort()).toEqual([...documented.keys()].sort());
  });

  it('a refusal names a household to those who see households, and masks it for the others', async () => {
    // Weighing by exclusive area, which building 5's register does not hold: the refusal names the
    // household from the register, not one the caller sent.
    const plan = {
      planId: 'PL-PI-REFUSED',
      lineIds: ['B1'],
      amount: '100.00',
      scope: { building: '5' },
      key: { kind: 'exclusive_area' },
    };
    const asHousing = await ledger.post(`${P}/cost-shares`, plan, { role: 'housing' });
    expect(asHousing.body).toMatchObject({ error: 'exclusive-area-missing' });
    const housingMessage = (asHousing.body as { message: string }).message;
    expect(Object.values(PLANTED).filter((v) => housingMessage.includes(v))).toEqual([]);
    expect(housingMessage).toContain(`household ${MASKED} has no exclusive area`);
    const asClerk = await ledger.post(`${P}/cost-shares`, plan, { role: 'clerk' });
    expect(asClerk.body).toMatchObject({ error: 'exclusive-area-missing' });
    expect((asClerk.body as { message: string }).message).toContain(`household ${PLANTED.registeredHousehold} has`);
  });

  it('a viewer reads no personal data on any read route, in JSON or any export', async () => {
    const bodies = await readEverything(ledger, 'viewer');
    expect(bodies.length).toBeGreaterThan(10);
    const leaks = bodies.flatMap(({ url, text }) =>
      Object.values(PLANTED)
        .filter((v) => text.includes(v))
        .map((v) => `${url}: ${v}`),
    );
    expect(leaks).toEqual([]);
    // Masked where it was, and an organisation paying is still named.
    const history = bodies.find((b) => b.url.endsWith(`${P}/events`))!.text;
    expect(history).toContain(JSON.stringify(MASKED));
    expect(history).toContain(ORGANISATION_PAYER);
  });

  it('housing sees them masked too; finance, clerks, auditors and administrators see them', async () => {
    const unseen = async (role: TestRole) => {
      // The whole history: the project's events and the bank account's.
      const text = JSON.stringify(expectOk(await ledger.get('/api/events?limit=1000', role)).body);
      return Object.values(PLANTED).filter((v) => !text.includes(v));
    };
    expect(await unseen('housing')).toEqual(Object.values(PLANTED));
    for (const role of ['finance', 'clerk', 'auditor', 'admin'] as const) expect(await unseen(role)).toEqual([]);
  });
});

/** The values at `path`, through arrays (as personal-fields.ts reads a path): `households.ownerKey` of each household. */
function valuesAt(data: unknown, path: string): unknown[] {
  const flat = (values: unknown[]) => values.flatMap((v) => (Array.isArray(v) ? v : [v]));
  return flat(
    path
      .split('.')
      .reduce<unknown[]>(
        (values, k) => flat(values).map((v) => (v as Record<string, unknown> | undefined)?.[k]),
        [data],
      ),
  );
}

/** Every GET route in the controllers' metadata, as `/api/projects/:id`. */
function registeredGetRoutes(ledger: TestLedger): Set<string> {
  return new Set(
    registeredRoutes(ledger)
      .filter((r) => r.method === 'GET')
      .map((r) => r.path),
  );
}

/** The OpenAPI document's GET routes (as `/api/projects/:id`) and the query parameters each takes. */
async function openApiGetRoutes(ledger: TestLedger): Promise<Map<string, string[]>> {
  const routes = new Map<string, string[]>();
  for (const [route, op] of await openApiOperations(ledger))
    if (route.startsWith('GET ')) routes.set(route.slice('GET '.length), op.query);
  return routes;
}

/**
 * Every GET route as `role`, with its parameters filled in, plain and with the query variants
 * that change what is read: each export format, and a date in the past (read from the log).
 */
async function readEverything(ledger: TestLedger, role: TestRole): Promise<{ url: string; text: string }[]> {
  const out: { url: string; text: string }[] = [];
  for (const [route, query] of await openApiGetRoutes(ledger)) {
    const values = Object.entries(PARAM_VALUES).find(([prefix]) => `${route}/`.startsWith(`${prefix}/`))?.[1] ?? {};
    const path = route.replace(/:(\w+)/g, (_, name: string) => {
      if (values[name] === undefined) throw new Error(`add a value for :${name} of ${route} to PARAM_VALUES`);
      return encodeURIComponent(values[name]);
    });
    const variants = [''];
    if (query.includes('asOf')) variants.push('asOf=2022-12-31');
    if (query.includes('format')) variants.push('format=csv', 'format=xlsx', 'format=xlsx&asOf=2022-12-31');
    if (route === '/api/live') {
      // A stream that never ends: read it from the log's start up to its head, every event's message.
      out.push({ url: path, text: await liveUpToHead(ledger, role) });
      continue;
    }
    for (const v of variants) {
      const url = v === '' ? path : `${path}?${v}`;
      const res = await fetch(ledger.url + url, { headers: { authorization: `Bearer ${TOKENS[role]}` } });
      expect({ url, status: res.status < 500 }).toEqual({ url, status: true });
      const headers = JSON.stringify([...res.headers.entries()]);
      const body = Buffer.from(await res.arrayBuffer());
      const isXlsx = (res.headers.get('content-type') ?? '').includes('spreadsheetml');
      out.push({ url, text: headers + (isXlsx ? await xlsxText(body) : body.toString('utf8')) });
    }
  }
  return out;
}

/** GET /api/live as `role`, resumed from before the first event (Last-Event-ID 0), read until the message of the head. */
async function liveUpToHead(ledger: TestLedger, role: TestRole): Promise<string> {
  const head = await ledger.headPosition();
  const stop = new AbortController();
  const res = await fetch(`${ledger.url}/api/live`, {
    headers: { authorization: `Bearer ${TOKENS[role]}`, 'last-event-id': '0' },
    signal: stop.signal,
  });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = JSON.stringify([...res.headers.entries()]);
  while (!text.includes(`id: ${head}\n`)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the live stream ended before the head, position ${head}`);
    text += decoder.decode(value, { stream: true });
  }
  stop.abort();
  return text;
}

/** Every cell of every sheet, as text. */
async function xlsxText(file: Buffer): Promise<string> {
  const workbook = new Workbook();
  await workbook.xlsx.load(file as unknown as ArrayBuffer);
  const cells: string[] = [];
  workbook.eachSheet((sheet) => {
    cells.push(sheet.name);
    sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.text ?? cell.value))));
  });
  expect(cells.length).toBeGreaterThan(1);
  return cells.join('\n');
}
