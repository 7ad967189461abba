import { DynamicModule, Inject, Module, OnApplicationShutdown, Optional } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LEDGER_CONFIG, LedgerConfig } from '../config/config';
import { LogIndex } from './log-index';
import { SnapshotStore } from './snapshots';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { EVENT_STORE, EventStore } from './event-store.port';
import { SqliteEventStore } from './sqlite/sqlite-event-store';
import type { PidLock } from '../shared/fs/pid-lock';

/** The store could not be reached at start-up; the message names the setting and the cause. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

/** Opens the configured store once, at boot; closes it at shutdown. */
export async function openEventStore(config: LedgerConfig): Promise<EventStore> {
  if (config.eventStore === 'eventstoredb') {
    const url = config.eventstoreUrl!;
    try {
      return await EventStoreDbEventStore.connect(url, { timeoutMs: config.eventstoreTimeoutMs });
    } catch (err) {
      throw new StoreUnavailableError(
        `EventStoreDB at EVENTSTORE_URL=${redactUrl(url)} cannot be used: ${(err as Error).message}`,
      );
    }
  }
  mkdirSync(config.dataDir, { recursive: true });
  // The service's group commits run on the main thread: the WAL's checkpoints do not.
  return new SqliteEventStore(join(config.dataDir, 'events.sqlite'), { checkpointOffThread: true });
}

/** The data directory's lock (one service per DATA_DIR), given back once the store is closed. */
export const DATA_DIR_LOCK = Symbol('DATA_DIR_LOCK');

/** The snapshots of folded state the service's writers start long streams from (see snapshots.ts). */
export const SNAPSHOT_STORE = Symbol('SNAPSHOT_STORE');

/** Snapshots, in DATA_DIR beside the read model whatever the store: derived data this process owns. */
function openSnapshots(config: LedgerConfig): SnapshotStore {
  mkdirSync(config.dataDir, { recursive: true });
  return new SnapshotStore(join(config.dataDir, 'snapshots.sqlite'));
}

/** Hides a password in a connection string: esdb://admin:secret@host → esdb://admin:***@host. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@');
}

/**
 * Provides the store the service was started with. It is opened before Nest starts (see
 * bootstrap.ts), so an unreachable store stops start-up with one clear message.
 */
@Module({})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SNAPSHOT_STORE) private readonly snapshots: SnapshotStore,
    @Optional() @Inject(DATA_DIR_LOCK) private readonly lock?: PidLock,
  ) {}

  static forStore(store: EventStore, lock?: PidLock): DynamicModule {
    return {
      module: EventStoreModule,
      global: true,
      providers: [
        { provide: EVENT_STORE, useValue: store },
        { provide: SNAPSHOT_STORE, inject: [LEDGER_CONFIG], useFactory: openSnapshots },
        { provide: LogIndex, useValue: new LogIndex(store) },
        ...(lock ? [{ provide: DATA_DIR_LOCK, useValue: lock }] : []),
      ],
      exports: [EVENT_STORE, SNAPSHOT_STORE, LogIndex],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    try {
      await this.store.close();
      this.snapshots.close();
    } finally {
      this.lock?.release();
    }
  }
}
