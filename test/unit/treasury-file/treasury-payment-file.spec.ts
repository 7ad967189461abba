/**
 * A treasury payment file is read as the treasury's system exports it: GBK or UTF-8 CSV, or xlsx,
 * its six columns found by their Chinese names wherever they stand, a title above the header and
 * a total below the lines skipped, amounts with thousands separators read exactly; a row that
 * cannot be read is a problem naming its row.
 */
import { Workbook } from 'exceljs';
import iconv from 'iconv-lite';
import { readTreasuryFile } from '../../../src/treasury-file/treasury-payment-file';

const HEADER = '序号,支付凭证号,指标文号,收款人,金额,支付日期,功能科目';
const ROWS = [
  '1,ZF2022000101,渝财建〔2022〕88号,重庆某建设工程有限公司,"1,234,567.80",2022-04-15,2120303 城乡社区规划与管理',
  '2,ZF2022000102,渝财建〔2022〕88号,周九安,"3,200.00",2022/4/18,2120303 城乡社区规划与管理',
];
const csv = (...lines: string[]) => lines.join('\r\n');

describe('reading a treasury payment file', () => {
  it('reads a GBK CSV with a title above the header and a total below the lines', async () => {
    const text = csv('潼南区国库集中支付直接支付明细表', '单位：元', HEADER, ...ROWS, '合计,,,,"1,237,767.80",,');
    const gbk = await readTreasuryFile(iconv.encode(text, 'gbk'));
    const utf8 = await readTreasuryFile(Buffer.from(text));
    expect(gbk.format).toBe('csv-gb18030');
    expect(gbk.lines).toEqual(utf8.lines);
    expect(gbk.lines).toEqual([
      {
        row: 4,
        voucher: 'ZF2022000101',
        docNo: '渝财建〔2022〕88号',
        payee: '重庆某建设工程有限公司',
        amount: '1234567.80',
        paidOn: '2022-04-15',
        functionCode: '2120303 城乡社区规划与管理',
      },
      {
        row: 5,
        voucher: 'ZF2022000102',
        docNo: '渝财建〔2022〕88号',
        payee: '周九安',
        amount: '3200.00',
        paidOn: '2022-04-18',
        functionCode: '2120303 城乡社区规划与管理',
      },
    ]);
    expect(gbk.headerRow).toBe(3);
    expect(gbk.skipped.map((s) => s.row)).toEqual([1, 2, 6]);
    expect(gbk.problems).toEqual([]);
  });

  it('finds the columns by name in any order, and leaves 指标文号 and 功能科目 empty when the file has none', async () => {
    const read = await readTreasuryFile(
      Buffer.from(csv('支付日期,金额（元）,收款人名称,支付凭证编号', '20220501,88.5,某物业公司,ZF9')),
    );
    expect(read.lines).toEqual([
      {
        row: 2,
        voucher: 'ZF9',
        docNo: '',
        payee: '某物业公司',
        amount: '88.50',
        paidOn: '2022-05-01',
        functionCode: '',
      },
    ]);
  });

  it('lists a bad amount, a negative one and a line without a voucher as problems naming their rows', async () => {
    const read = await readTreasuryFile(
      Buffer.from(
        csv(
          HEADER,
          '1,ZF1,文号,甲公司,12.345,2022-04-15,212',
          '2,ZF2,文号,乙公司,-5.00,2022-04-15,212',
          '3,,文号,丙公司,5.00,2022-04-15,212',
          '4,ZF4,文号,丁公司,0,2022-04-15,212',
        ),
      ),
    );
    expect(read.lines).toEqual([]);
    expect(read.problems.map((p) => [p.row, p.error.code])).toEqual([
      [2, 'treasury-file-line-invalid'],
      [3, 'treasury-file-line-invalid'],
      [4, 'treasury-file-line-invalid'],
      [5, 'treasury-file-line-invalid'],
    ]);
    expect(read.problems[0].error.message).toMatch(/^row 2: 金额 "12\.345" is not an amount/);
    expect(read.problems[2].error.message).toMatch(/^row 4: the line has no 支付凭证号/);
  });

  it('refuses a file without the columns it needs, and bytes that are no file', async () => {
    await expect(readTreasuryFile(Buffer.from(csv('支付凭证号,金额', 'ZF1,1.00')))).rejects.toMatchObject({
      code: 'treasury-file-headers-not-found',
    });
    await expect(
      readTreasuryFile(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('not a zip')])),
    ).rejects.toMatchObject({ code: 'treasury-file-unreadable' });
  });

  it('reads an xlsx workbook: dates and numbers as the cells hold them', async () => {
    const workbook = new Workbook();
    const sheet = workbook.addWorksheet('直接支付');
    sheet.addRow(['潼南区国库集中支付直接支付明细表']);
    sheet.addRow(['支付凭证号', '指标文号', '收款人', '金额', '支付日期', '功能科目']);
    sheet.addRow([
      'ZF2022000101',
      '渝财建〔2022〕88号',
      '重庆某建设工程有限公司',
      1234567.8,
      new Date(Date.UTC(2022, 3, 15)),
      '2120303',
    ]);
    sheet.addRow(['合计', '', '', 1234567.8, '', '']);
    const read = await readTreasuryFile(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(read.format).toBe('xlsx');
    expect(read.lines).toEqual([
      {
        row: 3,
        voucher: 'ZF2022000101',
        docNo: '渝财建〔2022〕88号',
        payee: '重庆某建设工程有限公司',
        amount: '1234567.80',
        paidOn: '2022-04-15',
        functionCode: '2120303',
      },
    ]);
    expect(read.skipped.map((s) => s.row)).toEqual([1, 4]);
  });
});
