import { assert } from '../../shared/domain/domain-error';
import { Fen, fenOfStored } from '../../shared/money/money';

/**
 * A report table as the exporters take it: the columns (key, Chinese header, kind) and the rows
 * as the JSON report serves them. One table is one CSV file or one XLSX sheet; a workbook may
 * hold several (e.g. a by-tier summary and a detail sheet).
 *
 * The kinds, and what a row may hold for each (`null` is an empty cell in every kind):
 * - `text`: a string (or a number, written as its decimal text, e.g. a fiscal year).
 * - `money`: CNY as the ledger writes it, a string with exactly two decimals, possibly negative
 *   (`"1234567.89"`, `"-12.00"`); never a JS number.
 * - `integer`: a safe integer, or its decimal string (counts: projects, households).
 * - `percent`: a string with two decimals in percent, `"43.40"` meaning 43.40%.
 * - `area`: m² (or 万m², as the header says) as the ledger writes an area, a string with exactly
 *   two decimals (`"7812.50"`): hundredths, exact like money, never a JS number.
 * - `date`: a calendar day `"2023-12-29"`: an Excel date in XLSX (sorts and filters as a date),
 *   the same text in CSV.
 * - `year`: a year such as 2023 or `"2023"` (年度, 建成年份): a number cell in XLSX, not text.
 */
export type ColumnKind = 'text' | 'money' | 'integer' | 'percent' | 'area' | 'date' | 'year';
const COLUMN_KINDS: readonly ColumnKind[] = ['text', 'money', 'integer', 'percent', 'area', 'date', 'year'];

export interface ReportColumn {
  /** The row property the column shows. */
  readonly key: string;
  /** The header the bureau reads, in Chinese: '资金来源', '到位金额（元）', '占比（%）'. */
  readonly header: string;
  readonly kind: ColumnKind;
  /** XLSX column width in characters (a CJK character counts two); fitted to the content by default. */
  readonly widthChars?: number;
}

export type ReportCell = string | number | null;

/** A row: every column's key must be present (null for an empty cell); other keys are ignored. */
export type ReportRow = Readonly<Record<string, ReportCell | undefined>>;

export interface ReportTotals {
  /** Default '合计'. */
  readonly label?: string;
  /** The text column the label stands in; default the first column. */
  readonly labelColumn?: string;
  /** The money, integer or area columns summed; default every money column. */
  readonly sumColumns?: readonly string[];
  /** Cells given as they are, for columns that do not sum (e.g. an overall share of '100.00'). */
  readonly cells?: ReportRow;
  /**
   * 其中 rows after the 合计, breaking it down (现金, 实物/投工投劳): a label in the label column and
   * the cells given (the others empty), never summed into the 合计 nor from the rows.
   */
  readonly parts?: readonly { readonly label: string; readonly cells: ReportRow }[];
}

export interface ReportTable {
  /** The XLSX sheet name: Chinese allowed; at most 31 characters, none of : \ / ? * [ ]. */
  readonly sheetName: string;
  /** A title line above the header, in XLSX only (a CSV file starts with its header). */
  readonly title?: string;
  readonly columns: readonly ReportColumn[];
  readonly rows: readonly ReportRow[];
  /**
   * A last row, 合计, summing money columns exactly, in fen (bigint): never a float sum. Written to
   * CSV and XLSX alike, so both files show the same table. `true` takes every default.
   */
  readonly totals?: true | ReportTotals;
  /**
   * The columns kept in view when scrolling right (XLSX): on a wide sheet, by default, the leading
   * text columns (the id and the name), at most MAX_DEFAULT_FROZEN_COLUMNS; 0 freezes none.
   */
  readonly frozenColumns?: number;
}

/** A cell checked and parsed once, for both exporters. Money in fen; a percent and an area in hundredths. */
export type ExportCell =
  | { readonly kind: 'empty' }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'money'; readonly fen: Fen }
  | { readonly kind: 'integer'; readonly value: bigint }
  | { readonly kind: 'percent'; readonly hundredths: bigint }
  | { readonly kind: 'area'; readonly hundredths: bigint }
  | { readonly kind: 'date'; readonly iso: string }
  | { readonly kind: 'year'; readonly value: number };

export interface ExportTable {
  readonly sheetName: string;
  readonly title?: string;
  readonly columns: readonly ReportColumn[];
  readonly body: readonly (readonly ExportCell[])[];
  readonly totals: readonly ExportCell[] | null;
  /** The 合计's 其中 rows (ReportTotals.parts), after it. */
  readonly totalsParts: readonly (readonly ExportCell[])[];
  readonly frozenColumns: number;
}

export const TOTALS_LABEL = '合计';

/**
 * Limits (TIGER_STYLE). Rows: exceljs builds the whole workbook in memory on the event loop, about
 * 6 s for 50,000 rows on the 2-core development machine, so a table stays well below Excel's
 * 1,048,576 rows; a district's reports have hundreds to a few thousand. Text: Excel's 32,767
 * characters a cell.
 */
export const MAX_REPORT_ROWS = 100_000;
export const MAX_REPORT_COLUMNS = 256;
export const MAX_TEXT_CHARS = 32_767;
const MAX_SHEET_NAME_CHARS = 31;
/** A sheet wider than this many columns does not fit a screen: its id and name columns stay in view. */
export const WIDE_SHEET_COLUMNS = 8;
/** Frozen by default, at most: more would leave a landscape screen little room to scroll. */
export const MAX_DEFAULT_FROZEN_COLUMNS = 3;
/** Years a year cell takes: Excel's own dates start in 1900. */
const MIN_YEAR = 1900;
const MAX_YEAR = 9999;

/** "yuan.ff" as the ledger writes it (formatFen), sign allowed: the shape checked before fenOfStored. */
const TWO_DECIMALS = /^-?(0|[1-9][0-9]{0,24})\.[0-9]{2}$/;
const INTEGER = /^-?(0|[1-9][0-9]{0,24})$/;
const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/**
 * Checks a table and parses every cell. A table that breaks a rule is a bug in the report that
 * built it, not bad input, so it fails an assertion (a 500) rather than a coded 4xx.
 */
export function exportTableOf(table: ReportTable): ExportTable {
  assertSheetName(table.sheetName);
  assertColumns(table.columns);
  assert(
    table.rows.length <= MAX_REPORT_ROWS,
    `a report table has at most ${MAX_REPORT_ROWS} rows (${table.sheetName}: ${table.rows.length})`,
  );
  const body = table.rows.map((row, i) =>
    table.columns.map((c) => exportCellOf(c, row[c.key], `${table.sheetName} row ${i + 1}`)),
  );
  const spec = table.totals === true ? {} : table.totals;
  const totals = spec ? totalsRowOf(table.columns, body, spec, table.sheetName) : null;
  return {
    sheetName: table.sheetName,
    title: table.title,
    columns: table.columns,
    body,
    totals,
    totalsParts: (spec?.parts ?? []).map((part, i) =>
      givenRowOf(
        table.columns,
        { ...spec, label: part.label, cells: part.cells, sumColumns: [] },
        `${table.sheetName} totals part ${i + 1}`,
        body,
      ),
    ),
    frozenColumns: frozenColumnsOf(table),
  };
}

/** As asked, or on a wide sheet the leading text columns (the id and the name), within limits. */
function frozenColumnsOf(table: ReportTable): number {
  if (table.frozenColumns !== undefined) {
    assert(
      Number.isInteger(table.frozenColumns) && table.frozenColumns >= 0 && table.frozenColumns < table.columns.length,
      `${table.sheetName}: frozenColumns is 0 to ${table.columns.length - 1} (got ${table.frozenColumns})`,
    );
    return table.frozenColumns;
  }
  if (table.columns.length <= WIDE_SHEET_COLUMNS) return 0;
  const leadingText = table.columns.findIndex((c) => c.kind !== 'text');
  return Math.min(MAX_DEFAULT_FROZEN_COLUMNS, leadingText === -1 ? table.columns.length : leadingText);
}

function exportCellOf(column: ReportColumn, value: ReportCell | undefined, where: string): ExportCell {
  const at = `${where}, column ${column.key}`;
  assert(value !== undefined, `${at} is present (null for an empty cell)`);
  if (value === null) return { kind: 'empty' };
  switch (column.kind) {
    case 'text':
      assert(typeof value === 'string' || Number.isFinite(value), `${at} is a string or a finite number`);
      assert(String(value).length <= MAX_TEXT_CHARS, `${at} has at most ${MAX_TEXT_CHARS} characters`);
      return { kind: 'text', text: String(value) };
    case 'money':
      // Money is never a JS number (README): a number here is a bug upstream, however round.
      assert(
        typeof value === 'string' && TWO_DECIMALS.test(value),
        `${at} is money: a string with two decimals such as "1250.00" (got ${JSON.stringify(value)})`,
      );
      return { kind: 'money', fen: fenOfStored(value) };
    case 'percent':
      assert(
        typeof value === 'string' && TWO_DECIMALS.test(value),
        `${at} is a percent: a string with two decimals such as "43.40" (got ${JSON.stringify(value)})`,
      );
      // Same shape as money, so the same exact parse: "43.40" is 4340 hundredths of a percent.
      return { kind: 'percent', hundredths: fenOfStored(value) };
    case 'area':
      assert(
        typeof value === 'string' && TWO_DECIMALS.test(value),
        `${at} is an area: a string with two decimals such as "7812.50" (got ${JSON.stringify(value)})`,
      );
      return { kind: 'area', hundredths: fenOfStored(value) };
    case 'integer':
      assert(
        (typeof value === 'number' && Number.isSafeInteger(value)) ||
          (typeof value === 'string' && INTEGER.test(value)),
        `${at} is an integer: a safe integer or its decimal string (got ${JSON.stringify(value)})`,
      );
      return { kind: 'integer', value: BigInt(value) };
    case 'date':
      assert(
        typeof value === 'string' && isCalendarDay(value),
        `${at} is a date: a calendar day such as "2023-12-29" (got ${JSON.stringify(value)})`,
      );
      return { kind: 'date', iso: value };
    case 'year': {
      const year = typeof value === 'string' && /^[0-9]{4}$/.test(value) ? Number(value) : value;
      assert(
        typeof year === 'number' && Number.isInteger(year) && year >= MIN_YEAR && year <= MAX_YEAR,
        `${at} is a year from ${MIN_YEAR} to ${MAX_YEAR}, a number or its four digits (got ${JSON.stringify(value)})`,
      );
      return { kind: 'year', value: year };
    }
  }
}

/** "YYYY-MM-DD" naming a day that exists ("2023-02-30" does not), from 1900 on. */
function isCalendarDay(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= MIN_YEAR && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function totalsRowOf(
  columns: readonly ReportColumn[],
  body: readonly (readonly ExportCell[])[],
  spec: ReportTotals,
  sheetName: string,
): ExportCell[] {
  const keys = columns.map((c) => c.key);
  const labelColumn = spec.labelColumn ?? keys[0];
  const sumColumns = spec.sumColumns ?? columns.filter((c) => c.kind === 'money').map((c) => c.key);
  const cells = spec.cells ?? {};
  const at = `${sheetName} totals`;
  assert(
    columns.find((c) => c.key === labelColumn)?.kind === 'text',
    `${at}: the label column ${labelColumn} is a text column`,
  );
  for (const key of sumColumns) {
    const kind = columns.find((c) => c.key === key)?.kind;
    assert(
      kind === 'money' || kind === 'integer' || kind === 'area',
      `${at}: summed column ${key} is a money or integer column, or an area`,
    );
    assert(key !== labelColumn && !(key in cells), `${at}: summed column ${key} is neither the label nor a given cell`);
  }
  return givenRowOf(columns, { ...spec, labelColumn, sumColumns }, at, body);
}

/** A 合计 (or 其中) row: the label, the sums of `sumColumns`, the cells given, the rest empty. */
function givenRowOf(
  columns: readonly ReportColumn[],
  spec: ReportTotals & { sumColumns: readonly string[] },
  at: string,
  body: readonly (readonly ExportCell[])[],
): ExportCell[] {
  const labelColumn = spec.labelColumn ?? columns[0].key;
  const cells = spec.cells ?? {};
  for (const key of Object.keys(cells))
    assert(
      columns.some((c) => c.key === key) && key !== labelColumn,
      `${at}: given cell ${key} is a column other than the label`,
    );
  return columns.map((column, index) => {
    if (column.key === labelColumn) return { kind: 'text', text: spec.label ?? TOTALS_LABEL };
    if (spec.sumColumns.includes(column.key)) return sumOf(body, index, column.kind);
    return column.key in cells ? exportCellOf(column, cells[column.key], at) : { kind: 'empty' };
  });
}

/** The exact sum of one column, in bigint: empty cells count as nothing. */
function sumOf(body: readonly (readonly ExportCell[])[], index: number, kind: ColumnKind): ExportCell {
  let total = 0n;
  for (const row of body) {
    const cell = row[index];
    if (cell.kind === 'money') total += cell.fen;
    else if (cell.kind === 'integer') total += cell.value;
    else if (cell.kind === 'area') total += cell.hundredths;
  }
  if (kind === 'area') return { kind: 'area', hundredths: total };
  return kind === 'money' ? { kind: 'money', fen: total } : { kind: 'integer', value: total };
}

function assertColumns(columns: readonly ReportColumn[]): void {
  assert(
    columns.length >= 1 && columns.length <= MAX_REPORT_COLUMNS,
    `a report table has 1 to ${MAX_REPORT_COLUMNS} columns (got ${columns.length})`,
  );
  const seen = new Set<string>();
  for (const c of columns) {
    assert(c.key.length > 0 && !seen.has(c.key), `column keys are non-empty and distinct (${JSON.stringify(c.key)})`);
    assert(c.header.trim().length > 0, `column ${c.key} has a header`);
    assert(COLUMN_KINDS.includes(c.kind), `column ${c.key} is of a known kind (got ${JSON.stringify(c.kind)})`);
    assert(
      c.widthChars === undefined || (Number.isInteger(c.widthChars) && c.widthChars >= 1 && c.widthChars <= 255),
      `column ${c.key} width is 1-255 characters`,
    );
    seen.add(c.key);
  }
}

/** Excel's own rules for a sheet name (exceljs only warns and truncates past 31 characters). */
function assertSheetName(name: string): void {
  assert(
    name.length >= 1 && name.length <= MAX_SHEET_NAME_CHARS,
    `a sheet name has 1 to ${MAX_SHEET_NAME_CHARS} characters (got "${name}")`,
  );
  assert(
    !/[:\\/?*[\]]/.test(name) && !name.startsWith("'") && !name.endsWith("'"),
    `sheet name "${name}" has none of : \\ / ? * [ ] and no quote at either end`,
  );
  assert(name.toLowerCase() !== 'history', 'a sheet may not be named History (Excel reserves it)');
}
