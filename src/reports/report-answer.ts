import { Type, applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';
import { Refuses } from '../http/openapi-responses';
import { QueryParamDoc } from '../http/query-param.decorator';
import { REPORT_CONTENT_TYPES, ReportFileName, downloadFormatOf, reportDownload } from './export/report-download';
import { ReportTable } from './export/report-table';

/** A report's `?format=`: JSON by default, or a file; `files` says what CSV and XLSX hold. */
export function formatParam(files: string): QueryParamDoc {
  return {
    name: 'format',
    description: `${files}; JSON by default`,
    schema: { type: 'string', enum: ['json', ...Object.keys(REPORT_CONTENT_TYPES)] },
  };
}

/** A CSV download's `?encoding=`: UTF-8 with a BOM by default, or GB18030 (csvEncodingOf). */
export const ENCODING_PARAM: QueryParamDoc = {
  name: 'encoding',
  description:
    "with format=csv: utf-8 (default, with a BOM, which Excel needs) or gb18030 (no BOM; Chinese Windows' encoding, for tools that ignore a BOM)",
  schema: { type: 'string', enum: ['utf-8', 'gb18030'] },
};

/** A report's 200: JSON (`json`, with the models it refers to), or with `format` a file to download. */
export function ReportAnswer(json: Type, ...models: Type[]): MethodDecorator {
  return reportAnswer({ $ref: getSchemaPath(json) }, [json, ...models]);
}

/**
 * ReportAnswer of a report with `?view=totals`: its JSON the report, or `totals` (its figures
 * without the rows). anyOf, not oneOf: the totals' members are a part of the report's, so a whole
 * report would match both.
 */
export function ReportOrTotalsAnswer(json: Type, totals: Type, ...models: Type[]): MethodDecorator {
  return reportAnswer({ anyOf: [{ $ref: getSchemaPath(json) }, { $ref: getSchemaPath(totals) }] }, [
    json,
    totals,
    ...models,
  ]);
}

function reportAnswer(schema: object, models: Type[]): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(...models),
    ApiOkResponse({
      description: 'the report as JSON; with format=csv or format=xlsx, the file (Content-Disposition names it)',
      headers: {
        'Content-Disposition': {
          description: 'with format=csv or xlsx: attachment, with the file name in Chinese (filename*) and ASCII',
          schema: { type: 'string' },
        },
      },
      content: {
        'application/json': { schema },
        ...Object.fromEntries(
          Object.values(REPORT_CONTENT_TYPES).map((type) => [
            type.split(';')[0],
            { schema: { type: 'string', format: 'binary' } },
          ]),
        ),
      },
    }),
    Refuses({ 400: ['invalid-format', 'invalid-encoding'] }),
  );
}

/**
 * A report as JSON, or as a download: CSV holds its first table (the detail, or the list of
 * exceptions `file` gives for CSV), XLSX every table, a sheet each. The format and encoding are
 * checked before any work.
 */
export async function answerReport<R>(
  [format, encoding]: [string | undefined, string | undefined],
  load: () => Promise<R>,
  file: (report: R, as: 'csv' | 'xlsx') => [ReportFileName, ReportTable[]] | Promise<[ReportFileName, ReportTable[]]>,
  json: (report: R) => unknown = (r) => r,
) {
  const { as, csvEncoding } = downloadFormatOf([format, encoding]);
  const report = await load();
  if (as === 'json') return json(report);
  const [name, tables] = await file(report, as);
  return reportDownload(as, name, as === 'csv' ? tables.slice(0, 1) : tables, { encoding: csvEncoding });
}
