import {
  CREDIT_CODE,
  acceptanceInput,
  accepted,
  acceptedProject,
  approvedProject,
  completed,
  consultationHeld,
  consultationInput,
  contractInput,
  contractSigned,
  filed,
  filingInput,
  handedOver,
  handoverInput,
  jointReviewInput,
  managementAgreed,
  managementInput,
  publicityInput,
  publicized,
  started,
  tenderAwarded,
  tenderInput,
} from '../../support/lifecycle-fixtures';
import {
  SEED_REVIEWERS,
  asWire,
  given,
  jointReviewed,
  recordMilestone,
  registered,
} from '../../support/project-fixtures';

describe('resident consultation (seed 三(一))', () => {
  // "通过召开业主大会、发放问卷调查、入户走访、公开征求意见等方式充分征求居民意愿需求"
  it('records the method and the households reached and supporting', () => {
    given(registered()).when(recordMilestone(consultationInput())).then(consultationHeld());
  });

  it('refuses a method of no list, and more supporting than reached (invalid-field)', () => {
    given(registered())
      .when(recordMilestone(consultationInput({ method: asWire('lottery') })))
      .thenThrows('invalid-field', 'method');
    given(registered())
      .when(recordMilestone(consultationInput({ householdsReached: 10, householdsSupporting: 11 })))
      .thenThrows('invalid-field', 'householdsSupporting');
  });
});

describe('publicity-too-short', () => {
  // "将小区改造内容全部进行公示" (三(一)) sets no length; the ledger's setting is 7 days, the day it
  // starts not counted (publicity-minimum-seed, with its silence): 2021-11-26 to 2021-12-03 at least.
  it('records a publicity of 7 days, with the rule it was held to', () => {
    given(registered()).when(recordMilestone(publicityInput())).then(publicized());
  });

  it('refuses one that ends a day sooner (field endDate, rule publicity-minimum-seed)', () => {
    given(registered())
      .when(recordMilestone(publicityInput({ endDate: '2021-12-02' })))
      .thenThrows('publicity-too-short', 'endDate', 'publicity-minimum-seed');
  });

  it('records a two-day publicity before the seed: no minimum was in force (ruleId null)', () => {
    given(registered())
      .when(recordMilestone(publicityInput({ startDate: '2021-06-01', endDate: '2021-06-03' })))
      .then(publicized({ startDate: '2021-06-01', endDate: '2021-06-03', ruleId: null }));
  });

  it('refuses an end before the start, and an end after the day it is recorded', () => {
    given(registered())
      .when(recordMilestone(publicityInput({ endDate: '2021-11-20' })))
      .thenThrows('invalid-field', 'endDate');
    given(registered())
      .when(recordMilestone(publicityInput({ startDate: '2023-12-20', endDate: '2024-01-05' }), '2024-01-01'))
      .thenThrows('date-in-future', 'endDate');
  });
});

describe('joint-review-incomplete', () => {
  // "由区住房城乡建委会同区发展改革委、区财政局、区规划自然资源局、区城市管理局等部门和属地街道、社区联合审查" (三(二)).
  it('records a review led by the housing commission with every unit the seed names', () => {
    given(registered()).when(recordMilestone(jointReviewInput())).then(jointReviewed());
  });

  it('refuses one without the finance bureau (field reviewers), or led by another unit (field lead)', () => {
    given(registered())
      .when(recordMilestone(jointReviewInput({ reviewers: SEED_REVIEWERS.filter((u) => u !== 'finance_bureau') })))
      .thenThrows('joint-review-incomplete', 'reviewers', 'joint-review-seed');
    given(registered())
      .when(recordMilestone(jointReviewInput({ lead: 'development_reform' })))
      .thenThrows('joint-review-incomplete', 'lead', 'joint-review-seed');
  });

  it('records a review of two units before the seed (no composition rule then)', () => {
    given(registered())
      .when(recordMilestone(jointReviewInput({ reviewedOn: '2021-06-01', reviewers: ['finance_bureau'] })))
      .then(jointReviewed({ reviewedOn: '2021-06-01', reviewers: ['finance_bureau'], ruleId: null }));
  });

  it('refuses a unit of no list, and a unit named twice', () => {
    given(registered())
      .when(recordMilestone(jointReviewInput({ reviewers: [...SEED_REVIEWERS, 'mayor'] })))
      .thenThrows('invalid-field', 'reviewers[6]');
    given(registered())
      .when(recordMilestone(jointReviewInput({ reviewers: [...SEED_REVIEWERS, 'community'] })))
      .thenThrows('invalid-field', 'reviewers');
  });
});

describe('tender and contract', () => {
  it('records a tender after the approval, its amount written as the ledger writes money', () => {
    given(...approvedProject())
      .when(recordMilestone(tenderInput({ amount: '7200000' })))
      .then(tenderAwarded());
    given(...approvedProject())
      .when(recordMilestone(tenderInput({ amount: asWire(7200000) })))
      .thenThrows('invalid-amount', 'amount');
  });

  it('records a contract with its payee, 统一社会信用代码 and payment terms', () => {
    given(...approvedProject())
      .when(recordMilestone(contractInput()))
      .then(contractSigned());
  });

  it('refuses a credit code with a wrong check character, or of 17 characters (invalid-credit-code)', () => {
    const payee = (creditCode: string) => ({ name: '重庆潼南建工集团有限公司', creditCode });
    given(...approvedProject())
      .when(recordMilestone(contractInput({ payee: payee(`${CREDIT_CODE.slice(0, 17)}Q`) })))
      .thenThrows('invalid-credit-code', 'payee.creditCode');
    given(...approvedProject())
      .when(recordMilestone(contractInput({ payee: payee(CREDIT_CODE.slice(0, 17)) })))
      .thenThrows('invalid-credit-code', 'payee.creditCode');
    given(...approvedProject())
      .when(recordMilestone(contractInput({ payee: payee('91500152MA5UTN00IP') })))
      .thenThrows('invalid-credit-code', 'payee.creditCode');
  });

  it('refuses a contract id recorded before (contract-exists), and percentages out of range', () => {
    given(...approvedProject(), contractSigned())
      .when(recordMilestone(contractInput({ milestoneId: 'CTR-2' })))
      .thenThrows('contract-exists', 'contractId');
    given(...approvedProject())
      .when(
        recordMilestone(contractInput({ paymentTerms: { progressPaymentCapPercent: '0', retentionPercent: '3.00' } })),
      )
      .thenThrows('invalid-field', 'paymentTerms.progressPaymentCapPercent');
    given(...approvedProject())
      .when(
        recordMilestone(
          contractInput({ paymentTerms: { progressPaymentCapPercent: '80', retentionPercent: '100.01' } }),
        ),
      )
      .thenThrows('invalid-field', 'paymentTerms.retentionPercent');
  });
});

describe('acceptance-participants-missing', () => {
  // "由区住房城乡建委牵头，会同建设业主单位等相关部门（镇街）、参建单位、（社区）及部分居民代表进行联合竣工验收" (三(四)3).
  const completedWorks = [...approvedProject(), started(), completed()];

  it('refuses an acceptance without resident representatives (field participants, rule joint-acceptance-seed)', () => {
    given(...completedWorks)
      .when(recordMilestone(acceptanceInput({ participants: ['construction_unit', 'contractor', 'community'] })))
      .thenThrows('acceptance-participants-missing', 'participants', 'joint-acceptance-seed');
  });

  it('records one with the construction unit, contractors and resident representatives, the towns and community optional', () => {
    given(...completedWorks)
      .when(
        recordMilestone(
          acceptanceInput({ participants: ['construction_unit', 'contractor', 'resident_representative'] }),
        ),
      )
      .then(accepted({ participants: ['construction_unit', 'contractor', 'resident_representative'] }));
  });
});

describe('the acceptance report filing: deadline and late flag', () => {
  // "竣工验收合格 15 日内" (三(四)3), counted as 民法典 第二百零一条、第二百零三条 count a period: the
  // acceptance day not counted, a last day on a rest day moved to the next working day. Accepted
  // Friday 2022-10-14: 15 days is Saturday 2022-10-29, so the deadline is Monday 2022-10-31.
  it('records a filing within the period, with its deadline moved across the weekend', () => {
    given(...acceptedProject())
      .when(recordMilestone(filingInput()))
      .then(filed());
  });

  it('is not late on the deadline itself', () => {
    given(...acceptedProject())
      .when(recordMilestone(filingInput({ filedOn: '2022-10-31' })))
      .then(filed({ filedOn: '2022-10-31' }));
  });

  it('records a filing after the deadline as late, never refusing it', () => {
    given(...acceptedProject())
      .when(recordMilestone(filingInput({ filedOn: '2022-11-01' })))
      .then(filed({ filedOn: '2022-11-01', late: true }));
  });

  it('counts from the acceptance that passed, not from one that failed before it', () => {
    given(
      ...approvedProject(),
      started(),
      completed(),
      accepted({ milestoneId: 'ACC-0', acceptedOn: '2022-10-08', result: 'failed' }),
      accepted(),
    )
      .when(recordMilestone(filingInput()))
      .then(filed());
  });
});

describe('handover and management model (seed 三(四)3, 二(三))', () => {
  it('records the parts handed over and to whom', () => {
    given(...acceptedProject())
      .when(recordMilestone(handoverInput()))
      .then(handedOver());
  });

  it('refuses a part of no list (the field names it)', () => {
    given(...acceptedProject())
      .when(recordMilestone(handoverInput({ parts: [{ part: asWire('garden'), receivingParty: '业主' }] })))
      .thenThrows('invalid-field', 'parts[0].part');
  });

  it('records the management model with its unit, scope, standard and fee', () => {
    given(...acceptedProject())
      .when(recordMilestone(managementInput()))
      .then(managementAgreed());
  });

  it('refuses a fee on a basis of no list', () => {
    given(...acceptedProject())
      .when(recordMilestone(managementInput({ fee: { amount: '0.60', basis: asWire('per_year') } })))
      .thenThrows('invalid-field', 'fee.basis');
  });
});

describe('the state the milestones leave', () => {
  it('keeps the first milestone of each stage the rules look back on', () => {
    given(...acceptedProject())
      .when(recordMilestone(filingInput()))
      .thenState((s) => {
        expect(s.stages).toEqual({
          joint_review_passed: { milestoneId: 'JR-1', on: '2021-11-30' },
          construction_started: { milestoneId: 'START-1', on: '2022-03-01' },
          construction_completed: { milestoneId: 'DONE-1', on: '2022-09-30' },
          joint_acceptance_passed: { milestoneId: 'ACC-1', on: '2022-10-14' },
          acceptance_report_filed: { milestoneId: 'FILE-1', on: '2022-10-20' },
        });
        expect(s.milestones.size).toBe(5);
      });
  });
});
