/**
 * Money is booked when it moves (issue 14, point 10): a receipt or payment is not dated after the
 * day the ledger records it (by its own clock, UTC, with one day for the district's UTC+8), and
 * its fiscal year is its date's calendar year (预算法 art.18), or the year before for money of a
 * year's budget carried over into the next (结转) and received or paid there.
 */
import {
  approvedProject,
  budgeted,
  disburse,
  disbursed,
  given,
  pledge,
  pledged,
  receive,
  received,
} from '../../support/project-fixtures';

describe('date-in-future', () => {
  it('refuses a receipt dated years after the day it is recorded (field receivedOn)', () => {
    given(...budgeted())
      .when(receive({ receivedOn: '2031-12-10', fiscalYear: 2031, recordedOn: '2026-12-06' }))
      .thenThrows('date-in-future', 'receivedOn');
  });

  it('allows one day ahead of the UTC day it is recorded (the district is UTC+8), not two', () => {
    given(...budgeted())
      .when(receive({ receivedOn: '2026-12-07', fiscalYear: 2026, recordedOn: '2026-12-06' }))
      .then(received({ receivedOn: '2026-12-07', fiscalYear: 2026 }));
    given(...budgeted())
      .when(receive({ receivedOn: '2026-12-08', fiscalYear: 2026, recordedOn: '2026-12-06' }))
      .thenThrows('date-in-future', 'receivedOn');
  });

  it('holds for payments (field paidOn)', () => {
    given(...approvedProject(), received())
      .when(disburse({ paidOn: '2027-12-20', fiscalYear: 2027, recordedOn: '2026-12-06' }))
      .thenThrows('date-in-future', 'paidOn');
  });

  it('holds for pledges (field pledgedOn), with the same day of grace', () => {
    given(...budgeted())
      .when(pledge({ pledgedOn: '2100-12-31', recordedOn: '2026-12-06' }))
      .thenThrows('date-in-future', 'pledgedOn');
    given(...budgeted())
      .when(pledge({ pledgedOn: '2026-12-08', recordedOn: '2026-12-06' }))
      .thenThrows('date-in-future', 'pledgedOn');
    given(...budgeted())
      .when(pledge({ pledgedOn: '2026-12-07', recordedOn: '2026-12-06' }))
      .then(pledged({ pledgedOn: '2026-12-07' }));
  });

  it('refuses a command without the day it is recorded (invalid-date, recordedOn)', () => {
    given(...budgeted())
      .when(receive({ recordedOn: '' }))
      .thenThrows('invalid-date', 'recordedOn');
  });
});

describe('fiscal-year-mismatch', () => {
  it("refuses a receipt whose fiscal year is not its date's year (field fiscalYear)", () => {
    given(...budgeted())
      .when(receive({ receivedOn: '2021-12-10', fiscalYear: 2019 }))
      .thenThrows('fiscal-year-mismatch', 'fiscalYear');
  });

  it("refuses a fiscal year after the date's year: next year's budget is not received this year", () => {
    given(...budgeted())
      .when(receive({ receivedOn: '2021-12-10', fiscalYear: 2022 }))
      .thenThrows('fiscal-year-mismatch', 'fiscalYear');
  });

  it('takes money of the year before, carried over (结转), but not of two years before', () => {
    given(...budgeted())
      .when(receive({ receivedOn: '2022-01-15', fiscalYear: 2021 }))
      .then(received({ receivedOn: '2022-01-15', fiscalYear: 2021 }));
    given(...budgeted())
      .when(receive({ receivedOn: '2023-01-15', fiscalYear: 2021 }))
      .thenThrows('fiscal-year-mismatch', 'fiscalYear');
  });

  it('holds for payments', () => {
    given(...approvedProject(), received())
      .when(disburse({ paidOn: '2021-12-20', fiscalYear: 2019 }))
      .thenThrows('fiscal-year-mismatch', 'fiscalYear');
    given(...approvedProject(), received())
      .when(disburse({ paidOn: '2022-02-20', fiscalYear: 2021 }))
      .then(disbursed({ paidOn: '2022-02-20', fiscalYear: 2021, carriedOver: true }));
  });

  it('marks a payment carried over (结转) into the year after its fiscal year, and only that one', () => {
    given(...approvedProject(), received())
      .when(disburse({ paidOn: '2022-02-20', fiscalYear: 2021 }))
      .thenState((_, [e]) => expect(e.data).toMatchObject({ carriedOver: true }));
    given(...approvedProject(), received())
      .when(disburse({ paidOn: '2021-12-20', fiscalYear: 2021 }))
      .thenState((_, [e]) => expect(e.data).not.toHaveProperty('carriedOver'));
  });
});
