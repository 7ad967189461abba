import { LEDGER_CONFIG, LedgerConfig } from '../config/config';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { readModelFile } from '../projection-runner/read-models';
import { AllocationReactor } from './allocation.reactor';
import { ReactorCheckpoints } from './reactor-checkpoints';
import { ReactorRunner } from './reactor-runner';

/** The allocation reactor's runner: the HTTP handlers wait on it, Nest starts and stops it (see ReactorRunner). */
export const ALLOCATION_REACTOR = Symbol('ALLOCATION_REACTOR');

/** The reactor, and its runner fed from $all with its checkpoint in the read-model file. */
export const allocationReactorProviders = [
  AllocationReactor,
  {
    provide: ALLOCATION_REACTOR,
    inject: [EVENT_STORE, LEDGER_CONFIG, AllocationReactor],
    useFactory: (store: EventStore, config: LedgerConfig, reactor: AllocationReactor): ReactorRunner =>
      new ReactorRunner(store, reactor, new ReactorCheckpoints(readModelFile(config))),
  },
];
