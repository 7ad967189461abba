import { Cell, Font, Workbook, Worksheet } from 'exceljs';
import { assert } from '../../shared/domain/domain-error';
import { Fen, formatFen } from '../../shared/money/money';
import { ExportCell, ExportTable, ReportTable, exportTableOf } from './report-table';

export interface XlsxOptions {
  /** The workbook's creation time in its properties; default now. */
  readonly createdAt?: Date;
}

export const MONEY_NUM_FMT = '#,##0.00';
export const PERCENT_NUM_FMT = '0.00%';
export const INTEGER_NUM_FMT = '0';
export const AREA_NUM_FMT = '#,##0.00';
export const DATE_NUM_FMT = 'yyyy-mm-dd';
export const YEAR_NUM_FMT = '0';

/**
 * The font named on every cell (title, header, rows, 合计): 宋体 (SimSun), which every Chinese
 * Windows and Office has, so a printed sheet shows its Chinese in the face the bureau's own forms
 * use rather than a Latin default's fallback. Charset 134 is GB2312, Excel's tag for a CJK font.
 */
export const CJK_FONT: Readonly<Partial<Font>> = { name: '宋体', charset: 134, size: 11 };
const CJK_TITLE_FONT: Readonly<Partial<Font>> = { ...CJK_FONT, bold: true, size: 14 };
const CJK_BOLD_FONT: Readonly<Partial<Font>> = { ...CJK_FONT, bold: true };

/**
 * How every sheet prints, for a finance office that files it: A4 (paper size 9) landscape, every
 * column on one page across (fitToWidth 1) and as many pages down as the rows need (fitToHeight 0),
 * the title and header rows repeated on each page.
 */
const A4_PAPER_SIZE = 9;
const MAX_SHEETS = 64;
const MIN_WIDTH_CHARS = 8;
const MAX_WIDTH_CHARS = 60;

/**
 * The largest amount (in absolute value) written to a number cell: 10^15 fen, 10 trillion yuan,
 * ten times the ledger's largest single amount. An XLSX number is a double, so an exact amount
 * becomes a double only here, at the very last step, for display. The bound is 15 significant
 * digits: every decimal of at most 15 significant digits survives a double (DBL_DIG = 15: the
 * nearest double reads back as that same decimal, though it may not equal it, as 0.1 does not),
 * and every amount below 10^15 fen has at most 15 digits, so it reads back as the same "yuan.ff".
 * (Not every amount below 2^53 fen does: past 2^46 yuan, about 7 × 10^15 fen, doubles are more
 * than a fen apart.) The exact figures are the JSON and the CSV; totals are summed in fen before
 * this conversion, never from doubles. A cell at or above the bound (a 合计 row included) fails the
 * download loudly (a 500), never rounds quietly; the CSV of the same report has no bound. Areas and
 * percents are hundredths too, and moving the decimal point (43.40% is 0.4340) changes no digit,
 * so the same bound holds them.
 */
export const MAX_XLSX_MONEY_FEN: Fen = 10n ** 15n;

/**
 * One or more tables as an XLSX workbook, a sheet each, in order: an optional merged title line,
 * a bold header row (frozen, so it stays in view, with an autofilter), the rows, and the 合计 row
 * if asked for; on a wide sheet the id and name columns frozen too; every cell in CJK_FONT; set to
 * print on A4 landscape, one page wide, the header repeated on each page. Money cells are numbers
 * formatted '#,##0.00', percents numbers formatted '0.00%' (the cell holds 0.434 for "43.40"),
 * integers numbers formatted '0', areas numbers formatted '#,##0.00', dates Excel dates formatted
 * 'yyyy-mm-dd', years numbers. Totals are written as values, not SUM formulas: a spreadsheet
 * recalculating a formula would replace our exact sum with its float sum.
 */
export async function toXlsx(tables: readonly ReportTable[], options: XlsxOptions = {}): Promise<Buffer> {
  assert(
    tables.length >= 1 && tables.length <= MAX_SHEETS,
    `a workbook has 1 to ${MAX_SHEETS} sheets (got ${tables.length})`,
  );
  const names = new Set(tables.map((t) => t.sheetName.toLowerCase()));
  assert(names.size === tables.length, 'sheet names are distinct (Excel ignores case)');
  const workbook = new Workbook();
  workbook.creator = 'renovation-ledger';
  const createdAt = options.createdAt ?? new Date();
  workbook.created = createdAt;
  workbook.modified = createdAt;
  for (const table of tables) writeSheet(workbook, exportTableOf(table));
  const written = await workbook.xlsx.writeBuffer();
  return Buffer.isBuffer(written) ? written : Buffer.from(written);
}

function writeSheet(workbook: Workbook, t: ExportTable): void {
  const headerRowNumber = t.title === undefined ? 1 : 2;
  const sheet = workbook.addWorksheet(t.sheetName, {
    views: [{ state: 'frozen', ySplit: headerRowNumber, xSplit: t.frozenColumns }],
    pageSetup: {
      paperSize: A4_PAPER_SIZE,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `1:${headerRowNumber}`,
    },
  });
  if (t.title !== undefined) writeTitle(sheet, t.title, t.columns.length);
  const header = sheet.getRow(headerRowNumber);
  t.columns.forEach((column, i) => {
    const cell = header.getCell(i + 1);
    cell.value = column.header;
    cell.font = CJK_BOLD_FONT;
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
    cell.border = { bottom: { style: 'thin' } };
  });
  sheet.autoFilter = {
    from: { row: headerRowNumber, column: 1 },
    to: { row: headerRowNumber, column: t.columns.length },
  };
  t.body.forEach((cells, i) => writeRow(sheet, headerRowNumber + 1 + i, cells, CJK_FONT));
  if (t.totals) {
    const row = writeRow(sheet, headerRowNumber + 1 + t.body.length, t.totals, CJK_BOLD_FONT);
    row.eachCell({ includeEmpty: true }, (cell) => {
      cell.border = { top: { style: 'thin' } };
    });
  }
  t.totalsParts.forEach((cells, i) => writeRow(sheet, headerRowNumber + 2 + t.body.length + i, cells, CJK_FONT));
  t.columns.forEach((column, i) => {
    sheet.getColumn(i + 1).width = column.widthChars ?? fittedWidth(column.header, t, i);
  });
}

function writeTitle(sheet: Worksheet, title: string, columnCount: number): void {
  const cell = sheet.getCell(1, 1);
  cell.value = title;
  cell.font = CJK_TITLE_FONT;
  cell.alignment = { horizontal: 'center', vertical: 'middle' };
  if (columnCount > 1) sheet.mergeCells(1, 1, 1, columnCount);
  sheet.getRow(1).height = 24;
}

/** Every cell of the row gets the font, the empty ones too, so a value typed in later shows in it. */
function writeRow(sheet: Worksheet, rowNumber: number, cells: readonly ExportCell[], font: Partial<Font>) {
  const row = sheet.getRow(rowNumber);
  cells.forEach((exportCell, i) => {
    const cell = row.getCell(i + 1);
    cell.font = font;
    writeValue(cell, exportCell);
  });
  return row;
}

function writeValue(cell: Cell, exportCell: ExportCell): void {
  switch (exportCell.kind) {
    case 'empty':
      return;
    case 'text':
      // A string cell is never a formula in XLSX, so text needs no injection guard here.
      cell.value = exportCell.text;
      if (exportCell.text.includes('\n')) cell.alignment = { wrapText: true, vertical: 'top' };
      return;
    case 'money':
      cell.value = hundredthsNumber(exportCell.fen, 'an amount');
      cell.numFmt = MONEY_NUM_FMT;
      return;
    case 'area':
      cell.value = hundredthsNumber(exportCell.hundredths, 'an area');
      cell.numFmt = AREA_NUM_FMT;
      return;
    case 'percent':
      cell.value = fractionOfPercent(exportCell.hundredths);
      cell.numFmt = PERCENT_NUM_FMT;
      return;
    case 'integer':
      assert(
        exportCell.value >= BigInt(Number.MIN_SAFE_INTEGER) && exportCell.value <= BigInt(Number.MAX_SAFE_INTEGER),
        'an integer cell is a safe integer',
      );
      cell.value = Number(exportCell.value);
      cell.numFmt = INTEGER_NUM_FMT;
      return;
    case 'year':
      cell.value = exportCell.value;
      cell.numFmt = YEAR_NUM_FMT;
      return;
    case 'date':
      // Midnight UTC: exceljs writes a Date as its UTC serial, so the cell is that whole day.
      cell.value = new Date(`${exportCell.iso}T00:00:00Z`);
      cell.numFmt = DATE_NUM_FMT;
      return;
  }
}

/**
 * Exact hundredths (fen, or hundredths of a m²) to the double nearest their two-decimal text, the
 * last step: within MAX_XLSX_MONEY_FEN that double gives the same text back.
 */
function hundredthsNumber(hundredths: bigint, what: string): number {
  assertExactInDouble(hundredths, what);
  return Number(formatFen(hundredths));
}

/**
 * "43.40" (4340 hundredths of a percent) to the double nearest 0.4340, read from its decimal text
 * rather than divided as a double, so the cell holds the nearest double to the exact fraction;
 * within MAX_XLSX_MONEY_FEN hundredths (15 digits) that double reads back as the same fraction.
 */
function fractionOfPercent(hundredths: bigint): number {
  assertExactInDouble(hundredths, 'a percent');
  const abs = hundredths < 0n ? -hundredths : hundredths;
  return Number(`${hundredths < 0n ? '-' : ''}${abs / 10000n}.${(abs % 10000n).toString().padStart(4, '0')}`);
}

/** At most 15 significant digits, which a double reads back as written (MAX_XLSX_MONEY_FEN); else a 500. */
function assertExactInDouble(hundredths: bigint, what: string): void {
  assert(
    hundredths < MAX_XLSX_MONEY_FEN && hundredths > -MAX_XLSX_MONEY_FEN,
    `${what} in an XLSX number cell has at most 15 significant digits (got ${formatFen(hundredths)})`,
  );
}

/** The widest of the header and the cells as Excel shows them, CJK counting two; within limits. */
function fittedWidth(header: string, t: ExportTable, index: number): number {
  let widest = displayWidth(header);
  for (const row of [...t.body, ...(t.totals ? [t.totals] : []), ...t.totalsParts])
    widest = Math.max(widest, displayWidth(shownText(row[index])));
  return Math.min(MAX_WIDTH_CHARS, Math.max(MIN_WIDTH_CHARS, widest + 2));
}

function shownText(cell: ExportCell): string {
  switch (cell.kind) {
    case 'empty':
      return '';
    case 'text':
      return cell.text;
    case 'money':
      return formatFen(cell.fen).replace(/\B(?=(\d{3})+\.)/g, ',');
    case 'percent':
      return `${formatFen(cell.hundredths)}%`;
    case 'area':
      return formatFen(cell.hundredths).replace(/\B(?=(\d{3})+\.)/g, ',');
    case 'integer':
    case 'year':
      return cell.value.toString();
    case 'date':
      return cell.iso;
  }
}

function displayWidth(text: string): number {
  let widest = 0;
  for (const line of text.split('\n')) {
    let width = 0;
    // CJK ideographs, kana, hangul and full-width forms take two columns.
    for (const ch of line)
      width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch)
        ? 2
        : 1;
    widest = Math.max(widest, width);
  }
  return widest;
}
