import { DomainError } from '../../../src/shared/domain/domain-error';
import { ProjectErrors as E } from '../../../src/project/project.errors';

/** The policy rule a refusal names (its own specs check which: test/unit/policy/rule-refusals.spec.ts). */
const RULE = { ruleId: 'a-rule', citation: '潼南府办发〔2021〕71号 四(一)' };

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
    ['lineRequired', E.lineRequired('provident_fund', RULE), 'line-required', 422, 'lineId'],
    [
      'sourceLineMismatch',
      E.sourceLineMismatch('provident_fund', 'B1', 'why', RULE),
      'source-line-mismatch',
      422,
      'lineId',
    ],
    ['pipelinePayerNotNamed', E.pipelinePayerNotNamed('sewage', RULE), 'pipeline-payer-not-named', 422, 'utility'],
    [
      'centralDoubleSupport',
      E.centralDoubleSupport('central_fiscal_subsidy', 'central_budget_investment', 'B1', RULE),
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
      E.fiscalYearMismatch('receivedOn', '2021-03-01', 2019, RULE),
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
    [
      'householdExists',
      E.householdExists('H1', 'households[0].householdId'),
      'household-exists',
      409,
      'households[0].householdId',
    ],
    ['householdNotFound', E.householdNotFound('H1', 'householdId'), 'household-not-found', 422, 'householdId'],
    ['unknownField', E.unknownField('key.colour'), 'unknown-field', 400, 'key.colour'],
    ['invalidRegister', E.invalidRegister('must be a list'), 'invalid-field', 400, 'households'],
    [
      'exclusiveAreaAboveBuildingArea',
      E.exclusiveAreaAboveBuildingArea('exclusiveArea', '61.00', '60.00'),
      'invalid-area',
      400,
      'exclusiveArea',
    ],
    ['nothingToCorrect', E.nothingToCorrect('H1'), 'nothing-to-correct', 422, undefined],
    ['invalidScope', E.invalidScope('must be an object'), 'invalid-scope', 400, 'scope'],
    ['exemptOutsideScope', E.exemptOutsideScope('H1', 'exempt[0]'), 'exempt-outside-scope', 422, 'exempt[0]'],
    ['voteExists', E.voteExists('V1'), 'vote-exists', 409, 'voteId'],
    ['voteNotFound', E.voteNotFound('V1'), 'vote-not-found', 422, 'voteId'],
    ['voteRequired', E.voteRequired('why', RULE), 'vote-required', 422, 'voteId'],
    ['voteNotPassed', E.voteNotPassed('V1', RULE), 'vote-not-passed', 422, 'voteId'],
    [
      'voteMatterMismatch',
      E.voteMatterMismatch('V1', 'fund_use', 'alteration', 'an elevator', RULE),
      'vote-matter-mismatch',
      422,
      'voteId',
    ],
    ['voteScopeMismatch', E.voteScopeMismatch('V1', 'H1', 2), 'vote-scope-mismatch', 422, 'voteId'],
    [
      'dateBeforeVote',
      E.dateBeforeVote('receivedOn', '2021-01-01', 'V1', '2021-02-01'),
      'date-before-vote',
      422,
      'receivedOn',
    ],
    ['planExists', E.planExists('PL1'), 'plan-exists', 409, 'planId'],
    ['planNotFound', E.planNotFound('PL1'), 'plan-not-found', 422, 'planId'],
    ['planRequired', E.planRequired('provident_fund', RULE), 'plan-required', 422, 'planId'],
    ['providentNeedsPlan', E.providentNeedsPlan('TN1', RULE), 'provident-needs-plan', 422, 'planId'],
    [
      'fundingExceedsNetCost',
      E.fundingExceedsNetCost('district_matching', '2.00', '1.00', 'PL1', ['I1'], RULE),
      'funding-exceeds-net-cost',
      422,
      'amount',
    ],
    [
      'roomTaken',
      E.roomTaken({ building: '3', unit: '2', room: '601' }, 'H1', 'households[1].room'),
      'household-room-exists',
      409,
      'households[1].room',
    ],
    ['householdRequired', E.householdRequired('PL1'), 'household-required', 422, 'householdId'],
    ['householdNotInPlan', E.householdNotInPlan('H1', 'PL1'), 'household-not-in-plan', 422, 'householdId'],
    ['planLineMismatch', E.planLineMismatch('PL1', 'B1', ['I1']), 'plan-line-mismatch', 422, 'lineId'],
    ['paymentExceedsShare', E.paymentExceedsShare('H1', 'PL1', '2.00', '1.00'), 'payment-exceeds-share', 422, 'amount'],
    [
      'providentExceedsShare',
      E.providentExceedsShare('H1', 'PL1', '2.00', '1.00', RULE),
      'provident-exceeds-share',
      422,
      'amount',
    ],
    [
      'shareExceedsNetCost',
      E.shareExceedsNetCost('2.00', '1.00', ['I1'], RULE),
      'share-exceeds-net-cost',
      422,
      'amount',
    ],
    ['invalidArea', E.invalidArea('buildingArea', '1.001'), 'invalid-area', 400, 'buildingArea'],
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
