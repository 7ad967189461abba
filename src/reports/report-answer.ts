import { Type, applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';
import { Refuses } from '../http/openapi-responses';
import { QueryParamDoc } from '../http/query-param.decorator';
import { REPORT_CONTENT_TYPES } from './export/report-download';

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
  return applyDecorators(
    ApiExtraModels(json, ...models),
    ApiOkResponse({
      description: 'the report as JSON; with format=csv or format=xlsx, the file (Content-Disposition names it)',
      headers: {
        'Content-Disposition': {
          description: 'with format=csv or xlsx: attachment, with the file name in Chinese (filename*) and ASCII',
          schema: { type: 'string' },
        },
      },
      content: {
        'application/json': { schema: { $ref: getSchemaPath(json) } },
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
