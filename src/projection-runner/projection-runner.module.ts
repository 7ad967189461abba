import { Global, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { LEDGER_CONFIG, LedgerConfig } from '../config/config';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { ProjectionRunner } from './projection-runner';
import { PROJECTIONS, ReadModels, readModelFile } from './read-models';

/** The read models, fed from $all by one ProjectionRunner in the main thread, on either store. */
@Global()
@Module({
  providers: [
    {
      provide: ProjectionRunner,
      inject: [EVENT_STORE, LEDGER_CONFIG],
      useFactory: (store: EventStore, config: LedgerConfig) =>
        new ProjectionRunner(store, PROJECTIONS, readModelFile(config)),
    },
    { provide: ReadModels, useExisting: ProjectionRunner },
  ],
  exports: [ProjectionRunner, ReadModels],
})
export class ProjectionRunnerModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly runner: ProjectionRunner) {}
  onApplicationBootstrap(): void {
    this.runner.start();
  }
  async onApplicationShutdown(): Promise<void> {
    await this.runner.close();
  }
}
