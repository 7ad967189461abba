/**
 * 对账 end to end, as the finance bureau does it: a special account for a project, the bank's
 * statement exported as GBK CSV (made here with iconv-lite, as a bank's export is), imported once
 * (twice changes nothing), a statement whose running balance breaks refused naming the row, and
 * the reconciliation finding exactly the two planted exceptions (a receipt the ledger lacks, an
 * amount keyed wrong) with a 调节表 that balances once the mismatch is explained (and, the amount
 * corrected and the lacking receipt recorded, has nothing left to adjust); the same as files
 * (xlsx: the 调节表 and the four lists; csv: the exceptions, UTF-8 or GB18030), masked per role.
 */
import { Workbook } from 'exceljs';
import iconv from 'iconv-lite';
import { jointReviewInput } from '../support/lifecycle-fixtures';
import { RECONCILIATION_SHEETS } from '../support/reconciliation-fixtures';
import { TOKENS, TestLedger, TestRole, expectOk } from './support/test-app';

const P = '/api/projects/TN2022-001';
const A = '/api/bank-accounts/ZH-001';

const statementCsv = (rows: string[]) =>
  [
    '中国农业银行账户交易明细',
    '账号：3105010104001234，户名：桂林街道老旧小区改造资金专户',
    '交易日期,交易流水号,摘要,收入金额,支出金额,余额,对方户名,对方账号',
    ...rows,
    '合计,,,"435,000.00","120,000.00",,,',
  ].join('\r\n');

const LINES = [
  '2022-03-01,YH20220301001,财政拨款,"300,000.00",,"300,000.00",潼南区财政局,500101000000111',
  // The ledger booked this receipt as 50,000.00: an amount keyed wrong.
  '2022-03-10,YH20220310002,财政拨款,"55,000.00",,"355,000.00",潼南区财政局,500101000000111',
  // The payment's voucher is PZ-0315; the bank's serial differs: matched by amount, date (2 days) and payee.
  '2022-03-17,BK99001,工程款,,"120,000.00","235,000.00",重庆某建设公司,500102000000222',
  // A receipt the ledger lacks.
  '2022-03-20,YH20220320009,市级补助,"80,000.00",,"315,000.00",重庆市财政局,500100000000333',
];

describe('bank accounts and reconciliation', () => {
  let ledger: TestLedger;

  const upload = async (path: string, bytes: Buffer, contentType: string, role: TestRole = 'finance') => {
    const res = await fetch(ledger.url + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS[role]}`, 'content-type': contentType },
      body: bytes,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };

  beforeAll(async () => {
    ledger = await TestLedger.start();
    expectOk(
      await ledger.post(
        '/api/projects',
        {
          projectId: 'TN2022-001',
          name: '桂林街道老旧小区改造',
          community: '建设路小区',
          town: '桂林街道',
          builtYear: 1996,
          buildingArea: 12000,
          households: 150,
        },
        { role: 'housing' },
      ),
    );
    expectOk(
      await ledger.post(
        `${P}/budget-lines`,
        { lineId: 'B1', category: 'basic', item: 'roof', estimatedCost: '500000.00' },
        { role: 'housing' },
      ),
    );
    expectOk(await ledger.post(`${P}/milestones`, jointReviewInput({ reviewedOn: '2022-02-10' }), { role: 'housing' }));
    expectOk(
      await ledger.post(
        `${P}/approval`,
        {
          approvedInvestment: '600000.00',
          docNo: '潼南发改〔2022〕9号',
          approvedOn: '2022-02-15',
          involvesIndependentInfrastructure: false,
        },
        { role: 'housing' },
      ),
    );
    const receipt = { source: 'district_matching', payer: '潼南区财政局', fiscalYear: 2022 };
    expectOk(
      await ledger.post(`${P}/receipts`, {
        ...receipt,
        receiptId: 'R1',
        amount: '300000.00',
        reference: 'YH20220301001',
        receivedOn: '2022-03-01',
      }),
    );
    expectOk(
      await ledger.post(`${P}/receipts`, {
        ...receipt,
        receiptId: 'R2',
        amount: '50000.00',
        reference: 'YH20220310002',
        receivedOn: '2022-03-10',
      }),
    );
    expectOk(
      await ledger.post(
        `${P}/disbursements`,
        {
          paymentId: 'D1',
          source: 'district_matching',
          lineId: 'B1',
          amount: '120000.00',
          payee: '重庆某建设公司',
          voucher: 'PZ-0315',
          paidOn: '2022-03-15',
          fiscalYear: 2022,
        },
        { role: 'finance' },
      ),
    );
  });
  afterAll(() => ledger.stop());

  it('records an account whose number only finance and admin see in full', async () => {
    const account = {
      accountId: 'ZH-001',
      name: '桂林街道老旧小区改造资金专户',
      bank: '中国农业银行潼南支行',
      accountNo: '3105 0101 0400 1234',
      projectIds: ['TN2022-001'],
    };
    expect((await ledger.post('/api/bank-accounts', account, { role: 'clerk' })).status).toBe(403);
    expectOk(await ledger.post('/api/bank-accounts', account, { role: 'finance' }));
    const again = await ledger.post('/api/bank-accounts', account, { role: 'finance' });
    expect(again.body).toMatchObject({ error: 'bank-account-exists' });
    const bad = await ledger.post('/api/bank-accounts', { ...account, accountId: 'ZH-X', accountNo: 'abc' });
    expect(bad.body).toMatchObject({ error: 'invalid-account-no', field: 'accountNo' });
    expect((await ledger.get(A, 'finance')).body.accountNo).toBe('3105 0101 0400 1234');
    expect((await ledger.get(A, 'auditor')).body.accountNo).toBe('****1234');
    const list = await ledger.get('/api/bank-accounts', 'viewer');
    expect(list.body).toEqual([expect.objectContaining({ accountId: 'ZH-001', accountNo: '****1234' })]);
    expect((await ledger.get('/api/bank-accounts/NOPE', 'viewer')).body.error).toBe('bank-account-not-found');
  });

  it('refuses a statement whose running balance breaks, naming the row, and writes nothing', async () => {
    const broken = [...LINES];
    broken[2] = broken[2].replace('"235,000.00"', '"236,000.00"');
    const before = await ledger.eventCount();
    const reply = await upload(`${A}/statements`, iconv.encode(statementCsv(broken), 'gbk'), 'text/csv');
    expect(reply.status).toBe(422);
    expect(reply.body.error).toBe('statement-balance-break');
    expect(reply.body.message).toContain('row 6');
    expect(await ledger.eventCount()).toBe(before);
  });

  it('previews a GBK statement with dryRun, writing nothing', async () => {
    const before = await ledger.eventCount();
    const gbk = iconv.encode(statementCsv(LINES), 'gbk');
    const reply = await upload(`${A}/statements?dryRun=true`, gbk, 'text/csv; charset=GBK');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ format: 'csv-gb18030', headerRow: 3, imported: 0, problems: [] });
    expect(
      reply.body.lines.map((l: { row: number; amount: string; status: string }) => [l.row, l.amount, l.status]),
    ).toEqual([
      [4, '300000.00', 'new'],
      [5, '55000.00', 'new'],
      [6, '120000.00', 'new'],
      [7, '80000.00', 'new'],
    ]);
    expect(reply.body.skippedRows.map((r: { row: number }) => r.row)).toEqual([1, 2, 8]);
    expect(await ledger.eventCount()).toBe(before);
  });

  it('imports a GBK statement once: the second import changes nothing', async () => {
    const gbk = iconv.encode(statementCsv(LINES), 'gbk');
    const first = await upload(`${A}/statements`, gbk, 'text/csv');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ imported: 4, duplicateRows: [], events: [{ type: 'statement-imported.v1' }] });
    const before = await ledger.eventCount();
    const second = await upload(`${A}/statements`, gbk, 'text/csv');
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ imported: 0, duplicateRows: [4, 5, 6, 7] });
    expect(await ledger.eventCount()).toBe(before);
    const account = (await ledger.get(A, 'finance')).body;
    expect(account).toMatchObject({ lineCount: 4, balance: '315000.00', balanceOn: '2022-03-20' });
  });

  it('finds exactly the receipt the ledger lacks and the amount keyed wrong; the 调节表 balances once explained', async () => {
    const r = (await ledger.get(`${A}/reconciliation?month=2022-03`, 'finance')).body;
    expect(r.rule.ruleId).toBe('reconciliation-match-window-3-days');
    expect(
      r.matched.map((g: { basis: string; entries: { entryId: string }[] }) => [g.basis, g.entries[0].entryId]),
    ).toEqual([
      ['reference', 'R1'],
      ['amount-date-counterparty', 'D1'],
    ]);
    expect(r.statementOnly.map((l: { row: number; amount: string }) => [l.row, l.amount])).toEqual([[7, '80000.00']]);
    expect(r.ledgerOnly).toEqual([]);
    expect(r.amountMismatch).toHaveLength(1);
    expect(r.amountMismatch[0]).toMatchObject({ basis: 'reference', difference: '5000.00' });
    expect(r.amountMismatch[0].entries[0].entryId).toBe('R2');
    expect(r.adjustment).toMatchObject({
      bookBalance: '230000.00',
      bankBalance: '315000.00',
      bankCreditedNotBooked: '80000.00',
      adjustedBookBalance: '310000.00',
      adjustedBankBalance: '315000.00',
      difference: '5000.00',
      balanced: false,
    });

    const lineId = r.amountMismatch[0].lines[0].lineId;
    const noReason = await ledger.post(
      `${A}/matches`,
      { matchId: 'M1', decision: 'manual', lineIds: [lineId], entries: [{ projectId: 'TN2022-001', entryId: 'R2' }] },
      { role: 'finance' },
    );
    expect(noReason.body).toMatchObject({ error: 'match-reason-required', field: 'reason' });
    expectOk(
      await ledger.post(
        `${A}/matches`,
        {
          matchId: 'M1',
          decision: 'manual',
          lineIds: [lineId],
          entries: [{ projectId: 'TN2022-001', entryId: 'R2' }],
          reason: '收款金额录入错误（应为 55,000.00），待冲正更正',
          decidedOn: '2022-04-02',
        },
        { role: 'finance' },
      ),
    );
    const after = (await ledger.get(`${A}/reconciliation?month=2022-03`, 'finance')).body;
    expect(after.amountMismatch).toEqual([]);
    expect(after.statementOnly).toHaveLength(1);
    expect(after.adjustment).toMatchObject({
      explainedDifferences: '5000.00',
      adjustedBookBalance: '315000.00',
      adjustedBankBalance: '315000.00',
      difference: '0.00',
      balanced: true,
    });
  });

  it('masks counterparties for roles that may not see personal data', async () => {
    const r = (await ledger.get(`${A}/reconciliation?month=2022-03`, 'viewer')).body;
    expect(r.statementOnly[0]).toMatchObject({ counterparty: '***', counterpartyAccount: '***', amount: '80000.00' });
    expect(
      r.matched.find((g: { basis: string }) => g.basis === 'amount-date-counterparty').entries[0].counterparty,
    ).toBe('***');
    const shown = (await ledger.get(`${A}/reconciliation?month=2022-03`, 'finance')).body;
    expect(shown.statementOnly[0].counterparty).toBe('重庆市财政局');
  });

  it('files the reconciliation: xlsx with the 调节表 and the four lists in Chinese, masked per role as the JSON is', async () => {
    const download = async (query: string, role: TestRole) => {
      const res = await fetch(`${ledger.url}${A}/reconciliation?month=2022-03&${query}`, {
        headers: { authorization: `Bearer ${TOKENS[role]}` },
      });
      return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
    };
    const read = async (body: Buffer) => {
      const workbook = new Workbook();
      await workbook.xlsx.load(body as never);
      return workbook;
    };
    const file = await download('format=xlsx', 'finance');
    expect(file.status).toBe(200);
    expect(decodeURIComponent(file.headers.get('content-disposition')!)).toContain(
      '银行存款余额调节表-ZH-001-2022-03.xlsx',
    );
    const workbook = await read(file.body);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(RECONCILIATION_SHEETS);
    const adjustment = workbook.getWorksheet('余额调节表')!;
    expect(adjustment.getCell('A1').value).toContain('账号 3105 0101 0400 1234');
    const cells = (r: number) => (adjustment.getRow(r).values as unknown[]).slice(1);
    expect(cells(3)).toEqual(['银行存款日记账余额', 230000, '银行对账单余额', 315000]);
    expect(cells(4)).toEqual(['加：银收企未收', 80000, '加：企收银未收', 0]);
    expect(cells(6)).toEqual(['加：已说明的金额差异', 5000]);
    expect(cells(7)).toEqual(['调节后的银行存款日记账余额', 315000, '调节后的银行对账单余额', 315000]);
    expect(cells(8)).toEqual(['调节结果：相符', undefined, '差额（调节后银行减调节后账面）', 0]);
    const bankOnly = workbook.getWorksheet('银行已记账面未记')!;
    const header = (bankOnly.getRow(2).values as unknown[]).slice(1);
    const at = (row: number, name: string) => bankOnly.getRow(row).getCell(header.indexOf(name) + 1).value;
    expect([at(3, '类别'), at(3, '金额'), at(3, '对方户名'), at(3, '对账单行号')]).toEqual([
      '银收企未收',
      80000,
      '重庆市财政局',
      7,
    ]);
    expect(at(3, '日期')).toEqual(new Date(Date.UTC(2022, 2, 20)));
    expect(bankOnly.pageSetup).toMatchObject({ orientation: 'landscape', fitToWidth: 1, fitToHeight: 0 });
    // The mismatch explained by M1 is matched now, its difference and reason on its first row.
    const matched = workbook.getWorksheet('已核对相符')!;
    const m1 = [...Array(matched.actualRowCount).keys()]
      .map((i) => (matched.getRow(i + 1).values as unknown[]).slice(1))
      .find((row) => row[1] === 'M1')!;
    expect(m1).toEqual(expect.arrayContaining(['手工匹配', 5000, '收款金额录入错误（应为 55,000.00），待冲正更正']));

    const viewer = await read((await download('format=xlsx', 'viewer')).body);
    expect(viewer.getWorksheet('余额调节表')!.getCell('A1').value).toContain('账号 ****1234');
    expect(viewer.getWorksheet('余额调节表')!.getCell('A1').value).not.toContain('3105');
    const masked = viewer.getWorksheet('银行已记账面未记')!.getRow(3).values as unknown[];
    expect(masked).toContain('***');
    expect(masked).not.toContain('重庆市财政局');
  });

  it('files the exceptions as one CSV table, in GB18030 on request; a bad format or encoding is 400', async () => {
    const get = (query: string, role: TestRole = 'finance') =>
      fetch(`${ledger.url}${A}/reconciliation?month=2022-03&${query}`, {
        headers: { authorization: `Bearer ${TOKENS[role]}` },
      });
    const csv = await get('format=csv&encoding=gb18030');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=gb18030');
    const lines = iconv
      .decode(Buffer.from(await csv.arrayBuffer()), 'gb18030')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(
      '类别,匹配组,来源,匹配依据,日期,收支,金额,对方户名,对方账号,流水号/凭证号,摘要,对账单行号,对账单行编号,项目编号,账面记录编号,差额（银行减账面）,说明',
    );
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^银收企未收,,银行对账单,,2022-03-20,收入,80000.00,重庆市财政局,/),
    ]);
    const utf8 = Buffer.from(await (await get('format=csv', 'viewer')).arrayBuffer()).toString('utf8');
    expect(utf8.startsWith('\uFEFF类别,')).toBe(true);
    expect(utf8).toContain(',80000.00,***,***,');
    expect(utf8).not.toContain('重庆市财政局');
    expect(await (await get('format=pdf')).json()).toMatchObject({ error: 'invalid-format', field: 'format' });
    expect(await (await get('format=csv&encoding=big5')).json()).toMatchObject({
      error: 'invalid-encoding',
      field: 'encoding',
    });
  });

  it('takes an xlsx statement as the multipart field file, continuing from the last balance', async () => {
    const workbook = new Workbook();
    const sheet = workbook.addWorksheet('交易明细');
    sheet.addRow(['记账日期', '借方发生额', '贷方发生额', '余额', '对方户名', '凭证号']);
    sheet.addRow(['2022-04-02', '15,000.00', null, 299000, '重庆某建设公司', 'BK99002']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const form = new FormData();
    form.append('file', new Blob([bytes]), '2022-04.xlsx');
    const send = (body: FormData) =>
      fetch(`${ledger.url}${A}/statements`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKENS.finance}` },
        body,
      }).then(async (res) => ({
        status: res.status,
        body: (await res.json()) as { error?: string; message?: string },
      }));
    // 315,000.00 − 15,000.00 is 300,000.00, not 299,000.00: refused against the last imported balance.
    const broken = await send(form);
    expect(broken).toMatchObject({ status: 422, body: { error: 'statement-balance-break' } });
    expect(broken.body.message).toContain('row 2');
    sheet.getRow(2).getCell(4).value = 300000;
    const fixed = new FormData();
    fixed.append('file', new Blob([Buffer.from(await workbook.xlsx.writeBuffer())]), '2022-04.xlsx');
    const reply = await send(fixed);
    expect(reply).toMatchObject({ status: 201, body: { format: 'xlsx', imported: 1 } });
    const april = (await ledger.get(`${A}/reconciliation?month=2022-04`, 'finance')).body;
    expect(april.statementOnly.map((l: { amount: string; direction: string }) => [l.direction, l.amount])).toEqual([
      ['credit', '80000.00'],
      ['debit', '15000.00'],
    ]);
  });

  it('takes the statement only as a file: another media type is 415, a bad month 400', async () => {
    const json = await ledger.post(`${A}/statements`, { file: 'x' }, { role: 'finance' });
    expect(json).toMatchObject({ status: 415, body: { error: 'unsupported-media-type' } });
    expect(json.body.message).toContain(': a statement is sent as text/csv, ');
    expect((await ledger.get(`${A}/reconciliation?month=2022-13`, 'finance')).body.error).toBe('invalid-query');
  });
  it("holds a receipt's reference and a payment's voucher unique on the account; a correction books it again", async () => {
    const before = await ledger.eventCount();
    const receipt = {
      source: 'district_matching',
      payer: '潼南区财政局',
      fiscalYear: 2022,
      receiptId: 'R3',
      amount: '1.00',
      reference: 'YH20220301001',
      receivedOn: '2022-03-25',
    };
    const taken = await ledger.post(`${P}/receipts`, receipt);
    expect(taken).toMatchObject({ status: 409, body: { error: 'reference-exists', field: 'reference' } });
    expect(taken.body.message).toContain('receipt R1 of project TN2022-001 on bank account ZH-001');
    const voucher = await ledger.post(
      `${P}/disbursements`,
      {
        paymentId: 'D2',
        source: 'district_matching',
        lineId: 'B1',
        amount: '1.00',
        payee: '重庆某建设公司',
        voucher: 'PZ-0315',
        paidOn: '2022-03-25',
        fiscalYear: 2022,
      },
      { role: 'finance' },
    );
    expect(voucher).toMatchObject({ status: 409, body: { error: 'reference-exists', field: 'voucher' } });
    expect(await ledger.eventCount()).toBe(before);

    // The amount keyed wrong, corrected: R2 reversed, then booked again with its reference.
    expectOk(
      await ledger.post(`${P}/reversals`, {
        reversalId: 'X1',
        entryId: 'R2',
        reason: '金额录入错误',
        reversedOn: '2022-03-10',
      }),
    );
    expectOk(
      await ledger.post(`${P}/receipts`, {
        ...receipt,
        receiptId: 'R2B',
        amount: '55000.00',
        reference: 'YH20220310002',
        receivedOn: '2022-03-10',
      }),
    );
    const r = (await ledger.get(`${A}/reconciliation?month=2022-03`, 'finance')).body;
    expect(r.amountMismatch).toEqual([]);
    expect(r.matched.map((g: { entries: { entryId: string }[] }) => g.entries[0].entryId).sort()).toEqual([
      'D1',
      'R1',
      'R2B',
    ]);
    expect(r.adjustment).toMatchObject({ explainedDifferences: '0.00', balanced: true });

    // The receipt the ledger lacked, recorded: matched by its 流水号, nothing left to adjust.
    expectOk(
      await ledger.post(`${P}/receipts`, {
        source: 'municipal_subsidy',
        program: 'urban_renewal',
        lineId: 'B1',
        payer: '重庆市财政局',
        fiscalYear: 2022,
        receiptId: 'R5',
        amount: '80000.00',
        reference: 'YH20220320009',
        receivedOn: '2022-03-20',
      }),
    );
    const booked = (await ledger.get(`${A}/reconciliation?month=2022-03`, 'finance')).body;
    expect([booked.statementOnly, booked.ledgerOnly, booked.amountMismatch]).toEqual([[], [], []]);
    expect(booked.matched.map((g: { entries: { entryId: string }[] }) => g.entries[0].entryId).sort()).toEqual([
      'D1',
      'R1',
      'R2B',
      'R5',
    ]);
    expect(booked.adjustment).toMatchObject({
      bookBalance: '315000.00',
      bankBalance: '315000.00',
      bankCreditedNotBooked: '0.00',
      difference: '0.00',
      balanced: true,
    });
  });

  it('after a restart, finds the account again from the log: its references are still held', async () => {
    await ledger.restart();
    const before = await ledger.eventCount();
    const taken = await ledger.post(`${P}/receipts`, {
      source: 'district_matching',
      payer: '潼南区财政局',
      fiscalYear: 2022,
      receiptId: 'R4',
      amount: '1.00',
      reference: 'YH20220310002',
      receivedOn: '2022-03-26',
    });
    expect(taken).toMatchObject({ status: 409, body: { error: 'reference-exists', field: 'reference' } });
    expect(taken.body.message).toContain('receipt R2B of project TN2022-001 on bank account ZH-001');
    expect(await ledger.eventCount()).toBe(before);
    const list = await ledger.get('/api/bank-accounts', 'viewer');
    expect(list.body).toEqual([expect.objectContaining({ accountId: 'ZH-001' })]);
  });
});
