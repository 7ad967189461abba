import { Global, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { LEDGER_CONFIG, LedgerConfig } from '../config/config';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { ProjectionRunner } from './projection-runner';
import { ProjectionThread } from './projection-thread';
import { PROJECTIONS, ReadModels, readModelFile } from './read-models';

/**
 * The read models, fed from $all: on a thread of their own on the embedded store (the main thread
 * parses requests and decides commands), in the main thread on EventStoreDB (its subscription is
 * the client's, network-bound).
 */
@Global()
@Module({
  providers: [{
    provide: ReadModels,
    inject: [EVENT_STORE, LEDGER_CONFIG],
    useFactory: (store: EventStore, config: LedgerConfig): ReadModels =>
      store instanceof SqliteEventStore
        ? new ProjectionThread(store, PROJECTIONS, readModelFile(config))
        : new ProjectionRunner(store, PROJECTIONS, readModelFile(config)),
  }],
  exports: [ReadModels],
})
export class ProjectionRunnerModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(ReadModels) private readonly readModels: ReadModels) {}
  onApplicationBootstrap(): void {
    this.readModels.start();
  }
  async onApplicationShutdown(): Promise<void> {
    await this.readModels.close();
  }
}
