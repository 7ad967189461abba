import iconv from 'iconv-lite';
import { Workbook } from 'exceljs';
import { decodeCsv, readStatement } from '../../../src/bank-account/statement-file';

const HEADER = '记账日期,凭证号,用途,贷方发生额,借方发生额,余额,对方户名,对方账号';
const ROWS = [
  '2023/1/5,V001,拨款,"1,234,567.80",,"1,234,567.80",潼南区财政局,="6222020200001234"',
  '20230106,V002,工程款,,"234,567.80","1,000,000.00",重庆某建设公司,\t500102000000222',
];
const csv = (...lines: string[]) => lines.join('\n');

describe('reading a statement file', () => {
  it('reads UTF-8 with a BOM, UTF-8 without, and GBK as GB18030', async () => {
    const text = csv('某银行对账单', HEADER, ...ROWS, '本页合计,,,,,,,');
    const bom = await readStatement(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    const utf8 = await readStatement(Buffer.from(text));
    const gbk = await readStatement(iconv.encode(text, 'gbk'));
    expect([bom.format, utf8.format, gbk.format]).toEqual(['csv-utf8', 'csv-utf8', 'csv-gb18030']);
    expect(gbk.lines).toEqual(utf8.lines);
    expect(gbk.lines).toEqual([
      {
        row: 3,
        date: '2023-01-05',
        direction: 'credit',
        amount: '1234567.80',
        balance: '1234567.80',
        counterparty: '潼南区财政局',
        counterpartyAccount: '6222020200001234',
        memo: '拨款',
        serial: 'V001',
      },
      {
        row: 4,
        date: '2023-01-06',
        direction: 'debit',
        amount: '234567.80',
        balance: '1000000.00',
        counterparty: '重庆某建设公司',
        counterpartyAccount: '500102000000222',
        memo: '工程款',
        serial: 'V002',
      },
    ]);
    expect(gbk.skipped.map((s) => s.row)).toEqual([1, 5]);
    expect(gbk.headerRow).toBe(2);
    expect(gbk.fileHash).toMatch(/^[0-9a-f]{64}$/);
    expect(gbk.fileHash).not.toBe(utf8.fileHash);
  });

  it('tells GBK from UTF-8 by whether the bytes decode as UTF-8', () => {
    expect(decodeCsv(iconv.encode('交易日期', 'gb18030')).text).toBe('交易日期');
    expect(decodeCsv(Buffer.from('交易日期')).format).toBe('csv-utf8');
  });

  it('finds the columns by name wherever they are, with units in brackets', async () => {
    const read = await readStatement(
      Buffer.from(
        csv('余额(元),支出金额（元）,收入金额（元）,交易日期,摘要,交易流水号', '50.00,,50.00,2023-02-01,利息,S1'),
      ),
    );
    expect(read.lines[0]).toMatchObject({ date: '2023-02-01', direction: 'credit', amount: '50.00', serial: 'S1' });
  });

  it('takes one signed amount column', async () => {
    const read = await readStatement(
      Buffer.from(csv('交易日期,交易金额,余额', '2023-02-01,100,100', '2023-02-02,-40.5,59.50')),
    );
    expect(read.lines.map((l) => [l.direction, l.amount, l.balance])).toEqual([
      ['credit', '100.00', '100.00'],
      ['debit', '40.50', '59.50'],
    ]);
  });

  it('turns a newest-first statement round, oldest first', async () => {
    const read = await readStatement(Buffer.from(csv(HEADER, ROWS[1], ROWS[0])));
    expect(read.lines.map((l) => l.serial)).toEqual(['V001', 'V002']);
  });

  it('lists rows it cannot read as problems, naming the row', async () => {
    const read = await readStatement(
      Buffer.from(csv(HEADER, '2023-01-05,V1,x,"12,3a",,1.00,,', '2023-01-06,V2,x,5.00,5.00,1.00,,')),
    );
    expect(read.lines).toEqual([]);
    expect(read.problems.map((p) => [p.row, p.error.code])).toEqual([
      [2, 'statement-line-invalid'],
      [3, 'statement-line-invalid'],
    ]);
  });

  it('refuses a file without the headers it needs', async () => {
    await expect(readStatement(Buffer.from(csv('日期,金额', '2023-01-01,1.00')))).rejects.toMatchObject({
      code: 'statement-headers-not-found',
    });
  });

  it('reads an xlsx workbook: dates and numbers as the cells hold them', async () => {
    const workbook = new Workbook();
    const sheet = workbook.addWorksheet('明细');
    sheet.addRow(['账户明细']);
    sheet.addRow(['交易日期', '收入金额', '支出金额', '余额', '对方户名', '流水号']);
    sheet.addRow([new Date(Date.UTC(2023, 0, 5)), 1234567.8, null, 1234567.8, '潼南区财政局', 'T1']);
    sheet.addRow(['2023-01-06', null, '1,000.01', { formula: 'D3-1000.01', result: 1233567.79 }, '某公司', 'T2']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const read = await readStatement(bytes);
    expect(read.format).toBe('xlsx');
    expect(read.lines.map((l) => [l.row, l.date, l.direction, l.amount, l.balance, l.serial])).toEqual([
      [3, '2023-01-05', 'credit', '1234567.80', '1234567.80', 'T1'],
      [4, '2023-01-06', 'debit', '1000.01', '1233567.79', 'T2'],
    ]);
  });
});
