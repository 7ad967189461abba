/**
 * The input rules every door applies to ids, free text, dates and fiscal years: the HTTP DTOs
 * judge a body's shape with them (src/http/validation.ts), and the deciders hold them again on
 * every command, whatever door it came through (HTTP, a flow between streams, a test). One set
 * of constants and of messages, so the two can never disagree on what a valid id or date is.
 */
import { DomainError } from './domain-error';

/** An id goes into stream names, URLs and exports unchanged. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const ID_RULE = "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit";

/** Free text: names, payers, payees, references, vouchers, reasons, document numbers. */
export const TEXT_MAX = 200;

/** A business date (receivedOn, paidOn, ...): a real calendar date written YYYY-MM-DD. */
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
export const DATE_RULE = 'must be a date written YYYY-MM-DD';

/** Fiscal year = calendar year (预算法 art.18): the years the ledger takes (also the reports' range). */
export const FISCAL_YEAR_MIN = 2000;
export const FISCAL_YEAR_MAX = 2100;

/** The year a project's buildings were built. */
export const BUILT_YEAR_MIN = 1900;
export const BUILT_YEAR_MAX = 2100;

export const InputErrors = {
  invalidDate: (field: string, value: unknown) =>
    new DomainError('invalid-date', `${field} ${DATE_RULE} (got ${String(value)})`, 400, field),
  invalidFiscalYear: (value: unknown) =>
    new DomainError(
      'invalid-fiscal-year',
      `fiscalYear must be a year between ${FISCAL_YEAR_MIN} and ${FISCAL_YEAR_MAX} (got ${String(value)})`,
      400,
      'fiscalYear',
    ),
  invalidText: (field: string) =>
    new DomainError(
      'invalid-field',
      `${field} must be a non-empty string of at most ${TEXT_MAX} characters`,
      400,
      field,
    ),
  invalidId: (field: string, value: string) =>
    new DomainError('invalid-id', `${field} ${ID_RULE} (got ${value})`, 400, field),
};

/** True for a real calendar date written YYYY-MM-DD (2021-02-30 is refused). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE_PATTERN.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export function checkId(field: string, value: unknown): void {
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) throw InputErrors.invalidId(field, String(value));
}

export function checkText(field: string, value: unknown): void {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > TEXT_MAX)
    throw InputErrors.invalidText(field);
}

export function checkDate(field: string, value: unknown): void {
  if (!isCalendarDate(value)) throw InputErrors.invalidDate(field, value);
}

export function checkFiscalYear(value: unknown): void {
  if (!Number.isInteger(value) || (value as number) < FISCAL_YEAR_MIN || (value as number) > FISCAL_YEAR_MAX)
    throw InputErrors.invalidFiscalYear(value);
}
