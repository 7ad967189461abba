import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LedgerConfig } from '../config/config';
import { EventStore } from '../event-store/event-store.port';
import { StoreUnavailableError, openEventStore } from '../event-store/event-store.module';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { UsageError } from './args';
import { lockDataDir, PidLock } from '../shared/fs/pid-lock';

/** A command that reads a ledger was pointed where there is none (exit code 1). */
export class NoLedgerError extends Error {
  override name = 'NoLedgerError';
}

/**
 * A store named on the command line: `sqlite:<data dir>`, `eventstoredb:<url>` or a bare
 * `esdb://...` / `esdb+discover://...` URL. Without one, the configured store (DATA_DIR, EVENT_STORE).
 * A store opened to be written (`create`: import, copy's target) in a data directory takes the
 * directory's lock, refused while a service uses it (LockHeldError); `release` gives it back
 * (after closing the store). Reading commands take no lock: an auditor verifies a live ledger.
 * `readOnly` (verify, export, replay): a data directory this process cannot write (an auditor's
 * copy, a backup mount) is opened read-only, or refused saying so and what to do.
 */
export async function openStoreSpec(
  spec: string | undefined,
  config: LedgerConfig,
  options: { create?: boolean; readOnly?: boolean } = {},
): Promise<{ store: EventStore; label: string; release: () => void }> {
  if (spec === undefined) {
    const label = config.eventStore === 'sqlite' ? `sqlite:${config.dataDir}` : `eventstoredb:${config.eventstoreUrl}`;
    if (config.eventStore !== 'sqlite') return { store: await openEventStore(config), label, release: () => {} };
    return { ...(await openSqlite(config, config.dataDir, 'DATA_DIR', options)), label };
  }
  if (spec.startsWith('sqlite:')) {
    const dataDir = spec.slice('sqlite:'.length);
    if (!dataDir) throw new UsageError('sqlite: needs a data directory, e.g. sqlite:./data');
    return { ...(await openSqlite(config, dataDir, spec, options)), label: `sqlite:${join(dataDir)}` };
  }
  const url = spec.startsWith('eventstoredb:') ? spec.slice('eventstoredb:'.length) : spec;
  if (!/^esdb(\+discover)?:\/\//.test(url))
    throw new UsageError(`a store is sqlite:<dir>, eventstoredb:<url> or esdb://... (got ${spec})`);
  return {
    store: await openEventStore({ ...config, eventStore: 'eventstoredb', eventstoreUrl: url }),
    label: `eventstoredb:${url}`,
    release: () => {},
  };
}

async function openSqlite(
  config: LedgerConfig,
  dataDir: string,
  named: string,
  options: { create?: boolean; readOnly?: boolean },
): Promise<{ store: EventStore; release: () => void }> {
  if (!options.create) {
    mustHoldLedger(dataDir, named);
    if (options.readOnly && !writable(dataDir)) return { store: openReadOnly(dataDir), release: () => {} };
    return { store: await openEventStore({ ...config, eventStore: 'sqlite', dataDir }), release: () => {} };
  }
  mkdirSync(dataDir, { recursive: true });
  const lock: PidLock = lockDataDir(dataDir);
  try {
    return {
      store: await openEventStore({ ...config, eventStore: 'sqlite', dataDir }),
      release: () => lock.release(),
    };
  } catch (err) {
    lock.release();
    throw err;
  }
}

/**
 * Opening an embedded store creates it: a command that only reads must look first, or a mistyped
 * directory becomes an empty ledger that verifies. (An EventStoreDB server is there or is not:
 * connecting tells.)
 */
function mustHoldLedger(dataDir: string, named: string): void {
  const file = join(dataDir, 'events.sqlite');
  if (!existsSync(file))
    throw new NoLedgerError(
      `no ledger at ${resolve(dataDir)} (${named}): ${resolve(file)} does not exist; nothing was created`,
    );
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The log of a directory this process cannot write, opened read-only. SQLite reads a WAL-mode
 * file only beside its -shm (the index of the WAL): present if the ledger was copied or mounted
 * while in use, gone after a clean shutdown, and it cannot be made in a read-only directory.
 */
function openReadOnly(dataDir: string): EventStore {
  const dir = resolve(dataDir);
  const file = join(dir, 'events.sqlite');
  try {
    return new SqliteEventStore(file, { readonly: true });
  } catch (err) {
    throw new StoreUnavailableError(
      `cannot read ${file}: ${dir} is read-only, and SQLite needs to create events.sqlite-shm beside the log to read it ` +
        `(${(err as Error).message}). Copy the directory somewhere writable (cp -a ${dir} /tmp/ledger-copy) and run ` +
        'again with DATA_DIR=/tmp/ledger-copy; the copy verifies as the original',
    );
  }
}
