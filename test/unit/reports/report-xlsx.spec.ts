/**
 * XLSX export, read back with exceljs: a sheet per table with its Chinese name, a bold frozen
 * header row, money as numbers formatted '#,##0.00' that read back to the same "yuan.ff", and a
 * 合计 row equal to the exact sum in fen, also where summing the doubles would be a fen off.
 * A sheet a finance office prints and files (issue 18 point 8): A4 landscape, one page wide, the
 * header rows repeated on each page, an autofilter on the header, the id and name columns frozen
 * on a wide sheet, a CJK font named on every cell, dates as Excel dates and years as numbers.
 */
import { Workbook, Worksheet } from 'exceljs';
import { SeededRandom } from '../../../src/demo/seeded-random';
import { ReportTable } from '../../../src/reports/export/report-table';
import {
  CJK_FONT,
  DATE_NUM_FMT,
  MAX_XLSX_MONEY_FEN,
  MONEY_NUM_FMT,
  toXlsx,
} from '../../../src/reports/export/report-xlsx';
import { Fen, fenOfStored, formatFen } from '../../../src/shared/money/money';
import { sourcesTable } from './report-fixtures';

async function readBack(buffer: Buffer): Promise<Workbook> {
  const workbook = new Workbook();
  await workbook.xlsx.load(buffer as never);
  return workbook;
}

async function sheetOf(table: ReportTable): Promise<Worksheet> {
  const sheet = (await readBack(await toXlsx([table]))).getWorksheet(table.sheetName);
  if (!sheet) throw new Error(`no sheet ${table.sheetName}`);
  return sheet;
}

const amountsTable = (amounts: readonly string[]): ReportTable => ({
  sheetName: '拨付台账',
  columns: [
    { key: 'batchId', header: '批次', kind: 'text' },
    { key: 'amount', header: '金额（元）', kind: 'money' },
  ],
  rows: amounts.map((amount, i) => ({ batchId: `B${i + 1}`, amount })),
  totals: true,
});

const exactSum = (amounts: readonly string[]): Fen => amounts.reduce((sum, a) => sum + fenOfStored(a), 0n);
const floatSum = (amounts: readonly string[]): number => amounts.reduce((sum, a) => sum + Number(a), 0);
/** The last row holding a value: the 合计 row. */
const totalsRow = (sheet: Worksheet) => sheet.getRow(sheet.actualRowCount);

describe('toXlsx', () => {
  it('writes a workbook that opens again, a sheet per table, in order, with Chinese names', async () => {
    const detail = sourcesTable();
    const summary = sourcesTable({ sheetName: '按层级汇总' });
    const workbook = await readBack(await toXlsx([summary, detail]));
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['按层级汇总', '资金来源明细']);
  });

  it('opens with a bold header row of the Chinese headers, frozen', async () => {
    const table = sourcesTable();
    const sheet = await sheetOf(table);
    const header = sheet.getRow(1);
    expect(table.columns.map((_, i) => header.getCell(i + 1).value)).toEqual(table.columns.map((c) => c.header));
    expect(table.columns.every((_, i) => header.getCell(i + 1).font?.bold === true)).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });

  it('puts a title above the header, merged across the columns, and freezes both', async () => {
    const sheet = await sheetOf(sourcesTable({ title: '2023年度资金来源到位表' }));
    expect(sheet.getCell('A1').value).toBe('2023年度资金来源到位表');
    expect(sheet.getCell('F1').isMerged).toBe(true);
    expect(sheet.getCell('A2').value).toBe('项目编号');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
  });

  it('writes money as numbers formatted to two decimals that read back to the same amounts', async () => {
    const amounts = [
      '1234567.89',
      '-12.00',
      '0.10',
      '0.20',
      '999999999999.99',
      '1000000000000.00',
      '9999999999999.99',
      '0.00',
    ];
    // The largest amount a number cell takes is 10^15 fen less one; no totals, which would pass it.
    const sheet = await sheetOf({ ...amountsTable(amounts), totals: undefined });
    const cells = amounts.map((_, i) => sheet.getRow(2 + i).getCell(2));
    expect(cells.map((c) => typeof c.value)).toEqual(amounts.map(() => 'number'));
    expect(cells.map((c) => (c.value as number).toFixed(2))).toEqual(amounts);
    expect(cells.every((c) => c.numFmt === MONEY_NUM_FMT)).toBe(true);
  });

  it('writes percents as fractions formatted 0.00%, integers and text as they are, empty cells empty', async () => {
    const sheet = await sheetOf(sourcesTable());
    const first = sheet.getRow(2);
    expect(first.getCell(5).value).toBe(Number('0.4340'));
    expect(first.getCell(5).numFmt).toBe('0.00%');
    expect(first.getCell(6).value).toBe(820);
    expect(sheet.getRow(3).getCell(6).value).toBe(15);
    expect(sheet.getRow(3).getCell(2).value).toBe('区级配套, 含"以奖代补"');
    expect(sheet.getRow(4).getCell(4).value).toBeNull();
    expect(sheet.getRow(4).getCell(2).alignment?.wrapText).toBe(true); // '居民出资\n（第二批）' shows both lines
    // A string cell is never a formula in XLSX: text is kept as written, with no apostrophe.
    const formulaLike = await sheetOf({ ...sourcesTable(), rows: [{ ...sourcesTable().rows[0], source: '=1+1' }] });
    expect(formulaLike.getRow(2).getCell(2).value).toBe('=1+1');
  });

  it('ends with a bold 合计 row of the exact sums', async () => {
    const table = sourcesTable();
    const row = totalsRow(await sheetOf(table));
    const sum = (key: string) =>
      table.rows.reduce((s, r) => s + (r[key] === null ? 0n : fenOfStored(r[key] as string)), 0n);
    expect(row.getCell(1).value).toBe('合计');
    expect(row.getCell(1).font?.bold).toBe(true);
    expect(row.getCell(3).value).toBe(Number(formatFen(sum('pledged'))));
    expect(row.getCell(4).value).toBe(Number(formatFen(sum('received'))));
    expect(row.getCell(3).numFmt).toBe(MONEY_NUM_FMT);
  });

  it('follows the 合计 with its 其中 rows as given, money as numbers, in the CJK font', async () => {
    const parts = [
      { label: '其中：现金', cells: { received: '900.00' } },
      { label: '其中：实物/投工投劳', cells: { received: '87.99' } },
    ];
    const sheet = await sheetOf(sourcesTable({ totals: { parts } }));
    const totals = sheet.getRow(sheet.actualRowCount - 2);
    expect(totals.getCell(1).value).toBe('合计');
    expect(totals.getCell(4).value).toBe(999988);
    const rows = [sheet.getRow(sheet.actualRowCount - 1), sheet.getRow(sheet.actualRowCount)];
    expect(rows.map((r) => [r.getCell(1).value, r.getCell(3).value, r.getCell(4).value])).toEqual([
      ['其中：现金', null, 900],
      ['其中：实物/投工投劳', null, 87.99],
    ]);
    expect(rows[1].getCell(4).numFmt).toBe(MONEY_NUM_FMT);
    expect(rows[1].getCell(3).font?.name).toBe('宋体');
  });

  it('sums many 0.10 and 0.20 in fen: the total is 150.00, not the float sum', async () => {
    const amounts = Array.from({ length: 1000 }, (_, i) => (i % 2 ? '0.10' : '0.20'));
    expect(floatSum(amounts)).not.toBe(150); // the case is one where doubles drift
    expect(totalsRow(await sheetOf(amountsTable(amounts))).getCell(2).value).toBe(150);
  });

  it('sums in fen where the float sum, even rounded to two decimals, is a fen off', async () => {
    const random = new SeededRandom(2);
    const amounts = Array.from({ length: 1000 }, () => formatFen(random.bigint(1n, 999_999_999_999n)));
    const exact = formatFen(exactSum(amounts));
    expect(floatSum(amounts).toFixed(2)).not.toBe(exact); // the case is one where rounding does not save doubles
    const total = totalsRow(await sheetOf(amountsTable(amounts))).getCell(2).value as number;
    expect(total.toFixed(2)).toBe(exact);
    expect(total).toBe(Number(exact));
  });

  it('fits column widths to the content, within limits, and keeps a width given', async () => {
    const sheet = await sheetOf(sourcesTable());
    const widths = sheet.columns.map((c) => c.width as number);
    expect(widths.every((w) => w >= 8 && w <= 60)).toBe(true);
    // '承诺金额（元）' is 14 columns wide in CJK; "1,234,567.89" is 12.
    expect(widths[2]).toBeGreaterThanOrEqual(14);
    const given = await sheetOf(
      sourcesTable({ columns: sourcesTable().columns.map((c) => (c.key === 'source' ? { ...c, widthChars: 40 } : c)) }),
    );
    expect(given.getColumn(2).width).toBe(40);
  });

  it('refuses an amount or a percent a double cannot show to the last digit, and duplicate sheet names', async () => {
    await expect(toXlsx([amountsTable([formatFen(MAX_XLSX_MONEY_FEN)])])).rejects.toThrow(/invariant violated/);
    const percentOf = (share: string) => ({ ...sourcesTable(), rows: [{ ...sourcesTable().rows[0], share }] });
    // 15 digits of hundredths of a percent read back as written; 16 would not, and fail loudly.
    const largest = formatFen(MAX_XLSX_MONEY_FEN - 1n);
    expect((await sheetOf(percentOf(largest))).getRow(2).getCell(5).value).toBe(Number('99999999999.9999'));
    await expect(toXlsx([percentOf(formatFen(MAX_XLSX_MONEY_FEN))])).rejects.toThrow(/invariant violated/);
    await expect(toXlsx([percentOf(formatFen(-MAX_XLSX_MONEY_FEN))])).rejects.toThrow(/invariant violated/);
    await expect(toXlsx([sourcesTable(), sourcesTable()])).rejects.toThrow(/distinct/);
    await expect(toXlsx([])).rejects.toThrow(/1 to/);
  });
});

/** A wide sheet: ids and names first, then more figure columns than a screen shows. */
const wideTable = (overrides: Partial<ReportTable> = {}): ReportTable => ({
  sheetName: '指标分配明细',
  title: '资金批次台账（2023 年度）',
  columns: [
    { key: 'batchId', header: '批次编号', kind: 'text' },
    { key: 'projectId', header: '项目编号', kind: 'text' },
    { key: 'projectName', header: '项目名称', kind: 'text' },
    { key: 'fiscalYear', header: '年度', kind: 'year' },
    { key: 'issuedOn', header: '下达日期', kind: 'date' },
    ...['allocated', 'received', 'disbursed', 'available'].map((key) => ({ key, header: key, kind: 'money' as const })),
    { key: 'share', header: '支付率(%)', kind: 'percent' },
  ],
  rows: [
    {
      batchId: 'ZY-2023-01',
      projectId: 'TN2021-001',
      projectName: '桂林街道某小区',
      fiscalYear: 2023,
      issuedOn: '2023-02-28',
      allocated: '100.00',
      received: '80.00',
      disbursed: '50.00',
      available: '30.00',
      share: '50.00',
    },
    {
      batchId: 'ZY-2023-02',
      projectId: 'TN2021-002',
      projectName: null,
      fiscalYear: '2024',
      issuedOn: null,
      allocated: '1.00',
      received: '0.00',
      disbursed: '0.00',
      available: '0.00',
      share: null,
    },
  ],
  totals: true,
  ...overrides,
});

describe('toXlsx: a sheet to print and file', () => {
  it('prints on A4 landscape, every column on one page across, as many pages down as needed', async () => {
    const sheet = await sheetOf(wideTable());
    expect(sheet.pageSetup).toMatchObject({
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
    });
  });

  it('repeats the title and header rows on each printed page', async () => {
    expect((await sheetOf(wideTable())).pageSetup.printTitlesRow).toBe('1:2');
    expect((await sheetOf(wideTable({ title: undefined }))).pageSetup.printTitlesRow).toBe('1:1');
  });

  it('puts an autofilter on the header row, across every column', async () => {
    expect((await sheetOf(wideTable())).autoFilter).toBe('A2:J2');
    expect((await sheetOf(sourcesTable())).autoFilter).toBe('A1:F1');
  });

  it('freezes the leading text columns (id and name) of a wide sheet, none of a narrow one, or as asked', async () => {
    expect((await sheetOf(wideTable())).views[0]).toMatchObject({ state: 'frozen', xSplit: 3, ySplit: 2 });
    expect((await sheetOf(sourcesTable())).views[0]).toMatchObject({ state: 'frozen', xSplit: 0, ySplit: 1 });
    expect((await sheetOf(wideTable({ frozenColumns: 2 }))).views[0]).toMatchObject({ xSplit: 2 });
    await expect(toXlsx([wideTable({ frozenColumns: 10 })])).rejects.toThrow(/frozenColumns/);
  });

  it('names the CJK font on every cell: the title, the header, the rows (empty cells too) and the 合计', async () => {
    const sheet = await sheetOf(wideTable());
    const fonts: (string | undefined)[] = [];
    for (let r = 1; r <= sheet.actualRowCount; r++)
      for (let c = 1; c <= 10; c++) fonts.push(sheet.getRow(r).getCell(c).font?.name);
    expect(fonts).toHaveLength(5 * 10);
    expect(new Set(fonts)).toEqual(new Set([CJK_FONT.name]));
    expect(CJK_FONT.name).toBe('宋体');
    expect(sheet.getCell('A1').font).toMatchObject({ name: '宋体', bold: true, size: 14 });
    expect(totalsRow(sheet).getCell(1).font).toMatchObject({ name: '宋体', bold: true });
  });

  it('writes a date as an Excel date of that day, and a year as a number', async () => {
    const sheet = await sheetOf(wideTable());
    const issued = sheet.getCell('E3');
    expect(issued.value).toEqual(new Date(Date.UTC(2023, 1, 28)));
    expect(issued.numFmt).toBe(DATE_NUM_FMT);
    expect(sheet.getCell('E4').value).toBeNull();
    expect([sheet.getCell('D3').value, sheet.getCell('D4').value]).toEqual([2023, 2024]);
  });
});
