import { ProjectCommand } from '../../../src/project/project.commands';
import {
  addBudgetLine,
  approvedProject,
  asWire,
  budgeted,
  disburse,
  given,
  pledge,
  pledged,
  receive,
  received,
  reverse,
} from '../../support/project-fixtures';

describe('invalid-date', () => {
  // "Business dates (receivedOn, paidOn) live in the data" (product.md): a real calendar date
  // written YYYY-MM-DD; 2021-02-30 is refused.
  it.each(['2021-02-30', '2021-02-29', '2021-13-01', '2021-2-3', '2021/02/03', '21-02-03', '2021-02-03T00:00:00Z', ''])(
    'refuses pledgedOn %j (field pledgedOn)',
    (pledgedOn) => {
      given(...budgeted())
        .when(pledge({ pledgedOn }))
        .thenThrows('invalid-date', 'pledgedOn');
    },
  );

  it('refuses a date sent as a number', () => {
    given(...budgeted())
      .when(pledge({ pledgedOn: asWire<string>(20211201) }))
      .thenThrows('invalid-date', 'pledgedOn');
  });

  it('accepts the leap day 2020-02-29', () => {
    given(...budgeted())
      .when(pledge({ pledgedOn: '2020-02-29' }))
      .then(pledged({ pledgedOn: '2020-02-29' }));
  });

  it('checks the date of every kind of entry', () => {
    const cases: Array<[ProjectCommand, string, ReturnType<typeof budgeted>]> = [
      [receive({ receivedOn: '2021-02-30' }), 'receivedOn', budgeted()],
      [disburse({ paidOn: '2021-02-30' }), 'paidOn', [...approvedProject(), received()]],
      [reverse({ reversedOn: '2021-02-30' }), 'reversedOn', [...budgeted(), received()]],
    ];
    for (const [command, field, history] of cases)
      given(...history)
        .when(command)
        .thenThrows('invalid-date', field);
  });
});

describe('invalid-fiscal-year', () => {
  // "Fiscal year = calendar year (预算法 art.18)" (domain.md §6): a whole year from 2000 to 2100.
  it.each([1999, 2101, 2021.5, Number.NaN, asWire<number>('2021')])(
    'refuses fiscalYear %p (field fiscalYear)',
    (fiscalYear) => {
      given(...budgeted())
        .when(pledge({ fiscalYear }))
        .thenThrows('invalid-fiscal-year', 'fiscalYear');
    },
  );

  it.each([2000, 2100])('accepts fiscalYear %p', (fiscalYear) => {
    given(...budgeted())
      .when(pledge({ fiscalYear }))
      .then(pledged({ fiscalYear }));
  });

  it('checks the fiscal year of receipts and payments', () => {
    given(...budgeted())
      .when(receive({ fiscalYear: 1999 }))
      .thenThrows('invalid-fiscal-year', 'fiscalYear');
    given(...approvedProject(), received())
      .when(disburse({ fiscalYear: 2101 }))
      .thenThrows('invalid-fiscal-year', 'fiscalYear');
  });
});

describe('invalid-id', () => {
  // Rule: every id is 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit:
  // it goes into stream names, URLs and exports unchanged.
  it.each([
    ['pledgeId', pledge({ pledgeId: '' })],
    ['pledgeId', pledge({ pledgeId: 'P 1' })],
    ['receiptId', receive({ receiptId: '_R1' })],
    ['reversalId', reverse({ reversalId: 'X'.repeat(65) })],
    ['lineId', addBudgetLine({ lineId: 'B1/roof' })],
  ])('refuses a bad %s', (field, command) => {
    given(...budgeted(), received({ receiptId: 'R1' }))
      .when(command)
      .thenThrows('invalid-id', field);
  });

  it('refuses a bad paymentId', () => {
    given(...approvedProject(), received())
      .when(disburse({ paymentId: 'PAY#1' }))
      .thenThrows('invalid-id', 'paymentId');
  });
});

describe('invalid-field', () => {
  // Rule: free text (payer, reference, payee, voucher, reason, docNo, names) is non-empty and at
  // most 200 characters.
  it('refuses a blank payer and an over-long reference', () => {
    given(...budgeted())
      .when(pledge({ payer: '  ' }))
      .thenThrows('invalid-field', 'payer');
    given(...budgeted())
      .when(receive({ reference: 'r'.repeat(201) }))
      .thenThrows('invalid-field', 'reference');
  });

  it('accepts exactly 200 characters', () => {
    const payer = 'p'.repeat(200);
    given(...budgeted())
      .when(pledge({ payer }))
      .then(pledged({ payer }));
  });
});
