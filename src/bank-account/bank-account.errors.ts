import { DomainError } from '../shared/domain/domain-error';

/**
 * Every rule the bank-account decider enforces, and the statement file's refusals, with their
 * stable codes (field checks shared with the project decider keep the project's codes). Each has
 * a spec in test/unit/bank-account.
 */
export const BankAccountErrors = {
  accountNotFound: (id: string) => new DomainError('bank-account-not-found', `bank account ${id} is not recorded`, 404),
  accountExists: (id: string) =>
    new DomainError('bank-account-exists', `bank account ${id} is already recorded`, 409, 'accountId'),
  invalidAccountNo: (value: string) =>
    new DomainError(
      'invalid-account-no',
      `accountNo must be 6 to 40 digits, spaces or hyphens (got "${value}")`,
      400,
      'accountNo',
    ),
  projectListedTwice: (projectId: string) =>
    new DomainError('invalid-field', `projectIds names ${projectId} twice`, 400, 'projectIds'),
  statementEmpty: () => new DomainError('statement-empty', 'the statement holds no transaction line', 422, 'file'),
  nothingNew: () =>
    new DomainError(
      'statement-already-imported',
      'every line of the statement was imported before: nothing to write',
      409,
      'file',
    ),
  balanceBreak: (row: number, expected: string, stated: string, after: string) =>
    new DomainError(
      'statement-balance-break',
      `row ${row}: the running balance breaks: ${after} plus the line gives ${expected}, the statement says ${stated}; nothing was imported`,
      422,
      'file',
    ),
  unreadable: (why: string) =>
    new DomainError('statement-unreadable', `the statement cannot be read: ${why}`, 422, 'file'),
  headersNotFound: (missing: readonly string[]) =>
    new DomainError(
      'statement-headers-not-found',
      `no header row names ${missing.join(', ')} (the columns are found by their names, e.g. 交易日期, 收入金额, 支出金额, 余额)`,
      422,
      'file',
    ),
  badLine: (row: number, why: string) =>
    new DomainError('statement-line-invalid', `row ${row}: ${why}; nothing was imported`, 422, 'file'),
  invalidDecision: (value: string) =>
    new DomainError(
      'invalid-field',
      `decision must be one of confirmed, rejected, manual (got "${value}")`,
      400,
      'decision',
    ),
  matchExists: (id: string) =>
    new DomainError('match-id-exists', `a match decision ${id} is already recorded on this account`, 409, 'matchId'),
  lineNotFound: (lineId: string) =>
    new DomainError('statement-line-not-found', `no statement line ${lineId} on this account`, 422, 'lineIds'),
  lineAlreadyMatched: (lineId: string, matchId: string) =>
    new DomainError(
      'statement-line-already-matched',
      `statement line ${lineId} is already matched by ${matchId}`,
      409,
      'lineIds',
    ),
  entryAlreadyMatched: (entryId: string, matchId: string) =>
    new DomainError(
      'ledger-entry-already-matched',
      `ledger entry ${entryId} is already matched by ${matchId}`,
      409,
      'entries',
    ),
  entriesRequired: () => new DomainError('missing-field', 'a match names at least one ledger entry', 400, 'entries'),
  linesRequired: () => new DomainError('missing-field', 'a match names at least one statement line', 400, 'lineIds'),
  reasonRequired: (decision: string) =>
    new DomainError('match-reason-required', `a ${decision} match needs a reason`, 400, 'reason'),
  entryNotFound: (projectId: string, entryId: string) =>
    new DomainError(
      'ledger-entry-not-found',
      `no receipt or payment ${entryId} of project ${projectId} on this account's projects`,
      422,
      'entries',
    ),
};
