/**
 * The red flags of the project's life (domain.md §6; issue 17): for each rule a history that
 * raises it, one that does not, and where it clears, the event that clears it. Histories the
 * deciders refuse are fed to the projection as imported history would store them.
 *
 * The base life (lifecycle-fixtures.ts): consultation and publicity 2021-11-26, joint review
 * 11-30, approval 12-01, tender 2022-01-10, contract 01-20 (7,200,000.00, cap 80 %), construction
 * permit 02-01, start 03-01, completion 09-30, joint acceptance 10-14 (filing deadline 10-31).
 */
import { RedFlag } from '../../projections/red-flags/red-flag-codes';
import { ProjectEvent } from '../../src/project/project.events';
import {
  accepted,
  completed,
  consultationHeld,
  contractSigned,
  determined,
  filed,
  publicized,
  started,
  tenderAwarded,
} from '../support/lifecycle-fixtures';
import {
  PROJECT_ID,
  allocationRecorded,
  approved,
  approvedProject,
  disbursed,
  jointReviewed,
  lines,
  pledged,
  registered,
  treasuryPaid,
} from '../support/project-fixtures';
import { flagsOf, reportOf, storedFlags } from '../support/red-flag-history';

const CONTRACTOR = '重庆潼南建工集团有限公司';

/** Registered, consulted, publicized, reviewed and approved under the seed. */
const consulted = (): ProjectEvent[] => [registered(), consultationHeld(), publicized(), jointReviewed(), approved()];
/** ...tendered, contracted, permitted, built and accepted, in order. */
const life = (): ProjectEvent[] => [
  ...consulted(),
  tenderAwarded(),
  contractSigned(),
  determined('construction_permit'),
  started(),
  completed(),
  accepted(),
];

const spans = (flags: RedFlag[]) => flags.map((f) => [f.subject, f.raisedAt, f.clearedAt]);
const evidenceIds = (f: RedFlag) => f.evidence.map((e) => e.eventId);

describe('a life recorded in order', () => {
  it('raises none of the lifecycle flags', () => {
    const history = [...life(), filed()];
    const codes = ['RF-01', 'RF-03', 'RF-08', 'RF-10', 'RF-11', 'RF-13', 'RF-17'];
    expect(storedFlags(history).filter((f) => codes.includes(f.code))).toEqual([]);
    expect(reportOf(history, '2024-01-01').flags.filter((f) => codes.includes(f.code))).toEqual([]);
  });
});

describe('RF-08 late acceptance filing', () => {
  const late = [...life(), filed({ filedOn: '2022-11-10', late: true })];

  it('a filing recorded late is flagged from the day after its deadline until the day it was filed', () => {
    const [flag] = flagsOf(storedFlags(late), 'RF-08');
    expect(flag).toMatchObject({
      severity: 'medium',
      subject: 'acceptance:ACC-1',
      raisedAt: '2022-11-01',
      clearedAt: '2022-11-10',
      figures: { acceptedOn: '2022-10-14', deadline: '2022-10-31', filedOn: '2022-11-10' },
      rule: { ruleId: 'acceptance-filing-seed', citation: '潼南府办发〔2021〕71号 三(四)3' },
    });
    expect(evidenceIds(flag)).toEqual(['e11', 'e12']);
  });

  it('a passed acceptance not filed is flagged the day after the deadline, as of the day read, and shows cleared once filed', () => {
    expect(flagsOf(reportOf(late, '2022-10-31', { asOf: true }), 'RF-08')).toEqual([]);
    expect(spans(flagsOf(reportOf(late, '2022-11-05', { asOf: true }), 'RF-08'))).toEqual([
      ['acceptance:ACC-1', '2022-11-01', null],
    ]);
    expect(spans(flagsOf(reportOf(late, '2022-12-01', { asOf: true }), 'RF-08'))).toEqual([
      ['acceptance:ACC-1', '2022-11-01', '2022-11-10'],
    ]);
  });

  it('an acceptance not filed whose period reaches a year the rest-day calendar lacks is flagged by the provisional deadline, not refused', () => {
    // 2026-12-20 + 15 days is in 2027, whose holidays the calendar does not hold yet; 2019 is before
    // it. The deadline is counted by weekends alone, as a filing's event records it, and the report
    // answers (it refused with no-calendar-for-year, 422, when RF-08 counted by deadlineAfter).
    const unfiled = (acceptedOn: string) => [...life().slice(0, -1), accepted({ acceptedOn })];
    expect(flagsOf(reportOf(unfiled('2026-12-20'), '2027-02-01'), 'RF-08')).toMatchObject([
      {
        subject: 'acceptance:ACC-1',
        raisedAt: '2027-01-05',
        clearedAt: null,
        figures: { acceptedOn: '2026-12-20', deadline: '2027-01-04', deadlineProvisional: 'true' },
        rule: { ruleId: 'acceptance-filing-seed' },
      },
    ]);
    expect(flagsOf(reportOf(unfiled('2019-06-03'), '2024-01-01'), 'RF-08')).toMatchObject([
      {
        raisedAt: '2019-06-19',
        figures: { acceptedOn: '2019-06-03', deadline: '2019-06-18', deadlineProvisional: 'true' },
        rule: { ruleId: 'acceptance-filing-quality-regulations' },
      },
    ]);
  });

  it('a filing in time, or an acceptance that failed, raises nothing', () => {
    expect(flagsOf(reportOf([...life(), filed()], '2024-01-01'), 'RF-08')).toEqual([]);
    const failed = [...life().slice(0, -1), accepted({ result: 'failed' })];
    expect(flagsOf(reportOf(failed, '2024-01-01'), 'RF-08')).toEqual([]);
  });
});

describe('RF-10 wrong approval path', () => {
  const base = [registered(), jointReviewed()];

  it('plan_review at or above 10,000,000.00 is flagged until an approval on the merged study', () => {
    const history = [
      ...base,
      approved('12000000.00'),
      approved('12000000.00', {
        approvalPath: 'merged_fsr',
        jointReviewId: undefined,
        approvedOn: '2022-03-01',
        reapproval: true,
        docNo: 'TNFG-2022-12',
      }),
    ];
    const [flag] = flagsOf(storedFlags(history), 'RF-10');
    expect(flag).toMatchObject({
      severity: 'high',
      raisedAt: '2021-12-01',
      clearedAt: '2022-03-01',
      figures: { approvalPath: 'plan_review', requiredPath: 'merged_fsr', approvedInvestment: '12000000.00' },
      rule: { ruleId: 'approval-path-seed', citation: '潼南府办发〔2021〕71号 三(三)1' },
    });
    expect(evidenceIds(flag)).toEqual(['e3', 'e4']);
  });

  it('a simplified path for a project with independent infrastructure is flagged, and stays open', () => {
    const [flag] = flagsOf(
      storedFlags([...base, approved('5000000.00', { involvesIndependentInfrastructure: true })]),
      'RF-10',
    );
    expect(flag).toMatchObject({ clearedAt: null, figures: { requiredPath: 'standard' } });
  });

  it('plan_review below the threshold, and a plan_review read from history before the seed, raise nothing', () => {
    expect(flagsOf(storedFlags([...base, approved('9999999.99')]), 'RF-10')).toEqual([]);
    const v1 = approved('12000000.00', {
      approvedOn: '2021-06-01',
      involvesIndependentInfrastructure: null,
      ruleId: null,
      jointReviewId: undefined,
    });
    expect(flagsOf(storedFlags([registered(), v1]), 'RF-10')).toEqual([]);
  });
});

describe('RF-11 procedure out of order', () => {
  it('works started before the construction permit was determined: flagged on the start, and not cleared by the permit', () => {
    const history = [
      ...consulted(),
      tenderAwarded(),
      contractSigned(),
      started(),
      determined('construction_permit', { determinedOn: '2022-03-10' }),
    ];
    const flags = flagsOf(storedFlags(history), 'RF-11');
    expect(spans(flags)).toEqual([['procedure', '2022-03-01', null]]);
    expect(flags[0]).toMatchObject({
      severity: 'high',
      figures: { step: 'works before construction permit' },
      rule: { ruleId: 'red-flag-works-without-permit' },
    });
    expect(evidenceIds(flags[0])).toEqual(['e8', 'e9']);
  });

  it('works started before the contract are flagged too', () => {
    const history = [
      ...consulted(),
      determined('construction_permit'),
      started(),
      tenderAwarded(),
      contractSigned({ signedOn: '2022-03-05' }),
    ];
    expect(flagsOf(storedFlags(history), 'RF-11').map((f) => f.figures.step)).toEqual(['works before contract']);
  });

  it('a tender before the approval, imported from after the seed, breaks the seed’s order; before the seed it did not', () => {
    const after = [
      registered(),
      consultationHeld(),
      publicized(),
      jointReviewed(),
      tenderAwarded({ awardedOn: '2021-11-29' }),
      approved(),
    ];
    const [flag] = flagsOf(storedFlags(after), 'RF-11');
    expect(flag).toMatchObject({
      raisedAt: '2021-11-29',
      figures: { step: 'tender before approval' },
      rule: { ruleId: 'milestone-order-seed' },
    });
    const before = [
      registered(),
      tenderAwarded({ awardedOn: '2021-06-01' }),
      approved('8000000.00', { approvedOn: '2021-07-01', approvalPath: 'standard', jointReviewId: undefined }),
    ];
    expect(flagsOf(storedFlags(before), 'RF-11')).toEqual([]);
  });

  it('an approval from the seed on without a consultation and a publicity before it is flagged (medium)', () => {
    const [flag] = flagsOf(storedFlags([registered(), jointReviewed(), approved()]), 'RF-11');
    expect(flag).toMatchObject({
      severity: 'medium',
      raisedAt: '2021-12-01',
      figures: { step: 'approval without consultation and publicity' },
      rule: { ruleId: 'red-flag-consultation-before-approval', citation: '潼南府办发〔2021〕71号 三(一)' },
    });
  });

  it('a project whose life is not recorded at all (money only) is not judged on its procedure', () => {
    expect(flagsOf(storedFlags(approvedProject()), 'RF-11')).toEqual([]);
  });
});

describe('RF-01 a contractor paid before its contract', () => {
  it('is flagged from the payment until the contract is signed', () => {
    const history = [
      ...consulted(),
      tenderAwarded(),
      disbursed({ payee: CONTRACTOR, amount: '50000.00', paidOn: '2022-01-15', fiscalYear: 2022 }),
      contractSigned(),
    ];
    const flags = flagsOf(storedFlags(history), 'RF-01');
    expect(spans(flags)).toEqual([[`payee:${CONTRACTOR}`, '2022-01-15', '2022-01-20']]);
    expect(flags[0]).toMatchObject({
      severity: 'medium',
      figures: { amount: '50000.00', contractId: 'HT-2022-001' },
      rule: { ruleId: 'red-flag-payment-before-contract' },
    });
  });

  it('counts every payment before the contract, and the contract, and lists 50 of them', () => {
    const payments = Array.from({ length: 55 }, (_, i) =>
      disbursed({
        paymentId: `PAY-E${i}`,
        payee: CONTRACTOR,
        amount: '1000.00',
        paidOn: '2022-01-15',
        fiscalYear: 2022,
      }),
    );
    const [flag] = flagsOf(storedFlags([...consulted(), tenderAwarded(), ...payments, contractSigned()]), 'RF-01');
    expect(flag.figures.amount).toBe('55000.00');
    // The 55 payments and the contract: 56 events, of which the flag lists MAX_EVIDENCE.
    expect(flag.evidenceCount).toBe(56);
    expect(flag.evidence).toHaveLength(50);
  });

  it('a payment after the contract, or to a payee with no contract, raises nothing', () => {
    const history = [
      ...life(),
      disbursed({ payee: CONTRACTOR, paidOn: '2022-02-01', fiscalYear: 2022 }),
      disbursed({ paymentId: 'PAY2', payee: '潼南区规划设计院', paidOn: '2021-12-20' }),
    ];
    expect(flagsOf(storedFlags(history), 'RF-01')).toEqual([]);
  });
});

describe('RF-03 payments beyond the contract’s terms', () => {
  const pay = (paymentId: string, amount: string, paidOn: string) =>
    disbursed({ paymentId, payee: CONTRACTOR, amount, paidOn, fiscalYear: Number(paidOn.slice(0, 4)) });

  it('above the progress-payment cap before completion: flagged until the completion raises the limit to the amount', () => {
    const history = [...life().slice(0, -2), pay('PAY1', '6000000.00', '2022-05-01'), completed()];
    const flags = flagsOf(storedFlags(history), 'RF-03');
    expect(spans(flags)).toEqual([[`payee:${CONTRACTOR}`, '2022-05-01', '2022-09-30']]);
    expect(flags[0]).toMatchObject({
      severity: 'high',
      figures: { paid: '6000000.00', limit: '5760000.00' },
      rule: { ruleId: 'red-flag-payments-beyond-contract' },
    });
  });

  it('above the progress-payment cap with the works not completed: open, not cleared at the end of time', () => {
    const history = [...life().slice(0, -2), pay('PAY1', '6000000.00', '2022-05-01')];
    expect(spans(flagsOf(storedFlags(history), 'RF-03'))).toEqual([[`payee:${CONTRACTOR}`, '2022-05-01', null]]);
  });

  it('above the contract amount after completion is flagged and stays open', () => {
    const history = [...life(), pay('PAY1', '7300000.00', '2022-11-01')];
    expect(spans(flagsOf(storedFlags(history), 'RF-03'))).toEqual([[`payee:${CONTRACTOR}`, '2022-11-01', null]]);
  });

  it('payments within the cap raise nothing', () => {
    expect(flagsOf(storedFlags([...life(), pay('PAY1', '5760000.00', '2022-05-01')]), 'RF-03')).toEqual([]);
  });

  // Payments within the cap in date order are judged from the payee's running total alone
  // (payeeRules); the one that passes the cap, or one dated before the latest, reads the history.
  it('payments in date order: flagged from the one that passes the limit, the earlier ones never', () => {
    const history = [
      ...life(),
      pay('PAY1', '7000000.00', '2022-10-01'),
      pay('PAY2', '200000.00', '2022-10-15'),
      pay('PAY3', '0.01', '2022-11-01'),
    ];
    const flags = flagsOf(storedFlags(history), 'RF-03');
    expect(spans(flags)).toEqual([[`payee:${CONTRACTOR}`, '2022-11-01', null]]);
    expect(flags[0].figures).toEqual({ payee: CONTRACTOR, paid: '7200000.01', limit: '7200000.00' });
  });

  it('a payment dated before the latest is judged on its day: flagged from the later day the total passed the limit', () => {
    const over = [...life(), pay('PAY1', '7100000.00', '2022-11-01'), pay('PAY2', '200000.00', '2022-10-15')];
    expect(spans(flagsOf(storedFlags(over), 'RF-03'))).toEqual([[`payee:${CONTRACTOR}`, '2022-11-01', null]]);
    const within = [...life(), pay('PAY1', '7000000.00', '2022-11-01'), pay('PAY2', '200000.00', '2022-10-15')];
    expect(flagsOf(storedFlags(within), 'RF-03')).toEqual([]);
  });
});

describe('RF-13 one community completed twice', () => {
  const other = 'TN2022-031';
  const second = [
    registered({ projectId: other, name: 'Guihua Lane phase 2' }),
    { ...approved(), data: { ...approved().data, projectId: other, approvedOn: '2022-12-01' } },
    { ...accepted(), data: { ...accepted().data, projectId: other, acceptedOn: '2023-06-01' } },
  ] as ProjectEvent[];

  it('a second passed acceptance of the same town and community, under another project, is flagged on that project', () => {
    const flags = flagsOf(storedFlags([...life(), ...second]), 'RF-13');
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({
      projectId: other,
      severity: 'high',
      raisedAt: '2023-06-01',
      clearedAt: null,
      figures: { firstProjectId: PROJECT_ID, firstAcceptedOn: '2022-10-14' },
      rule: { ruleId: 'red-flag-community-completed-twice' },
    });
  });

  it('another community, or a failed acceptance before the one that passed, raises nothing', () => {
    const elsewhere = [
      { ...second[0], data: { ...second[0].data, community: 'Hehua Street' } } as ProjectEvent,
      ...second.slice(1),
    ];
    expect(flagsOf(storedFlags([...life(), ...elsewhere]), 'RF-13')).toEqual([]);
    const retried = [
      ...life().slice(0, -1),
      accepted({ milestoneId: 'ACC-0', result: 'failed', acceptedOn: '2022-10-07' }),
      accepted(),
    ];
    expect(flagsOf(storedFlags(retried), 'RF-13')).toEqual([]);
  });
});

describe('RF-17 pipeline obligation unmet at acceptance', () => {
  const gas = (pledgedOn: string) =>
    pledged({
      pledgeId: 'P-GAS',
      source: 'pipeline_unit',
      amount: '600000.00',
      lineId: 'B3-gas-pipe',
      details: { utility: 'gas' },
      pledgedOn,
      fiscalYear: 2022,
    });

  it('a pipeline line its utility pledged nothing to by the acceptance is flagged from it until the pledge', () => {
    const history = [...life().slice(0, 1), lines.gasPipe, ...life().slice(1), gas('2022-11-01')];
    const flags = flagsOf(storedFlags(history), 'RF-17');
    expect(spans(flags)).toEqual([['pipeline:B3-gas-pipe', '2022-10-14', '2022-11-01']]);
    expect(flags[0]).toMatchObject({
      severity: 'medium',
      lineId: 'B3-gas-pipe',
      rule: { ruleId: 'red-flag-pipeline-unmet', citation: '潼南府办发〔2021〕71号 四(二)' },
    });
  });

  it('a pledge from the utility before the acceptance raises nothing', () => {
    const history = [...life().slice(0, 1), lines.gasPipe, gas('2022-06-01'), ...life().slice(1)];
    expect(flagsOf(storedFlags(history), 'RF-17')).toEqual([]);
  });
});

/**
 * A treasury direct payment pays its payee as a payment does (FIGURES_OF_ENTRY: received and
 * paid): RF-01 before a contract and RF-03 count it among what the payee was paid, once.
 */
describe('treasury direct payments to a contractor', () => {
  const treasury = (paymentId: string, amount: string, paidOn: string) =>
    treasuryPaid({ paymentId, payee: CONTRACTOR, amount, paidOn, fiscalYear: Number(paidOn.slice(0, 4)) });
  const allocation = allocationRecorded({ amount: '8000000.00' });

  it('one before the contract is a payment before the contract, until it is signed', () => {
    const history = [
      ...consulted(),
      allocation,
      tenderAwarded(),
      treasury('TP1', '50000.00', '2022-01-15'),
      contractSigned(),
    ];
    const flags = flagsOf(storedFlags(history), 'RF-01');
    expect(spans(flags)).toEqual([[`payee:${CONTRACTOR}`, '2022-01-15', '2022-01-20']]);
    expect(flags[0].figures.amount).toBe('50000.00');
  });

  it('counts each of many treasury payments once, as events, and lists 50 of them', () => {
    const payments = Array.from({ length: 55 }, (_, i) => treasury(`TP-E${i}`, '1000.00', '2022-01-15'));
    const [flag] = flagsOf(
      storedFlags([...consulted(), allocation, tenderAwarded(), ...payments, contractSigned()]),
      'RF-01',
    );
    expect(flag.figures.amount).toBe('55000.00');
    expect(flag.evidenceCount).toBe(56);
    expect(new Set(evidenceIds(flag)).size).toBe(50);
  });

  it('one after the contract raises nothing', () => {
    const history = [...life(), allocation, treasury('TP1', '50000.00', '2022-02-01')];
    expect(flagsOf(storedFlags(history), 'RF-01')).toEqual([]);
  });

  it('with payments, above the progress-payment cap before completion: RF-03 until the completion', () => {
    const history = [
      ...life().slice(0, -2),
      allocation,
      disbursed({ payee: CONTRACTOR, amount: '3000000.00', paidOn: '2022-04-01', fiscalYear: 2022 }),
      treasury('TP1', '3000000.00', '2022-05-01'),
      completed(),
    ];
    const flags = flagsOf(storedFlags(history), 'RF-03');
    expect(spans(flags)).toEqual([[`payee:${CONTRACTOR}`, '2022-05-01', '2022-09-30']]);
    expect(flags[0].figures).toMatchObject({ paid: '6000000.00', limit: '5760000.00' });
  });

  it('up to the cap raises nothing (paid once, not twice)', () => {
    const history = [...life().slice(0, -2), allocation, treasury('TP1', '5760000.00', '2022-05-01')];
    expect(flagsOf(storedFlags(history), 'RF-03')).toEqual([]);
  });
});
