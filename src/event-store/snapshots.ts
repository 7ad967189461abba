import Database from 'better-sqlite3';
import { KeyedMap, KeyedSet, SnapshotBase } from '../shared/domain/keyed-collections';

/**
 * Snapshots of folded stream state, so that the first command on a long stream after a restart
 * costs about what one on a short stream does. They are derived data, in their own SQLite file
 * (never in the log: not exported, sealed or hashed), and never trusted over the log: a snapshot
 * counts only if the stream still holds, at its revision, the event whose hash it recorded, and
 * if it was made by the same version of the decider's state; else it is dropped and made again.
 *
 * A state's top-level KeyedMap and KeyedSet fields are stored a row per entry and read back one
 * key at a time (see keyed-collections.ts): loading a snapshot reads one small row, however many
 * entries the stream has. The rest of the state is one JSON text. A snapshot is rewritten with
 * the entries changed since the last one, so its cost follows the writes, not the stream's length.
 *
 * One service process owns the file: the state it holds in memory stands on these rows.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS snapshots (
  stream_id TEXT PRIMARY KEY,
  revision  INTEGER NOT NULL,
  hash      TEXT    NOT NULL, -- of the stream's event at that revision
  version   TEXT    NOT NULL, -- the decider's state version
  head      TEXT    NOT NULL  -- the state, with each keyed collection as {"$keyed": kind, "size": n}
);
CREATE TABLE IF NOT EXISTS snapshot_entries (
  stream_id  TEXT NOT NULL,
  collection TEXT NOT NULL,
  key        TEXT NOT NULL,
  value      TEXT NOT NULL,
  PRIMARY KEY (stream_id, collection, key)
);`;

export class SnapshotStore {
  private readonly db: Database.Database;
  private readonly stmts;

  constructor(readonly file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL'); // derived data: a lost snapshot is made again
    this.db.exec(SCHEMA);
    this.stmts = {
      head: this.db.prepare('SELECT revision, hash, version, head FROM snapshots WHERE stream_id = ?'),
      putHead: this.db.prepare(
        'INSERT OR REPLACE INTO snapshots (stream_id, revision, hash, version, head) VALUES (?, ?, ?, ?, ?)',
      ),
      entry: this.db
        .prepare('SELECT value FROM snapshot_entries WHERE stream_id = ? AND collection = ? AND key = ?')
        .pluck(true),
      entries: this.db
        .prepare('SELECT key, value FROM snapshot_entries WHERE stream_id = ? AND collection = ? ORDER BY rowid')
        .raw(true),
      putEntry: this.db.prepare(
        'INSERT INTO snapshot_entries (stream_id, collection, key, value) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET value = excluded.value',
      ),
      drop: this.db.prepare('DELETE FROM snapshots WHERE stream_id = ?'),
      dropEntries: this.db.prepare('DELETE FROM snapshot_entries WHERE stream_id = ?'),
    };
  }

  /** Where the stream's snapshot stands, if it has one of this version (one of another version is dropped). */
  head(streamId: string, version: string): { revision: bigint; hash: string } | null {
    const row = this.stmts.head.get(streamId) as { revision: number; hash: string; version: string } | undefined;
    if (!row) return null;
    if (row.version === version) return { revision: BigInt(row.revision), hash: row.hash };
    this.drop(streamId);
    return null;
  }

  /** The snapshot's state; call only after checking its `head` against the log. */
  restore<S>(streamId: string): S {
    const row = this.stmts.head.get(streamId) as { head: string };
    return this.revive(streamId, row.head) as S;
  }

  /**
   * Stores `state`, folded up to the event at `revision` with `hash`; answers the same state
   * standing on the snapshot (its changed entries stored, no longer kept in memory).
   */
  save<S extends object>(streamId: string, version: string, revision: bigint, hash: string, state: S): S {
    return this.db.transaction(() => {
      const stored: Record<string, unknown> = {};
      const head: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(state)) {
        const map =
          value instanceof KeyedSet ? value.map : value instanceof KeyedMap ? (value as KeyedMap<unknown>) : null;
        stored[field] = head[field] = value;
        if (!map) continue;
        for (const [k, v] of map.changedSince())
          this.stmts.putEntry.run(streamId, field, k, JSON.stringify(v, bigintTagged));
        const onSnapshot = map.storedIn(this.base(streamId, field));
        stored[field] = value instanceof KeyedSet ? KeyedSet.of(onSnapshot as KeyedMap<true>) : onSnapshot;
        head[field] = { $keyed: value instanceof KeyedSet ? 'set' : 'map', size: map.size };
      }
      this.stmts.putHead.run(streamId, revision, hash, version, JSON.stringify(head, headValue));
      return stored as S;
    })();
  }

  drop(streamId: string): void {
    this.db.transaction(() => {
      this.stmts.drop.run(streamId);
      this.stmts.dropEntries.run(streamId);
    })();
  }

  close(): void {
    this.db.close();
  }

  /** The state of a head row: keyed collections stand on the stream's stored entries. */
  private revive(streamId: string, text: string): Record<string, unknown> {
    const state = JSON.parse(text, unTagged) as Record<string, unknown>;
    for (const [field, value] of Object.entries(state)) {
      if (value === null || typeof value !== 'object' || !('$keyed' in value)) continue;
      const { $keyed, size } = value as { $keyed: 'map' | 'set'; size: number };
      const map = KeyedMap.onSnapshot(this.base(streamId, field), size);
      state[field] = $keyed === 'set' ? KeyedSet.of(map as KeyedMap<true>) : map;
    }
    return state;
  }

  private base(streamId: string, collection: string): SnapshotBase<unknown> {
    const parse = (text: string) => JSON.parse(text, unTagged);
    return {
      get: (key) => {
        const text = this.stmts.entry.get(streamId, collection, key) as string | undefined;
        return text === undefined ? undefined : parse(text);
      },
      all: () =>
        (this.stmts.entries.all(streamId, collection) as [string, string][]).map(([k, text]) => [k, parse(text)]),
    };
  }
}

/** A head's values: JSON, bigints tagged; a JS Map or Set would be written as {} and is refused. */
function headValue(key: string, value: unknown): unknown {
  if (value instanceof Map || value instanceof Set)
    throw new Error(`${key} is a ${value.constructor.name}: snapshots store KeyedMap and KeyedSet`);
  return bigintTagged(key, value);
}

function bigintTagged(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? { $bigint: value.toString() } : value;
}

function unTagged(_key: string, value: unknown): unknown {
  return value !== null && typeof value === 'object' && '$bigint' in value
    ? BigInt((value as { $bigint: string }).$bigint)
    : value;
}
