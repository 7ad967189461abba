import {
  approvedProject,
  budgeted,
  disburse,
  given,
  pledge,
  pledged,
  receive,
  received,
  reverse,
  reversed,
} from '../../support/project-fixtures';

describe('entry-id-exists', () => {
  // Rule: pledge, receipt, payment and reversal ids share one namespace per project, so an id
  // names one entry for ever (a repeat is a conflict, 409; idempotent retries are the handler's job).
  it('refuses a second pledge with the same pledgeId', () => {
    given(...budgeted(), pledged())
      .when(pledge())
      .thenThrows('entry-id-exists');
  });

  it('refuses a receipt that reuses a pledge id', () => {
    given(...budgeted(), pledged({ pledgeId: 'E-1' }))
      .when(receive({ receiptId: 'E-1' }))
      .thenThrows('entry-id-exists');
  });

  it('refuses a payment that reuses a receipt id', () => {
    given(...approvedProject(), received({ receiptId: 'E-1' }))
      .when(disburse({ paymentId: 'E-1' }))
      .thenThrows('entry-id-exists');
  });

  it('refuses a pledge that reuses a reversal id', () => {
    given(...budgeted(), received(), reversed({ reversalId: 'E-1' }))
      .when(pledge({ pledgeId: 'E-1' }))
      .thenThrows('entry-id-exists');
  });

  it('refuses a reversal that reuses a reversal id', () => {
    given(...budgeted(), received({ amount: '100.00' }), reversed({ reversalId: 'X1', amount: '10.00', full: false }))
      .when(reverse({ reversalId: 'X1', amount: '10.00' }))
      .thenThrows('entry-id-exists');
  });
});

describe('pledge-not-found', () => {
  // Rule: a receipt drawn on a pledge names a pledge of this project.
  it('refuses a receipt drawn on a pledge that does not exist (field pledgeId)', () => {
    given(...budgeted())
      .when(receive({ pledgeId: 'P9' }))
      .thenThrows('pledge-not-found', 'pledgeId');
  });

  it('refuses a receipt drawn on an entry that is not a pledge', () => {
    given(...budgeted(), received({ receiptId: 'R1' }))
      .when(receive({ receiptId: 'R2', pledgeId: 'R1' }))
      .thenThrows('pledge-not-found', 'pledgeId');
  });
});

describe('pledge-source-mismatch', () => {
  // Rule: money received against a pledge comes from the source that pledged it.
  it('refuses a district receipt drawn on a bond pledge (field source)', () => {
    given(...budgeted(), pledged({ source: 'special_bond' }))
      .when(receive({ source: 'district_matching', pledgeId: 'P1' }))
      .thenThrows('pledge-source-mismatch', 'source');
  });
});

describe('pledge-line-mismatch', () => {
  // Rule: a receipt drawn on an earmarked pledge lands on the pledge's line; without a lineId it
  // inherits it.
  it('refuses a receipt on another line than its pledge (field lineId)', () => {
    given(...budgeted(), pledged({ lineId: 'B1-roof' }))
      .when(receive({ pledgeId: 'P1', lineId: 'B2-drainage' }))
      .thenThrows('pledge-line-mismatch', 'lineId');
  });

  it('puts a receipt without a lineId on the pledge line', () => {
    given(...budgeted(), pledged({ lineId: 'B1-roof' }))
      .when(receive({ pledgeId: 'P1' }))
      .then(received({ pledgeId: 'P1', lineId: 'B1-roof' }));
  });

  it('lets a receipt earmark money a pledge left open', () => {
    given(...budgeted(), pledged())
      .when(receive({ pledgeId: 'P1', lineId: 'B2-drainage' }))
      .then(received({ pledgeId: 'P1', lineId: 'B2-drainage' }));
  });
});

describe('receipt-exceeds-pledge', () => {
  // Rule: receipts drawn on a pledge never exceed what remains of it: the amount pledged, net of
  // reversals of the pledge, less the receipts against it net of their own reversals.
  it('refuses 100.01 received on a pledge of 100.00 (field amount)', () => {
    given(...budgeted(), pledged({ amount: '100.00' }))
      .when(receive({ pledgeId: 'P1', amount: '100.01' }))
      .thenThrows('receipt-exceeds-pledge', 'amount');
  });

  it('accepts a pledge received in full, in two parts', () => {
    given(...budgeted(), pledged({ amount: '100.00' }), received({ receiptId: 'R1', pledgeId: 'P1', amount: '60.00' }))
      .when(receive({ receiptId: 'R2', pledgeId: 'P1', amount: '40.00' }))
      .then(received({ receiptId: 'R2', pledgeId: 'P1', amount: '40.00' }));
  });

  it('refuses the fen that would take two receipts past the pledge', () => {
    given(...budgeted(), pledged({ amount: '100.00' }), received({ receiptId: 'R1', pledgeId: 'P1', amount: '60.00' }))
      .when(receive({ receiptId: 'R2', pledgeId: 'P1', amount: '40.01' }))
      .thenThrows('receipt-exceeds-pledge');
  });

  it('counts a partial reversal of the pledge against what remains', () => {
    given(
      ...budgeted(),
      pledged({ amount: '100.00' }),
      reversed({ entryId: 'P1', entryKind: 'pledge', amount: '30.00', full: false }),
    )
      .when(receive({ pledgeId: 'P1', amount: '70.01' }))
      .thenThrows('receipt-exceeds-pledge');
  });

  it('lets the pledge remaining grow back after a partial reversal of a receipt', () => {
    const history = [
      ...budgeted(),
      pledged({ amount: '100.00' }),
      received({ receiptId: 'R1', pledgeId: 'P1', amount: '100.00' }),
      reversed({
        reversalId: 'X1',
        entryId: 'R1',
        entryKind: 'receipt',
        pledgeId: 'P1',
        amount: '40.00',
        full: false,
        reversedOn: '2021-12-10', // the day of R2 below: what it frees counts from then on
      }),
    ];
    given(...history)
      .when(receive({ receiptId: 'R2', pledgeId: 'P1', amount: '40.00' }))
      .then(received({ receiptId: 'R2', pledgeId: 'P1', amount: '40.00' }));
    given(...history)
      .when(receive({ receiptId: 'R2', pledgeId: 'P1', amount: '40.01' }))
      .thenThrows('receipt-exceeds-pledge');
  });

  it('refuses any receipt on a pledge that was fully reversed', () => {
    given(
      ...budgeted(),
      pledged({ amount: '100.00' }),
      reversed({ entryId: 'P1', entryKind: 'pledge', amount: '100.00' }),
    )
      .when(receive({ pledgeId: 'P1', amount: '0.01' }))
      .thenThrows('receipt-exceeds-pledge');
  });
});
