/**
 * 年终结账: a year is closed once it has ended, once until reopened; only a closed year reopens,
 * and only with a reason; both acts are events, and the history keeps each in order.
 */
import { CloseFiscalYear, ReopenFiscalYear } from '../../../src/fiscal-year/fiscal-year.commands';
import { fiscalYearDecider, yearOf } from '../../../src/fiscal-year/fiscal-year.decider';
import { FiscalYearErrors as E } from '../../../src/fiscal-year/fiscal-year.errors';
import { FiscalYearEvent, FiscalYearEventType as T } from '../../../src/fiscal-year/fiscal-year.events';
import { DomainError } from '../../../src/shared/domain/domain-error';
import { deciderSpec } from '../../support/given';

const given = deciderSpec(fiscalYearDecider);

const close = (over: Partial<CloseFiscalYear> = {}): CloseFiscalYear => ({
  type: 'CloseFiscalYear',
  fiscalYear: 2022,
  closedOn: '2023-01-15',
  ...over,
});
const reopen = (over: Partial<ReopenFiscalYear> = {}): ReopenFiscalYear => ({
  type: 'ReopenFiscalYear',
  fiscalYear: 2022,
  reopenedOn: '2023-02-01',
  reason: '补记12月未入账的拨款',
  ...over,
});
const closed = (closedOn = '2023-01-15'): FiscalYearEvent => ({ type: T.closed, data: { fiscalYear: 2022, closedOn } });
const reopened = (): FiscalYearEvent => ({
  type: T.reopened,
  data: { fiscalYear: 2022, reopenedOn: '2023-02-01', reason: '补记12月未入账的拨款' },
});

describe('closing a fiscal year', () => {
  it('closes an open year that has ended, with or without a reason', () => {
    given().when(close()).then(closed());
    given()
      .when(close({ reason: '2022年度年终结账' }))
      .then({ type: T.closed, data: { fiscalYear: 2022, closedOn: '2023-01-15', reason: '2022年度年终结账' } });
  });

  it('refuses to close a closed year, naming the day it was closed', () => {
    given(closed())
      .when(close({ closedOn: '2023-03-01' }))
      .thenThrows('year-already-closed', 'fiscalYear');
    expect(() =>
      fiscalYearDecider.decide(close(), fiscalYearDecider.evolve(fiscalYearDecider.initialState(), closed())),
    ).toThrow(/closed on 2023-01-15/);
  });

  it('refuses to close a year before it has ended', () => {
    given()
      .when(close({ closedOn: '2022-12-31' }))
      .thenThrows('year-not-ended', 'fiscalYear');
    given()
      .when(close({ fiscalYear: 2023, closedOn: '2023-01-15' }))
      .thenThrows('year-not-ended', 'fiscalYear');
  });

  it('refuses a year outside the years the ledger takes', () => {
    given()
      .when(close({ fiscalYear: 1999, closedOn: '2023-01-15' }))
      .thenThrows('invalid-fiscal-year', 'fiscalYear');
  });

  it('closes a reopened year again', () => {
    given(closed(), reopened())
      .when(close({ closedOn: '2023-02-10' }))
      .then(closed('2023-02-10'));
  });
});

describe('reopening a fiscal year', () => {
  it('reopens a closed year with its reason', () => {
    given(closed()).when(reopen()).then(reopened());
  });

  it('refuses to reopen without a reason, or with a blank one', () => {
    given(closed())
      .when(reopen({ reason: undefined }))
      .thenThrows('reopen-reason-required', 'reason');
    given(closed())
      .when(reopen({ reason: '  ' }))
      .thenThrows('reopen-reason-required', 'reason');
  });

  it('refuses to reopen a year that is not closed', () => {
    given().when(reopen()).thenThrows('year-not-closed', 'fiscalYear');
    given(closed(), reopened()).when(reopen()).thenThrows('year-not-closed', 'fiscalYear');
  });

  it('keeps each close and reopen in the history, in order', () => {
    given(closed(), reopened())
      .when(close({ closedOn: '2023-02-10' }))
      .thenState((state) => {
        expect(state.closed).toBe(true);
        expect(state.history).toEqual([
          { act: 'closed', on: '2023-01-15' },
          { act: 'reopened', on: '2023-02-01', reason: '补记12月未入账的拨款' },
          { act: 'closed', on: '2023-02-10' },
        ]);
      });
  });
});

describe('the year of an entry', () => {
  it('is the calendar year of its business date', () => {
    expect(yearOf('2022-12-31')).toBe(2022);
    expect(yearOf('2023-01-01')).toBe(2023);
  });
});

describe('the stable error codes of fiscal years', () => {
  // Clients match on these codes, so they never change.
  const published: Array<[error: DomainError, code: string, status: number, field: string | undefined]> = [
    [E.alreadyClosed(2022, '2023-01-15'), 'year-already-closed', 409, 'fiscalYear'],
    [E.notClosed(2022), 'year-not-closed', 409, 'fiscalYear'],
    [E.notEnded(2022, '2022-06-01'), 'year-not-ended', 409, 'fiscalYear'],
    [E.reasonRequired(), 'reopen-reason-required', 400, 'reason'],
    [E.yearClosed(2022, 'receivedOn', '2022-05-01'), 'year-closed', 409, 'receivedOn'],
  ];

  it.each(published)('%p is %s (%s)', (error, code, status, field) => {
    expect({ code: error.code, status: error.status, field: error.field }).toEqual({ code, status, field });
  });

  it('names the closed year and the date in a refused entry', () => {
    expect(E.yearClosed(2022, 'receivedOn', '2022-05-01').message).toMatch(
      /fiscal year 2022 is closed.*receivedOn 2022-05-01/,
    );
  });
});
