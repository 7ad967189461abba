import { StreamableFile } from '@nestjs/common';
import { DomainError, assert } from '../../shared/domain/domain-error';
import { CSV_ENCODINGS, CsvEncoding, toCsv } from './report-csv';
import { ReportTable } from './report-table';
import { XlsxOptions, toXlsx } from './report-xlsx';

/** How a report is served: `?format=` absent (JSON), `csv` or `xlsx`. */
export type ReportFormat = 'json' | 'csv' | 'xlsx';
export type ReportFileFormat = Exclude<ReportFormat, 'json'>;

export const REPORT_CONTENT_TYPES: Readonly<Record<ReportFileFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
const CSV_CONTENT_TYPES: Readonly<Record<CsvEncoding, string>> = {
  'utf-8': REPORT_CONTENT_TYPES.csv,
  gb18030: 'text/csv; charset=gb18030',
};

/** How a download is written: today only a CSV file's encoding (an XLSX file is always UTF-8 XML). */
export interface DownloadOptions extends XlsxOptions {
  /** Default UTF-8 with a BOM. */
  readonly encoding?: CsvEncoding;
}

/** A download's name, without its extension: the Chinese one, and an ASCII one for old clients. */
export interface ReportFileName {
  /** e.g. '资金来源到位表-2023'. */
  readonly title: string;
  /** e.g. 'funding-sources-2023': letters, digits, '.', '_' and '-'. */
  readonly ascii: string;
}

export interface ReportFile {
  readonly body: Buffer;
  readonly contentType: string;
  readonly contentDisposition: string;
}

/** Reads `?format=`: absent or empty is JSON; anything but csv or xlsx is 400 `invalid-format`. */
export function reportFormatOf(format: unknown): ReportFormat {
  if (format === undefined || format === '' || format === 'json') return 'json';
  if (format === 'csv' || format === 'xlsx') return format;
  throw new DomainError(
    'invalid-format',
    `format must be json, csv or xlsx (got ${JSON.stringify(format)})`,
    400,
    'format',
  );
}

/**
 * Reads `?encoding=` of a CSV download: absent or empty is UTF-8 (with a BOM), `gb18030` (any case;
 * `gbk` too, which GB18030 contains) the Chinese national encoding; anything else is 400
 * `invalid-encoding`. Checked whatever the format, so a mistyped parameter is never ignored silently.
 */
export function csvEncodingOf(encoding: unknown): CsvEncoding {
  if (encoding === undefined || encoding === '') return 'utf-8';
  const named = typeof encoding === 'string' ? encoding.toLowerCase() : '';
  if (named === 'utf-8' || named === 'utf8') return 'utf-8';
  if (named === 'gb18030' || named === 'gbk') return 'gb18030';
  throw new DomainError(
    'invalid-encoding',
    `encoding must be ${CSV_ENCODINGS.join(' or ')} (got ${JSON.stringify(encoding)})`,
    400,
    'encoding',
  );
}

/**
 * `?format=` and `?encoding=` read together: the encoding is a CSV file's, so one given with any
 * other format (JSON, XLSX, a totals view) is refused as `invalid-encoding` naming it, rather than
 * ignored (a clerk who asked for GB18030 and got UTF-8 JSON would not know why).
 */
export function downloadFormatOf([format, encoding]: [unknown, unknown]): {
  as: ReportFormat;
  csvEncoding: CsvEncoding;
} {
  const as = reportFormatOf(format);
  const csvEncoding = csvEncodingOf(encoding);
  if (encoding !== undefined && encoding !== '' && as !== 'csv')
    throw new DomainError(
      'invalid-encoding',
      `encoding is a CSV file's: give it with format=csv, or leave it out (format is ${as})`,
      400,
      'encoding',
    );
  return { as, csvEncoding };
}

/**
 * The file for a report: CSV holds exactly one table, XLSX one sheet per table. For a report of
 * several tables, a controller hands CSV the one a flat file should carry (the detail).
 */
export async function reportFile(
  format: ReportFileFormat,
  name: ReportFileName,
  tables: readonly ReportTable[],
  options: DownloadOptions = {},
): Promise<ReportFile> {
  assert(format !== 'csv' || tables.length === 1, `a CSV file holds exactly one table (got ${tables.length})`);
  const encoding = options.encoding ?? 'utf-8';
  const body = format === 'csv' ? toCsv(tables[0], encoding) : await toXlsx(tables, options);
  return {
    body,
    contentType: format === 'csv' ? CSV_CONTENT_TYPES[encoding] : REPORT_CONTENT_TYPES[format],
    contentDisposition: attachmentDisposition(`${name.title}.${format}`, `${name.ascii}.${format}`),
  };
}

/**
 * The same as a Nest answer: return it from the handler, and Nest sends it with its Content-Type,
 * Content-Disposition and Content-Length.
 */
export async function reportDownload(
  format: ReportFileFormat,
  name: ReportFileName,
  tables: readonly ReportTable[],
  options: DownloadOptions = {},
): Promise<StreamableFile> {
  const file = await reportFile(format, name, tables, options);
  return new StreamableFile(file.body, {
    type: file.contentType,
    disposition: file.contentDisposition,
    length: file.body.length,
  });
}

/**
 * `attachment; filename="<ascii>"; filename*=UTF-8''<percent-encoded>` (RFC 6266, RFC 8187):
 * browsers take the UTF-8 name, older clients the ASCII one. The header itself stays ASCII, as
 * Node requires of a header value.
 */
export function attachmentDisposition(fileName: string, asciiFallback: string): string {
  assert(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(asciiFallback),
    `an ASCII file name is letters, digits, '.', '_' and '-' (got "${asciiFallback}")`,
  );
  assert(
    fileName.length >= 1 && fileName.length <= 128 && !/[\u0000-\u001f\u007f/\\"]/.test(fileName),
    `a file name has 1 to 128 characters and no control character, slash, backslash or quote (got ${JSON.stringify(fileName)})`,
  );
  return `attachment; filename="${asciiFallback}"; filename*=UTF-8''${rfc8187Encoded(fileName)}`;
}

/** encodeURIComponent leaves ' ( ) * as they are; RFC 8187's attr-char does not allow them. */
function rfc8187Encoded(text: string): string {
  return encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
