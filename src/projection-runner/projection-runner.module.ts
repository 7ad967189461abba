import { Global, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { LEDGER_CONFIG, LedgerConfig } from '../config/config';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { fundingMixProjection } from '../../projections/funding-mix/funding-mix.projection';
import { projectListProjection } from '../../projections/project-list/project-list.projection';
import { sourceLedgerProjection } from '../../projections/source-ledger/source-ledger.projection';
import { ProjectionRunner } from './projection-runner';

/** Every read model the service keeps; the runner feeds them all from $all. */
export const PROJECTIONS = [fundingMixProjection, projectListProjection, sourceLedgerProjection];

/** One read-model file per service instance, beside (not inside) the event log. */
export function readModelFile(config: LedgerConfig): string {
  return join(config.dataDir, 'read-model.sqlite');
}

@Global()
@Module({
  providers: [{
    provide: ProjectionRunner,
    inject: [EVENT_STORE, LEDGER_CONFIG],
    useFactory: (store: EventStore, config: LedgerConfig) => new ProjectionRunner(store, PROJECTIONS, readModelFile(config)),
  }],
  exports: [ProjectionRunner],
})
export class ProjectionRunnerModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(ProjectionRunner) private readonly runner: ProjectionRunner) {}
  onApplicationBootstrap(): void {
    this.runner.start();
  }
  async onApplicationShutdown(): Promise<void> {
    await this.runner.close();
  }
}
