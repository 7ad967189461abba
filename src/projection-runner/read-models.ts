import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { LedgerConfig } from '../config/config';
import { assert } from '../shared/domain/domain-error';
import { fundingMixProjection } from '../../projections/funding-mix/funding-mix.projection';
import { projectListProjection } from '../../projections/project-list/project-list.projection';
import { sourceLedgerProjection } from '../../projections/source-ledger/source-ledger.projection';
import { prepared } from '../shared/projection/prepared';
import { ProjectionDefinition } from '../shared/projection/projection-definition';

/** Every read model the service keeps; the runner feeds them all from $all. */
export const PROJECTIONS: readonly ProjectionDefinition[] = [fundingMixProjection, projectListProjection, sourceLedgerProjection];

/** One read-model file per service instance, beside (not inside) the event log. */
export function readModelFile(config: LedgerConfig): string {
  return join(config.dataDir, 'read-model.sqlite');
}

const CHECKPOINTS = `
CREATE TABLE IF NOT EXISTS projection_checkpoints (
  name     TEXT PRIMARY KEY,
  version  INTEGER NOT NULL,
  position TEXT    NOT NULL -- decimal: an EventStoreDB position does not fit INTEGER
);`;

/**
 * The read models as their readers see them: one SQLite file of projection tables and their
 * checkpoints, fed from $all by a ProjectionRunner (in this thread, or on a thread of its own:
 * ProjectionThread). Opening it creates the checkpoint table and drops (to rebuild from position 0)
 * every projection whose version changed, before anything reads it.
 */
export abstract class ReadModels {
  readonly db: Database.Database;
  private readonly waiters: { position: bigint; done: (reached: boolean) => void }[] = [];

  constructor(
    readonly projections: readonly ProjectionDefinition[],
    file: string,
  ) {
    assert(new Set(projections.map((p) => p.name)).size === projections.length, 'projection names are unique');
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // The read model is rebuildable from the log: NORMAL is durable enough and much cheaper.
    this.db.pragma('synchronous = NORMAL');
    this.db.defaultSafeIntegers(true);
    this.db.exec(CHECKPOINTS);
    for (const p of projections) {
      const row = this.checkpointRow(p.name);
      if (!row || row.version !== BigInt(p.version)) this.reset(p);
    }
  }

  /** Starts feeding the read models from the lowest checkpoint. */
  abstract start(): void;
  /** Stops feeding them (the current page is finished first). */
  abstract stop(): Promise<void>;
  /** Stops, then closes the file. */
  abstract close(): Promise<void>;
  /** Drops a projection's rows and replays it from position 0. */
  abstract rebuild(name: string): Promise<void>;
  /** Why the last page failed, until a page succeeds again. */
  abstract error(): Error | null;
  /** Someone waits for `position`: the runner should not pause before it gets there. */
  protected abstract hurry(position: bigint, timeoutMs: number): void;

  /** Resolves true once every projection has processed `position` (read-your-writes), false after `timeoutMs` or on close. */
  waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.position() >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(false), timeoutMs);
      const done = (reached: boolean) => {
        clearTimeout(timer);
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(reached);
      };
      const waiter = { position, done };
      this.waiters.push(waiter);
      this.hurry(position, timeoutMs);
    });
  }

  /** Every projection has processed `position`: the readers waiting for it (or less) go on. */
  protected reached(position: bigint): void {
    for (const w of this.waiters.filter((x) => x.position <= position)) w.done(true);
  }

  /** Whether a reader waits for the runner. */
  protected waiting(): boolean {
    return this.waiters.length > 0;
  }

  /** Whether a reader waits for `position` or an earlier one. */
  protected awaited(position: bigint): boolean {
    return this.waiters.some((w) => w.position <= position);
  }

  /** Closing: every reader still waiting is told the position was not reached. */
  protected abandonWaiters(): void {
    for (const w of [...this.waiters]) w.done(false);
  }

  /**
   * Runs `read` on the read models in one read transaction, so everything it reads is one
   * snapshot, and says which log position that snapshot has processed through (every projection).
   * The runner commits rows and checkpoints together, so the two always agree.
   */
  read<R>(read: (db: Database.Database) => R): { result: R; position: bigint } {
    return this.db.transaction(() => ({ position: this.position(), result: read(this.db) }))();
  }

  /** The position every projection has processed through. */
  position(): bigint {
    let min: bigint | null = null;
    for (const p of this.projections) {
      const pos = this.checkpointRow(p.name)?.position ?? 0n;
      if (min === null || pos < min) min = pos;
    }
    return min ?? 0n;
  }

  checkpoints(): { name: string; version: number; position: string }[] {
    return this.db.transaction(() =>
      this.projections.map((p) => ({ name: p.name, version: p.version, position: (this.checkpointRow(p.name)?.position ?? 0n).toString() })),
    )();
  }

  protected reset(p: ProjectionDefinition): void {
    this.db.transaction(() => {
      for (const t of p.tables) this.db.exec(`DROP TABLE IF EXISTS ${t}`);
      this.db.exec(p.schema);
      this.db.prepare("INSERT INTO projection_checkpoints (name, version, position) VALUES (?, ?, '0') ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = '0'")
        .run(p.name, p.version);
    }).immediate();
  }

  protected checkpointRow(name: string): { version: bigint; position: bigint } | undefined {
    const row = prepared(this.db, 'SELECT version, position FROM projection_checkpoints WHERE name = ?').get(name) as { version: bigint; position: string } | undefined;
    return row && { version: row.version, position: BigInt(row.position) };
  }
}
