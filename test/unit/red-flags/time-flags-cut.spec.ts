/**
 * The time flags the read model stores (storedTimeFlags: computed once against the end of time)
 * and cut at a day D (cutTimeFlag) are the flags timeFlags computes as of D: raisedAt and clearedAt
 * depend on the facts alone, and an open flag reads as of D (its figures so far, its evidence
 * dated by D). Checked on generated histories (fast-check, seeded) of one project and two batches
 * (idle money of all three kinds, district matching, residents' shares, a reversal) read as of
 * many days, and on the fixed histories of red-flag-report.spec.ts's kind.
 */
import fc from 'fast-check';
import {
  PROJECT_ID,
  allocationRecorded,
  approved,
  approvedProject,
  disbursed,
  pledged,
  received,
  registered,
  reversed,
  treasuryPaid,
} from '../../support/project-fixtures';
import { withElevatorPlan } from '../../support/resident-fixtures';
import { allocated, issued } from '../fund-batch/fund-batch-fixtures';
import { Step, projected, recordsOf } from '../../support/red-flag-history';
import Database from 'better-sqlite3';
import { redFlagsProjection } from '../../../projections/red-flags/red-flags.projection';
import { readStoredTimeFlags, redFlagsReadModel } from '../../../src/red-flags/stored-time-flags';
import { FLAG_RULES, RedFlag } from '../../../projections/red-flags/red-flag-codes';
import { RED_FLAG_FAMILIES as F } from '../../../src/policy/rules/red-flags.rules';
import { RedFlagData, byRaised, readRedFlagData } from '../../../projections/red-flags/red-flags.query';
import { addDays } from '../../../src/policy/rest-days';
import { StoredTimeFlag, cutTimeFlag, storedTimeFlags, timeFlags } from '../../../src/red-flags/time-flags';

const FIRST = '2021-01-01';
const OTHER = 'TN2021-099';
const day = (n: number) => addDays(FIRST, n);
const amount = (yuan: number) => `${yuan}.00`;

/** What the store answers as of `d`: the stored flags cut at it, in the report's order. */
const cut = (data: RedFlagData, d: string): RedFlag[] =>
  storedTimeFlags(data)
    .map((s) => cutTimeFlag(s, d))
    .filter((f): f is RedFlag => f !== null)
    .sort(byRaised);
const computed = (data: RedFlagData, d: string): RedFlag[] => [...timeFlags(data, d)].sort(byRaised);

/** One money event of a generated history, by kind, on day `n` after FIRST. */
const moneyStep = fc.record({
  kind: fc.constantFrom('receipt', 'drawn', 'payment', 'treasury', 'matching', 'central', 'reversal', 'share', 'other'),
  n: fc.integer({ min: 0, max: 1800 }),
  yuan: fc.integer({ min: 1, max: 900 }),
});
type MoneyStep = typeof moneyStep extends fc.Arbitrary<infer T> ? T : never;

function historyOf(steps: readonly MoneyStep[], allocatedOn: number, issuedOn: number): Step[] {
  const history: Step[] = [
    ...withElevatorPlan().map((event) => ({ event, recordedAt: `${day(200)}T00:00:00.000Z` })),
    approved(),
    issued({ source: 'district_matching', issuedOn: day(issuedOn), amount: '5000.00', fiscalYear: 2021 }),
    issued({ batchId: 'B2', source: 'central_fiscal_subsidy', issuedOn: day(issuedOn + 30), amount: '900.00' }),
    allocated({ source: 'district_matching', amount: '2000.00', allocatedOn: day(allocatedOn) }),
    allocated({ batchId: 'B2', allocationId: 'A2', amount: '300.00', allocatedOn: day(allocatedOn + 400) }),
    allocationRecorded({ amount: '2000.00' }),
    registered({ projectId: OTHER, name: '另一小区' }),
    allocated({ allocationId: 'A3', projectId: OTHER, amount: '700.00', allocatedOn: day(allocatedOn + 10) }),
    pledged({ amount: '1500.00', fiscalYear: 2022, pledgedOn: day(300) }),
  ];
  steps.forEach((s, i) => {
    const on = day(s.n);
    const fiscalYear = Number(on.slice(0, 4));
    const id = `${s.kind}-${i}`;
    switch (s.kind) {
      case 'receipt':
        return history.push(received({ receiptId: id, amount: amount(s.yuan), receivedOn: on, fiscalYear }));
      case 'drawn':
        return history.push(
          received({
            receiptId: id,
            amount: amount(s.yuan),
            receivedOn: on,
            fiscalYear,
            allocationId: 'A1',
            batchId: 'TNCZ2021-12',
          }),
        );
      case 'matching':
        return history.push(
          received({ receiptId: id, amount: amount(s.yuan), receivedOn: on, fiscalYear: 2022, pledgeId: 'P1' }),
        );
      case 'central':
        return history.push(
          received({
            receiptId: id,
            source: 'central_fiscal_subsidy',
            amount: amount(s.yuan),
            receivedOn: on,
            fiscalYear,
          }),
        );
      case 'other':
        return history.push(
          received({ projectId: OTHER, receiptId: id, amount: amount(s.yuan), receivedOn: on, fiscalYear }),
        );
      case 'payment':
        return history.push(disbursed({ paymentId: id, amount: amount(s.yuan), paidOn: on, fiscalYear }));
      case 'treasury':
        return history.push(treasuryPaid({ paymentId: id, amount: amount(s.yuan), paidOn: on, fiscalYear }));
      case 'reversal':
        return history.push(
          reversed({ reversalId: id, entryId: 'receipt-0', amount: '1.00', full: false, reversedOn: on }),
        );
      case 'share':
        return history.push(
          received({
            receiptId: id,
            source: 'resident_direct',
            amount: amount(s.yuan),
            details: { householdId: `H-3-2-${['601', '602', '501'][s.yuan % 3]}` },
            planId: 'PLAN-ELEVATOR',
            receivedOn: on,
            fiscalYear,
          }),
        );
    }
  });
  return history;
}

describe('time flags stored against the end of time, cut at a day', () => {
  it('judge by settings that are the same in every version, which the end of time reads as any day would', () => {
    // The stored flags take the idle-money and district-matching settings in force at the end of
    // time; per read they were those of the day read. The two agree while every version of each
    // family has the same settings: a setting changed from a date must be judged per spell by its
    // day, and the projection's version raised so that stored flags are computed again.
    for (const family of [F.idleMoney, F.districtMatching]) {
      const versions = FLAG_RULES.filter((r) => r.family === family);
      expect(versions.length).toBeGreaterThan(0);
      const settings = new Set(versions.map((r) => JSON.stringify(r.settings)));
      expect({ family, settings: [...settings] }).toEqual({ family, settings: [JSON.stringify(versions[0].settings)] });
      expect(versions.some((r) => r.effectiveTo === undefined)).toBe(true);
    }
  });

  it('are the flags computed as of that day, for generated histories and many days', () => {
    fc.assert(
      fc.property(
        fc.array(moneyStep, { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 0, max: 300 }),
        fc.array(fc.integer({ min: -30, max: 2600 }), { minLength: 5, maxLength: 12 }),
        (steps, allocatedOn, issuedOn, days) => {
          const data = readRedFlagData(projected(historyOf(steps, allocatedOn, issuedOn)));
          for (const n of days) expect(cut(data, day(n))).toEqual(computed(data, day(n)));
        },
      ),
      { seed: 20261206, numRuns: 60 },
    );
  });

  it('the projection stores them per project and batch, the scopes pages touched settled a few at a time, then all', () => {
    const byFlag = (a: StoredTimeFlag, b: StoredTimeFlag) =>
      `${a.flag.projectId ?? a.flag.batchId}/${a.flag.flagId}` <
      `${b.flag.projectId ?? b.flag.batchId}/${b.flag.flagId}`
        ? -1
        : 1;
    fc.assert(
      fc.property(
        fc.array(moneyStep, { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 1, max: 12 }),
        (steps, allocatedOn, pageSize) => {
          const db = new Database(':memory:');
          db.defaultSafeIntegers(true);
          db.exec(redFlagsProjection.schema);
          const records = recordsOf(historyOf(steps, allocatedOn, 100));
          for (let i = 0; i < records.length; i += pageSize) {
            for (const r of records.slice(i, i + pageSize))
              if (redFlagsProjection.handles.includes(r.type)) redFlagsProjection.apply(db, r);
            // A step with no budget settles one scope due: some stay due across pages.
            redFlagsReadModel.settle!(db, 0);
          }
          expect(redFlagsReadModel.settle!(db, Infinity)).toBe(false);
          const stored = readStoredTimeFlags(db).sort(byFlag);
          expect(stored.length).toBeGreaterThan(0);
          expect(stored).toEqual(storedTimeFlags(readRedFlagData(db)).sort(byFlag));
        },
      ),
      { seed: 20261207, numRuns: 40 },
    );
  });

  it('an open idle spell reads as of the day: the most idle so far and the events dated by then', () => {
    const history: Step[] = [
      ...approvedProject(),
      received({ receiptId: 'R1', amount: '100.00', receivedOn: '2021-01-05' }),
      received({ receiptId: 'R2', amount: '300.00', receivedOn: '2021-06-01' }),
    ];
    const data = readRedFlagData(projected(history));
    const idle = (d: string) => cut(data, d).filter((f) => f.subject === 'source:district_matching');
    expect(idle('2022-01-04')).toEqual([]);
    expect(idle('2022-01-05')).toEqual([
      expect.objectContaining({
        raisedAt: '2022-01-05',
        clearedAt: null,
        figures: expect.objectContaining({ idleAmount: '100.00' }),
      }),
    ]);
    expect(idle('2022-06-01')[0].figures.idleAmount).toBe('400.00');
    expect(idle('2022-06-01')).toEqual(
      computed(data, '2022-06-01').filter((f) => f.subject === 'source:district_matching'),
    );
    expect(PROJECT_ID).toBe(idle('2022-06-01')[0].projectId);
  });
});
