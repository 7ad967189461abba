import { stringify } from 'csv-stringify/sync';
import { formatFen } from '../../shared/money/money';
import { ExportCell, ReportTable, exportTableOf } from './report-table';

/** Excel reads a CSV file as UTF-8 only when it starts with a byte order mark; without it, GBK. */
const UTF8_BOM = '\uFEFF';

/**
 * One table as CSV (RFC 4180): UTF-8 with a BOM, the Chinese headers, one line per row and the
 * 合计 row if the table has totals, CRLF line ends. Amounts are plain exact decimals ("-12.00",
 * "1234567.89": no thousands separator, no float in between); percents and areas likewise ("43.40"
 * meaning 43.40%). The title, if any, is left out: the file starts with its header.
 */
export function toCsv(table: ReportTable): Buffer {
  const t = exportTableOf(table);
  const records = [t.columns.map((c) => guarded(c.header)), ...t.body.map((row) => row.map(csvField))];
  if (t.totals) records.push(t.totals.map(csvField));
  // csv-stringify quotes a field holding the delimiter or a quote; a lone CR or LF too, by quoted_match.
  return Buffer.from(UTF8_BOM + stringify(records, { record_delimiter: 'windows', quoted_match: /[\r\n]/ }), 'utf8');
}

function csvField(cell: ExportCell): string {
  switch (cell.kind) {
    case 'empty':
      return '';
    case 'text':
      return guarded(cell.text);
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
 * "-12.00" stays a number.
 */
const FORMULA_START = /^(?:[\t\r\n]|\s*[=+\-@])/;

function guarded(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}
