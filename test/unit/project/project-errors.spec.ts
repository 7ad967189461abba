import { DomainError } from '../../../src/shared/domain/domain-error';
import { ProjectErrors as E } from '../../../src/project/project.errors';

describe('the stable error codes', () => {
  // "A business rule broken is 409 or 422 with a stable `error` code; an unknown project is 404"
  // and bad input is 400 (product.md): clients match on these codes, so they never change. A
  // new error adds a row here, and a spec elsewhere in test/unit/project that breaks its rule.
  const published: Array<
    [factory: keyof typeof E, error: DomainError, code: string, status: number, field: string | undefined]
  > = [
    ['projectNotFound', E.projectNotFound('TN2021-017'), 'project-not-found', 404, undefined],
    ['projectExists', E.projectExists('TN2021-017'), 'project-exists', 409, 'projectId'],
    ['notApproved', E.notApproved('TN2021-017'), 'project-not-approved', 409, undefined],
    [
      'reapprovalRequired',
      E.reapprovalRequired('TN2021-017', '10000000.00', '9999999.99'),
      'reapproval-required',
      409,
      undefined,
    ],
    ['dateBeforeApproval', E.dateBeforeApproval('2021-11-30', '2021-12-01'), 'date-before-approval', 422, 'paidOn'],
    [
      'investmentBelowBudget',
      E.investmentBelowBudget('1.00', '2.00'),
      'approved-investment-below-budget',
      422,
      'approvedInvestment',
    ],
    ['lineExists', E.lineExists('B1'), 'budget-line-exists', 409, 'lineId'],
    ['lineNotFound', E.lineNotFound('B1'), 'budget-line-not-found', 422, 'lineId'],
    ['itemNotInCategory', E.itemNotInCategory('basic', 'elevator'), 'invalid-budget-item', 400, 'item'],
    ['invalidCategory', E.invalidCategory('luxury'), 'invalid-category', 400, 'category'],
    ['invalidUtility', E.invalidUtility('sewage'), 'invalid-utility', 400, 'utility'],
    ['unknownSource', E.unknownSource('lottery'), 'unknown-source', 400, 'source'],
    [
      'subFieldNotAllowed',
      E.subFieldNotAllowed('district_matching', 'householdId'),
      'sub-field-not-allowed',
      400,
      'householdId',
    ],
    ['subFieldRequired', E.subFieldRequired('provident_fund', 'householdId'), 'sub-field-required', 400, 'householdId'],
    ['invalidSubField', E.invalidSubField('utility', 'sewage', ['water', 'gas']), 'invalid-sub-field', 400, 'utility'],
    ['lineRequired', E.lineRequired('provident_fund'), 'line-required', 422, 'lineId'],
    ['sourceLineMismatch', E.sourceLineMismatch('provident_fund', 'B1', 'why'), 'source-line-mismatch', 422, 'lineId'],
    [
      'centralDoubleSupport',
      E.centralDoubleSupport('central_fiscal_subsidy', 'central_budget_investment', 'B1'),
      'central-double-support',
      422,
      'lineId',
    ],
    ['entryExists', E.entryExists('P1'), 'entry-id-exists', 409, undefined],
    ['pledgeNotFound', E.pledgeNotFound('P1'), 'pledge-not-found', 422, 'pledgeId'],
    [
      'pledgeSourceMismatch',
      E.pledgeSourceMismatch('special_bond', 'district_matching'),
      'pledge-source-mismatch',
      422,
      'source',
    ],
    ['pledgeLineMismatch', E.pledgeLineMismatch('B1', 'B2'), 'pledge-line-mismatch', 422, 'lineId'],
    ['receiptExceedsPledge', E.receiptExceedsPledge('2.00', '1.00'), 'receipt-exceeds-pledge', 422, 'amount'],
    [
      'disbursementExceedsLine',
      E.disbursementExceedsLine('B1', '2.00', '1.00'),
      'disbursement-exceeds-budget-line',
      422,
      'amount',
    ],
    [
      'insufficientAtDate',
      E.insufficientAtDate('district_matching', '2.00', '2021-03-01', '1.00', '2021-04-01'),
      'insufficient-funds-at-date',
      422,
      'amount',
    ],
    [
      'dateBeforeEntry',
      E.dateBeforeEntry('reversedOn', '2021-03-01', 'R1', '2021-04-01'),
      'date-before-entry',
      422,
      'reversedOn',
    ],
    ['dateInFuture', E.dateInFuture('receivedOn', '2031-01-01', '2026-12-06'), 'date-in-future', 422, 'receivedOn'],
    [
      'fiscalYearMismatch',
      E.fiscalYearMismatch('receivedOn', '2021-03-01', 2019),
      'fiscal-year-mismatch',
      422,
      'fiscalYear',
    ],
    [
      'disbursementExceedsReceipts',
      E.disbursementExceedsReceipts('district_matching', '2.00', '1.00'),
      'disbursement-exceeds-receipts',
      422,
      'amount',
    ],
    ['entryNotFound', E.entryNotFound('R9'), 'entry-not-found', 422, 'entryId'],
    ['reversalExceedsEntry', E.reversalExceedsEntry('2.00', '1.00'), 'reversal-exceeds-entry', 422, 'amount'],
    ['nothingToReverse', E.nothingToReverse('R1'), 'nothing-to-reverse', 422, 'entryId'],
    [
      'reversalBreaksDisbursed',
      E.reversalBreaksDisbursed('district_matching', '2.00', '1.00'),
      'reversal-exceeds-available',
      422,
      'amount',
    ],
    ['allocationNotFound', E.allocationNotFound('A9'), 'allocation-not-found', 422, 'allocationId'],
    ['allocationIdTaken', E.allocationIdTaken('A1', 'YCJ2021-88'), 'allocation-id-exists', 409, 'allocationId'],
    [
      'allocationSourceMismatch',
      E.allocationSourceMismatch('central_fiscal_subsidy', 'district_matching'),
      'allocation-source-mismatch',
      422,
      'source',
    ],
    [
      'allocationProgramMismatch',
      E.allocationProgramMismatch('parking', 'elderly_care'),
      'allocation-program-mismatch',
      422,
      'program',
    ],
    [
      'receiptExceedsAllocation',
      E.receiptExceedsAllocation('A1', '2.00', '1.00'),
      'receipt-exceeds-allocation',
      422,
      'amount',
    ],
    [
      'disbursementExceedsAllocation',
      E.disbursementExceedsAllocation('A1', '2.00', '1.00'),
      'disbursement-exceeds-allocation',
      422,
      'amount',
    ],
    [
      'dateBeforeAllocation',
      E.dateBeforeAllocation('receivedOn', '2021-06-09', 'A1', '2021-06-10'),
      'date-before-allocation',
      422,
      'receivedOn',
    ],
    ['allocationDrawn', E.allocationDrawn('A1', '2.00', '1.00'), 'allocation-drawn', 422, 'amount'],
    ['invalidDate', E.invalidDate('paidOn', '2021-02-30'), 'invalid-date', 400, 'paidOn'],
    ['invalidFiscalYear', E.invalidFiscalYear(1999), 'invalid-fiscal-year', 400, 'fiscalYear'],
    ['invalidText', E.invalidText('payee'), 'invalid-field', 400, 'payee'],
    ['invalidId', E.invalidId('pledgeId', 'P 1'), 'invalid-id', 400, 'pledgeId'],
    [
      'invalidNumber',
      E.invalidNumber('households', 'must be a positive whole number'),
      'invalid-field',
      400,
      'households',
    ],
  ];

  it('lists every error the project decider has', () => {
    expect(published.map(([factory]) => factory).sort()).toEqual(Object.keys(E).sort());
  });

  it.each(published)('%s is published as its code, status and field', (_factory, error, code, status, field) => {
    expect(error).toBeInstanceOf(DomainError);
    expect({ code: error.code, status: error.status, field: error.field }).toEqual({ code, status, field });
    expect(error.message).not.toBe('');
  });
});
