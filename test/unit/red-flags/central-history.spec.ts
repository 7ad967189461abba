/**
 * RF-05's history of the central money received (centralHistory: the days and events the
 * projection keeps as it applies each flow) is what reading the project's flows again gives
 * (flowHistory over the central channels' receipts and their reversals): its totals per day, and
 * for any day its first events in log order and how many more. Checked after every event of
 * generated histories (fast-check, seeded): receipts of both central channels and of others, out of
 * date order, treasury payments, reversals and reversals undone, another project's, and more
 * events than a flag names (MAX_EVIDENCE).
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import {
  PROJECT_ID,
  approvedProject,
  received,
  reversalReversed,
  reversed,
  treasuryPaid,
} from '../../support/project-fixtures';
import { Step, recordsOf } from '../../support/red-flag-history';
import { redFlagsProjection } from '../../../projections/red-flags/red-flags.projection';
import { FlowHistory, centralHistory, flowHistory } from '../../../projections/red-flags/red-flag-facts';
import { CENTRAL_SOURCES } from '../../../projections/red-flags/red-flag-findings';
import { MAX_EVIDENCE } from '../../../projections/red-flags/red-flag-codes';
import { addDays } from '../../../src/policy/rest-days';

const OTHER = 'TN2021-099';
const day = (n: number) => addDays('2021-01-01', n);
const CENTRAL_WHERE = `f.source IN (${CENTRAL_SOURCES.map(() => '?').join(', ')}) AND f.kind IN ('receipt', 'receipt-reversal')`;

const step = fc.record({
  kind: fc.constantFrom('central', 'central2', 'matching', 'other', 'treasury', 'reversal', 'undo'),
  n: fc.integer({ min: 0, max: 60 }),
  yuan: fc.integer({ min: 1, max: 900 }),
});
type GeneratedStep = typeof step extends fc.Arbitrary<infer T> ? T : never;

function historyOf(steps: readonly GeneratedStep[]): Step[] {
  const history: Step[] = [...approvedProject()];
  let lastReversal: string | null = null;
  steps.forEach((s, i) => {
    const on = day(s.n);
    const fiscalYear = Number(on.slice(0, 4));
    const money = { amount: `${s.yuan}.00`, fiscalYear };
    switch (s.kind) {
      case 'central':
      case 'central2':
      case 'matching':
      case 'other':
        return history.push(
          received({
            receiptId: `R${i}`,
            source:
              s.kind === 'central'
                ? CENTRAL_SOURCES[0]
                : s.kind === 'central2'
                  ? CENTRAL_SOURCES[1]
                  : 'district_matching',
            receivedOn: on,
            ...money,
            ...(s.kind === 'other' ? { projectId: OTHER, source: CENTRAL_SOURCES[0] } : {}),
          }),
        );
      case 'treasury':
        return history.push(treasuryPaid({ paymentId: `T${i}`, source: CENTRAL_SOURCES[1], paidOn: on, ...money }));
      case 'reversal':
        // Of the first receipt (R0, whatever its source: one of the central channels or not).
        lastReversal = `X${i}`;
        return history.push(
          reversed({
            reversalId: `X${i}`,
            entryId: 'R0',
            source: CENTRAL_SOURCES[0],
            amount: '1.00',
            full: false,
            reversedOn: on,
          }),
        );
      case 'undo':
        // Undoes the latest reversal, if any: R0 counts again.
        if (lastReversal === null) return;
        return history.push(
          reversalReversed({
            reversalId: `U${i}`,
            reversedReversalId: lastReversal,
            entryId: 'R0',
            source: CENTRAL_SOURCES[0],
            amount: '1.00',
            full: false,
            reversedOn: on,
          }),
        );
    }
  });
  return history;
}

/** The history as a rule walks it: its totals (the order within a day aside), and its evidence before each day asked. */
function asRead(history: FlowHistory, days: readonly string[]) {
  const totals = history.totals
    .map((t) => `${t.onDate} ${t.kind} ${t.deltaFen}`)
    .sort()
    .join('\n');
  return { totals, evidence: days.map((d) => history.evidenceBefore(d)) };
}

describe("RF-05's central money received, kept per day and event", () => {
  it('is what reading the flows again gives, after every event of generated histories', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 70 }), (steps) => {
        const db = new Database(':memory:');
        db.defaultSafeIntegers(true);
        db.exec(redFlagsProjection.schema);
        const days = ['0000-01-01', ...Array.from({ length: 64 }, (_, n) => day(n)), '9999-12-31'];
        for (const r of recordsOf(historyOf(steps))) {
          if (!redFlagsProjection.handles.includes(r.type)) continue;
          redFlagsProjection.apply(db, r);
          for (const projectId of [PROJECT_ID, OTHER])
            expect(asRead(centralHistory(db, projectId), days)).toEqual(
              asRead(flowHistory(db, projectId, CENTRAL_WHERE, CENTRAL_SOURCES), days),
            );
        }
        db.close();
      }),
      { seed: 20261207, numRuns: 25 },
    );
  });

  it('past MAX_EVIDENCE events, names the first in log order and counts the rest', () => {
    const steps = Array.from({ length: MAX_EVIDENCE + 7 }, (_, i) => ({
      kind: 'central' as const,
      n: 60 - (i % 9),
      yuan: 1 + i,
    }));
    const db = new Database(':memory:');
    db.defaultSafeIntegers(true);
    db.exec(redFlagsProjection.schema);
    for (const r of recordsOf(historyOf(steps)))
      if (redFlagsProjection.handles.includes(r.type)) redFlagsProjection.apply(db, r);
    const all = centralHistory(db, PROJECT_ID).evidenceBefore('9999-12-31');
    expect(all.evidence).toHaveLength(MAX_EVIDENCE);
    expect(all.evidenceLeftOut).toBe(7);
    expect(all).toEqual(flowHistory(db, PROJECT_ID, CENTRAL_WHERE, CENTRAL_SOURCES).evidenceBefore('9999-12-31'));
  });
});
