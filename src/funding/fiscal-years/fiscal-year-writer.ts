import { EVENT_STORE, EventStore } from '../../event-store/event-store.port';
import { MetricsService } from '../../ops/metrics.service';
import { Writer, writerFor } from '../../event-store/write-path';
import { FiscalYearCommand } from '../../fiscal-year/fiscal-year.commands';
import { FiscalYearState, fiscalYearDecider } from '../../fiscal-year/fiscal-year.decider';
import { FiscalYearEvent } from '../../fiscal-year/fiscal-year.events';

/** The write path for fiscal-year streams (see writerFor). */
export type FiscalYearWriter = Writer<FiscalYearState, FiscalYearCommand>;
export const FISCAL_YEAR_WRITER = Symbol('FISCAL_YEAR_WRITER');
export const fiscalYearWriterProvider = {
  provide: FISCAL_YEAR_WRITER,
  inject: [EVENT_STORE, MetricsService],
  useFactory: (store: EventStore, metrics?: MetricsService): FiscalYearWriter =>
    writerFor<FiscalYearState, FiscalYearCommand, FiscalYearEvent>(store, fiscalYearDecider, undefined, metrics),
};
