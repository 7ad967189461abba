import { DomainError } from '../../../src/shared/domain/domain-error';
import { BankAccountErrors as E } from '../../../src/bank-account/bank-account.errors';

describe('the stable error codes of bank accounts', () => {
  // Clients match on these codes, so they never change. A new error adds a row here, and a spec
  // in bank-account.decider.spec.ts, statement-file.spec.ts or the e2e spec that breaks its rule.
  const published: Array<[error: DomainError, code: string, status: number, field: string | undefined]> = [
    [E.accountNotFound('ZH-1'), 'bank-account-not-found', 404, undefined],
    [E.accountExists('ZH-1'), 'bank-account-exists', 409, 'accountId'],
    [E.invalidAccountNo('x'), 'invalid-account-no', 400, 'accountNo'],
    [E.statementEmpty(), 'statement-empty', 422, 'file'],
    [E.nothingNew(), 'statement-already-imported', 409, 'file'],
    [E.balanceBreak(7, '1.00', '2.00', '0.00'), 'statement-balance-break', 422, 'file'],
    [E.unreadable('x'), 'statement-unreadable', 422, 'file'],
    [E.headersNotFound(['余额']), 'statement-headers-not-found', 422, 'file'],
    [E.badLine(7, 'x'), 'statement-line-invalid', 422, 'file'],
    [E.matchExists('M1'), 'match-id-exists', 409, 'matchId'],
    [E.lineNotFound('L1'), 'statement-line-not-found', 422, 'lineIds'],
    [E.lineAlreadyMatched('L1', 'M1'), 'statement-line-already-matched', 409, 'lineIds'],
    [E.entryAlreadyMatched('R1', 'M1'), 'ledger-entry-already-matched', 409, 'entries'],
    [E.reasonRequired('manual'), 'match-reason-required', 400, 'reason'],
    [E.entryNotFound('TN-1', 'R1'), 'ledger-entry-not-found', 422, 'entries'],
  ];

  it.each(published)('%p is %s (%s)', (error, code, status, field) => {
    expect({ code: error.code, status: error.status, field: error.field }).toEqual({ code, status, field });
  });

  it('names the row of a statement in its message', () => {
    expect(E.balanceBreak(7, '1.00', '2.00', '0.00').message).toMatch(/^row 7:/);
    expect(E.badLine(12, 'x').message).toMatch(/^row 12:/);
  });
});
