import { EVENT_STORE, EventStore } from '../../event-store/event-store.port';
import { MetricsService } from '../../ops/metrics.service';
import { Writer, writerFor } from '../../event-store/write-path';
import { BankAccountCommand } from '../../bank-account/bank-account.commands';
import { BankAccountState, bankAccountDecider } from '../../bank-account/bank-account.decider';
import { BankAccountEvent } from '../../bank-account/bank-account.events';

/** The write path for bank-account streams (see writerFor). */
export type BankAccountWriter = Writer<BankAccountState, BankAccountCommand>;
export const BANK_ACCOUNT_WRITER = Symbol('BANK_ACCOUNT_WRITER');
export const bankAccountWriterProvider = {
  provide: BANK_ACCOUNT_WRITER,
  inject: [EVENT_STORE, MetricsService],
  useFactory: (store: EventStore, metrics?: MetricsService): BankAccountWriter =>
    writerFor<BankAccountState, BankAccountCommand, BankAccountEvent>(store, bankAccountDecider, undefined, metrics),
};
