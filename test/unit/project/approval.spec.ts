import { approve, approved, asWire, budgetLine, given, registered } from '../../support/project-fixtures';

describe('the approval path', () => {
  // "总投资在 1000 万元以下且不涉及功能独立配套基础设施的项目，可根据联合审查通过的…方案和审查意见进行审批"
  // and "总投资在 1000 万元以上（含 1000 万元）…合并为可行性研究报告审批" (seed, domain.md §2.8):
  // below 10,000,000.00 the path is plan_review; from 10,000,000.00 inclusive it is merged_fsr.
  it('is plan_review at 9,999,999.99', () => {
    given(registered())
      .when(approve('9999999.99'))
      .then(approved('9999999.99', { approvalPath: 'plan_review' }));
  });

  it('is merged_fsr at exactly 10,000,000.00 (含 1000 万元)', () => {
    given(registered())
      .when(approve('10000000.00'))
      .then(approved('10000000.00', { approvalPath: 'merged_fsr' }));
  });

  it('is merged_fsr above the threshold', () => {
    given(registered())
      .when(approve('25000000.00'))
      .then(approved('25000000.00', { approvalPath: 'merged_fsr' }));
  });

  // Rule: a later approval replaces the earlier one and says so (`reapproval: true`).
  it('marks a second approval as a re-approval', () => {
    given(registered(), approved('8000000.00'))
      .when(approve('9000000.00', { docNo: 'TNFG-2022-12' }))
      .then(approved('9000000.00', { docNo: 'TNFG-2022-12', reapproval: true }));
  });
});

describe('approved-investment-below-budget', () => {
  // Rule: the approved investment covers the budget: it may not be below the sum of the
  // budget lines' estimated cost.
  const budget = [registered(), budgetLine({ estimatedCost: '7000000.00' })];

  it('refuses 6,999,999.99 against a 7,000,000.00 budget (field approvedInvestment)', () => {
    given(...budget)
      .when(approve('6999999.99'))
      .thenThrows('approved-investment-below-budget', 'approvedInvestment');
  });

  it('accepts an investment equal to the budget', () => {
    given(...budget)
      .when(approve('7000000.00'))
      .then(approved('7000000.00'));
  });

  it('counts every line, not only the last', () => {
    given(
      ...budget,
      budgetLine({ lineId: 'B2-drainage', item: 'drainage', estimatedCost: '1500000.00', budgetTotal: '8500000.00' }),
    )
      .when(approve('8000000.00'))
      .thenThrows('approved-investment-below-budget');
  });

  // A line added after approval may take the budget above the approved investment: that is a
  // cost overrun for the red-flag report (RF-04), not a refusal; the next approval must cover it.
  it('checks a re-approval against lines added after the first approval', () => {
    given(registered(), approved('8000000.00'), budgetLine({ estimatedCost: '9000000.00' }))
      .when(approve('8500000.00'))
      .thenThrows('approved-investment-below-budget', 'approvedInvestment');
  });
});

describe('the approval document', () => {
  // Rule: an approval names its investment (money), its document and its date.
  it('refuses an approvedInvestment sent as a JSON number: invalid-amount naming approvedInvestment', () => {
    given(registered())
      .when(approve(asWire<string>(8000000)))
      .thenThrows('invalid-amount', 'approvedInvestment');
  });

  it('refuses a blank docNo: invalid-field', () => {
    given(registered())
      .when(approve('8000000.00', { docNo: ' ' }))
      .thenThrows('invalid-field', 'docNo');
  });

  it('refuses approvedOn 2021-02-30: invalid-date', () => {
    given(registered())
      .when(approve('8000000.00', { approvedOn: '2021-02-30' }))
      .thenThrows('invalid-date', 'approvedOn');
  });
});
