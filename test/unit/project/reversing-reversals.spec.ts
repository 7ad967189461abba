/**
 * A wrong reversal is undone by reversing it (issue 14, point 10): a reversal is an entry like any
 * other, reversible in part or in full, and reversing it gives back to the entry what it took
 * (`reversal-reversed.v1`, `restores: true`), checked as that part of the entry booked again on
 * the new reversal's date. An undo that was itself wrong is reversed in turn (`restores: false`).
 * "A correction is a reversing event, never an edit" (style.md).
 */
import { fold } from '../../../src/shared/domain/decider';
import { projectDecider } from '../../../src/project/project.decider';
import { ProjectEvent } from '../../../src/project/project.events';
import {
  BATCH_ID,
  allocationRecorded,
  allocationReleased,
  approvedProject,
  budgeted,
  disburse,
  disbursed,
  given,
  pledged,
  receive,
  received,
  reverse,
  reversalReversed,
  reversed,
} from '../../support/project-fixtures';

const stateOf = (...events: ProjectEvent[]) => fold(projectDecider, events);

/** Receipt R1 (100.00) taken back in full by X1 on 2021-12-31. */
const wronglyReversed = (): ProjectEvent[] => [
  ...approvedProject(),
  received({ amount: '100.00' }),
  reversed({ reversalId: 'X1', entryId: 'R1', amount: '100.00', full: true, reversedOn: '2021-12-31' }),
];

describe('reversing a reversal', () => {
  it('undoes a wrong reversal in full: the receipt counts again', () => {
    given(...wronglyReversed())
      .when(reverse({ reversalId: 'X2', entryId: 'X1', reason: '冲销有误，予以恢复', reversedOn: '2022-01-05' }))
      .then(reversalReversed());
  });

  it('restores what it took: the money can be paid again, and the receipt shows nothing reversed', () => {
    const state = stateOf(...wronglyReversed(), reversalReversed());
    expect(state.entries.get('R1')).toMatchObject({ amountFen: 100_00n, reversedFen: 0n });
    expect(state.sources.get('district_matching')).toMatchObject({ receivedFen: 100_00n });
    expect(state.reversals.get('X1')).toMatchObject({ amountFen: 100_00n, reversedFen: 100_00n });
    given(...wronglyReversed(), reversalReversed())
      .when(disburse({ paidOn: '2022-01-05', fiscalYear: 2022 }))
      .then(disbursed({ paidOn: '2022-01-05', fiscalYear: 2022 }));
  });

  it('undoes part of a reversal, and then the rest, then has nothing to reverse', () => {
    const part = reversalReversed({ amount: '30.00', full: false });
    given(...wronglyReversed())
      .when(
        reverse({
          reversalId: 'X2',
          entryId: 'X1',
          amount: '30.00',
          reversedOn: '2022-01-05',
          reason: part.data.reason,
        }),
      )
      .then(part);
    given(...wronglyReversed(), part)
      .when(reverse({ reversalId: 'X3', entryId: 'X1', amount: '70.01', reversedOn: '2022-01-05' }))
      .thenThrows('reversal-exceeds-entry', 'amount');
    given(...wronglyReversed(), part)
      .when(reverse({ reversalId: 'X3', entryId: 'X1', reversedOn: '2022-01-05', reason: part.data.reason }))
      .then(reversalReversed({ reversalId: 'X3', amount: '70.00', full: true }));
    given(...wronglyReversed(), part, reversalReversed({ reversalId: 'X3', amount: '70.00', full: true }))
      .when(reverse({ reversalId: 'X4', entryId: 'X1', reversedOn: '2022-01-05' }))
      .thenThrows('nothing-to-reverse', 'entryId');
  });

  it('reverses an undo in turn, which takes the money back again', () => {
    const undo = reversalReversed();
    given(...wronglyReversed(), undo)
      .when(reverse({ reversalId: 'X3', entryId: 'X2', reason: '恢复有误', reversedOn: '2022-01-06' }))
      .then(
        reversalReversed({
          reversalId: 'X3',
          reversedReversalId: 'X2',
          restores: false,
          reason: '恢复有误',
          reversedOn: '2022-01-06',
        }),
      );
    const state = stateOf(
      ...wronglyReversed(),
      undo,
      reversalReversed({ reversalId: 'X3', reversedReversalId: 'X2', restores: false, reversedOn: '2022-01-06' }),
    );
    expect(state.entries.get('R1')).toMatchObject({ reversedFen: 100_00n });
    expect(state.sources.get('district_matching')).toMatchObject({ receivedFen: 0n });
  });

  it('refuses taking back again what another reversal of the entry already took (reversal-exceeds-entry)', () => {
    // X1 undone by X2; R1 then reversed in full by X3: undoing X2 would take R1 back twice.
    given(
      ...wronglyReversed(),
      reversalReversed(),
      reversed({ reversalId: 'X3', entryId: 'R1', amount: '100.00', full: true, reversedOn: '2022-01-06' }),
    )
      .when(reverse({ reversalId: 'X4', entryId: 'X2', reversedOn: '2022-01-07' }))
      .thenThrows('reversal-exceeds-entry', 'amount');
  });

  it('is dated on or after the reversal it reverses (date-before-entry)', () => {
    given(...wronglyReversed())
      .when(reverse({ reversalId: 'X2', entryId: 'X1', reversedOn: '2021-12-30' }))
      .thenThrows('date-before-entry', 'reversedOn');
  });

  it('uses a fresh id: entry-id-exists', () => {
    given(...wronglyReversed())
      .when(reverse({ reversalId: 'R1', entryId: 'X1', reversedOn: '2022-01-05' }))
      .thenThrows('entry-id-exists');
  });
});

describe('a payment given back by undoing its reversal is a payment again', () => {
  // Undoing the reversal of a payment pays the money out again on the undo's date: it must find
  // money received and not yet paid then, like any payment (RF-02), and fit its line's estimate.
  const paidBack = (): ProjectEvent[] => [
    ...approvedProject(),
    received({ amount: '100.00' }),
    disbursed({ paymentId: 'PAY1', amount: '100.00' }),
    reversed({ reversalId: 'X1', entryId: 'PAY1', entryKind: 'payment', lineId: 'B1-roof', reversedOn: '2021-12-21' }),
  ];
  const restorePayment = (overrides = {}) =>
    reversalReversed({ entryId: 'PAY1', entryKind: 'payment', lineId: 'B1-roof', ...overrides });

  it('pays it again when the money is still there', () => {
    given(...paidBack())
      .when(
        reverse({ reversalId: 'X2', entryId: 'X1', reversedOn: '2022-01-05', reason: restorePayment().data.reason }),
      )
      .then(restorePayment());
  });

  it('refuses when the money was paid out meanwhile (disbursement-exceeds-receipts)', () => {
    given(...paidBack(), disbursed({ paymentId: 'PAY2', amount: '100.00', paidOn: '2021-12-22' }))
      .when(reverse({ reversalId: 'X2', entryId: 'X1', reversedOn: '2022-01-05' }))
      .thenThrows('disbursement-exceeds-receipts', 'amount');
  });

  it('refuses on a date the money was not there (insufficient-funds-at-date)', () => {
    // PAY2 spent it on 2021-12-22 and was reversed on 2022-02-01: the money is back only from then.
    const history = [
      ...paidBack(),
      disbursed({ paymentId: 'PAY2', amount: '100.00', paidOn: '2021-12-22' }),
      reversed({
        reversalId: 'X9',
        entryId: 'PAY2',
        entryKind: 'payment',
        lineId: 'B1-roof',
        reversedOn: '2022-02-01',
      }),
    ];
    given(...history)
      .when(reverse({ reversalId: 'X2', entryId: 'X1', reversedOn: '2022-01-05' }))
      .thenThrows('insufficient-funds-at-date', 'amount');
  });
});

describe('a receipt given back by undoing its reversal fits its pledge and allocation again', () => {
  it('refuses when another receipt drew the pledge meanwhile (receipt-exceeds-pledge)', () => {
    given(
      ...budgeted(),
      pledged({ amount: '100.00' }),
      received({ pledgeId: 'P1', amount: '100.00' }),
      reversed({ reversalId: 'X1', entryId: 'R1', pledgeId: 'P1', reversedOn: '2021-12-12' }),
      received({ receiptId: 'R2', pledgeId: 'P1', amount: '100.00', receivedOn: '2021-12-15' }),
    )
      .when(reverse({ reversalId: 'X2', entryId: 'X1', reversedOn: '2022-01-05' }))
      .thenThrows('receipt-exceeds-pledge', 'amount');
  });

  it('refuses when the allocation was given back meanwhile (receipt-exceeds-allocation)', () => {
    const onA1 = { allocationId: 'A1', batchId: BATCH_ID };
    given(
      ...budgeted(),
      allocationRecorded(),
      received({ ...onA1, amount: '1000.00' }),
      reversed({ reversalId: 'X1', entryId: 'R1', ...onA1, amount: '1000.00', reversedOn: '2021-12-12' }),
      allocationReleased({ releasedOn: '2021-12-13' }),
    )
      .when(reverse({ reversalId: 'X2', entryId: 'X1', reversedOn: '2022-01-05' }))
      .thenThrows('receipt-exceeds-allocation', 'amount');
  });

  it('takes a receipt on a pledge back into the pledge it drew on', () => {
    const history = [
      ...budgeted(),
      pledged({ amount: '100.00' }),
      received({ pledgeId: 'P1', amount: '100.00' }),
      reversed({ reversalId: 'X1', entryId: 'R1', pledgeId: 'P1', reversedOn: '2021-12-12' }),
      reversalReversed({ pledgeId: 'P1', reversedOn: '2021-12-14' }),
    ];
    expect(stateOf(...history).entries.get('P1')).toMatchObject({ receivedFen: 100_00n });
    given(...history)
      .when(receive({ receiptId: 'R2', pledgeId: 'P1', amount: '0.01', receivedOn: '2021-12-15' }))
      .thenThrows('receipt-exceeds-pledge', 'amount');
  });
});

describe('evolve: reversal-reversed.v1', () => {
  it('asserts that the reversal it reverses was recorded, of the same entry', () => {
    expect(() => stateOf(...budgeted(), received(), reversalReversed())).toThrow(
      /invariant violated: reversal X1 of receipt R1 is recorded before it is reversed/,
    );
  });

  it('asserts that a reversal is never reversed beyond its amount', () => {
    expect(() =>
      stateOf(...wronglyReversed(), reversalReversed(), reversalReversed({ reversalId: 'X3', amount: '0.01' })),
    ).toThrow(/invariant violated: reversal X1 is never reversed beyond its amount/);
  });
});
