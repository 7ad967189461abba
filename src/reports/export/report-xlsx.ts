import { Workbook, Worksheet } from 'exceljs';
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
 * a bold header row (frozen, so it stays in view), the rows, and the 合计 row if asked for. Money
 * cells are numbers formatted '#,##0.00', percents numbers formatted '0.00%' (the cell holds
 * 0.434 for "43.40"), integers numbers formatted '0', areas numbers formatted '#,##0.00'. Totals
 * are written as values, not SUM formulas: a spreadsheet recalculating a formula would replace our
 * exact sum with its float sum.
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
    views: [{ state: 'frozen', ySplit: headerRowNumber, xSplit: 0 }],
  });
  if (t.title !== undefined) writeTitle(sheet, t.title, t.columns.length);
  const header = sheet.getRow(headerRowNumber);
  t.columns.forEach((column, i) => {
    const cell = header.getCell(i + 1);
    cell.value = column.header;
    cell.font = { bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
    cell.border = { bottom: { style: 'thin' } };
  });
  t.body.forEach((cells, i) => writeRow(sheet, headerRowNumber + 1 + i, cells));
  if (t.totals) {
    const row = writeRow(sheet, headerRowNumber + 1 + t.body.length, t.totals);
    row.eachCell({ includeEmpty: true }, (cell) => {
      cell.font = { bold: true };
      cell.border = { top: { style: 'thin' } };
    });
  }
  t.columns.forEach((column, i) => {
    sheet.getColumn(i + 1).width = column.widthChars ?? fittedWidth(column.header, t, i);
  });
}

function writeTitle(sheet: Worksheet, title: string, columnCount: number): void {
  const cell = sheet.getCell(1, 1);
  cell.value = title;
  cell.font = { bold: true, size: 14 };
  cell.alignment = { horizontal: 'center', vertical: 'middle' };
  if (columnCount > 1) sheet.mergeCells(1, 1, 1, columnCount);
  sheet.getRow(1).height = 24;
}

function writeRow(sheet: Worksheet, rowNumber: number, cells: readonly ExportCell[]) {
  const row = sheet.getRow(rowNumber);
  cells.forEach((exportCell, i) => {
    const cell = row.getCell(i + 1);
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
    }
  });
  return row;
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
  for (const row of t.totals ? [...t.body, t.totals] : t.body)
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
      return cell.value.toString();
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
