import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { formatFen } from '../../shared/money/money';
import { ExportCell, ReportTable, exportTableOf } from './report-table';

/** Excel reads a CSV file as UTF-8 only when it starts with a byte order mark; without it, GBK. */
const UTF8_BOM = '\uFEFF';

/**
 * A CSV file's encoding: UTF-8 with a BOM (Excel's cue), or GB18030 for tools that ignore a BOM
 * and read Chinese Windows' code page (GB18030 is a superset of GBK and GB2312, and encodes every
 * Unicode character, so nothing is lost). A GB18030 file has no BOM: a tool reading GBK would show
 * one as stray characters.
 */
export type CsvEncoding = 'utf-8' | 'gb18030';
export const CSV_ENCODINGS: readonly CsvEncoding[] = ['utf-8', 'gb18030'];

/**
 * One table as CSV (RFC 4180): UTF-8 with a BOM (or GB18030 without one), the Chinese headers, one line per row and the
 * 合计 row if the table has totals (and its 其中 rows), CRLF line ends. Amounts are plain exact decimals ("-12.00",
 * "1234567.89": no thousands separator, no float in between); percents and areas likewise ("43.40"
 * meaning 43.40%); dates "2023-12-29" and years "2023". The title, if any, is left out: the file
 * starts with its header.
 */
export function toCsv(table: ReportTable, encoding: CsvEncoding = 'utf-8'): Buffer {
  const t = exportTableOf(table);
  const records = [t.columns.map((c) => guarded(c.header)), ...t.body.map((row) => row.map(csvField))];
  if (t.totals) records.push(t.totals.map(csvField));
  for (const part of t.totalsParts) records.push(part.map(csvField));
  // csv-stringify quotes a field holding the delimiter or a quote; a lone CR or LF too, by quoted_match.
  const text = stringify(records, { record_delimiter: 'windows', quoted_match: /[\r\n]/ });
  return encoding === 'gb18030' ? iconv.encode(text, 'gb18030') : Buffer.from(UTF8_BOM + text, 'utf8');
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
    case 'year':
      return cell.value.toString();
    case 'date':
      return cell.iso;
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
