import {
  approvedProject,
  asWire,
  budgetLine,
  budgeted,
  disburse,
  disbursed,
  given,
  pledged,
  received,
  reverse,
  reversed,
} from '../../support/project-fixtures';

describe('project-not-approved', () => {
  // "RF-01 Funds before approval" (domain.md §6): no disbursement before the project is approved.
  it('refuses a disbursement before approval (409)', () => {
    given(...budgeted(), received())
      .when(disburse())
      .thenThrows('project-not-approved');
  });

  it('pays out once approved', () => {
    given(...approvedProject(), received())
      .when(disburse())
      .then(disbursed());
  });
});

describe('disbursement-exceeds-receipts', () => {
  // "RF-02 Disbursement exceeds receipts: per project and source, Σpaid > Σreceived" (domain.md §6):
  // a source pays out at most what it paid in and was not yet paid out, net of reversals.
  it('refuses paying 150.00 of 100.00 received (field amount)', () => {
    given(...approvedProject(), received({ source: 'district_matching', amount: '100.00' }))
      .when(disburse({ source: 'district_matching', amount: '150.00' }))
      .thenThrows('disbursement-exceeds-receipts', 'amount');
  });

  it('pays out exactly what was received', () => {
    given(...approvedProject(), received({ amount: '100.00' }))
      .when(disburse({ amount: '100.00' }))
      .then(disbursed({ amount: '100.00' }));
  });

  it('counts earlier payments from the source', () => {
    given(...approvedProject(), received({ amount: '100.00' }), disbursed({ paymentId: 'PAY1', amount: '60.00' }))
      .when(disburse({ paymentId: 'PAY2', amount: '40.01' }))
      .thenThrows('disbursement-exceeds-receipts');
  });

  it('does not count a pledge as money', () => {
    given(...approvedProject(), pledged({ amount: '100.00' }))
      .when(disburse({ amount: '0.01' }))
      .thenThrows('disbursement-exceeds-receipts');
  });

  it("does not pay one source from another source's receipts", () => {
    given(...approvedProject(), received({ source: 'special_bond', amount: '100.00' }))
      .when(disburse({ source: 'district_matching', amount: '100.00' }))
      .thenThrows('disbursement-exceeds-receipts');
  });

  it('counts a receipt net of its reversal', () => {
    const history = [
      ...approvedProject(),
      received({ amount: '100.00' }),
      reversed({ entryId: 'R1', amount: '30.00', full: false }),
    ];
    given(...history)
      .when(disburse({ amount: '70.01' }))
      .thenThrows('disbursement-exceeds-receipts');
    given(...history)
      .when(disburse({ amount: '70.00' }))
      .then(disbursed({ amount: '70.00' }));
  });

  it('frees what a reversed payment had paid out', () => {
    given(
      ...approvedProject(),
      received({ amount: '100.00' }),
      disbursed({ paymentId: 'PAY1', amount: '100.00' }),
      reversed({
        entryId: 'PAY1',
        entryKind: 'payment',
        lineId: 'B1-roof',
        amount: '40.00',
        full: false,
        reversedOn: '2021-12-20', // the day of PAY2: what it frees counts from then on
      }),
    )
      .when(disburse({ paymentId: 'PAY2', amount: '40.00' }))
      .then(disbursed({ paymentId: 'PAY2', amount: '40.00' }));
  });
});

describe('what a payment names', () => {
  // "{paymentId, source, lineId, amount, payee, voucher, paidOn, fiscalYear}" (product.md):
  // every payment names its line, its payee and its voucher.
  it('refuses a payment without a line: invalid-id', () => {
    given(...approvedProject(), received())
      .when(disburse({ lineId: asWire<string>(undefined) }))
      .thenThrows('invalid-id', 'lineId');
  });

  it('refuses a blank payee: invalid-field', () => {
    given(...approvedProject(), received())
      .when(disburse({ payee: '' }))
      .thenThrows('invalid-field', 'payee');
  });

  it('refuses a voucher over 200 characters: invalid-field', () => {
    given(...approvedProject(), received())
      .when(disburse({ voucher: 'V'.repeat(201) }))
      .thenThrows('invalid-field', 'voucher');
  });
});

describe('pipeline money is kept apart per utility', () => {
  // "管线单位…承担相关管线设施设备的改造资金" [S]: a utility's money pays only its own pipeline work,
  // so at disbursement pipeline_unit is available per utility, not pooled across utilities.
  const gasMoney = received({
    receiptId: 'RG',
    source: 'pipeline_unit',
    amount: '600000.00',
    lineId: 'B3-gas-pipe',
    details: { utility: 'gas' },
  });

  it("refuses paying the water line from the gas company's money", () => {
    given(...approvedProject(), gasMoney)
      .when(disburse({ source: 'pipeline_unit', lineId: 'B4-water-supply', amount: '1.00' }))
      .thenThrows('disbursement-exceeds-receipts', 'amount');
  });

  it("pays the gas line from the gas company's money", () => {
    given(...approvedProject(), gasMoney)
      .when(disburse({ source: 'pipeline_unit', lineId: 'B3-gas-pipe', amount: '600000.00' }))
      .then(disbursed({ source: 'pipeline_unit', lineId: 'B3-gas-pipe', amount: '600000.00' }));
  });

  it('refuses reversing the gas receipt once the gas line was paid from it', () => {
    given(
      ...approvedProject(),
      gasMoney,
      disbursed({ paymentId: 'PG', source: 'pipeline_unit', lineId: 'B3-gas-pipe', amount: '600000.00' }),
    )
      .when(reverse({ entryId: 'RG', amount: '0.01' }))
      .thenThrows('reversal-exceeds-available');
  });
});

describe('disbursement-exceeds-budget-line', () => {
  // A line's estimate (概算) caps what it pays (domain.md §3: estimate → contract → paid →
  // settled; RF-04, RF-05). Paying more is a budget revision: a new budget line, approved again
  // when the budget then exceeds the approved investment (issue 14, point 10).
  const road = budgetLine({ lineId: 'B9-road', item: 'road', estimatedCost: '100.00' });
  const funded = () => [...approvedProject(), road, received({ amount: '500.00' })];

  it("refuses one fen above the line's estimated cost (field amount)", () => {
    given(...funded())
      .when(disburse({ lineId: 'B9-road', amount: '100.01' }))
      .thenThrows('disbursement-exceeds-budget-line', 'amount');
  });

  it('pays the estimate exactly, counting every source', () => {
    given(...funded(), received({ receiptId: 'R2', source: 'special_bond', amount: '60.00' }))
      .when(disburse({ lineId: 'B9-road', source: 'special_bond', amount: '60.00' }))
      .then(disbursed({ lineId: 'B9-road', source: 'special_bond', amount: '60.00' }));
    given(
      ...funded(),
      received({ receiptId: 'R2', source: 'special_bond', amount: '60.00' }),
      disbursed({ paymentId: 'PAY1', lineId: 'B9-road', source: 'special_bond', amount: '60.00' }),
    )
      .when(disburse({ paymentId: 'PAY2', lineId: 'B9-road', amount: '40.01' }))
      .thenThrows('disbursement-exceeds-budget-line', 'amount');
  });

  it('frees what a reversed payment had paid on the line, from the reversal on', () => {
    const history = [
      ...funded(),
      disbursed({ paymentId: 'PAY1', lineId: 'B9-road', amount: '100.00' }),
      reversed({ entryId: 'PAY1', entryKind: 'payment', lineId: 'B9-road', amount: '30.00', full: false }),
    ];
    given(...history)
      .when(disburse({ paymentId: 'PAY2', lineId: 'B9-road', amount: '30.00', paidOn: '2021-12-31' }))
      .then(disbursed({ paymentId: 'PAY2', lineId: 'B9-road', amount: '30.00', paidOn: '2021-12-31' }));
    given(...history)
      .when(disburse({ paymentId: 'PAY2', lineId: 'B9-road', amount: '30.00', paidOn: '2021-12-30' }))
      .thenThrows('insufficient-funds-at-date', 'amount');
  });
});
