import { DomainError } from '../shared/domain/domain-error';

/**
 * Every rule the treasury-file decider enforces, and the file reader's refusals, with their stable
 * codes. Each has a spec in test/unit/treasury-file.
 */
export const TreasuryFileErrors = {
  empty: () => new DomainError('treasury-file-empty', 'the treasury file holds no payment line', 422, 'file'),
  nothingNew: () =>
    new DomainError(
      'treasury-file-already-imported',
      'every line of the treasury file was imported before (same 支付凭证号): nothing to write',
      409,
      'file',
    ),
  unreadable: (why: string) =>
    new DomainError('treasury-file-unreadable', `the treasury file cannot be read: ${why}`, 422, 'file'),
  headersNotFound: () =>
    new DomainError(
      'treasury-file-headers-not-found',
      'no header row names 支付凭证号, 收款人, 金额 and 支付日期 (the columns are found by their names, not their places)',
      422,
      'file',
    ),
  badLine: (row: number, why: string) =>
    new DomainError('treasury-file-line-invalid', `row ${row}: ${why}; nothing was imported`, 422, 'file'),
};
