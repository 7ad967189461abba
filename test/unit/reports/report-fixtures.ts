import { ReportTable } from '../../../src/reports/export/report-table';

/** A small 资金来源到位表-like table: every kind of column, and text that needs care in CSV. */
export function sourcesTable(overrides: Partial<ReportTable> = {}): ReportTable {
  return {
    sheetName: '资金来源明细',
    columns: [
      { key: 'projectId', header: '项目编号', kind: 'text' },
      { key: 'source', header: '资金来源', kind: 'text' },
      { key: 'pledged', header: '承诺金额（元）', kind: 'money' },
      { key: 'received', header: '到位金额（元）', kind: 'money' },
      { key: 'share', header: '占比（%）', kind: 'percent' },
      { key: 'households', header: '户数', kind: 'integer' },
    ],
    rows: [
      {
        projectId: 'TN2021-001',
        source: '中央补助资金',
        pledged: '1234567.89',
        received: '1000000.00',
        share: '43.40',
        households: 820,
      },
      {
        projectId: 'TN2021-001',
        source: '区级配套, 含"以奖代补"',
        pledged: '200.10',
        received: '-12.00',
        share: '0.05',
        households: '15',
      },
      {
        projectId: 'TN2021-002',
        source: '居民出资\n（第二批）',
        pledged: '0.20',
        received: null,
        share: null,
        households: null,
      },
    ],
    totals: true,
    ...overrides,
  };
}

/**
 * A reader of RFC 4180 CSV written for the tests, apart from the code under test: quoted fields
 * with doubled quotes, CRLF records. Returns the records and the raw text after the BOM.
 */
export function readCsv(csv: Buffer): string[][] {
  const text = csv.toString('utf8').replace(/^\uFEFF/, '');
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') ((field += '"'), i++);
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') {
      if (field !== '') throw new Error(`a quote inside an unquoted field at ${i}`);
      quoted = true;
    } else if (ch === ',') {
      (record.push(field), (field = ''));
    } else if (ch === '\r' && text[i + 1] === '\n') {
      (record.push(field), records.push(record), (record = []), (field = ''), i++);
    } else if (ch === '\r' || ch === '\n') {
      throw new Error(`a bare ${JSON.stringify(ch)} outside quotes at ${i}: records end in CRLF`);
    } else {
      field += ch;
    }
  }
  if (quoted) throw new Error('an unterminated quoted field');
  if (field !== '' || record.length > 0) throw new Error('the last record does not end in CRLF');
  return records;
}
