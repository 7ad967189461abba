import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS reactor_checkpoints (
  name     TEXT PRIMARY KEY,
  position TEXT NOT NULL -- decimal: an EventStoreDB position does not fit INTEGER
);`;

/**
 * Each reactor's checkpoint: the global position through which it has handled $all. It lives in
 * the read-model file (a table of its own, on a connection of its own), because like a read model
 * it is derived: losing it costs a replay, never a wrong write, since every write a reactor makes
 * has a command id derived from the event that caused it.
 *
 * The projection runner writes the same file from its own connection and may hold the write lock
 * for a long catch-up. A save waits for no lock (busy_timeout 0: better-sqlite3 would wait on the
 * main thread, stalling every request); a save that finds the file busy is kept and written with
 * the next one, or at close.
 */
export class ReactorCheckpoints {
  private readonly db: Database.Database;
  private readonly upsert: Database.Statement;
  private readonly select: Database.Statement;
  /** Positions a busy file could not take yet, by reactor name. */
  private readonly unsaved = new Map<string, bigint>();

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true }); // on EventStoreDB, nothing else may have made DATA_DIR yet
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // Derived data, rebuilt by replay: NORMAL (no fsync per commit) is durable enough.
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    this.db.pragma('busy_timeout = 0');
    this.upsert = this.db.prepare(
      'INSERT INTO reactor_checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position',
    );
    this.select = this.db.prepare('SELECT position FROM reactor_checkpoints WHERE name = ?').pluck();
  }

  /** The position `name` has handled through; 0n (from the beginning) for a reactor never run. */
  load(name: string): bigint {
    const position = this.select.get(name) as string | undefined;
    return position === undefined ? 0n : BigInt(position);
  }

  /** Saves `name`'s position now (or with the next save or flush, if the file is busy). */
  save(name: string, position: bigint): void {
    this.keep(name, position);
    this.flush();
  }

  /** Keeps `name`'s position for the next save or flush (at the latest, at close), without writing it now. */
  keep(name: string, position: bigint): void {
    this.unsaved.set(name, position);
  }

  /** Writes the positions not saved yet; false when the file was busy (they stay for the next try). */
  flush(): boolean {
    if (this.unsaved.size === 0) return true;
    try {
      this.db.transaction(() => {
        for (const [name, position] of this.unsaved) this.upsert.run(name, position.toString());
      })();
      this.unsaved.clear();
      return true;
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
      return false;
    }
  }

  /** Saves what is left (waiting for the lock this time: nothing else runs at close) and closes the connection. */
  close(): void {
    if (!this.db.open) return;
    this.db.pragma('busy_timeout = 5000');
    try {
      this.flush();
    } finally {
      this.db.close();
    }
  }
}
