/**
 * A bank statement as the bank exports it, read into lines: the bytes decoded (a CSV in UTF-8,
 * with or without a BOM, or in GBK/GB18030, the encoding Chinese banks' exports use; or an xlsx
 * workbook's first sheet), the header row found by the names of its columns, not their places,
 * and every row below it that carries a transaction date read as one line. Header rows above it
 * and footer rows (合计, 本页小计, 打印时间...) are skipped and listed. Amounts are read as decimal
 * strings (thousands separators and currency signs dropped) and never pass through a JS number.
 * docs/reconciliation.md lists the formats and names taken.
 */
import { createHash } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { Workbook } from 'exceljs';
import { DomainError } from '../shared/domain/domain-error';
import { dayProblem } from '../shared/domain/input-rules';
import { MAX_AMOUNT_FEN, formatFen } from '../shared/money/money';
import { ParsedStatementLine } from './bank-account.commands';
import { BankAccountErrors as E } from './bank-account.errors';
import { StatementFormat } from './bank-account.events';

/** A column the reader looks for, with the names banks give it (compared without spaces and a unit in brackets). */
const COLUMNS = {
  date: ['交易日期', '记账日期', '交易时间', '入账日期'],
  credit: ['收入金额', '贷方发生额', '贷方金额', '收入'],
  debit: ['支出金额', '借方发生额', '借方金额', '支出'],
  /** One signed column instead of the two: positive in, negative out. */
  signed: ['交易金额', '发生额'],
  balance: ['余额', '账户余额', '当前余额', '联机余额'],
  counterparty: ['对方户名', '对方账户名称', '对方名称', '对方账户名'],
  counterpartyAccount: ['对方账号', '对方账户', '对方账户账号'],
  memo: ['摘要'],
  purpose: ['用途', '附言'],
  serial: ['流水号', '交易流水号', '凭证号', '银行流水号'],
} as const;
type Column = keyof typeof COLUMNS;

const STATEMENT_TABLE: TableSpec<Column> = {
  columns: COLUMNS,
  isHeader: (found) =>
    found.date !== undefined &&
    found.balance !== undefined &&
    ((found.credit !== undefined && found.debit !== undefined) || found.signed !== undefined),
  unreadable: E.unreadable,
  headersNotFound: () => E.headersNotFound(['交易日期/记账日期', '收入金额/贷方发生额', '支出金额/借方发生额', '余额']),
};

/** How far down a file the header row is looked for (banks put a title, the account and the period above it). */
const HEADER_SEARCH_ROWS = 50;

/** A row of the file not taken as a line, and why. */
export interface SkippedRow {
  row: number;
  reason: string;
}

/** A file read into lines of type L (a bank statement's, a treasury payment file's). */
export interface FileRead<L> {
  format: StatementFormat;
  /** SHA-256, hex, of the bytes as sent. */
  fileHash: string;
  lines: L[];
  headerRow: number;
  skipped: SkippedRow[];
  /** Rows that look like lines (they have a date) but cannot be read: the import refuses the first. */
  problems: StatementProblem[];
}

/** A statement's lines oldest first. */
export type StatementRead = FileRead<ParsedStatementLine>;

export interface StatementProblem {
  row: number;
  error: DomainError;
}

/** Whether `bytes` are an xlsx workbook (a zip archive), whatever the request called them. */
export function looksLikeXlsx(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes.readUInt32BE(0) === 0x504b0304;
}

export async function readStatement(bytes: Buffer): Promise<StatementRead> {
  return linesOf(await readTable(bytes, STATEMENT_TABLE));
}

/**
 * What a reader of one kind of file looks for (a bank statement here, a treasury payment file in
 * src/treasury-file): its columns with the names they go by, when a row is the header row, and
 * the refusals it answers with.
 */
export interface TableSpec<C extends string> {
  columns: Readonly<Record<C, readonly string[]>>;
  /** Whether the columns a row names make it the header row. */
  isHeader(found: ColumnIndex<C>): boolean;
  unreadable(why: string): DomainError;
  headersNotFound(): DomainError;
}

/** Where each column a header row names is: its index among the row's cells. */
export type ColumnIndex<C extends string> = Partial<Record<C, number>>;

/** A file read down to its header row and the rows below it, each row's cells as text. */
export interface Table<C extends string> {
  format: StatementFormat;
  /** SHA-256, hex, of the bytes as sent. */
  fileHash: string;
  headerRow: number;
  columns: ColumnIndex<C>;
  /** The rows above the header row (a title, the account, the period). */
  above: TableRow[];
  body: TableRow[];
}

export interface TableRow {
  /** As a spreadsheet numbers it: the first row is 1. */
  row: number;
  cells: string[];
}

/**
 * A file as `spec` reads it: its bytes decoded (CSV in UTF-8 or GB18030, or an xlsx workbook's
 * first sheet) and its header row found by the names of its columns within the first rows.
 */
export async function readTable<C extends string>(bytes: Buffer, spec: TableSpec<C>): Promise<Table<C>> {
  const fileHash = createHash('sha256').update(bytes).digest('hex');
  const { format, rows } = looksLikeXlsx(bytes) ? await xlsxRows(bytes, spec) : csvRows(bytes, spec);
  for (const [h, r] of rows.slice(0, HEADER_SEARCH_ROWS).entries()) {
    const columns = columnsOf(r.cells, spec.columns);
    if (!spec.isHeader(columns)) continue;
    return { format, fileHash, headerRow: r.row, columns, above: rows.slice(0, h), body: rows.slice(h + 1) };
  }
  throw spec.headersNotFound();
}

/** A row's cell in `column`: '' when the file has no such column or the row stops short of it. */
function cellAt<C extends string>(columns: ColumnIndex<C>, r: TableRow, column: C): string {
  const i = columns[column];
  return i === undefined ? '' : (r.cells[i] ?? '');
}

/**
 * The text of a CSV file: UTF-8 when it starts with the UTF-8 BOM or decodes as valid UTF-8, else
 * GB18030 (a superset of GBK and GB2312). A GBK file of Chinese text is almost never valid UTF-8:
 * its lead bytes 0x81-0xFE are followed by bytes UTF-8 does not allow there.
 */
export function decodeCsv(bytes: Buffer): { format: StatementFormat; text: string } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { format: 'csv-utf8', text: bytes.subarray(3).toString('utf8') };
  try {
    return { format: 'csv-utf8', text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { format: 'csv-gb18030', text: iconv.decode(bytes, 'gb18030') };
  }
}

function csvRows(bytes: Buffer, spec: TableSpec<string>): { format: StatementFormat; rows: TableRow[] } {
  const { format, text } = decodeCsv(bytes);
  const rows: TableRow[] = [];
  try {
    parseCsv(text, {
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      // Each record is taken here, with the line it ends on (the row a spreadsheet shows), and none
      // is returned: the parser's result is typed as bare records.
      on_record: (record: string[], { lines }) => {
        rows.push({ row: lines, cells: record.map(cleanCell) });
        return null;
      },
    });
  } catch (err) {
    throw spec.unreadable((err as Error).message);
  }
  return { format, rows };
}

async function xlsxRows(
  bytes: Buffer,
  spec: TableSpec<string>,
): Promise<{ format: StatementFormat; rows: TableRow[] }> {
  const workbook = new Workbook();
  try {
    await workbook.xlsx.load(bytes);
  } catch (err) {
    throw spec.unreadable(`not an xlsx workbook (${(err as Error).message})`);
  }
  const sheet = workbook.worksheets[0];
  if (sheet === undefined) throw spec.unreadable('the workbook has no sheet');
  const rows: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cleanCell(xlsxCellText(cell.value));
    });
    rows.push({ row: row.number, cells: Array.from(cells, (c) => c ?? '') });
  });
  return { format: 'xlsx', rows };
}

/**
 * A cell's value as text: a date as YYYY-MM-DD (exceljs gives dates at UTC midnight), a number in
 * its shortest decimal form (which, for an amount with two decimals, is its digits), a formula's
 * result, rich text's characters.
 */
function xlsxCellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'object') {
    const v = value as { result?: unknown; richText?: { text: string }[]; text?: unknown };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return xlsxCellText(v.result);
    if (typeof v.text === 'string') return v.text;
    return '';
  }
  return String(value);
}

/**
 * A cell without what exports wrap numbers in so spreadsheets keep them as text: `="0123"`, a
 * leading tab or apostrophe.
 */
function cleanCell(cell: string): string {
  return cell
    .replace(/^\s*="(.*)"\s*$/, '$1')
    .replace(/^[\t']+/, '')
    .trim();
}

function headerName(cell: string): string {
  return cell.replace(/\s+/g, '').replace(/[（(][^（()）]*[)）]$/, '');
}

/** The columns a row names (each the first cell that bears one of its names). */
function columnsOf<C extends string>(
  cells: readonly string[],
  names: Readonly<Record<C, readonly string[]>>,
): ColumnIndex<C> {
  const found: ColumnIndex<C> = {};
  cells.forEach((cell, i) => {
    const name = headerName(cell);
    for (const [column, spellings] of Object.entries(names) as [C, readonly string[]][])
      if (found[column] === undefined && spellings.includes(name)) found[column] = i;
  });
  return found;
}

function linesOf(table: Table<Column>): StatementRead {
  const { lines, skipped, problems } = tableLines(table, 'date', (r, date, at) => {
    const { direction, amount } = movementOf(
      r.row,
      at('credit'),
      at('debit'),
      at('signed'),
      table.columns.signed !== undefined,
    );
    return {
      row: r.row,
      date,
      direction,
      amount,
      balance: formatFen(fenOfCell(r.row, '余额', at('balance'), true)),
      counterparty: at('counterparty'),
      counterpartyAccount: at('counterpartyAccount'),
      memo: [at('memo'), at('purpose')].filter((t) => t !== '').join(' '),
      serial: at('serial'),
    };
  });
  // Some banks list the newest line first: the balance runs from the oldest.
  if (lines.length > 1 && lines[0].date > lines[lines.length - 1].date) lines.reverse();
  return fileRead(table, { lines, skipped, problems });
}

/** What a table was read into: its lines, and the rows skipped or refused, with the file's format, hash and header row. */
export function fileRead<L>(
  { format, fileHash, headerRow }: Table<string>,
  read: Pick<FileRead<L>, 'lines' | 'skipped' | 'problems'>,
): FileRead<L> {
  return { format, fileHash, headerRow, ...read };
}

/**
 * The lines of a table: each row below the header whose `dateColumn` holds a date, read by
 * `lineOf` (a DomainError it throws is that row's problem); the rows above the header, and those
 * below it without a date (titles, totals, footers), skipped and listed.
 */
export function tableLines<C extends string, L>(
  table: Table<C>,
  dateColumn: NoInfer<C>,
  lineOf: (r: TableRow, date: string, at: (column: C) => string) => L,
): { lines: L[]; skipped: SkippedRow[]; problems: StatementProblem[] } {
  const skipped: SkippedRow[] = table.above.map((r) => ({ row: r.row, reason: 'above the header row' }));
  const lines: L[] = [];
  const problems: StatementProblem[] = [];
  for (const r of table.body) {
    const at = (column: C): string => cellAt(table.columns, r, column);
    const date = dayOf(at(dateColumn));
    if (date === null) {
      skipped.push({ row: r.row, reason: 'no transaction date (a title, total or footer row)' });
      continue;
    }
    try {
      lines.push(lineOf(r, date, at));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      problems.push({ row: r.row, error: err });
    }
  }
  return { lines, skipped, problems };
}

/** A date: 2023-01-05, 2023/1/5, 2023.01.05, 20230105 or 2023年1月5日, a time after it ignored. */
function dayOf(cell: string): string | null {
  const m = /^(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))(?:[\sT].*)?$/.exec(cell);
  if (!m) return null;
  const day = `${m[1]}-${(m[2] ?? m[4]).padStart(2, '0')}-${(m[3] ?? m[5]).padStart(2, '0')}`;
  return dayProblem(day) === null ? day : null;
}

function movementOf(
  row: number,
  credit: string,
  debit: string,
  signed: string,
  oneColumn: boolean,
): { direction: 'credit' | 'debit'; amount: string } {
  if (oneColumn && credit === '' && debit === '') {
    const fen = fenOfCell(row, '交易金额', signed, true);
    if (fen === 0n) throw E.badLine(row, 'the line moves no money');
    return fen > 0n ? { direction: 'credit', amount: formatFen(fen) } : { direction: 'debit', amount: formatFen(-fen) };
  }
  const inFen = fenOfCell(row, '收入金额', credit, false);
  const outFen = fenOfCell(row, '支出金额', debit, false);
  if (inFen > 0n && outFen > 0n) throw E.badLine(row, 'the line has both an amount in and an amount out');
  if (inFen === 0n && outFen === 0n) throw E.badLine(row, 'the line moves no money');
  return inFen > 0n
    ? { direction: 'credit', amount: formatFen(inFen) }
    : { direction: 'debit', amount: formatFen(outFen) };
}

/** An amount cell in fen: '' or '-' is nothing; a negative one only where `negativeAllowed`. */
function fenOfCell(row: number, column: string, cell: string, negativeAllowed: boolean): bigint {
  const fen = amountFen(cell, column, negativeAllowed, (why) => E.badLine(row, why));
  if (fen === null && column === '余额') throw E.badLine(row, 'the line has no balance');
  return fen ?? 0n;
}

/**
 * An amount cell in fen, its thousands separators, spaces and currency signs dropped: null when
 * blank ('', '-', '--'); `bad` makes the refusal of one that is not an amount with at most two
 * decimals, exceeds the ledger's limit, or is negative where `negativeAllowed` is false.
 */
export function amountFen(
  cell: string,
  column: string,
  negativeAllowed: boolean,
  bad: (why: string) => DomainError,
): bigint | null {
  const text = cell.replace(/[,，\s¥￥]/g, '').replace(/^\+/, '');
  if (text === '' || text === '-' || text === '--') return null;
  const m = /^(-?)(\d{1,16})(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) throw bad(`${column} "${cell}" is not an amount with at most two decimals`);
  const fen = BigInt(m[2]) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  if (fen > MAX_AMOUNT_FEN) throw bad(`${column} "${cell}" exceeds the ledger's limit`);
  if (m[1] === '-' && !negativeAllowed) throw bad(`${column} "${cell}" is negative`);
  return m[1] === '-' ? -fen : fen;
}
