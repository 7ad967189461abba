import {
  approvedProject,
  budgeted,
  disbursed,
  given,
  pledged,
  received,
  reverse,
  reversalReversed,
  reversed,
} from '../../support/project-fixtures';

describe('reversing an entry', () => {
  // "{reversalId, entryId, amount?, reason}: full or partial reversal of a pledge, receipt or
  // payment" (product.md); "a correction is a reversing event, never an edit" (style.md).
  // `full` says whether the reversal brings what remains of the entry to zero.
  it('reverses all that remains when no amount is given (full)', () => {
    given(...budgeted(), received({ amount: '100.00' }))
      .when(reverse({ entryId: 'R1' }))
      .then(reversed({ entryId: 'R1', entryKind: 'receipt', amount: '100.00', full: true }));
  });

  it('reverses part of an entry (not full)', () => {
    given(...budgeted(), received({ amount: '100.00' }))
      .when(reverse({ entryId: 'R1', amount: '30.00' }))
      .then(reversed({ entryId: 'R1', amount: '30.00', full: false }));
  });

  it('calls the reversal of the rest full', () => {
    given(
      ...budgeted(),
      received({ amount: '100.00' }),
      reversed({ reversalId: 'X1', entryId: 'R1', amount: '30.00', full: false }),
    )
      .when(reverse({ reversalId: 'X2', entryId: 'R1', amount: '70.00' }))
      .then(reversed({ reversalId: 'X2', entryId: 'R1', amount: '70.00', full: true }));
  });

  it('carries the source, line and pledge of the entry it reverses', () => {
    given(
      ...budgeted(),
      pledged({ source: 'special_bond', lineId: 'B2-drainage' }),
      received({ source: 'special_bond', pledgeId: 'P1', lineId: 'B2-drainage' }),
    )
      .when(reverse({ entryId: 'R1' }))
      .then(
        reversed({
          entryId: 'R1',
          entryKind: 'receipt',
          source: 'special_bond',
          pledgeId: 'P1',
          lineId: 'B2-drainage',
          amount: '100.00',
          full: true,
        }),
      );
  });

  it('reverses a payment', () => {
    given(...approvedProject(), received(), disbursed({ paymentId: 'PAY1' }))
      .when(reverse({ entryId: 'PAY1' }))
      .then(reversed({ entryId: 'PAY1', entryKind: 'payment', lineId: 'B1-roof', amount: '100.00', full: true }));
  });

  // "A pledge cannot be un-promised below what was already received against it."
  it('reverses only the part of a pledge not yet received', () => {
    given(...budgeted(), pledged({ amount: '100.00' }), received({ pledgeId: 'P1', amount: '60.00' }))
      .when(reverse({ entryId: 'P1' }))
      .then(reversed({ entryId: 'P1', entryKind: 'pledge', amount: '40.00', full: true }));
  });

  it('names its reason and date', () => {
    given(...budgeted(), received())
      .when(reverse({ reason: ' ' }))
      .thenThrows('invalid-field', 'reason');
    given(...budgeted(), received())
      .when(reverse({ reversedOn: '2021-02-30' }))
      .thenThrows('invalid-date', 'reversedOn');
  });
});

describe('entry-not-found', () => {
  // Rule: a reversal names a pledge, receipt or payment of this project.
  it('refuses reversing an entry that does not exist (field entryId)', () => {
    given(...budgeted(), received())
      .when(reverse({ entryId: 'R9' }))
      .thenThrows('entry-not-found', 'entryId');
  });

  it('finds a reversal by its id: a reversal is an entry that can be reversed (see reversing-reversals.spec.ts)', () => {
    given(...budgeted(), received({ amount: '100.00' }), reversed({ reversalId: 'X1', amount: '10.00', full: false }))
      .when(reverse({ reversalId: 'X2', entryId: 'X1', reversedOn: '2022-01-05' }))
      .then(reversalReversed({ amount: '10.00', reason: 'booked twice', reversedOn: '2022-01-05' }));
  });
});

describe('reversal-exceeds-entry', () => {
  // Rule: a reversal takes back at most what remains of the entry.
  it('refuses reversing 100.01 of a 100.00 receipt (field amount)', () => {
    given(...budgeted(), received({ amount: '100.00' }))
      .when(reverse({ amount: '100.01' }))
      .thenThrows('reversal-exceeds-entry', 'amount');
  });

  it('counts earlier partial reversals', () => {
    given(...budgeted(), received({ amount: '100.00' }), reversed({ reversalId: 'X1', amount: '30.00', full: false }))
      .when(reverse({ reversalId: 'X2', amount: '70.01' }))
      .thenThrows('reversal-exceeds-entry');
  });

  it('counts what was received against a pledge', () => {
    given(...budgeted(), pledged({ amount: '100.00' }), received({ pledgeId: 'P1', amount: '60.00' }))
      .when(reverse({ entryId: 'P1', amount: '40.01' }))
      .thenThrows('reversal-exceeds-entry');
  });
});

describe('nothing-to-reverse', () => {
  // Rule: an entry already reversed in full has nothing left to take back.
  it('refuses reversing a fully reversed receipt (field entryId)', () => {
    given(...budgeted(), received(), reversed({ entryId: 'R1', full: true }))
      .when(reverse({ reversalId: 'X2', entryId: 'R1' }))
      .thenThrows('nothing-to-reverse', 'entryId');
  });

  it('refuses reversing a pledge received in full', () => {
    given(...budgeted(), pledged({ amount: '100.00' }), received({ pledgeId: 'P1', amount: '100.00' }))
      .when(reverse({ entryId: 'P1' }))
      .thenThrows('nothing-to-reverse', 'entryId');
  });
});

describe('reversal-exceeds-available', () => {
  // Rule: reversing a receipt may not leave a source with more paid out than received (RF-02
  // by the back door): reverse the payment first.
  const paidOut80 = [...approvedProject(), received({ amount: '100.00' }), disbursed({ amount: '80.00' })];

  it('refuses reversing a receipt whose money was paid out (field amount)', () => {
    given(...paidOut80)
      .when(reverse({ entryId: 'R1' }))
      .thenThrows('reversal-exceeds-available', 'amount');
  });

  it('reverses the part still available', () => {
    given(...paidOut80)
      .when(reverse({ entryId: 'R1', amount: '20.00' }))
      .then(reversed({ entryId: 'R1', amount: '20.00', full: false }));
  });

  it('refuses one fen more than is available', () => {
    given(...paidOut80)
      .when(reverse({ entryId: 'R1', amount: '20.01' }))
      .thenThrows('reversal-exceeds-available');
  });
});
