import {
  approve,
  approved,
  asWire,
  budgetLine,
  given,
  jointReviewed,
  registered,
} from '../../support/project-fixtures';

const SEED_RULE = 'approval-path-seed';
const REGULATIONS_RULE = 'approval-path-investment-regulations';
/** A registered project whose plan passed its joint review on 2021-11-30. */
const reviewed = [registered(), jointReviewed()];

describe('the approval path under the seed (from 2021-11-25)', () => {
  // "总投资在 1000 万元以下且不涉及功能独立配套基础设施的项目，可根据联合审查通过的…方案和审查意见进行审批；
  // 总投资在 1000 万元以上（含 1000 万元）且不涉及功能独立配套基础设施的项目，…合并为可行性研究报告审批"
  // (seed 三(三)1): below 10,000,000.00 plan_review on a passed joint review; from 10,000,000.00
  // inclusive merged_fsr; both only without independent infrastructure, for which the seed is
  // silent and the ledger takes the full procedure (standard).
  it('is plan_review at 9,999,999.99, resting on the passed joint review', () => {
    given(...reviewed)
      .when(approve('9999999.99'))
      .then(approved('9999999.99', { approvalPath: 'plan_review', ruleId: SEED_RULE, jointReviewId: 'JR-1' }));
  });

  it('is merged_fsr at exactly 10,000,000.00 (含 1000 万元), with no joint review needed', () => {
    given(registered())
      .when(approve('10000000.00'))
      .then(approved('10000000.00', { approvalPath: 'merged_fsr', jointReviewId: undefined }));
  });

  it('is merged_fsr above the threshold', () => {
    given(...reviewed)
      .when(approve('25000000.00'))
      .then(approved('25000000.00', { approvalPath: 'merged_fsr', jointReviewId: undefined }));
  });

  it('is standard, below and above the threshold, when the project involves independent infrastructure', () => {
    for (const amount of ['8000000.00', '25000000.00'])
      given(...reviewed)
        .when(approve(amount, { involvesIndependentInfrastructure: true }))
        .then(
          approved(amount, {
            approvalPath: 'standard',
            involvesIndependentInfrastructure: true,
            jointReviewId: undefined,
          }),
        );
  });

  // Rule: a later approval replaces the earlier one and says so (`reapproval: true`).
  it('marks a second approval as a re-approval', () => {
    given(...reviewed, approved('8000000.00'))
      .when(approve('9000000.00', { docNo: 'TNFG-2022-12' }))
      .then(approved('9000000.00', { docNo: 'TNFG-2022-12', reapproval: true }));
  });
});

describe('approval-path-not-allowed', () => {
  // Rule: a path asked for is the one the rule in force allows, or the approval is refused
  // naming the rule; without `path` the ledger takes that one.
  it('refuses plan_review at 10,000,000.00 (field path, rule approval-path-seed)', () => {
    given(...reviewed)
      .when(approve('10000000.00', { path: 'plan_review' }))
      .thenThrows('approval-path-not-allowed', 'path', SEED_RULE);
  });

  it('refuses a simplified path for a project with independent infrastructure', () => {
    given(...reviewed)
      .when(approve('8000000.00', { involvesIndependentInfrastructure: true, path: 'plan_review' }))
      .thenThrows('approval-path-not-allowed', 'path', SEED_RULE);
    given(...reviewed)
      .when(approve('12000000.00', { involvesIndependentInfrastructure: true, path: 'merged_fsr' }))
      .thenThrows('approval-path-not-allowed', 'path', SEED_RULE);
  });

  it('refuses standard below the threshold without independent infrastructure', () => {
    given(...reviewed)
      .when(approve('8000000.00', { path: 'standard' }))
      .thenThrows('approval-path-not-allowed', 'path', SEED_RULE);
  });

  it('takes the path asked for when it is the allowed one', () => {
    given(...reviewed)
      .when(approve('8000000.00', { path: 'plan_review' }))
      .then(approved('8000000.00'));
  });

  it('refuses a path that is no path: invalid-field', () => {
    given(...reviewed)
      .when(approve('8000000.00', { path: 'fast_track' }))
      .thenThrows('invalid-field', 'path');
  });
});

describe('joint-review-required', () => {
  // Rule: plan_review approves "根据联合审查通过的…方案和审查意见": a joint review that passed,
  // recorded on or before the approval's date.
  it('refuses plan_review with no joint review recorded (field approvedOn, rule approval-path-seed)', () => {
    given(registered()).when(approve('8000000.00')).thenThrows('joint-review-required', 'approvedOn', SEED_RULE);
  });

  it('refuses it on a review that failed', () => {
    given(registered(), jointReviewed({ result: 'failed' }))
      .when(approve('8000000.00'))
      .thenThrows('joint-review-required', 'approvedOn', SEED_RULE);
  });

  it('refuses it on a passed review dated after the approval', () => {
    given(registered(), jointReviewed({ reviewedOn: '2021-12-02' }))
      .when(approve('8000000.00'))
      .thenThrows('joint-review-required', 'approvedOn', SEED_RULE);
  });

  it('accepts a review of the same day, and rests on the review that passed after one that failed', () => {
    given(registered(), jointReviewed({ reviewedOn: '2021-12-01' }))
      .when(approve('8000000.00'))
      .then(approved('8000000.00'));
    given(
      registered(),
      jointReviewed({ milestoneId: 'JR-0', result: 'failed', reviewedOn: '2021-11-20' }),
      jointReviewed({ milestoneId: 'JR-2' }),
    )
      .when(approve('8000000.00'))
      .then(approved('8000000.00', { jointReviewId: 'JR-2' }));
  });
});

describe('an approval is judged by the rule in force on its date', () => {
  // The seed took effect on 2021-11-25 ("本通知自公布之日起施行"). Before it the simplified paths did
  // not exist: a government-invested project took the full procedure of 《政府投资条例》 第九条.
  const approveOn = (approvedOn: string, more = {}) => approve('8000000.00', { approvedOn, ...more });

  it('approves the same project on the standard path on 2021-11-24, needing no joint review', () => {
    given(registered())
      .when(approveOn('2021-11-24'))
      .then(
        approved('8000000.00', {
          approvalPath: 'standard',
          ruleId: REGULATIONS_RULE,
          jointReviewId: undefined,
          approvedOn: '2021-11-24',
        }),
      );
  });

  it('refuses it on 2021-11-25 without a passed joint review, and approves it on plan_review with one', () => {
    given(registered()).when(approveOn('2021-11-25')).thenThrows('joint-review-required', 'approvedOn', SEED_RULE);
    given(registered(), jointReviewed({ reviewedOn: '2021-11-25' }))
      .when(approveOn('2021-11-25'))
      .then(approved('8000000.00', { approvedOn: '2021-11-25' }));
  });

  it('refuses plan_review asked for before the seed: the path did not exist (rule approval-path-investment-regulations)', () => {
    given(...reviewed)
      .when(approveOn('2021-06-01', { path: 'plan_review' }))
      .thenThrows('approval-path-not-allowed', 'path', REGULATIONS_RULE);
  });

  it('refuses an approval dated before any approval rule the ledger knows (before 2019-07-01)', () => {
    given(registered()).when(approveOn('2019-06-30')).thenThrows('no-policy-in-force');
  });
});

describe('approved-investment-below-budget', () => {
  // Rule: the approved investment covers the budget: it may not be below the sum of the
  // budget lines' estimated cost.
  const budget = [...reviewed, budgetLine({ estimatedCost: '7000000.00' })];

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
    given(...reviewed, approved('8000000.00'), budgetLine({ estimatedCost: '9000000.00' }))
      .when(approve('8500000.00'))
      .thenThrows('approved-investment-below-budget', 'approvedInvestment');
  });
});

describe('the approval document', () => {
  // Rule: an approval names its investment (money), its document, its date, and whether the
  // project involves independent infrastructure (the path depends on it).
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

  it('refuses involvesIndependentInfrastructure that is not true or false: invalid-field', () => {
    given(registered())
      .when(approve('8000000.00', { involvesIndependentInfrastructure: asWire<boolean>('no') }))
      .thenThrows('invalid-field', 'involvesIndependentInfrastructure');
  });
});
