import { formatFen } from '../../shared/money/money';
import { ExportCell, ReportTable, exportTableOf } from './report-table';

/** Excel reads a CSV file as UTF-8 only when it starts with a byte order mark; without it, GBK. */
const UTF8_BOM = '\uFEFF';
const CRLF = '\r\n';

/**
 * One table as CSV (RFC 4180): UTF-8 with a BOM, the Chinese headers, one line per row and the
 * 合计 row if the table has totals, CRLF line ends. Amounts are plain exact decimals ("-12.00",
 * "1234567.89": no thousands separator, no float in between); percents and areas likewise ("43.40"
 * meaning 43.40%). The title, if any, is left out: the file starts with its header.
 */
export function toCsv(table: ReportTable): Buffer {
  const t = exportTableOf(table);
  const lines = [t.columns.map((c) => csvText(c.header)), ...t.body.map((row) => row.map(csvField))];
  if (t.totals) lines.push(t.totals.map(csvField));
  return Buffer.from(UTF8_BOM + lines.map((fields) => fields.join(',') + CRLF).join(''), 'utf8');
}

function csvField(cell: ExportCell): string {
  switch (cell.kind) {
    case 'empty':
      return '';
    case 'text':
      return csvText(cell.text);
    case 'money':
      return formatFen(cell.fen);
    case 'percent':
    case 'area':
      return formatFen(cell.hundredths);
    case 'integer':
      return cell.value.toString();
  }
}

/**
 * A text field. One that starts with = + - @, or with a tab, CR or LF, or with white space before
 * = + - @ (spreadsheets skip leading blanks before reading a formula: " =1+1" runs), gets a
 * leading apostrophe, so a spreadsheet shows it rather than running it (CSV injection, OWASP).
 * Only text is guarded: money, integer and percent cells were checked to be plain numbers, so
 * "-12.00" stays a number. Then RFC 4180: a field holding a comma, a quote, CR or LF is quoted,
 * with its quotes doubled.
 */
const FORMULA_START = /^(?:[\t\r\n]|\s*[=+\-@])/;

function csvText(text: string): string {
  const guarded = FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}
