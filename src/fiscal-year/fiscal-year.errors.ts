import { DomainError } from '../shared/domain/domain-error';

/** Every rule of closing and reopening a year, and the refusal of an entry dated in a closed one. Each has a spec in test/unit/fiscal-year. */
export const FiscalYearErrors = {
  alreadyClosed: (year: number, closedOn: string) =>
    new DomainError('year-already-closed', `fiscal year ${year} was closed on ${closedOn}`, 409, 'fiscalYear'),
  notClosed: (year: number) =>
    new DomainError('year-not-closed', `fiscal year ${year} is not closed: nothing to reopen`, 409, 'fiscalYear'),
  notEnded: (year: number, today: string) =>
    new DomainError(
      'year-not-ended',
      `fiscal year ${year} cannot be closed on ${today}: a year is closed once it has ended`,
      409,
      'fiscalYear',
    ),
  reasonRequired: () =>
    new DomainError('reopen-reason-required', 'reopening a closed year needs a reason', 400, 'reason'),
  /** An entry dated in a closed year; `field` is the date that puts it there (receivedOn, paidOn, ...). */
  yearClosed: (year: number, field: string, date: string) =>
    new DomainError(
      'year-closed',
      `fiscal year ${year} is closed (年终结账): ${field} ${date} falls in it; reopen the year, with a reason, to write it`,
      409,
      field,
    ),
};
