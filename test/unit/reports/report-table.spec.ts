/**
 * A report table is checked before either exporter writes a byte: money, percents and areas are
 * strings with two decimals (never a JS number), every column's key is in every row, sheet names keep
 * Excel's rules, and the 合计 row sums money (and integer columns when asked) exactly in fen. Dates
 * are calendar days "YYYY-MM-DD" and years four digits, so XLSX can write them as real cells.
 */
import {
  ColumnKind,
  ExportCell,
  MAX_REPORT_ROWS,
  ReportTable,
  exportTableOf,
} from '../../../src/reports/export/report-table';
import { sourcesTable } from './report-fixtures';

const oneColumn = (kind: ColumnKind, value: unknown): ReportTable => ({
  sheetName: '表',
  columns: [{ key: 'v', header: '值', kind }],
  rows: [{ v: value as string }],
});

describe('exportTableOf', () => {
  it.each([
    ['money', 1250],
    ['money', '1250'],
    ['money', '1250.0'],
    ['money', '1250.001'],
    ['money', '1,250.00'],
    ['money', '01.00'],
    ['money', ' 1.00'],
    ['percent', 43.4],
    ['percent', '43.4'],
    ['area', 7812.5],
    ['area', '7812.5'],
    ['integer', 1.5],
    ['integer', '1.0'],
    ['integer', Number.MAX_SAFE_INTEGER + 1],
    ['text', {}],
    ['text', Number.NaN],
    ['date', '2023-02-30'],
    ['date', '2023-2-3'],
    ['date', '2023-12-29T00:00:00Z'],
    ['date', '1899-12-31'],
    ['date', 20231229],
    ['year', 2023.5],
    ['year', '23'],
    ['year', '2023年'],
    ['year', 1899],
  ] as const)('refuses a %s cell holding %j', (kind, value) => {
    expect(() => exportTableOf(oneColumn(kind, value))).toThrow(/invariant violated/);
  });

  it('parses money and percents exactly, negatives included', () => {
    const cell = (kind: 'money' | 'percent', v: string) => exportTableOf(oneColumn(kind, v)).body[0][0];
    expect(cell('money', '-12.00')).toEqual({ kind: 'money', fen: -1200n });
    expect(cell('money', '123456789012345678.91')).toEqual({ kind: 'money', fen: 12345678901234567891n });
    expect(cell('percent', '43.40')).toEqual({ kind: 'percent', hundredths: 4340n });
  });

  it('parses a date as its calendar day and a year as a number, from a number or its digits', () => {
    const cell = (kind: ColumnKind, v: unknown) => exportTableOf(oneColumn(kind, v)).body[0][0];
    expect(cell('date', '2024-02-29')).toEqual({ kind: 'date', iso: '2024-02-29' });
    expect(cell('year', 2023)).toEqual({ kind: 'year', value: 2023 });
    expect(cell('year', '2021')).toEqual({ kind: 'year', value: 2021 });
  });

  it('parses areas exactly in hundredths of a m², and sums an area column exactly', () => {
    const t = exportTableOf({
      sheetName: '面积',
      columns: [
        { key: 'name', header: '小区', kind: 'text' },
        { key: 'area', header: '建筑面积（平方米）', kind: 'area' },
      ],
      rows: [
        { name: 'a', area: '0.10' },
        { name: 'b', area: '0.20' },
        { name: 'c', area: '7812.50' },
      ],
      totals: { sumColumns: ['area'] },
    });
    expect(t.body.map((r) => r[1])).toEqual([
      { kind: 'area', hundredths: 10n },
      { kind: 'area', hundredths: 20n },
      { kind: 'area', hundredths: 781250n },
    ]);
    // 0.1 + 0.2 as doubles is 0.30000000000000004: summed in hundredths it is 0.30, and the rest exact.
    expect(t.totals).toEqual([
      { kind: 'text', text: '合计' },
      { kind: 'area', hundredths: 781280n },
    ]);
  });

  it('refuses a row without a column key (a typo would blank the column), but ignores extra keys', () => {
    expect(() => exportTableOf({ ...oneColumn('text', 'x'), rows: [{ value: 'x' }] })).toThrow(
      /row 1, column v is present/,
    );
    expect(exportTableOf({ ...oneColumn('text', 'x'), rows: [{ v: 'x', projectId: 'TN2021-001' }] }).body).toEqual([
      [{ kind: 'text', text: 'x' }],
    ]);
  });

  it.each([
    '',
    '一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二',
    'a/b',
    'a:b',
    '[x]',
    "'x",
    'History',
    'history',
  ])('refuses the sheet name %j', (sheetName) => {
    expect(() => exportTableOf({ ...oneColumn('text', 'x'), sheetName })).toThrow(/invariant violated/);
  });

  it('accepts a Chinese sheet name of 31 characters', () => {
    const sheetName = '资金来源到位表'.repeat(5).slice(0, 31);
    expect(exportTableOf({ ...oneColumn('text', 'x'), sheetName }).sheetName).toBe(sheetName);
  });

  it(`refuses more than ${MAX_REPORT_ROWS} rows`, () => {
    const rows = new Array(MAX_REPORT_ROWS + 1).fill({ v: 'x' });
    expect(() => exportTableOf({ ...oneColumn('text', 'x'), rows })).toThrow(/at most/);
    expect(exportTableOf({ ...oneColumn('text', 'x'), rows: rows.slice(1) }).body).toHaveLength(MAX_REPORT_ROWS);
  });

  it('refuses duplicate column keys and an unknown kind', () => {
    const columns = [{ key: 'v', header: '值', kind: 'text' as const }];
    expect(() => exportTableOf({ ...oneColumn('text', 'x'), columns: [...columns, ...columns] })).toThrow(/distinct/);
    expect(() =>
      exportTableOf({ ...oneColumn('text', 'x'), columns: [{ key: 'v', header: '值', kind: 'datetime' as never }] }),
    ).toThrow(/known kind/);
  });

  describe('totals', () => {
    const totalsOf = (table: ReportTable) => exportTableOf(table).totals as ExportCell[];

    it('by default: 合计 in the first column, every money column summed in fen, the rest empty', () => {
      expect(totalsOf(sourcesTable())).toEqual([
        { kind: 'text', text: '合计' },
        { kind: 'empty' },
        { kind: 'money', fen: 123456789n + 20010n + 20n },
        { kind: 'money', fen: 100000000n - 1200n },
        { kind: 'empty' },
        { kind: 'empty' },
      ]);
    });

    it('sums integer columns when asked, and takes given cells and another label', () => {
      const totals = totalsOf(
        sourcesTable({
          totals: {
            label: '总计',
            labelColumn: 'source',
            sumColumns: ['received', 'households'],
            cells: { share: '100.00' },
          },
        }),
      );
      expect(totals).toEqual([
        { kind: 'empty' },
        { kind: 'text', text: '总计' },
        { kind: 'empty' },
        { kind: 'money', fen: 100000000n - 1200n },
        { kind: 'percent', hundredths: 10000n },
        { kind: 'integer', value: 835n },
      ]);
    });

    it('has none unless asked', () => {
      expect(exportTableOf(sourcesTable({ totals: undefined })).totals).toBeNull();
    });

    it('refuses to sum a text or percent column, or to put the label in a money column', () => {
      expect(() => totalsOf(sourcesTable({ totals: { sumColumns: ['share'] } }))).toThrow(/money or integer/);
      expect(() => totalsOf(sourcesTable({ totals: { sumColumns: ['source'] } }))).toThrow(/money or integer/);
      expect(() => totalsOf(sourcesTable({ totals: { labelColumn: 'pledged' } }))).toThrow(/label column/);
      expect(() => totalsOf(sourcesTable({ totals: { cells: { pledged: '1.00' } } }))).toThrow(
        /neither the label nor a given cell/,
      );
    });
  });
});
