/**
 * Events of a fiscal year's stream (`fiscalyear-<year>`: no dash in the category, product.md):
 * 年终结账, the finance bureau closing the year's books, and reopening them with a reason. While a
 * year is closed, no money entry dated in it is written (docs/api.md, "Closing a year"). The
 * fiscal year is the calendar year (domain.md). A published version never changes (a new shape is
 * a new `.vN` with an upcaster).
 */
import { integer, optional, shape, string } from '../shared/domain/data-shape';
import { DomainEvent } from '../shared/domain/decider';
import { EventRegistry } from '../shared/domain/event-registry';

export const FiscalYearEventType = {
  closed: 'fiscal-year-closed.v1',
  reopened: 'fiscal-year-reopened.v1',
} as const;

export interface FiscalYearClosed {
  fiscalYear: number;
  /** The day the books were closed (the ledger's clock, UTC). */
  closedOn: string;
  reason?: string;
}

export interface FiscalYearReopened {
  fiscalYear: number;
  /** The day the books were reopened (the ledger's clock, UTC). */
  reopenedOn: string;
  /** Why entries dated in a closed year must be written after all: an auditor reads it. */
  reason: string;
}

export type FiscalYearEvent =
  | DomainEvent<typeof FiscalYearEventType.closed, FiscalYearClosed>
  | DomainEvent<typeof FiscalYearEventType.reopened, FiscalYearReopened>;

export const FISCAL_YEAR_CATEGORY = 'fiscalyear';
export const fiscalYearStreamId = (fiscalYear: number): string => `${FISCAL_YEAR_CATEGORY}-${fiscalYear}`;

export const fiscalYearEvents = new EventRegistry<FiscalYearEvent>('fiscal-year', {
  [FiscalYearEventType.closed]: shape<FiscalYearClosed>({
    fiscalYear: integer,
    closedOn: string,
    reason: optional(string),
  }),
  [FiscalYearEventType.reopened]: shape<FiscalYearReopened>({
    fiscalYear: integer,
    reopenedOn: string,
    reason: string,
  }),
});
