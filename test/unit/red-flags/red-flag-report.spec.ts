/**
 * The red flags that depend on the day they are read as of (issue 17): idle money (RF-14: received
 * and unpaid, a batch's money unallocated, an allocation never received), district matching not in
 * place at the end of its fiscal year (RF-15) and residents' shares not paid a year after their
 * plan (RF-16). Each is raised on the day its wait ran out, not before, and cleared on the day a
 * later event ended it. Then the report itself: filters, totals by code and severity, household
 * ids masked for a reader who may not see personal data.
 */
import {
  BATCH_ID,
  PROJECT_ID,
  allocationRecorded,
  approvedProject,
  disbursed,
  pledged,
  received,
  registered,
  reversalReversed,
  reversed,
  treasuryPaid,
} from '../../support/project-fixtures';
import { payShare, withDecided, withElevatorPlan } from '../../support/resident-fixtures';
import { allocated, issued } from '../fund-batch/fund-batch-fixtures';
import { Step, flagsOf, projected, reportOf } from '../../support/red-flag-history';
import { FLAG_RULES } from '../../../projections/red-flags/red-flag-codes';
import { readRedFlagData } from '../../../projections/red-flags/red-flags.query';
import { RED_FLAG_FAMILIES } from '../../../src/policy/rules/red-flags.rules';
import { timeFlags } from '../../../src/red-flags/time-flags';
import { RedFlag } from '../../../projections/red-flags/red-flag-codes';
import { MASKED } from '../../../src/events/personal-fields';
import { RedFlagFilters } from '../../../src/red-flags/red-flag-report';

const flagsAt = (history: Step[], day: string, code: string) => flagsOf(reportOf(history, day), code);
const spans = (flags: RedFlag[]) => flags.map((f) => [f.subject, f.raisedAt, f.clearedAt]);

describe('RF-14 idle money', () => {
  const history = [
    ...approvedProject(),
    received({ amount: '1000.00', receivedOn: '2021-12-10' }),
    disbursed({ amount: '1000.00', paidOn: '2023-01-05', fiscalYear: 2023 }),
  ];

  it('money received and unpaid for 365 days is idle from the 365th day, not the day before', () => {
    expect(flagsAt(history, '2022-12-09', 'RF-14')).toEqual([]);
    const [flag] = flagsAt(history, '2022-12-10', 'RF-14');
    expect(flag).toMatchObject({
      subject: 'source:district_matching',
      severity: 'medium',
      raisedAt: '2022-12-10',
      clearedAt: null,
      figures: { idleAmount: '1000.00', idleDays: '365', oldestUnpaidOn: '2021-12-10' },
      rule: { ruleId: 'red-flag-idle-money' },
    });
  });

  it('is cleared on the day the money is paid, and money paid in time raises nothing', () => {
    expect(spans(flagsAt(history, '2023-06-01', 'RF-14'))).toEqual([
      ['source:district_matching', '2022-12-10', '2023-01-05'],
    ]);
    const paidInTime = [
      ...history.slice(0, -1),
      disbursed({ amount: '1000.00', paidOn: '2022-06-01', fiscalYear: 2022 }),
    ];
    expect(flagsAt(paidInTime, '2023-06-01', 'RF-14')).toEqual([]);
  });

  it('a contribution in kind is never idle money', () => {
    const inKind = [
      ...approvedProject(),
      received({ source: 'resident_in_kind', amount: '500.00', details: { valuationBasis: '20 h × 25.00/h' } }),
    ];
    expect(flagsAt(inKind, '2024-01-01', 'RF-14')).toEqual([]);
  });

  it('a payment reversed, the reversal undone, then all that remains reversed: none of it paid (attack finding 5)', () => {
    const payment = { entryId: 'PAY1', entryKind: 'payment' as const, lineId: 'B1-roof' };
    const history = [
      ...approvedProject(),
      received({ amount: '500.00', receivedOn: '2021-12-10' }),
      disbursed({ amount: '60.00', paidOn: '2021-12-20' }),
      reversed({ ...payment, reversalId: 'V1', amount: '10.00', full: false, reversedOn: '2021-12-21' }),
      reversalReversed({
        ...payment,
        reversalId: 'V2',
        reversedReversalId: 'V1',
        amount: '10.00',
        reversedOn: '2021-12-22',
      }),
      // What remains of PAY1 is 60.00: its own 50.00 and the 10.00 V2 gave back.
      reversed({ ...payment, reversalId: 'V6', amount: '60.00', full: true, reversedOn: '2021-12-23' }),
    ];
    const idle = (steps: Step[]) => flagsAt(steps, '2023-01-01', 'RF-14').map((f) => f.figures.idleAmount);
    expect(idle(history)).toEqual(['500.00']);
    // Part of V6 undone: 5.00 paid again, on V7's day.
    const undone = [
      ...history,
      reversalReversed({
        ...payment,
        reversalId: 'V7',
        reversedReversalId: 'V6',
        amount: '5.00',
        full: false,
        reversedOn: '2021-12-24',
      }),
    ];
    expect(idle(undone)).toEqual(['495.00']);
  });

  it("a batch's money not allocated for 365 days is idle until it is allocated", () => {
    const batch = [
      issued({ amount: '1000.00', issuedOn: '2021-03-01' }),
      allocated({ amount: '600.00', allocatedOn: '2021-04-01' }),
      allocated({ allocationId: 'A2', amount: '400.00', allocatedOn: '2022-05-01', allocatedTotal: '1000.00' }),
    ];
    expect(flagsAt(batch, '2022-02-28', 'RF-14').filter((f) => f.subject === 'unallocated')).toEqual([]);
    const [flag] = flagsAt(batch, '2022-12-31', 'RF-14').filter((f) => f.subject === 'unallocated');
    expect(flag).toMatchObject({
      projectId: null,
      batchId: 'YCJ2021-88',
      raisedAt: '2022-03-01',
      clearedAt: '2022-05-01',
      figures: { idleAmount: '400.00' },
    });
  });

  it('an allocation never received for 365 days is idle until money arrives on it', () => {
    const history = [
      ...approvedProject(),
      issued({ source: 'district_matching', issuedOn: '2021-06-01', batchId: 'TNCZ2021-12' }),
      allocated({ batchId: 'TNCZ2021-12', source: 'district_matching', amount: '1000.00', allocatedOn: '2021-06-10' }),
      allocationRecorded(),
      received({
        amount: '1000.00',
        allocationId: 'A1',
        batchId: 'TNCZ2021-12',
        receivedOn: '2022-07-01',
        fiscalYear: 2022,
      }),
    ];
    const allocation = (day: string) => flagsAt(history, day, 'RF-14').filter((f) => f.subject === 'allocation:A1');
    expect(allocation('2022-06-09')).toEqual([]);
    expect(spans(allocation('2022-12-31'))).toEqual([['allocation:A1', '2022-06-10', '2022-07-01']]);
  });
});

describe('RF-15 district matching below what was committed', () => {
  const history = [
    ...approvedProject(),
    pledged({ amount: '1000.00', fiscalYear: 2021 }),
    received({ amount: '600.00', pledgeId: 'P1' }),
    received({ receiptId: 'R2', amount: '400.00', pledgeId: 'P1', receivedOn: '2022-03-01', fiscalYear: 2021 }),
  ];

  it("a year's commitment not in place by the year's end is flagged from the next day until it is", () => {
    expect(flagsAt(history, '2021-12-31', 'RF-15')).toEqual([]);
    const [flag] = flagsAt(history, '2022-06-30', 'RF-15');
    expect(flag).toMatchObject({
      subject: 'matching:2021',
      severity: 'high',
      raisedAt: '2022-01-01',
      clearedAt: '2022-03-01',
      figures: { committed: '1000.00', received: '600.00', shortfall: '400.00' },
      rule: { ruleId: 'red-flag-district-matching', citation: '潼南府办发〔2021〕71号 四(四)' },
    });
  });

  it('a commitment received in its year raises nothing', () => {
    const inTime = [...history.slice(0, -1), received({ receiptId: 'R2', amount: '400.00', pledgeId: 'P1' })];
    expect(flagsAt(inTime, '2022-06-30', 'RF-15')).toEqual([]);
  });
});

describe('RF-15 district matching below a ratio of central money, once the district sets one', () => {
  const history = [
    ...approvedProject(),
    received({
      receiptId: 'R-C',
      source: 'central_fiscal_subsidy',
      amount: '1000.00',
      receivedOn: '2022-03-01',
      fiscalYear: 2022,
    }),
    received({ receiptId: 'R-M', amount: '500.00', receivedOn: '2022-05-01', fiscalYear: 2022 }),
  ];
  const ratioOf = (ratio: string | null) =>
    FLAG_RULES.map((r) =>
      r.family === RED_FLAG_FAMILIES.districtMatching ? { ...r, settings: { graceDays: 0, minimumRatio: ratio } } : r,
    );
  const flags = (ratio: string | null) => {
    const db = projected(history);
    try {
      return timeFlags(readRedFlagData(db), '2022-12-31', ratioOf(ratio)).filter((f) => f.code === 'RF-15');
    } finally {
      db.close();
    }
  };

  it('is off by default (no ratio in the rule as shipped)', () => {
    expect(flagsAt(history, '2022-12-31', 'RF-15')).toEqual([]);
    expect(flags(null)).toEqual([]);
  });

  it('flags matching below the ratio from the day central money came until matching caught up', () => {
    expect(spans(flags('0.50'))).toEqual([['matching-ratio', '2022-03-01', '2022-05-01']]);
    expect(flags('0.50')[0]).toMatchObject({
      severity: 'medium',
      figures: { central: '1000.00', districtMatching: '0.00' },
    });
    expect(spans(flags('0.60'))).toEqual([['matching-ratio', '2022-03-01', null]]);
  });
});

/**
 * A treasury direct payment is received on its allocation and paid at once (FIGURES_OF_ENTRY): it
 * receives an allocation (RF-14), counts as district matching received (RF-15), and is never idle.
 */
describe('treasury direct payments in the flags read as of a day', () => {
  /** District matching batch BATCH_ID, allocation A1 of `amount` to the project on 2021-06-10. */
  const allocatedToProject = (amount: string): Step[] => [
    ...approvedProject(),
    issued({ source: 'district_matching', issuedOn: '2021-06-01', batchId: BATCH_ID, amount }),
    allocated({ batchId: BATCH_ID, source: 'district_matching', amount, allocatedOn: '2021-06-10' }),
    allocationRecorded({ amount }),
  ];

  it('a receipt reversed, the reversal undone, then all that remains sent back: the allocation is undrawn in full', () => {
    const r1 = { entryId: 'R1', entryKind: 'receipt' as const, allocationId: 'A1', batchId: BATCH_ID };
    const history = [
      ...allocatedToProject('1000.00'),
      received({ amount: '400.00', allocationId: 'A1', batchId: BATCH_ID, receivedOn: '2021-07-01' }),
      reversed({ ...r1, reversalId: 'V1', amount: '100.00', full: false, reversedOn: '2021-07-02' }),
      reversalReversed({
        ...r1,
        reversalId: 'V2',
        reversedReversalId: 'V1',
        amount: '100.00',
        reversedOn: '2021-07-03',
      }),
      reversed({ ...r1, reversalId: 'V3', amount: '400.00', full: true, reversedOn: '2021-07-04' }),
    ];
    const idle = flagsAt(history, '2022-12-31', 'RF-14').map((f) => [f.subject, f.figures.idleAmount]);
    expect(idle).toEqual([['allocation:A1', '1000.00']]);
  });

  it('a partly drawn allocation stays idle for what remains undrawn (RF-14), until it is drawn in full', () => {
    const history = [
      ...allocatedToProject('1000.00'),
      received({
        receiptId: 'R-PART',
        amount: '400.00',
        allocationId: 'A1',
        batchId: BATCH_ID,
        receivedOn: '2021-07-01',
      }),
      received({
        receiptId: 'R-REST',
        amount: '600.00',
        allocationId: 'A1',
        batchId: BATCH_ID,
        receivedOn: '2022-09-01',
        fiscalYear: 2022,
      }),
    ];
    const allocation = flagsAt(history, '2022-12-31', 'RF-14').filter((f) => f.subject === 'allocation:A1');
    expect(spans(allocation)).toEqual([['allocation:A1', '2022-06-10', '2022-09-01']]);
    expect(allocation[0].figures).toMatchObject({ allocated: '1000.00', idleAmount: '600.00' });
  });

  it('an allocation first paid by the treasury after 365 days was never received until then (RF-14)', () => {
    const history = [
      ...allocatedToProject('1000.00'),
      treasuryPaid({ amount: '1000.00', paidOn: '2022-07-01', fiscalYear: 2022 }),
    ];
    const allocation = flagsAt(history, '2022-12-31', 'RF-14').filter((f) => f.subject === 'allocation:A1');
    expect(spans(allocation)).toEqual([['allocation:A1', '2022-06-10', '2022-07-01']]);
  });

  it('a treasury payment of 100 against an allocation of 100 raises no RF-14 and no RF-02', () => {
    const history = [...allocatedToProject('100.00'), treasuryPaid({ paidOn: '2021-07-01' })];
    const report = reportOf(history, '2023-12-31');
    expect(flagsOf(report, 'RF-14')).toEqual([]);
    expect(flagsOf(report, 'RF-02')).toEqual([]);
  });

  it('spends no receipt but its own: money received before it stays idle from its own date', () => {
    const history = [
      ...allocatedToProject('100.00'),
      received({ receiptId: 'R-OLD', amount: '100.00', receivedOn: '2021-01-05' }),
      treasuryPaid({ paidOn: '2021-07-01' }),
    ];
    const idle = flagsAt(history, '2022-12-31', 'RF-14').filter((f) => f.subject === 'source:district_matching');
    expect(spans(idle)).toEqual([['source:district_matching', '2022-01-05', null]]);
    expect(idle[0].figures).toMatchObject({ idleAmount: '100.00', oldestUnpaidOn: '2021-01-05' });
  });

  it('is never idle money, nor is its reversal a year later', () => {
    const history = [
      ...allocatedToProject('100.00'),
      treasuryPaid({ paidOn: '2021-07-01' }),
      reversed({
        reversalId: 'X-TP',
        entryId: 'TP1',
        entryKind: 'treasury_payment',
        allocationId: 'A1',
        batchId: BATCH_ID,
        lineId: 'B1-roof',
        reversedOn: '2023-03-01',
      }),
    ];
    expect(flagsAt(history, '2023-12-31', 'RF-14').filter((f) => f.subject.startsWith('source:'))).toEqual([]);
  });

  describe('RF-15 district matching', () => {
    const committed = (...money: Step[]): Step[] => [
      ...approvedProject(),
      allocationRecorded({ amount: '1000.00' }),
      pledged({ amount: '1000.00', fiscalYear: 2021 }),
      received({ amount: '600.00', pledgeId: 'P1' }),
      ...money,
    ];

    it('a treasury payment of the matching after the year is its commitment received late, once', () => {
      const history = committed(treasuryPaid({ amount: '400.00', paidOn: '2022-03-01', fiscalYear: 2021 }));
      const [flag] = flagsAt(history, '2022-06-30', 'RF-15');
      expect(flag).toMatchObject({
        subject: 'matching:2021',
        raisedAt: '2022-01-01',
        clearedAt: '2022-03-01',
        figures: { committed: '1000.00', received: '600.00', shortfall: '400.00' },
      });
    });

    it('one in the year counts as received, once: 200 of it leaves 200 short, 400 nothing', () => {
      const short = flagsAt(committed(treasuryPaid({ amount: '200.00' })), '2022-06-30', 'RF-15');
      expect(short.map((f) => f.figures)).toEqual([
        expect.objectContaining({ received: '800.00', shortfall: '200.00' }),
      ]);
      expect(flagsAt(committed(treasuryPaid({ amount: '400.00' })), '2022-06-30', 'RF-15')).toEqual([]);
    });
  });
});

describe("RF-16 residents' shares unpaid", () => {
  // The plan counts from the day it was recorded: 2023-06-01 (its vote was held 2023-05-20).
  const plan = (): Step[] => withElevatorPlan().map((event) => ({ event, recordedAt: '2023-06-01T00:00:00.000Z' }));

  it('a plan with nothing paid a year after it was adopted is the cost sharing not applied (medium)', () => {
    expect(flagsAt(plan(), '2024-05-30', 'RF-16')).toEqual([]);
    const [flag] = flagsAt(plan(), '2024-05-31', 'RF-16');
    expect(flag).toMatchObject({
      subject: 'plan-not-applied:PLAN-ELEVATOR',
      severity: 'medium',
      planId: 'PLAN-ELEVATOR',
      raisedAt: '2024-05-31',
      figures: { amount: '400000.00', paid: '0.00', unpaidHouseholds: '8' },
    });
  });

  it('a first payment clears it and leaves the shares unpaid (low), naming how many households paid nothing', () => {
    const history = [
      ...plan(),
      {
        event: withDecided(
          withElevatorPlan(),
          payShare('601', { receivedOn: '2024-06-10', fiscalYear: 2024, recordedOn: '2024-07-01' }),
        ).at(-1)!,
        recordedAt: '2024-07-01T00:00:00.000Z',
      },
    ];
    expect(spans(flagsAt(history, '2024-12-31', 'RF-16'))).toEqual([
      ['plan-not-applied:PLAN-ELEVATOR', '2024-05-31', '2024-06-10'],
      ['plan-shares:PLAN-ELEVATOR', '2024-06-10', null],
    ]);
    const unpaid = flagsAt(history, '2024-12-31', 'RF-16')[1];
    expect(unpaid).toMatchObject({ severity: 'low', figures: { paid: '1000.00', unpaidHouseholds: '7' } });
    // The message is read by people: thousands separators; the figures stay plain decimals.
    expect(unpaid.message).toEqual({
      zh: expect.stringContaining('居民已缴 1,000.00 元，未缴 399,000.00 元，7 户未缴'),
      en: expect.stringContaining('1,000.00 paid, 399,000.00 unpaid'),
    });
  });
});

describe('the report', () => {
  const history: Step[] = [
    registered({ builtYear: 2008 }),
    ...approvedProject().slice(1),
    received({ receiptId: 'R-C', source: 'central_fiscal_subsidy', amount: '300000.00', lineId: 'E1-meal-aid' }),
    received({
      receiptId: 'R-PF',
      source: 'provident_fund',
      amount: '5000.00',
      lineId: 'B1-roof',
      details: { householdId: 'H-1' },
    }),
  ];

  it('filters by project, town, code, severity and open, and totals what it lists by code and severity', () => {
    const all = reportOf(history, '2022-06-30');
    expect(all.flags.map((f) => f.code)).toEqual(['RF-12', 'RF-06', 'RF-21']);
    expect(all.totals).toMatchObject({ open: 3, cleared: 0, total: 3 });
    expect(all.totals.byCode['RF-21']).toEqual({ open: 1, cleared: 0, total: 1 });
    expect(all.totals.bySeverity).toMatchObject({ high: { total: 2 }, medium: { total: 1 }, low: { total: 0 } });
    const only = (filters: RedFlagFilters) => reportOf(history, '2022-06-30', { filters }).flags.map((f) => f.code);
    expect(only({ severity: 'medium' })).toEqual(['RF-21']);
    expect(only({ code: 'RF-06' })).toEqual(['RF-06']);
    expect(only({ town: 'Guilin Street' })).toHaveLength(3);
    expect(only({ town: '大佛街道' })).toEqual([]);
    expect(only({ projectId: PROJECT_ID, open: false })).toEqual([]);
  });

  it("a project or town filter lists only its projects' flags, from their rows alone", () => {
    const other = registered({ projectId: 'P-OTHER', town: '大佛街道', builtYear: 2008 });
    const both = [...history, other];
    const listed = (filters: RedFlagFilters) =>
      reportOf(both, '2022-06-30', { filters }).flags.map((f) => `${f.projectId} ${f.code}`);
    expect(listed({ projectId: PROJECT_ID })).toEqual([
      `${PROJECT_ID} RF-12`,
      `${PROJECT_ID} RF-06`,
      `${PROJECT_ID} RF-21`,
    ]);
    expect(listed({ town: '大佛街道' })).toEqual(['P-OTHER RF-12']);
    expect(listed({ projectId: PROJECT_ID, town: '大佛街道' })).toEqual([]);
  });

  it('names each flag with its rule title, project name and town', () => {
    const [flag] = reportOf(history, '2022-06-30', { filters: { code: 'RF-12' } }).flags;
    expect(flag).toMatchObject({
      title: { zh: '小区不符合改造范围', en: 'Ineligible community' },
      projectName: 'Guihua Lane renovation',
      town: 'Guilin Street',
      open: true,
    });
  });

  it('masks a household id for a reader who may not see personal data', () => {
    const events = withElevatorPlan();
    const plan = events.at(-1) as Extract<(typeof events)[number], { type: 'cost-share-plan-adopted.v1' }>;
    const exempt = { ...plan, data: { ...plan.data, exempt: ['H-3-2-601'] } };
    const tampered = [...events.slice(0, -1), exempt];
    const shown = flagsOf(reportOf(tampered, '2024-01-01'), 'RF-18')[0];
    expect(shown.householdId).toBe('H-3-2-601');
    const masked = flagsOf(reportOf(tampered, '2024-01-01', { view: 'masked' }), 'RF-18')[0];
    expect(masked.householdId).toBe(MASKED);
    expect(JSON.stringify(masked)).not.toContain('H-3-2-601');
  });
});
