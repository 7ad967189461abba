/**
 * The demo district in an embedded store, for the audit specs: loaded once per spec file through
 * the write path (as the HTTP API would), then copied for each test, which tampers with its own
 * copy directly in the SQLite file, as an auditor trying the ledger would.
 */
import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../../src/event-store/sqlite/sqlite-event-store';
import { demoDistrict, loadDemo } from '../../support/demo-store';

export const district = demoDistrict;
export { loadDemo };

/** A directory holding a closed events.sqlite with the demo district (its WAL checkpointed into the file). */
export async function pristineDistrict(requests = district.requests): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'audit-pristine-'));
  const store = new SqliteEventStore(join(dir, 'events.sqlite'));
  await loadDemo(store, requests);
  await store.close();
  return dir;
}

let copies = 0;

/** A fresh data directory holding a copy of the pristine log. */
export function copyOf(pristineDir: string, root: string): string {
  const dir = join(root, `copy-${++copies}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(pristineDir, 'events.sqlite'), join(dir, 'events.sqlite'));
  return dir;
}

/** Opens the log file behind the store's back, as someone with access to the disk would. */
export function tamper<T>(dataDir: string, change: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, 'events.sqlite'));
  db.defaultSafeIntegers(true);
  try {
    return change(db);
  } finally {
    db.close();
  }
}

export interface Row {
  position: bigint;
  stream_id: string;
  revision: bigint;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
}

export function rowAt(db: Database.Database, streamId: string, revision: number): Row {
  const row = db.prepare('SELECT * FROM events WHERE stream_id = ? AND revision = ?').get(streamId, revision) as
    Row | undefined;
  if (!row) throw new Error(`no event ${streamId}@${revision}`);
  return row;
}

/** Changes one byte of a text: the first character of the first occurrence of `from` becomes `to` (one character). */
export function changeOneByte(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0) throw new Error(`"${from}" does not occur in ${text}`);
  return text.slice(0, at) + to + text.slice(at + 1);
}
