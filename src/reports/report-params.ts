/** The reports' query parameters, checked before any work: a bad one is 400 `invalid-query` naming it. */
import { BATCH_SOURCES, isBatchSource } from '../project/funding-sources';
import { FISCAL_YEAR_MAX, FISCAL_YEAR_MIN } from '../shared/domain/input-rules';
import { DomainError } from '../shared/domain/domain-error';
import type { QueryParamDoc } from '../http/query-param.decorator';
import { DEFAULT_IDLE_DAYS } from './idle-money';
import { downloadFormatOf } from './export/report-download';

/** A limit on everything: a hundred years. */
const IDLE_DAYS_MAX = 36_500;

/** Each parameter as the OpenAPI document describes it, with the bounds its check holds it to. */
export const FISCAL_YEAR_PARAM: QueryParamDoc = {
  name: 'fiscalYear',
  description: 'one fiscal year (calendar year); all years by default',
  schema: { type: 'integer', minimum: FISCAL_YEAR_MIN, maximum: FISCAL_YEAR_MAX, example: 2021 },
};
export const IDLE_DAYS_PARAM: QueryParamDoc = {
  name: 'idleDays',
  description: `days unpaid after receipt from which money counts as idle (RF-14); default ${DEFAULT_IDLE_DAYS}`,
  schema: { type: 'integer', minimum: 1, maximum: IDLE_DAYS_MAX, default: DEFAULT_IDLE_DAYS },
};
export const BATCH_SOURCE_PARAM: QueryParamDoc = {
  name: 'source',
  description: 'only the batches of this source',
  schema: { type: 'string', enum: [...BATCH_SOURCES] },
};

/** `view=totals`: a report's figures without its detail rows (the overview's reads, issue 19 point 9). */
export function viewParam(leftOut: string): QueryParamDoc {
  return {
    name: 'view',
    description: `totals: the same figures without ${leftOut} (JSON only; with format, 400 invalid-query); the whole report by default`,
    schema: { type: 'string', enum: ['totals'] },
  };
}

/**
 * Whether `view=totals` was asked for (with no file format: the totals are JSON only); `format`
 * and `encoding` are checked as the whole report checks them, so a bad one is refused either way.
 */
export function totalsViewParam(
  value: string | undefined,
  [format, encoding]: [string | undefined, string | undefined],
): boolean {
  if (value === undefined || value === '') return false;
  if (value !== 'totals') throw invalid('view', `view must be totals, or left out for the whole report (got ${value})`);
  if (downloadFormatOf([format, encoding]).as !== 'json')
    throw invalid('view', `view=totals answers JSON only: leave out format=${format}, or view for the file`);
  return true;
}

function invalid(field: string, message: string): DomainError {
  return new DomainError('invalid-query', message, 400, field);
}

export function fiscalYearParam(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  const year = /^\d{4}$/.test(value) ? Number(value) : NaN;
  if (!(year >= FISCAL_YEAR_MIN && year <= FISCAL_YEAR_MAX))
    throw invalid(
      'fiscalYear',
      `fiscalYear must be a year from ${FISCAL_YEAR_MIN} to ${FISCAL_YEAR_MAX} (got ${value})`,
    );
  return year;
}

export function idleDaysParam(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_IDLE_DAYS;
  const days = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(days >= 1 && days <= IDLE_DAYS_MAX))
    throw invalid('idleDays', `idleDays must be a whole number of days from 1 to ${IDLE_DAYS_MAX} (got ${value})`);
  return days;
}

export function batchSourceParam(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  if (!isBatchSource(value))
    throw invalid(
      'source',
      `source must be one of the sources that come in batches: ${BATCH_SOURCES.join(', ')} (got ${value})`,
    );
  return value;
}
