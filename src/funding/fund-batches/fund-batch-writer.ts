import { EVENT_STORE, EventStore } from '../../event-store/event-store.port';
import { MetricsService } from '../../ops/metrics.service';
import { Writer, writerFor } from '../../event-store/write-path';
import { FundBatchCommand } from '../../fund-batch/fund-batch.commands';
import { FundBatchState, fundBatchDecider } from '../../fund-batch/fund-batch.decider';
import { FundBatchEvent } from '../../fund-batch/fund-batch.events';

/** The write path for fund-batch streams (see writerFor); the HTTP handlers and the allocation reactor share it. */
export type FundBatchWriter = Writer<FundBatchState, FundBatchCommand>;
export const FUND_BATCH_WRITER = Symbol('FUND_BATCH_WRITER');
export const fundBatchWriterProvider = {
  provide: FUND_BATCH_WRITER,
  inject: [EVENT_STORE, MetricsService],
  useFactory: (store: EventStore, metrics?: MetricsService): FundBatchWriter =>
    writerFor<FundBatchState, FundBatchCommand, FundBatchEvent>(store, fundBatchDecider, undefined, metrics),
};
