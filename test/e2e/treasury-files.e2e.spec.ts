/**
 * 国库对账 end to end, as the finance bureau does it: the ledger holds two treasury direct payments;
 * the treasury's payment file, exported as GBK CSV (made here with iconv-lite), pays the first as
 * booked, the second with its amount keyed wrong, and a third the ledger lacks. The reconciliation
 * finds exactly those two exceptions; importing the file twice changes nothing; a file with a bad
 * amount is refused naming its row, and nothing is written; payees are masked for a viewer.
 */
import { Workbook } from 'exceljs';
import iconv from 'iconv-lite';
import { approvedProjectOverHttp } from '../support/http-project-fixtures';
import { TOKENS, TestLedger, TestRole, expectOk } from './support/test-app';

const CFS = 'central_fiscal_subsidy';
const P = '/api/projects/TN-TF';
const DOC = '渝财建〔2022〕88号';

const treasuryCsv = (rows: string[]) =>
  [
    '潼南区国库集中支付直接支付明细表',
    '单位：元',
    '序号,支付凭证号,指标文号,收款人,金额,支付日期,功能科目',
    ...rows,
    '合计,,,,"1,000.00",,',
    '制表人：张三',
  ].join('\r\n');

const LINES = [
  `1,ZF2022000101,${DOC},重庆某建设工程有限公司,"250,000.00",2022-04-15,2120303 城乡社区规划与管理`,
  // The ledger booked ZF2022000102 as 30,000.00: an amount keyed wrong.
  `2,ZF2022000102,${DOC},周九安,"33,000.00",2022-04-20,2120303 城乡社区规划与管理`,
  // A payment the ledger lacks.
  `3,ZF2022000103,${DOC},重庆某监理公司,"12,500.00",2022-04-22,2120303 城乡社区规划与管理`,
];

describe('treasury payment files and their reconciliation', () => {
  let ledger: TestLedger;

  const upload = async (bytes: Buffer, contentType: string, query = '', role: TestRole = 'finance') => {
    const res = await fetch(`${ledger.url}/api/treasury-files${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS[role]}`, 'content-type': contentType },
      body: bytes,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const gbk = (rows: string[]) => iconv.encode(treasuryCsv(rows), 'gbk');
  const post = async (path: string, body: unknown, role: TestRole = 'finance') =>
    expectOk(await ledger.post(path, body, { role }));

  beforeAll(async () => {
    ledger = await TestLedger.start();
    await approvedProjectOverHttp((path, body) => post(path, body, 'housing'), 'TN-TF', {
      jointReviewedOn: '2022-02-10',
      docNo: '潼南住建〔2022〕7号',
      approvedOn: '2022-02-20',
    });
    await post('/api/fund-batches', {
      batchId: 'YCJ2022-88',
      source: CFS,
      docNo: DOC,
      fiscalYear: 2022,
      amount: '1000000.00',
      issuedOn: '2022-03-01',
    });
    await post('/api/fund-batches/YCJ2022-88/allocations', {
      allocationId: 'A1',
      projectId: 'TN-TF',
      amount: '600000.00',
      allocatedOn: '2022-03-10',
    });
    const pay = (paymentId: string, amount: string, payee: string, voucher: string, paidOn: string) =>
      post(`${P}/treasury-payments`, { paymentId, allocationId: 'A1', lineId: 'B1', amount, payee, voucher, paidOn });
    await pay('TP1', '250000.00', '重庆某建设工程有限公司', 'ZF2022000101', '2022-04-14');
    await pay('TP2', '30000.00', '周九安', 'ZF2022000102', '2022-04-20');
  });
  afterAll(() => ledger.stop());

  it('refuses a file with a bad amount naming its row, and writes nothing; a clerk may not import', async () => {
    const before = await ledger.eventCount();
    const bad = await upload(gbk([LINES[0], `2,ZF2022000109,${DOC},某公司,"1,2,3.456",2022-04-20,212`]), 'text/csv');
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ error: 'treasury-file-line-invalid', field: 'file' });
    expect(bad.body.message).toMatch(/^row 5: 金额/);
    expect((await upload(gbk(LINES), 'text/csv', '', 'clerk')).status).toBe(403);
    expect(await ledger.eventCount()).toBe(before);
  });

  it('previews the file with ?dryRun=true, writing nothing', async () => {
    const before = await ledger.eventCount();
    const preview = await upload(gbk(LINES), 'text/csv', '?dryRun=true');
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ format: 'csv-gb18030', headerRow: 3, imported: 0, problems: [] });
    expect(preview.body.lines.map((l: any) => [l.row, l.voucher, l.amount, l.status])).toEqual([
      [4, 'ZF2022000101', '250000.00', 'new'],
      [5, 'ZF2022000102', '33000.00', 'new'],
      [6, 'ZF2022000103', '12500.00', 'new'],
    ]);
    expect(preview.body.skippedRows.map((s: any) => s.row)).toEqual([1, 2, 7, 8]);
    expect(await ledger.eventCount()).toBe(before);
  });

  it('imports the GBK file as one event, and a second import changes nothing', async () => {
    const first = await upload(gbk(LINES), 'text/csv; charset=GBK');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ streamId: 'treasury-files', imported: 3, duplicateRows: [] });
    expect(first.body.events).toEqual([expect.objectContaining({ type: 'treasury-file-imported.v1' })]);
    const after = await ledger.eventCount();
    const again = await upload(gbk(LINES), 'text/csv');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ imported: 0, duplicateRows: [4, 5, 6] });
    expect(await ledger.eventCount()).toBe(after);
    expect(expectOk(await ledger.get('/api/treasury-files', 'auditor')).body.lineCount).toBe(3);
  });

  it('finds exactly the payment the ledger lacks and the amount keyed wrong', async () => {
    const r = expectOk(await ledger.get('/api/treasury-files/reconciliation?month=2022-04', 'auditor')).body;
    expect(r.rule).toMatchObject({ ruleId: 'reconciliation-match-window-3-days' });
    const pair = (m: any) => [m.lines.map((l: any) => l.voucher), m.payments.map((p: any) => p.paymentId)];
    expect(r.matched.map((m: any) => [m.basis, ...pair(m), m.difference])).toEqual([
      ['voucher', ['ZF2022000101'], ['TP1'], '0.00'],
    ]);
    expect(r.fileOnly.map((l: any) => [l.row, l.voucher, l.amount])).toEqual([[6, 'ZF2022000103', '12500.00']]);
    expect(r.ledgerOnly).toEqual([]);
    expect(r.amountMismatch.map((m: any) => [...pair(m), m.difference])).toEqual([
      [['ZF2022000102'], ['TP2'], '3000.00'],
    ]);
    expect(r.amountMismatch[0].payments[0]).toMatchObject({ docNo: DOC, batchId: 'YCJ2022-88', payee: '周九安' });
    expect(r.docNoMismatch).toEqual([]);
  });

  it('masks payees for a reader who may not see personal data', async () => {
    const r = expectOk(await ledger.get('/api/treasury-files/reconciliation?month=2022-04', 'viewer')).body;
    expect(JSON.stringify(r)).not.toContain('周九安');
    expect(r.amountMismatch[0].lines[0].payee).toBe('***');
    expect(r.amountMismatch[0].payments[0].payee).toBe('***');
  });

  it('files the reconciliation as CSV (the exceptions) and XLSX (a sheet per list), in Chinese, payees masked', async () => {
    const csv = await fetch(`${ledger.url}/api/treasury-files/reconciliation?month=2022-04&format=csv`, {
      headers: { authorization: `Bearer ${TOKENS.viewer}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain('treasury-reconciliation-2022-04.csv');
    const rows = (await csv.text())
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n')
      .map((l) => l.split(','));
    const col = (name: string) => rows.slice(1).map((r) => r[rows[0].indexOf(name)]);
    expect(col('类别')).toEqual(['国库已付账面未记', '金额不符', '金额不符']);
    expect(col('来源')).toEqual(['国库支付文件', '国库支付文件', '账面']);
    expect(col('流水号/凭证号')).toEqual(['ZF2022000103', 'ZF2022000102', 'ZF2022000102']);
    expect(col('差额（国库减账面）')).toEqual(['', '3000.00', '']);
    expect(col('对方户名')).toEqual(['***', '***', '***']);
    const xlsx = await fetch(`${ledger.url}/api/treasury-files/reconciliation?month=2022-04&format=xlsx`, {
      headers: { authorization: `Bearer ${TOKENS.auditor}` },
    });
    const workbook = new Workbook();
    await workbook.xlsx.load((await xlsx.arrayBuffer()) as never);
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      '已核对相符',
      '国库已付账面未记',
      '账面已付国库未付',
      '金额不符',
      '指标文号不符',
    ]);
    expect(workbook.getWorksheet('金额不符')!.getRow(3).getCell(1).value).toBe('金额不符');
  });

  it("takes the finance user's decisions on treasury lines as events, and the reconciliation replays them", async () => {
    const decide = (body: object, role: TestRole = 'finance') =>
      ledger.post('/api/treasury-files/matches', { decidedOn: '2022-05-06', ...body }, { role });
    const keyedWrong = { lineIds: ['T2'], entries: [{ projectId: 'TN-TF', entryId: 'TP2' }] };
    const before = await ledger.eventCount();
    expect((await decide({ matchId: 'GM1', decision: 'manual', ...keyedWrong })).body).toMatchObject({
      error: 'match-reason-required',
      field: 'reason',
    });
    expect(
      (
        await decide({
          matchId: 'GM1',
          decision: 'confirmed',
          lineIds: ['T3'],
          entries: [{ projectId: 'TN-TF', entryId: 'TP9' }],
        })
      ).body,
    ).toMatchObject({ error: 'ledger-entry-not-found' });
    expect(
      (await decide({ matchId: 'GM1', decision: 'confirmed', lineIds: ['T9'], ...{ entries: keyedWrong.entries } }))
        .body,
    ).toMatchObject({
      error: 'statement-line-not-found',
    });
    expect((await decide({ matchId: 'GM1', decision: 'confirmed', ...keyedWrong }, 'clerk')).status).toBe(403);
    expect(await ledger.eventCount()).toBe(before);

    const written = expectOk(
      await decide({
        matchId: 'GM1',
        decision: 'manual',
        ...keyedWrong,
        reason: '支付凭证金额含监理费 3,000.00，已报告',
      }),
    ).body;
    expect(written.events).toEqual([expect.objectContaining({ type: 'treasury-line-matched.v1' })]);
    // The payment the ledger lacks is no payment of TP1's: rejected, it is never proposed again.
    expectOk(
      await decide({
        matchId: 'GM2',
        decision: 'rejected',
        lineIds: ['T3'],
        entries: [{ projectId: 'TN-TF', entryId: 'TP1' }],
        reason: '不是同一笔',
      }),
    );
    expect((await decide({ matchId: 'GM1', decision: 'confirmed', ...keyedWrong })).body).toMatchObject({
      error: 'match-id-exists',
    });

    const r = expectOk(await ledger.get('/api/treasury-files/reconciliation?month=2022-04', 'auditor')).body;
    expect(r.amountMismatch).toEqual([]);
    expect(r.matched.map((m: any) => [m.basis, m.matchId ?? null, m.difference, m.reason ?? null])).toEqual([
      ['manual', 'GM1', '3000.00', '支付凭证金额含监理费 3,000.00，已报告'],
      ['voucher', null, '0.00', null],
    ]);
    expect(r.fileOnly.map((l: any) => l.lineId)).toEqual(['T3']);
  });

  it('takes an xlsx workbook as the multipart field `file`, skipping the lines it already has', async () => {
    const workbook = new Workbook();
    const sheet = workbook.addWorksheet('直接支付');
    sheet.addRow(['支付凭证号', '指标文号', '收款人', '金额（元）', '支付日期', '功能科目']);
    sheet.addRow(['ZF2022000101', DOC, '重庆某建设工程有限公司', 250000, new Date(Date.UTC(2022, 3, 15)), '2120303']);
    sheet.addRow(['ZF2022000201', DOC, '重庆某建设工程有限公司', 8000.5, new Date(Date.UTC(2022, 4, 6)), '2120303']);
    const form = new FormData();
    form.append('file', new Blob([await workbook.xlsx.writeBuffer()]), '国库支付明细2022年5月.xlsx');
    const res = await fetch(`${ledger.url}/api/treasury-files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.admin}` },
      body: form,
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ format: 'xlsx', imported: 1, duplicateRows: [2] });
    const may = expectOk(await ledger.get('/api/treasury-files/reconciliation?month=2022-05', 'auditor')).body;
    expect(may.fileOnly.map((l: any) => [l.voucher, l.amount])).toEqual([
      ['ZF2022000103', '12500.00'],
      ['ZF2022000201', '8000.50'],
    ]);
  });

  it('takes the file only as a file, and its refusals name a treasury payment file', async () => {
    const before = await ledger.eventCount();
    const json = await upload(Buffer.from('{"file":"x"}'), 'application/json');
    expect(json).toMatchObject({ status: 415, body: { error: 'unsupported-media-type' } });
    expect(json.body.message).toContain(': a treasury payment file is sent as text/csv, ');
    const form = new FormData();
    form.append('other', new Blob([gbk(LINES)]), 'x.csv');
    const res = await fetch(`${ledger.url}/api/treasury-files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.finance}` },
      body: form,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain(
      'a multipart upload sends the treasury payment file as the field "file"',
    );
    expect(await ledger.eventCount()).toBe(before);
  });

  it('refuses a month that is not YYYY-MM', async () => {
    const bad = await ledger.get('/api/treasury-files/reconciliation?month=2022-13', 'auditor');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'invalid-query', field: 'month' });
  });
});
