import { Decider } from '../shared/domain/decider';
import { assert, assertNever } from '../shared/domain/domain-error';
import { checkDate, checkFiscalYear, checkText } from '../shared/domain/input-rules';
import { CloseFiscalYear, FiscalYearCommand, ReopenFiscalYear } from './fiscal-year.commands';
import { FiscalYearErrors as E } from './fiscal-year.errors';
import { FiscalYearEvent, FiscalYearEventType as T, fiscalYearEvents } from './fiscal-year.events';

/** One act on the year's books, as the history lists it. */
export interface FiscalYearAct {
  act: 'closed' | 'reopened';
  on: string;
  reason?: string;
}

export interface FiscalYearState {
  fiscalYear: number | null;
  closed: boolean;
  /** Every close and reopen, oldest first. */
  history: readonly FiscalYearAct[];
}

export function initialFiscalYearState(): FiscalYearState {
  return { fiscalYear: null, closed: false, history: [] };
}

/** The calendar year a business date (YYYY-MM-DD) falls in: the fiscal year is the calendar year (domain.md). */
export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/** A year closes once, until reopened; only a closed year reopens, and only with a reason; a year is closed once it has ended. */
export const fiscalYearDecider: Decider<FiscalYearState, FiscalYearCommand, FiscalYearEvent> = {
  initialState: initialFiscalYearState,
  decide(command, state) {
    switch (command.type) {
      case 'CloseFiscalYear':
        return close(command, state);
      case 'ReopenFiscalYear':
        return reopen(command, state);
    }
  },
  evolve,
  events: fiscalYearEvents,
  stateVersion: 1,
};

function close(c: CloseFiscalYear, s: Readonly<FiscalYearState>): FiscalYearEvent[] {
  checkFiscalYear(c.fiscalYear);
  checkDate('closedOn', c.closedOn);
  if (c.reason !== undefined) checkText('reason', c.reason);
  // Closing the year still running would refuse today's receipts: 年终结账 follows the year end.
  if (yearOf(c.closedOn) <= c.fiscalYear) throw E.notEnded(c.fiscalYear, c.closedOn);
  if (s.closed) throw E.alreadyClosed(c.fiscalYear, s.history[s.history.length - 1].on);
  const data = {
    fiscalYear: c.fiscalYear,
    closedOn: c.closedOn,
    ...(c.reason !== undefined ? { reason: c.reason } : {}),
  };
  return [{ type: T.closed, data }];
}

function reopen(c: ReopenFiscalYear, s: Readonly<FiscalYearState>): FiscalYearEvent[] {
  checkFiscalYear(c.fiscalYear);
  checkDate('reopenedOn', c.reopenedOn);
  if (typeof c.reason !== 'string' || c.reason.trim() === '') throw E.reasonRequired();
  checkText('reason', c.reason);
  if (!s.closed) throw E.notClosed(c.fiscalYear);
  return [{ type: T.reopened, data: { fiscalYear: c.fiscalYear, reopenedOn: c.reopenedOn, reason: c.reason } }];
}

function evolve(s: FiscalYearState, e: FiscalYearEvent): FiscalYearState {
  assert(s.fiscalYear === null || s.fiscalYear === e.data.fiscalYear, `a stream holds one year (${s.fiscalYear})`);
  switch (e.type) {
    case T.closed: {
      assert(!s.closed, `fiscal year ${e.data.fiscalYear} closes while open`);
      const act: FiscalYearAct = { act: 'closed', on: e.data.closedOn };
      if (e.data.reason !== undefined) act.reason = e.data.reason;
      return { fiscalYear: e.data.fiscalYear, closed: true, history: [...s.history, act] };
    }
    case T.reopened: {
      assert(s.closed, `fiscal year ${e.data.fiscalYear} reopens while closed`);
      const act: FiscalYearAct = { act: 'reopened', on: e.data.reopenedOn, reason: e.data.reason };
      return { fiscalYear: e.data.fiscalYear, closed: false, history: [...s.history, act] };
    }
    default:
      return assertNever(e, 'fiscal-year event');
  }
}
