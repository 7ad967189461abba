import Database from 'better-sqlite3';
import { EventStore, RecordedEvent, Subscription } from '../event-store/event-store.port';
import { assert } from '../shared/domain/domain-error';
import { wakeableSleep } from '../shared/time/timeout';
import { prepared } from './prepared';
import { ProjectionDefinition } from './projection';

const CHECKPOINTS = `
CREATE TABLE IF NOT EXISTS projection_checkpoints (
  name     TEXT PRIMARY KEY,
  version  INTEGER NOT NULL,
  position TEXT    NOT NULL -- decimal: an EventStoreDB position does not fit INTEGER
);`;

/**
 * Live pages are gathered: after a page of fewer than COALESCE_BELOW events (the runner has caught
 * up) it waits up to COALESCE_MS before taking the next, so a burst of writes reaches the read
 * models as a few larger transactions rather than one per commit. A reader waiting for its own
 * write (waitFor) or a stop ends the wait at once; catching up (full pages) never waits.
 */
export const COALESCE_MS = 100;
export const COALESCE_BELOW = 200;

/**
 * Feeds every projection from $all in global order. For each page of events it opens one SQLite
 * transaction, applies the events each projection has not yet seen and moves its checkpoint, so
 * rows and checkpoint are never out of step: after a crash the runner resumes exactly where the
 * last committed page ended. A projection whose version changed is rebuilt from position 0.
 */
export class ProjectionRunner {
  readonly db: Database.Database;
  private subscription: Subscription | null = null;
  private readonly waiters: { position: bigint; resolve: () => void }[] = [];
  private lastError: Error | null = null;
  private readonly pace = wakeableSleep();

  constructor(
    private readonly store: EventStore,
    readonly projections: readonly ProjectionDefinition[],
    file: string,
    private readonly log: (message: string) => void = (m) => console.error(m),
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

  start(): void {
    if (this.subscription) return;
    this.subscription = this.store.subscribeToAll(
      this.lowestCheckpoint(),
      (events) => this.applyLivePage(events),
      (err) => this.log(`projection page failed, will retry: ${err.message}`),
    );
  }

  async stop(): Promise<void> {
    const sub = this.subscription;
    this.subscription = null;
    this.pace.wake();
    await sub?.close();
  }

  async close(): Promise<void> {
    await this.stop();
    this.db.close();
  }

  /** Drops a projection's rows and replays it from position 0. */
  async rebuild(name: string): Promise<void> {
    const p = this.projections.find((x) => x.name === name);
    if (!p) throw new Error(`no projection named ${name}`);
    const running = this.subscription !== null;
    await this.stop();
    this.reset(p);
    if (running) this.start();
  }

  /** The position every projection has processed through. */
  position(): bigint {
    return this.lowestCheckpoint();
  }

  checkpoints(): { name: string; version: number; position: string }[] {
    return this.projections.map((p) => ({ name: p.name, version: p.version, position: (this.checkpointRow(p.name)?.position ?? 0n).toString() }));
  }

  /** Resolves once every projection has processed `position` (read-your-writes), or after `timeoutMs`. */
  waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.position() >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(false);
      }, timeoutMs);
      const waiter = { position, resolve: () => { clearTimeout(timer); resolve(true); } };
      this.waiters.push(waiter);
      this.pace.wake();
    });
  }

  error(): Error | null {
    return this.lastError;
  }

  /** A page from the subscription: applied, then (when caught up and nobody waits) a short gathering pause. */
  private async applyLivePage(events: RecordedEvent[]): Promise<void> {
    this.applyPage(events);
    if (events.length < COALESCE_BELOW && this.waiters.length === 0 && this.subscription) await this.pace.sleep(COALESCE_MS);
  }

  /** Applies one page in one transaction: rows and checkpoints commit together. Exposed for tests. */
  applyPage(events: RecordedEvent[]): void {
    if (events.length === 0) return;
    const run = this.db.transaction(() => {
      for (const p of this.projections) {
        const from = this.checkpointRow(p.name)?.position ?? 0n;
        let last = from;
        const handles = new Set(p.handles);
        for (const e of events) {
          if (e.position <= last) continue;
          if (handles.has(e.type)) p.apply(this.db, e);
          last = e.position;
        }
        if (last > from) prepared(this.db, 'UPDATE projection_checkpoints SET position = ? WHERE name = ?').run(last.toString(), p.name);
      }
    });
    try {
      run.immediate();
      this.lastError = null;
    } catch (err) {
      this.lastError = err as Error;
      throw err;
    }
    const reached = this.position();
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i].position <= reached) this.waiters.splice(i, 1)[0].resolve();
    }
  }

  private reset(p: ProjectionDefinition): void {
    this.db.transaction(() => {
      for (const t of p.tables) this.db.exec(`DROP TABLE IF EXISTS ${t}`);
      this.db.exec(p.schema);
      this.db.prepare("INSERT INTO projection_checkpoints (name, version, position) VALUES (?, ?, '0') ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = '0'")
        .run(p.name, p.version);
    }).immediate();
  }

  private checkpointRow(name: string): { version: bigint; position: bigint } | undefined {
    const row = prepared(this.db, 'SELECT version, position FROM projection_checkpoints WHERE name = ?').get(name) as { version: bigint; position: string } | undefined;
    return row && { version: row.version, position: BigInt(row.position) };
  }

  private lowestCheckpoint(): bigint {
    let min: bigint | null = null;
    for (const p of this.projections) {
      const pos = this.checkpointRow(p.name)?.position ?? 0n;
      if (min === null || pos < min) min = pos;
    }
    return min ?? 0n;
  }
}
