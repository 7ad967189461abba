import { join } from 'node:path';
import { LedgerConfig } from '../config/config';
import { EventStore } from '../event-store/event-store.port';
import { openEventStore } from '../event-store/event-store.module';
import { UsageError } from './args';

/**
 * A store named on the command line: `sqlite:<data dir>`, `eventstoredb:<url>` or a bare
 * `esdb://...` / `esdb+discover://...` URL. Without one, the configured store (DATA_DIR, EVENT_STORE).
 */
export async function openStoreSpec(
  spec: string | undefined,
  config: LedgerConfig,
): Promise<{ store: EventStore; label: string }> {
  if (spec === undefined) {
    const label = config.eventStore === 'sqlite' ? `sqlite:${config.dataDir}` : `eventstoredb:${config.eventstoreUrl}`;
    return { store: await openEventStore(config), label };
  }
  if (spec.startsWith('sqlite:')) {
    const dataDir = spec.slice('sqlite:'.length);
    if (!dataDir) throw new UsageError('sqlite: needs a data directory, e.g. sqlite:./data');
    return {
      store: await openEventStore({ ...config, eventStore: 'sqlite', dataDir }),
      label: `sqlite:${join(dataDir)}`,
    };
  }
  const url = spec.startsWith('eventstoredb:') ? spec.slice('eventstoredb:'.length) : spec;
  if (!/^esdb(\+discover)?:\/\//.test(url))
    throw new UsageError(`a store is sqlite:<dir>, eventstoredb:<url> or esdb://... (got ${spec})`);
  return {
    store: await openEventStore({ ...config, eventStore: 'eventstoredb', eventstoreUrl: url }),
    label: `eventstoredb:${url}`,
  };
}
