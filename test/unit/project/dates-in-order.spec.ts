/**
 * The rules on business dates (issue 14, defect 3): entries are recorded in any order, but as of
 * every business date the project must be one the rules would have accepted, because that is what
 * the as-of view (`?asOf=`) shows. A reversal is not dated before what it reverses; a payment is
 * covered by money received and not yet paid on its own date and on every date after it (per
 * source, per allocation); a receipt fits its pledge and its allocation on every date from its own.
 */
import {
  BATCH_ID,
  allocationRecorded,
  allocationReleased,
  approved,
  approvedProject,
  budgeted,
  disburse,
  disbursed,
  given,
  pledged,
  receive,
  received,
  releaseAllocation,
  reverse,
  reversed,
} from '../../support/project-fixtures';

describe('date-before-entry', () => {
  // Rule: a reversal takes back what an entry booked, so it is dated on or after that entry.
  it('refuses reversing a receipt before the day it was received (field reversedOn)', () => {
    given(...budgeted(), received({ receivedOn: '2021-12-10' }))
      .when(reverse({ entryId: 'R1', reversedOn: '2021-12-09' }))
      .thenThrows('date-before-entry', 'reversedOn');
  });

  it('takes a reversal on the very day of its entry', () => {
    given(...budgeted(), received({ receivedOn: '2021-12-10' }))
      .when(reverse({ entryId: 'R1', reversedOn: '2021-12-10' }))
      .then(reversed({ entryId: 'R1', reversedOn: '2021-12-10' }));
  });

  it('holds for pledges and payments too', () => {
    given(...budgeted(), pledged({ pledgedOn: '2021-12-02' }))
      .when(reverse({ entryId: 'P1', reversedOn: '2021-12-01' }))
      .thenThrows('date-before-entry', 'reversedOn');
    given(...approvedProject(), received(), disbursed({ paidOn: '2021-12-20' }))
      .when(reverse({ entryId: 'PAY1', reversedOn: '2021-12-19' }))
      .thenThrows('date-before-entry', 'reversedOn');
  });

  it('refuses a receipt dated before the pledge it draws on (field receivedOn)', () => {
    given(...budgeted(), pledged({ pledgedOn: '2021-12-02' }))
      .when(receive({ pledgeId: 'P1', receivedOn: '2021-12-01' }))
      .thenThrows('date-before-entry', 'receivedOn');
    given(...budgeted(), pledged({ pledgedOn: '2021-12-02' }))
      .when(receive({ pledgeId: 'P1', receivedOn: '2021-12-02' }))
      .then(received({ pledgeId: 'P1', receivedOn: '2021-12-02' }));
  });
});

describe('date-before-approval', () => {
  // "RF-01 Funds before approval" (domain.md §6) as of every date: no payment is dated before the
  // project's first approval, even when it is recorded after it.
  it('refuses a payment dated before the approval (field paidOn)', () => {
    given(...budgeted(), received({ receivedOn: '2021-11-01' }), approved('8000000.00', { approvedOn: '2021-12-01' }))
      .when(disburse({ paidOn: '2021-11-30' }))
      .thenThrows('date-before-approval', 'paidOn');
  });

  it('pays on the day of the approval', () => {
    given(...budgeted(), received({ receivedOn: '2021-11-01' }), approved('8000000.00', { approvedOn: '2021-12-01' }))
      .when(disburse({ paidOn: '2021-12-01' }))
      .then(disbursed({ paidOn: '2021-12-01' }));
  });

  it('counts from the first approval: a re-approval does not move it', () => {
    given(
      ...budgeted(),
      received({ receivedOn: '2021-11-01' }),
      approved('8000000.00', { approvedOn: '2021-12-01' }),
      approved('9000000.00', { approvedOn: '2022-06-01', reapproval: true }),
    )
      .when(disburse({ paidOn: '2022-01-15', fiscalYear: 2022 }))
      .then(disbursed({ paidOn: '2022-01-15', fiscalYear: 2022 }));
  });
});

describe('insufficient-funds-at-date: payments', () => {
  // Rule: "Disbursement exceeds receipts" (RF-02) on every date, not only today. A payment dated
  // before the money arrived would show negative available money as of the days between.
  it('refuses a payment dated before any money was received, though enough is received today', () => {
    given(...approvedProject(), received({ receivedOn: '2021-12-10', amount: '100.00' }))
      .when(disburse({ paidOn: '2021-12-09', amount: '100.00' }))
      .thenThrows('insufficient-funds-at-date', 'amount');
  });

  it('pays on the day the money arrived', () => {
    given(...approvedProject(), received({ receivedOn: '2021-12-10', amount: '100.00' }))
      .when(disburse({ paidOn: '2021-12-10', amount: '100.00' }))
      .then(disbursed({ paidOn: '2021-12-10', amount: '100.00' }));
  });

  it('refuses a back-dated payment of money a later payment already spent', () => {
    // 100.00 received in December and paid on 2022-03-01; 100.00 more arrives on 2022-05-01.
    const history = [
      ...approvedProject(),
      received({ receiptId: 'R1', receivedOn: '2021-12-10', amount: '100.00' }),
      disbursed({ paymentId: 'PAY1', paidOn: '2022-03-01', fiscalYear: 2022, amount: '100.00' }),
      received({ receiptId: 'R2', receivedOn: '2022-05-01', fiscalYear: 2022, amount: '100.00' }),
    ];
    // On 2022-02-01 the money is there, but on 2022-03-01 PAY1 would find 0.00 for itself.
    given(...history)
      .when(disburse({ paymentId: 'PAY2', paidOn: '2022-02-01', fiscalYear: 2022, amount: '0.01' }))
      .thenThrows('insufficient-funds-at-date', 'amount');
    given(...history)
      .when(disburse({ paymentId: 'PAY2', paidOn: '2022-05-01', fiscalYear: 2022, amount: '100.00' }))
      .then(disbursed({ paymentId: 'PAY2', paidOn: '2022-05-01', fiscalYear: 2022, amount: '100.00' }));
  });

  it('keeps a reversed payment paid until the day of its reversal', () => {
    const history = [
      ...approvedProject(),
      received({ receivedOn: '2021-12-10', amount: '100.00' }),
      disbursed({ paymentId: 'PAY1', paidOn: '2021-12-20', amount: '100.00' }),
      reversed({ entryId: 'PAY1', entryKind: 'payment', lineId: 'B1-roof', reversedOn: '2021-12-28' }),
    ];
    given(...history)
      .when(disburse({ paymentId: 'PAY2', paidOn: '2021-12-27', amount: '100.00' }))
      .thenThrows('insufficient-funds-at-date', 'amount');
    given(...history)
      .when(disburse({ paymentId: 'PAY2', paidOn: '2021-12-28', amount: '100.00' }))
      .then(disbursed({ paymentId: 'PAY2', paidOn: '2021-12-28', amount: '100.00' }));
  });

  it('keeps pipeline money apart per utility on every date', () => {
    const gas = { source: 'pipeline_unit', lineId: 'B3-gas-pipe' };
    given(
      ...approvedProject(),
      received({ ...gas, receivedOn: '2021-12-10', details: { utility: 'gas' } }),
      received({
        receiptId: 'R2',
        source: 'pipeline_unit',
        lineId: 'B4-water-supply',
        receivedOn: '2021-12-01',
        details: { utility: 'water' },
      }),
    )
      .when(disburse({ ...gas, paidOn: '2021-12-05' }))
      .thenThrows('insufficient-funds-at-date', 'amount');
  });

  it('refuses a payment from an allocation dated before the money on it arrived, even when the source has money then', () => {
    given(
      ...approvedProject(),
      allocationRecorded({ allocatedOn: '2021-06-10' }),
      received({ receiptId: 'R0', receivedOn: '2021-11-01', amount: '500.00' }),
      received({ receiptId: 'R1', allocationId: 'A1', batchId: BATCH_ID, receivedOn: '2021-12-10', amount: '100.00' }),
    )
      .when(disburse({ allocationId: 'A1', paidOn: '2021-12-05', amount: '100.00' }))
      .thenThrows('insufficient-funds-at-date', 'amount');
  });
});

describe('insufficient-funds-at-date: reversals of receipts', () => {
  // Rule: a receipt's money that a payment spent stays received until that payment's date at least.
  it('refuses taking back a receipt before the day its money was spent, when later money replaced it', () => {
    const history = [
      ...approvedProject(),
      received({ receiptId: 'R1', receivedOn: '2021-12-10', amount: '100.00' }),
      disbursed({ paymentId: 'PAY1', paidOn: '2021-12-20', amount: '100.00' }),
      received({ receiptId: 'R2', receivedOn: '2022-01-10', fiscalYear: 2022, amount: '100.00' }),
    ];
    given(...history)
      .when(reverse({ entryId: 'R1', reversedOn: '2021-12-15' }))
      .thenThrows('insufficient-funds-at-date', 'amount');
    given(...history)
      .when(reverse({ entryId: 'R1', reversedOn: '2022-01-10' }))
      .then(reversed({ entryId: 'R1', reversedOn: '2022-01-10' }));
  });
});

describe('insufficient-funds-at-date: pledges and allocations', () => {
  // Rule: receipts never exceed their pledge, nor their allocation, as of any date.
  const pledgeHistory = [
    ...budgeted(),
    pledged({ amount: '100.00', pledgedOn: '2021-12-02' }),
    received({ receiptId: 'R1', pledgeId: 'P1', amount: '100.00', receivedOn: '2021-12-10' }),
    reversed({ entryId: 'R1', pledgeId: 'P1', amount: '100.00', reversedOn: '2021-12-31' }),
  ];

  it('refuses a receipt on a pledge dated before an earlier receipt on it was taken back', () => {
    given(...pledgeHistory)
      .when(receive({ receiptId: 'R2', pledgeId: 'P1', amount: '100.00', receivedOn: '2021-12-15' }))
      .thenThrows('insufficient-funds-at-date', 'amount');
    given(...pledgeHistory)
      .when(receive({ receiptId: 'R2', pledgeId: 'P1', amount: '100.00', receivedOn: '2021-12-31' }))
      .then(received({ receiptId: 'R2', pledgeId: 'P1', amount: '100.00', receivedOn: '2021-12-31' }));
  });

  it('refuses reversing a pledge as of a date its receipts still needed it', () => {
    given(...pledgeHistory)
      .when(reverse({ reversalId: 'X2', entryId: 'P1', reversedOn: '2021-12-20' }))
      .thenThrows('insufficient-funds-at-date', 'amount');
  });

  it('refuses a receipt on an allocation dated before the allocation (date-before-allocation, field receivedOn)', () => {
    given(...budgeted(), allocationRecorded({ allocatedOn: '2021-06-10' }))
      .when(receive({ allocationId: 'A1', receivedOn: '2021-06-09' }))
      .thenThrows('date-before-allocation', 'receivedOn');
  });

  it('refuses giving back an allocation before it was made (date-before-allocation, field releasedOn)', () => {
    given(...budgeted(), allocationRecorded({ allocatedOn: '2021-06-10' }))
      .when(releaseAllocation({ releasedOn: '2021-06-09' }))
      .thenThrows('date-before-allocation', 'releasedOn');
  });

  it('refuses giving back, as of a date, what a receipt drew on the allocation until its later reversal', () => {
    const history = [
      ...budgeted(),
      allocationRecorded({ allocatedOn: '2021-06-10' }),
      received({ allocationId: 'A1', batchId: BATCH_ID, amount: '400.00', receivedOn: '2021-07-01' }),
      reversed({ entryId: 'R1', allocationId: 'A1', batchId: BATCH_ID, amount: '400.00', reversedOn: '2021-09-01' }),
    ];
    given(...history)
      .when(releaseAllocation({ releasedOn: '2021-08-01' }))
      .thenThrows('insufficient-funds-at-date', 'amount');
    given(...history)
      .when(releaseAllocation({ releasedOn: '2021-09-01' }))
      .then(allocationReleased({ releasedOn: '2021-09-01' }));
  });

  it('refuses a receipt on an allocation dated before the reversal that gave the allocation room again', () => {
    // 1,000.00 allocated; R1 draws 400.00 on 2021-07-01; 600.00 is given back on 2021-08-01;
    // R1 is reversed on 2021-09-01: 400.00 undrawn today, but none between 2021-08-01 and then.
    const history = [
      ...budgeted(),
      allocationRecorded({ allocatedOn: '2021-06-10' }),
      received({ receiptId: 'R1', allocationId: 'A1', batchId: BATCH_ID, amount: '400.00', receivedOn: '2021-07-01' }),
      allocationReleased({ amount: '600.00', full: false, releasedOn: '2021-08-01' }),
      reversed({ entryId: 'R1', allocationId: 'A1', batchId: BATCH_ID, amount: '400.00', reversedOn: '2021-09-01' }),
    ];
    given(...history)
      .when(receive({ receiptId: 'R2', allocationId: 'A1', amount: '400.00', receivedOn: '2021-07-15' }))
      .thenThrows('insufficient-funds-at-date', 'amount');
    given(...history)
      .when(receive({ receiptId: 'R2', allocationId: 'A1', amount: '400.00', receivedOn: '2021-09-01' }))
      .then(
        received({
          receiptId: 'R2',
          allocationId: 'A1',
          batchId: BATCH_ID,
          amount: '400.00',
          receivedOn: '2021-09-01',
        }),
      );
  });
});
