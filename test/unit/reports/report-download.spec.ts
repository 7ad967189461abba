/**
 * Serving a report as a file: `?format=` chooses JSON, CSV or XLSX (anything else is 400
 * invalid-format); the file goes out with its Content-Type and `Content-Disposition: attachment`
 * naming it in Chinese (filename*, RFC 8187) with an ASCII fallback, through a real Nest app.
 * `?encoding=gb18030` has a CSV in GB18030 (charset=gb18030, no BOM); another encoding is 400
 * invalid-encoding naming the parameter.
 */
import 'reflect-metadata';
import { Controller, Get, INestApplication, Module, Query, StreamableFile } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Workbook } from 'exceljs';
import iconv from 'iconv-lite';
import { ErrorFilter } from '../../../src/http/error.filter';
import { DomainError } from '../../../src/shared/domain/domain-error';
import {
  REPORT_CONTENT_TYPES,
  attachmentDisposition,
  csvEncodingOf,
  reportDownload,
  reportFile,
  reportFormatOf,
} from '../../../src/reports/export/report-download';
import { readCsv, sourcesTable } from './report-fixtures';

/** The name in `filename*=UTF-8''…`, decoded. */
const utf8NameOf = (disposition: string) => decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(disposition)![1]);

describe('reportFormatOf', () => {
  it.each([
    [undefined, 'json'],
    ['', 'json'],
    ['json', 'json'],
    ['csv', 'csv'],
    ['xlsx', 'xlsx'],
  ])('reads %j as %s', (query, format) => {
    expect(reportFormatOf(query)).toBe(format);
  });

  it.each(['pdf', 'CSV', 'xls', ['csv', 'xlsx']])('refuses %j with 400 invalid-format', (query) => {
    const error = (() => {
      try {
        reportFormatOf(query);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'invalid-format', status: 400, field: 'format' });
  });
});

describe('csvEncodingOf', () => {
  it.each([
    [undefined, 'utf-8'],
    ['', 'utf-8'],
    ['utf-8', 'utf-8'],
    ['UTF8', 'utf-8'],
    ['gb18030', 'gb18030'],
    ['GB18030', 'gb18030'],
    ['gbk', 'gb18030'],
  ])('reads %j as %s', (query, encoding) => {
    expect(csvEncodingOf(query)).toBe(encoding);
  });

  it.each(['latin1', 'big5', 'gb2312 ', ['gb18030', 'gb18030']])('refuses %j with 400 invalid-encoding', (query) => {
    expect(() => csvEncodingOf(query)).toThrow(DomainError);
    try {
      csvEncodingOf(query);
    } catch (e) {
      expect(e).toMatchObject({ code: 'invalid-encoding', status: 400, field: 'encoding' });
      expect((e as Error).message).toMatch(/encoding must be utf-8 or gb18030/);
    }
  });
});

describe('attachmentDisposition', () => {
  const disposition = attachmentDisposition("资金来源到位表 (2023年)'*.xlsx", 'funding-sources-2023.xlsx');

  it('is ASCII only, as a header value must be', () => {
    expect(disposition).toMatch(/^[\x20-\x7e]+$/);
  });

  it('names the file in UTF-8, percent-encoded with only RFC 8187 attr-chars, and in ASCII', () => {
    expect(disposition.startsWith('attachment; filename="funding-sources-2023.xlsx"; ')).toBe(true);
    const encoded = /filename\*=UTF-8''(.+)$/.exec(disposition)![1];
    expect(encoded).toMatch(/^([A-Za-z0-9!#$&+\-.^_`|~]|%[0-9A-F]{2})+$/);
    expect(utf8NameOf(disposition)).toBe("资金来源到位表 (2023年)'*.xlsx");
  });

  it('refuses a fallback that is not plain ASCII, and a name with a path or a quote in it', () => {
    expect(() => attachmentDisposition('表.csv', '表.csv')).toThrow(/ASCII/);
    expect(() => attachmentDisposition('a/b.csv', 'ab.csv')).toThrow(/slash/);
    expect(() => attachmentDisposition('a"b.csv', 'ab.csv')).toThrow(/quote/);
  });
});

describe('reportFile', () => {
  const name = { title: '资金来源到位表', ascii: 'funding-sources' };

  it('makes a CSV file of one table, and refuses several', async () => {
    const file = await reportFile('csv', name, [sourcesTable()]);
    expect(file.contentType).toBe('text/csv; charset=utf-8');
    expect(utf8NameOf(file.contentDisposition)).toBe('资金来源到位表.csv');
    expect(file.contentDisposition).toContain('filename="funding-sources.csv"');
    await expect(reportFile('csv', name, [sourcesTable(), sourcesTable({ sheetName: '汇总' })])).rejects.toThrow(
      /exactly one table/,
    );
  });

  it('makes a GB18030 CSV file when asked, its charset saying so', async () => {
    const file = await reportFile('csv', name, [sourcesTable()], { encoding: 'gb18030' });
    expect(file.contentType).toBe('text/csv; charset=gb18030');
    expect(iconv.decode(file.body, 'gb18030').startsWith('项目编号,资金来源')).toBe(true);
  });

  it('makes an XLSX workbook of every table', async () => {
    const file = await reportFile('xlsx', name, [sourcesTable({ sheetName: '汇总' }), sourcesTable()]);
    expect(file.contentType).toBe(REPORT_CONTENT_TYPES.xlsx);
    expect(utf8NameOf(file.contentDisposition)).toBe('资金来源到位表.xlsx');
    const workbook = new Workbook();
    await workbook.xlsx.load(file.body as never);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['汇总', '资金来源明细']);
  });
});

/** A controller shaped like the report controllers: JSON by default, a file on ?format=. */
@Controller('api/reports')
class SourcesReportController {
  @Get('sources')
  async sources(
    @Query('format') formatQuery: unknown,
    @Query('encoding') encodingQuery: unknown,
  ): Promise<object | StreamableFile> {
    const format = reportFormatOf(formatQuery);
    const encoding = csvEncodingOf(encodingQuery);
    const detail = sourcesTable();
    if (format === 'json') return { rows: detail.rows };
    const tables = format === 'csv' ? [detail] : [sourcesTable({ sheetName: '按层级汇总' }), detail];
    return reportDownload(format, { title: '资金来源到位表-2023', ascii: 'funding-sources-2023' }, tables, {
      encoding,
    });
  }
}

@Module({ controllers: [SourcesReportController] })
class SourcesReportModule {}

describe('a Nest controller serving a report', () => {
  let app: INestApplication;
  let url: string;
  beforeAll(async () => {
    app = await NestFactory.create(SourcesReportModule, { logger: false });
    app.useGlobalFilters(new ErrorFilter());
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}/api/reports/sources`;
  });
  afterAll(() => app.close());

  it('sends CSV as an attachment with its type, names and length, BOM and all', async () => {
    const res = await fetch(`${url}?format=csv`);
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(utf8NameOf(res.headers.get('content-disposition')!)).toBe('资金来源到位表-2023.csv');
    expect(res.headers.get('content-disposition')).toContain('filename="funding-sources-2023.csv"');
    expect(Number(res.headers.get('content-length'))).toBe(body.length);
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(readCsv(body)[0][0]).toBe('项目编号');
  });

  it('sends XLSX that opens with both sheets', async () => {
    const res = await fetch(`${url}?format=xlsx`);
    expect(res.headers.get('content-type')).toBe(REPORT_CONTENT_TYPES.xlsx);
    expect(utf8NameOf(res.headers.get('content-disposition')!)).toBe('资金来源到位表-2023.xlsx');
    const workbook = new Workbook();
    await workbook.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['按层级汇总', '资金来源明细']);
  });

  it('answers JSON without a format, and 400 invalid-format for an unknown one', async () => {
    const json = await fetch(url);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await json.json()) as { rows: unknown[] }).rows).toHaveLength(3);
    const bad = await fetch(`${url}?format=pdf`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid-format', field: 'format' });
  });

  it('sends CSV in GB18030 without a BOM on ?encoding=gb18030, and 400 invalid-encoding for another', async () => {
    const res = await fetch(`${url}?format=csv&encoding=gb18030`);
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.headers.get('content-type')).toBe('text/csv; charset=gb18030');
    expect([...body.subarray(0, 2)]).toEqual([0xcf, 0xee]); // 项 in GBK, no BOM before it
    expect(iconv.decode(body, 'gb18030').split('\r\n')[0]).toBe(
      '项目编号,资金来源,承诺金额（元）,到位金额（元）,占比（%）,户数',
    );
    const bad = await fetch(`${url}?format=csv&encoding=big5`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid-encoding', field: 'encoding' });
  });
});
