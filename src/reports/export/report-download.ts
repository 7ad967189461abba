import { StreamableFile } from '@nestjs/common';
import { DomainError, assert } from '../../shared/domain/domain-error';
import { toCsv } from './report-csv';
import { ReportTable } from './report-table';
import { XlsxOptions, toXlsx } from './report-xlsx';

/** How a report is served: `?format=` absent (JSON), `csv` or `xlsx`. */
export type ReportFormat = 'json' | 'csv' | 'xlsx';
export type ReportFileFormat = Exclude<ReportFormat, 'json'>;

export const REPORT_CONTENT_TYPES: Readonly<Record<ReportFileFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

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
 * The file for a report: CSV holds exactly one table, XLSX one sheet per table. For a report of
 * several tables, a controller hands CSV the one a flat file should carry (the detail).
 */
export async function reportFile(
  format: ReportFileFormat,
  name: ReportFileName,
  tables: readonly ReportTable[],
  options: XlsxOptions = {},
): Promise<ReportFile> {
  assert(format !== 'csv' || tables.length === 1, `a CSV file holds exactly one table (got ${tables.length})`);
  const body = format === 'csv' ? toCsv(tables[0]) : await toXlsx(tables, options);
  return {
    body,
    contentType: REPORT_CONTENT_TYPES[format],
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
  options: XlsxOptions = {},
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
