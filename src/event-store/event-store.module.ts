import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, LEDGER_CONFIG, LedgerConfig } from '../config/config';
import { EVENT_STORE, EventStore } from './event-store.port';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

/** Opens the configured store once, at boot; closes it at shutdown. */
export function openEventStore(config: LedgerConfig): EventStore {
  if (config.eventStore === 'eventstoredb') {
    throw new ConfigError('EVENT_STORE=eventstoredb: the EventStoreDB adapter is not built yet (see the EventStoreDB issue); use EVENT_STORE=sqlite');
  }
  mkdirSync(config.dataDir, { recursive: true });
  return new SqliteEventStore(join(config.dataDir, 'events.sqlite'));
}

@Global()
@Module({
  providers: [{ provide: EVENT_STORE, inject: [LEDGER_CONFIG], useFactory: (config: LedgerConfig) => openEventStore(config) }],
  exports: [EVENT_STORE],
})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
