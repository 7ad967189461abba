import {
  addBudgetLine,
  approve,
  approved,
  budgetLine,
  disburse,
  disbursed,
  given,
  jointReviewed,
  received,
  registered,
} from '../../support/project-fixtures';

describe('reapproval-required', () => {
  // "If a later budget revision (概算调整) takes investment across 10,000,000, the project must be
  // approved again" (domain.md §2.8, RF-04): a budget line that takes a plan_review approval
  // across 10,000,000.00 blocks every disbursement until a merged_fsr re-approval.
  const approvedJustBelow = [
    registered(),
    jointReviewed(),
    budgetLine({ estimatedCost: '9999999.99' }),
    approved('9999999.99'),
  ];
  const crossingLine = budgetLine({
    lineId: 'B2-drainage',
    item: 'drainage',
    estimatedCost: '0.01',
    budgetTotal: '10000000.00',
    reapprovalRequired: true,
  });

  it('is raised by the line that brings the budget to exactly 10,000,000.00', () => {
    given(...approvedJustBelow)
      .when(addBudgetLine({ lineId: 'B2-drainage', item: 'drainage', estimatedCost: '0.01' }))
      .then(crossingLine);
  });

  it('is not raised by a line that keeps the budget below 10,000,000.00', () => {
    given(registered(), budgetLine({ estimatedCost: '9000000.00' }), approved('9999999.99'))
      .when(addBudgetLine({ lineId: 'B2-drainage', item: 'drainage', estimatedCost: '999999.99' }))
      .then(
        budgetLine({ lineId: 'B2-drainage', item: 'drainage', estimatedCost: '999999.99', budgetTotal: '9999999.99' }),
      );
  });

  it('is not raised under a merged_fsr approval', () => {
    given(registered(), approved('12000000.00', { approvalPath: 'merged_fsr' }))
      .when(addBudgetLine({ estimatedCost: '11000000.00' }))
      .then(budgetLine({ estimatedCost: '11000000.00' }));
  });

  it('is not raised before any approval (the first approval takes the right path)', () => {
    given(registered())
      .when(addBudgetLine({ estimatedCost: '10000000.00' }))
      .then(budgetLine({ estimatedCost: '10000000.00' }));
  });

  it('stays raised on the lines that follow, until the re-approval', () => {
    given(...approvedJustBelow, crossingLine)
      .when(
        addBudgetLine({ lineId: 'I1-elevator', category: 'improvement', item: 'elevator', estimatedCost: '600000.00' }),
      )
      .then(
        budgetLine({
          lineId: 'I1-elevator',
          category: 'improvement',
          item: 'elevator',
          estimatedCost: '600000.00',
          budgetTotal: '10600000.00',
          reapprovalRequired: true,
        }),
      );
  });

  it('refuses a disbursement while raised (409), naming the rule (《政府投资条例》 第二十三条)', () => {
    given(...approvedJustBelow, received(), crossingLine)
      .when(disburse())
      .thenThrows('reapproval-required', undefined, 'reapproval-above-approved-investment');
  });

  it('is lifted by a re-approval of at least 10,000,000.00, which takes the merged_fsr path', () => {
    given(...approvedJustBelow, crossingLine)
      .when(approve('10000000.00', { docNo: 'TNFG-2022-30' }))
      .then(
        approved('10000000.00', {
          approvalPath: 'merged_fsr',
          jointReviewId: undefined,
          docNo: 'TNFG-2022-30',
          reapproval: true,
        }),
      );
  });

  it('lets money be paid out again after the re-approval', () => {
    given(
      ...approvedJustBelow,
      received(),
      crossingLine,
      approved('10000000.00', { approvalPath: 'merged_fsr', reapproval: true }),
    )
      .when(disburse())
      .then(disbursed());
  });

  it('cannot be lifted by a re-approval below the revised budget', () => {
    given(...approvedJustBelow, crossingLine)
      .when(approve('9999999.99'))
      .thenThrows('approved-investment-below-budget');
  });
});

describe('reapproval-required: budget above the approved investment', () => {
  // "If a later budget revision (概算调整) takes investment across 10,000,000, the project must be
  // approved again" and RF-04 "Cost overrun ... > approved investment" (domain.md §2.8, §6): a
  // budget line added after the approval that takes the budget above the approved investment is
  // recorded, and no money is paid until a re-approval covers it (issue 14, point 10).
  const approved8m = [
    registered(),
    jointReviewed(),
    budgetLine({ estimatedCost: '7000000.00' }),
    approved('8000000.00'),
  ];
  const overrunLine = budgetLine({
    lineId: 'B2-drainage',
    item: 'drainage',
    estimatedCost: '1000000.01',
    budgetTotal: '8000000.01',
    reapprovalRequired: true,
  });

  it('is raised by a line that takes the budget one fen above the approved investment', () => {
    given(...approved8m)
      .when(addBudgetLine({ lineId: 'B2-drainage', item: 'drainage', estimatedCost: '1000000.01' }))
      .then(overrunLine);
  });

  it('is not raised by a line that brings the budget to exactly the approved investment', () => {
    given(...approved8m)
      .when(addBudgetLine({ lineId: 'B2-drainage', item: 'drainage', estimatedCost: '1000000.00' }))
      .then(
        budgetLine({ lineId: 'B2-drainage', item: 'drainage', estimatedCost: '1000000.00', budgetTotal: '8000000.00' }),
      );
  });

  it('refuses a disbursement while raised (409)', () => {
    given(...approved8m, received(), overrunLine)
      .when(disburse())
      .thenThrows('reapproval-required');
  });

  it('is lifted by a re-approval that covers the budget, which keeps the plan_review path below 10,000,000.00', () => {
    given(...approved8m, overrunLine)
      .when(approve('8000000.01', { docNo: 'TNFG-2022-31' }))
      .then(approved('8000000.01', { docNo: 'TNFG-2022-31', reapproval: true }));
    given(...approved8m, received(), overrunLine, approved('8000000.01', { reapproval: true }))
      .when(disburse())
      .then(disbursed());
  });
});
