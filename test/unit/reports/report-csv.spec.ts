/**
 * CSV export: UTF-8 with a BOM (so Excel reads the Chinese), the Chinese headers, RFC 4180 quoting
 * with CRLF line ends, a guard against formula injection in text cells only, and amounts as plain
 * exact decimals, with a 合计 row summed in fen. On request GB18030 with no BOM, for tools that read
 * Chinese Windows' encoding and ignore a BOM (issue 18 point 8). Dates and years as written.
 */
import iconv from 'iconv-lite';
import { formatFen, fenOfStored } from '../../../src/shared/money/money';
import { toCsv } from '../../../src/reports/export/report-csv';
import { ReportTable } from '../../../src/reports/export/report-table';
import { readCsv, sourcesTable } from './report-fixtures';

const textTable = (texts: string[], money: string[] = texts.map(() => '1.00')): ReportTable => ({
  sheetName: '文本',
  columns: [
    { key: 'note', header: '备注', kind: 'text' },
    { key: 'amount', header: '金额（元）', kind: 'money' },
  ],
  rows: texts.map((note, i) => ({ note, amount: money[i] })),
});

describe('toCsv', () => {
  it('starts with the UTF-8 byte order mark', () => {
    const csv = toCsv(sourcesTable());
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('opens with the Chinese headers, in column order', () => {
    const table = sourcesTable();
    expect(readCsv(toCsv(table))[0]).toEqual(table.columns.map((c) => c.header));
    expect(toCsv(table).toString('utf8')).toContain('项目编号,资金来源,承诺金额（元）');
  });

  it('ends every record with CRLF, and has no bare LF outside a quoted field', () => {
    const text = toCsv(sourcesTable()).toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    // readCsv refuses a bare CR or LF outside quotes; the table has a cell with a newline in it.
    const records = readCsv(toCsv(sourcesTable()));
    expect(records).toHaveLength(1 + 3 + 1);
    expect(records.every((r) => r.length === 6)).toBe(true);
  });

  it('quotes a field holding a comma, a quote or a newline, doubling its quotes (RFC 4180)', () => {
    const texts = ['区级配套, 含"以奖代补"', '居民出资\n（第二批）', 'a\r\nb', '"', 'plain 普通'];
    const csv = toCsv(textTable(texts));
    expect(
      readCsv(csv)
        .slice(1)
        .map((r) => r[0]),
    ).toEqual(texts);
    const raw = csv.toString('utf8');
    expect(raw).toContain('"区级配套, 含""以奖代补"""');
    expect(raw).toContain('"居民出资\n（第二批）"');
    expect(raw).toContain('\r\nplain 普通,');
  });

  it.each([
    '=SUM(A1:A9)',
    '+86 138',
    '-2+3',
    '@cmd',
    '\t=1',
    '\r=1',
    '=HYPERLINK("http://x","点击")',
    ' =1+1',
    '  @SUM(A1)',
    '\n=1',
    '\n-2',
    ' \t+3',
    '\u3000=1',
  ])('puts an apostrophe before text that a spreadsheet would run as a formula: %j', (text) => {
    const [, [field]] = readCsv(toCsv(textTable([text])));
    expect(field).toBe(`'${text}`);
  });

  it('leaves text alone that only holds a formula character later on', () => {
    const texts = ['a=b', '潼南-凉风垭', 'x =1', '1+1', ' 1-2'];
    expect(
      readCsv(toCsv(textTable(texts)))
        .slice(1)
        .map((r) => r[0]),
    ).toEqual(texts);
  });

  it('writes money as plain exact decimals: no apostrophe on negatives, no separators, no quotes', () => {
    const amounts = ['-12.00', '1234567.89', '0.10', '999999999999.99', '-0.01', '100000000000000.00'];
    const csv = toCsv(
      textTable(
        amounts.map(() => 'x'),
        amounts,
      ),
    );
    expect(
      readCsv(csv)
        .slice(1)
        .map((r) => r[1]),
    ).toEqual(amounts);
    for (const amount of amounts) expect(csv.toString('utf8')).toContain(`,${amount}\r\n`);
  });

  it('writes percents and integers plain, and an empty cell as an empty field', () => {
    const [, first, , third] = readCsv(toCsv(sourcesTable()));
    expect(first.slice(4)).toEqual(['43.40', '820']);
    expect(third.slice(3)).toEqual(['', '', '']);
  });

  it('ends with a 合计 row whose amounts are the exact sums in fen', () => {
    const table = sourcesTable();
    const records = readCsv(toCsv(table));
    const totals = records[records.length - 1];
    const fenSum = (key: string) =>
      formatFen(table.rows.reduce((s, r) => s + (r[key] === null ? 0n : fenOfStored(r[key] as string)), 0n));
    expect(totals).toEqual(['合计', '', fenSum('pledged'), fenSum('received'), '', '']);
  });

  it('follows the 合计 with its 其中 rows as given, in the label column, never summed into it', () => {
    const parts = [
      { label: '其中：现金', cells: { received: '900.00' } },
      { label: '其中：实物/投工投劳', cells: { received: '87.99' } },
    ];
    const plain = readCsv(toCsv(sourcesTable()));
    const records = readCsv(toCsv(sourcesTable({ totals: { parts } })));
    expect(records.slice(0, -2)).toEqual(plain);
    expect(records.slice(-2)).toEqual([
      ['其中：现金', '', '', '900.00', '', ''],
      ['其中：实物/投工投劳', '', '', '87.99', '', ''],
    ]);
  });

  it('leaves the title out, so the file starts with its header', () => {
    expect(readCsv(toCsv(sourcesTable({ title: '2023年度资金来源到位表' })))[0][0]).toBe('项目编号');
  });
});

describe('toCsv in GB18030', () => {
  const table = (notes: string[]): ReportTable => ({ ...textTable(notes), sheetName: '文本' });

  it('has no BOM, and reads back through a GB18030 decoder as the UTF-8 file does', () => {
    const gb = toCsv(sourcesTable(), 'gb18030');
    const utf8 = toCsv(sourcesTable());
    expect([...gb.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    expect(iconv.decode(gb, 'gb18030')).toBe(utf8.toString('utf8').replace(/^\uFEFF/, ''));
  });

  it('writes the Chinese as GBK bytes, so a GBK reader shows them', () => {
    const gb = toCsv(table(['项目编号']), 'gb18030');
    expect(gb.subarray(0, 4)).toEqual(Buffer.from([0xb1, 0xb8, 0xd7, 0xa2])); // 备注 in GBK
    expect(iconv.decode(gb, 'gbk').startsWith('备注,金额（元）\r\n项目编号,1.00')).toBe(true);
  });

  it('keeps a character GBK lacks (GB18030 encodes all of Unicode): a rare name survives', () => {
    const rare = '𠀀𡈽村 €';
    expect(iconv.decode(toCsv(table([rare]), 'gb18030'), 'gb18030')).toContain(rare);
  });

  it('writes dates and years as their text', () => {
    const dated: ReportTable = {
      sheetName: '日期',
      columns: [
        { key: 'on', header: '日期', kind: 'date' },
        { key: 'year', header: '年度', kind: 'year' },
      ],
      rows: [{ on: '2023-12-29', year: 2023 }],
    };
    expect(readCsv(toCsv(dated))[1]).toEqual(['2023-12-29', '2023']);
  });
});
