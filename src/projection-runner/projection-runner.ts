import { Logger } from '@nestjs/common';
import Database from 'better-sqlite3';
import type { EventStore, Subscription } from '../event-store/event-store.port';
import { StreamFault, UnreadableEventError, brokenStreamsOf } from '../event-store/integrity';
import { LedgerRecord } from '../events/ledger-events';
import { parsePage } from '../events/ledger-page';
import { assert } from '../shared/domain/domain-error';
import type { RecordedEvent } from '../shared/events/recorded-event';
import { prepared } from '../shared/projection/prepared';
import {
  OffThreadSettler,
  ProjectionDefinition,
  SettlingWorkerFailed,
} from '../shared/projection/projection-definition';
import { restForDuty, wakeableSleep } from '../shared/time/timeout';
import { ReadModels, SETTLE_STEP_MS } from './read-models';
import { WalCheckpointer, offMainThread } from '../shared/sqlite/wal-checkpointer';

/**
 * The runner is in one of two modes, chosen for each page in `onPage` (the switch rules are there):
 * - catch-up, on a full page (the log is ahead): gathering projections (ProjectionDefinition.gather)
 *   fold pages in memory and write their rows and checkpoint once per batch; projections without
 *   `gather` apply event by event, page by page. A batch is written when it holds GATHER_MAX_EVENTS
 *   events (a bound on memory), when a reader waits for a position in it, when the runner goes live
 *   or stops, or when no page came for GATHER_IDLE_MS (the log may end on a full page).
 * - live, on a short page (caught up), and after a failed write until past it: each page is applied
 *   and checkpointed on its own. With nobody waiting, the runner then pauses up to LIVE_PAUSE_MS,
 *   so a burst of commits reaches the read models as a few larger transactions, not one per commit.
 * Work a projection marks due instead of doing it per event (ProjectionDefinition.settle) is not
 * done in pages: while live (or when no page came for SETTLE_IDLE_MS: the log may end on a full
 * page), the runner settles it in steps of about SETTLE_STEP_MS, each its own transaction, taking
 * at most SETTLE_DUTY of the main thread, SETTLE_IDLE_DUTY when no page came for SETTLE_IDLE_MS
 * (after a step that took t, it rests t × (1 − duty) / duty); a reader of those rows settles the
 * rest first. A stop leaves it due: the list is a table, and the next runner or reader settles it.
 * On a file, a projection that can (ProjectionDefinition.settleOffThread) has its steps computed in
 * a worker thread, the main thread writing only what it computed (the duty then paces the worker);
 * if the worker fails, the runner settles on the main thread again.
 */
export type Mode = 'catch-up' | 'live';
const CATCH_UP_PAGE = 200;
export const GATHER_MAX_EVENTS = 200_000;
const GATHER_IDLE_MS = 20;
const LIVE_PAUSE_MS = 100;
const SETTLE_DUTY = 0.1;
/** With no page coming, settling holds up nothing but requests: a cold catch-up's tail is settled sooner. */
const SETTLE_IDLE_DUTY = 0.5;
/**
 * How often the settling looks again when it found nothing due, or while catching up (each page
 * would mark it due again); also how long without a page counts as live.
 */
const SETTLE_IDLE_MS = 250;

/** What catch-up folded past the checkpoints and has not written: per gathering projection, its fold and the last position in it. */
interface Batch {
  events: number;
  through: bigint;
  folds: Map<string, { state: unknown; last: bigint }>;
}

/**
 * Feeds every projection from $all in global order, and answers reads of what they hold: one
 * SQLite file of projection tables and their checkpoints. Rows and checkpoint commit in one
 * transaction, so after a crash the runner resumes exactly where the last commit ended. Opening
 * the file drops (to rebuild from position 0) every projection whose version changed.
 */
export class ProjectionRunner implements ReadModels {
  readonly db: Database.Database;
  private current: Mode = 'live';
  private batch: Batch | null = null;
  private subscription: Subscription | null = null;
  /** Numbers subscriptions: a page from one given up by a rewind is refused, never applied. */
  private generation = 0;
  private running = false;
  /** A subscription being closed to read again from the checkpoints (see rewind). */
  private rewinding: Promise<void> | null = null;
  /** After a failed write, pages go one by one up to here: one that keeps failing fails alone, paced by the store's backoff. */
  private failedThrough: bigint | null = null;
  private lastError: Error | null = null;
  private idleWrite: NodeJS.Timeout | undefined;
  private readonly pause = wakeableSleep();
  private readonly settling = wakeableSleep();
  private settleLoop: Promise<void> | null = null;
  /**
   * Whether work may be due: set when a page reaches a projection with `settle` (and at start: the
   * file may hold work left due), cleared when a settle finds none, so an idle runner takes no
   * write lock to look.
   */
  private maybeDue = true;
  /** When the last non-empty page came (performance.now()). */
  private lastPageAt = 0;
  private checkpointer: WalCheckpointer | null = null;
  /** Per projection name, its settling worker while running (see Mode). */
  private readonly settlers = new Map<string, OffThreadSettler>();
  /** Counts the pages that reached a projection with `settle`: one during a step off the main thread marks work due again. */
  private dueMarks = 0;
  private readonly waiters = new Set<{ position: bigint; done: (reached: boolean) => void }>();
  /**
   * Positions of damaged events a projection met while applying (a part it read cannot be read,
   * such as the recorded time of an event whose metadata is not JSON): the page failed, and it is
   * gone past when the page comes again (see applyPage).
   */
  private readonly damagedAt = new Set<bigint>();

  constructor(
    private readonly store: EventStore,
    readonly projections: readonly ProjectionDefinition<LedgerRecord>[],
    private readonly file: string,
    private readonly log: (message: string) => void = (m) => new Logger('projection-runner').warn(m),
  ) {
    assert(new Set(projections.map((p) => p.name)).size === projections.length, 'projection names are unique');
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // The read model is rebuildable from the log: NORMAL is durable enough and much cheaper.
    this.db.pragma('synchronous = NORMAL');
    this.db.defaultSafeIntegers(true);
    openCheckpoints(this.db);
    for (const p of projections) if (readCheckpoint(this.db, p.name)?.version !== BigInt(p.version)) this.reset(p);
  }

  get mode(): Mode {
    return this.current;
  }

  /** Starts feeding the read models from the lowest checkpoint. */
  start(): void {
    this.running = true;
    this.maybeDue = true;
    this.settleOffThread();
    this.settleLoop ??= this.settleInBackground();
    this.checkpointOffThread();
    if (this.subscription || this.rewinding) return;
    const generation = ++this.generation;
    this.subscription = this.store.subscribeToAll(
      this.position(),
      // Refused, not ignored: the given-up subscription then backs off until it is closed.
      (events) => (generation === this.generation ? this.onPage(events) : Promise.reject(STALE_PAGE)),
      (err) => {
        if (err !== STALE_PAGE) this.log(`projection page failed, will retry: ${err.message}`);
      },
    );
  }

  /** Stops feeding them: the page in hand is finished and the batch written; work due stays due (see Mode). */
  async stop(): Promise<void> {
    this.running = false;
    this.settling.wake();
    await this.unsubscribe()?.close();
    await this.rewinding;
    await this.settleLoop;
    this.settleLoop = null;
    await Promise.all([...this.settlers.values()].map((s) => s.stop()));
    this.settlers.clear();
    await this.checkpointer?.stop();
    this.checkpointer = null;
    this.writeBatch();
  }

  /** Stops, tells every reader still waiting that its position was not reached, closes the file. */
  async close(): Promise<void> {
    await this.stop();
    for (const w of [...this.waiters]) w.done(false);
    this.db.close();
  }

  /** Drops a projection's rows and replays it from position 0; a running runner goes on running. */
  async rebuild(name: string): Promise<void> {
    const p = this.projections.find((x) => x.name === name);
    if (!p) throw new Error(`no projection named ${name}`);
    const running = this.running;
    await this.stop();
    this.reset(p);
    if (running) this.start();
  }

  error(): Error | null {
    return this.lastError;
  }

  read<R>(read: (db: Database.Database) => R): { result: R; position: bigint } {
    return this.db.transaction(() => ({ position: this.position(), result: read(this.db) }))();
  }

  /** The position every projection has processed through. */
  position(): bigint {
    const positions = this.projections.map((p) => readCheckpoint(this.db, p.name)?.position ?? 0n);
    return positions.reduce((min, p) => (p < min ? p : min), positions[0] ?? 0n);
  }

  checkpoints() {
    return this.db.transaction(() =>
      this.projections.map((p) => ({
        name: p.name,
        version: p.version,
        position: (readCheckpoint(this.db, p.name)?.position ?? 0n).toString(),
      })),
    )();
  }

  waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    // Folded but not written: the reader should not wait for the batch to end.
    if (this.batch && position <= this.batch.through) this.writeBatch();
    if (this.position() >= position) return Promise.resolve(true);
    this.pause.wake();
    return new Promise((resolve) => {
      const waiter = {
        position,
        done: (reached: boolean) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => waiter.done(false), timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /**
   * Applies one page in one transaction: rows and checkpoints commit together. Each projection
   * skips what it has taken (up to its checkpoint, or folded). Gathering projections fold the page
   * into the batch and, unless `write`, keep the batch for a later page's transaction (their
   * checkpoints stay where their rows are). If the transaction fails, the batch is lost with it:
   * the runner reads again from the checkpoints (rewind). Public for tests and the query bench.
   *
   * Every event is parsed by the ledger's registry first, once for all projections: one the
   * registry cannot read (an unknown type, a malformed event) fails the page like a failed write,
   * reported by error() and offered again, never skipped (the read models would stop describing
   * the log). Unless it is damaged in the store (not JSON, or no longer its recorded hash): that
   * one is gone past, its stream marked broken, so every other stream's read models go on while
   * nothing is decided on, or read from, the broken one (see parsePage, docs/internals.md). A
   * part a projection reads only while applying (the metadata) fails the page once: it is offered
   * again, and that event gone past.
   */
  applyPage(stored: readonly RecordedEvent[], write = true): void {
    const batch = this.batch;
    if (stored.length === 0 && !batch) return;
    let next: Batch | null = null;
    try {
      const events = parsePage(stored, (fault) => this.skipDamaged(fault), this.damagedAt);
      // Through the page's end, damaged events left out included (a reader waiting for the head must see it reached).
      const pageThrough = stored.at(-1)?.position ?? 0n;
      this.db
        .transaction(() => {
          for (const p of this.projections) {
            const stored = readCheckpoint(this.db, p.name)?.position ?? 0n;
            const folded = batch?.folds.get(p.name);
            const state = folded ? folded.state : p.gather?.start();
            let last = folded?.last ?? stored;
            for (const e of events) {
              if (e.position <= last) continue;
              if (p.handles.includes(e.type)) {
                if (p.gather) p.gather.fold(state, e);
                else p.apply(this.db, e);
              }
              last = e.position;
            }
            if (pageThrough > last) last = pageThrough;
            if (last === stored) continue;
            if (p.settle) {
              this.maybeDue = true;
              this.dueMarks += 1;
            }
            if (p.gather && !write) {
              next ??= { events: (batch?.events ?? 0) + events.length, through: 0n, folds: new Map() };
              next.folds.set(p.name, { state, last });
              if (last > next.through) next.through = last;
            } else {
              p.gather?.write(this.db, state);
              writeCheckpoint(this.db, p, last);
            }
          }
        })
        .immediate();
    } catch (err) {
      if (err instanceof UnreadableEventError) {
        this.damagedAt.add(BigInt(err.fault.position));
        this.skipDamaged(err.fault);
      }
      this.batch = null;
      this.lastError = err as Error;
      const pageEnd = stored.at(-1)?.position ?? 0n;
      if (batch) this.rewind(pageEnd > batch.through ? pageEnd : batch.through);
      throw err;
    }
    this.batch = next;
    this.lastError = null;
    const reached = this.position();
    if (this.failedThrough !== null && reached >= this.failedThrough) this.failedThrough = null;
    for (const w of [...this.waiters]) if (w.position <= reached) w.done(true);
  }

  /** A damaged event gone past (see applyPage): its stream known broken in this process, and logged. */
  private skipDamaged(fault: StreamFault): void {
    brokenStreamsOf(this.store).mark(fault);
    this.log(
      `the projections go past event ${fault.eventId} of ${fault.streamId} at revision ${fault.revision} ` +
        `(position ${fault.position}), which does not verify: ${fault.problem}; nothing is decided on or read from that stream`,
    );
  }

  /** Settles work the projections marked due, until `budgetMs` has passed, in one transaction; whether any is still due. */
  settle(budgetMs: number): boolean {
    const due = this.db
      .transaction(() => {
        let due = false;
        for (const p of this.projections) if (p.settle?.(this.db, budgetMs)) due = true;
        return due;
      })
      .immediate();
    this.maybeDue = due;
    return due;
  }

  /** The settling between pages while live (see Mode), until stop(). */
  private async settleInBackground(): Promise<void> {
    while (this.running) {
      const began = performance.now();
      const idle = began - this.lastPageAt >= SETTLE_IDLE_MS;
      let due = false;
      if ((this.current === 'live' || idle) && this.maybeDue)
        try {
          due = this.settlers.size > 0 ? await this.settleStepOffThread() : this.settle(SETTLE_STEP_MS);
        } catch (err) {
          this.log(`settling the read models failed, will try again: ${(err as Error).message}`);
        }
      const took = performance.now() - began;
      const duty = idle ? SETTLE_IDLE_DUTY : SETTLE_DUTY;
      await this.settling.sleep(due ? restForDuty(took, duty) : SETTLE_IDLE_MS);
    }
  }

  /**
   * A settling step of the background loop with the settling workers: each projection that has one
   * through it, any other on the main thread. A worker that failed is given up (logged): its
   * projection settles on the main thread again.
   */
  private async settleStepOffThread(): Promise<boolean> {
    const marks = this.dueMarks;
    let due = false;
    for (const p of this.projections) {
      if (!p.settle) continue;
      const settler = this.settlers.get(p.name);
      if (!settler) {
        if (this.db.transaction(() => p.settle!(this.db, SETTLE_STEP_MS)).immediate()) due = true;
        continue;
      }
      try {
        if (await settler.step(this.db, SETTLE_STEP_MS)) due = true;
      } catch (err) {
        // A failed write in this.db (a lock held too long) is the loop's to retry; only a failed worker is given up.
        if (!(err instanceof SettlingWorkerFailed)) throw err;
        this.settlers.delete(p.name);
        void settler.stop();
        this.log(`the settling worker of ${p.name} failed, settling on the main thread: ${(err as Error).message}`);
        due = true;
      }
    }
    // A page applied while a worker computed may have marked more due.
    this.maybeDue = due || this.dueMarks !== marks;
    return this.maybeDue;
  }

  /** While running, settling workers compute what the projections that can mark due (not for an in-memory file). */
  private settleOffThread(): void {
    if (this.file === ':memory:') return;
    for (const p of this.projections)
      if (p.settle && p.settleOffThread && !this.settlers.has(p.name))
        try {
          this.settlers.set(p.name, p.settleOffThread(this.file));
        } catch (err) {
          // Not started (no thread, no memory): settled on the main thread, as after a worker fails.
          this.log(
            `the settling worker of ${p.name} could not start, settling on the main thread: ${(err as Error).message}`,
          );
        }
  }

  /** While running, a worker checkpoints the read model's WAL (src/shared/sqlite/wal-checkpointer.ts), not the runner's commits. */
  private checkpointOffThread(): void {
    if (this.checkpointer || this.file === ':memory:') return;
    this.checkpointer = offMainThread(this.db, this.file, (err) => {
      this.checkpointer = null;
      this.log(`the read model's checkpoint worker failed, checkpointing on commit again: ${err.message}`);
    });
  }

  /** A page from the subscription: the switch between the two modes is here, and only here. */
  private async onPage(events: RecordedEvent[]): Promise<void> {
    if (events.length === 0) return;
    this.lastPageAt = performance.now();
    this.current = events.length >= CATCH_UP_PAGE && this.failedThrough === null ? 'catch-up' : 'live';
    const pageEnd = events[events.length - 1].position;
    const endsBatch =
      this.current === 'live' ||
      [...this.waiters].some((w) => w.position <= pageEnd) ||
      (this.batch?.events ?? 0) + events.length >= GATHER_MAX_EVENTS;
    clearTimeout(this.idleWrite);
    this.applyPage(events, endsBatch);
    if (this.batch) this.idleWrite = setTimeout(() => this.writeBatch(), GATHER_IDLE_MS).unref();
    // Catching up, pages follow one another at once: give requests a turn of the event loop between them.
    if (this.current === 'catch-up') await new Promise((resolve) => setImmediate(resolve));
    else if (this.waiters.size === 0) await this.pause.sleep(LIVE_PAUSE_MS);
  }

  /** Writes the batch with its checkpoints, outside a page (a reader waits for it, a stop, no page came). */
  private writeBatch(): void {
    clearTimeout(this.idleWrite);
    if (!this.batch) return;
    try {
      this.applyPage([], true);
    } catch (err) {
      this.log(`projection write failed, will read again from the checkpoints: ${(err as Error).message}`);
    }
  }

  /** Reads again from the checkpoints: the subscription is past events that were folded and then lost (up to `failedThrough`). */
  private rewind(failedThrough: bigint): void {
    this.failedThrough = failedThrough;
    const sub = this.unsubscribe();
    if (!sub) return; // stopped: start() reads from the checkpoints anyway
    // Closed a turn later, not awaited: this may run inside the subscription's own callback, which close() waits for.
    this.rewinding = new Promise((resolve) => setImmediate(resolve)).then(async () => {
      await sub.close();
      this.rewinding = null;
      if (this.running) this.start();
    });
  }

  /** Gives up the subscription (the caller closes it): a page it still offers is refused. */
  private unsubscribe(): Subscription | null {
    const sub = this.subscription;
    this.subscription = null;
    this.generation += 1;
    this.pause.wake();
    return sub;
  }

  private reset(p: ProjectionDefinition<LedgerRecord>): void {
    this.db
      .transaction(() => {
        for (const t of p.tables) this.db.exec(`DROP TABLE IF EXISTS ${t}`);
        this.db.exec(p.schema);
        writeCheckpoint(this.db, p, 0n);
        prepared(this.db, 'UPDATE projection_checkpoints SET resets = resets + 1 WHERE name = ?').run(p.name);
      })
      .immediate();
  }
}

/**
 * How many times `name`'s tables in `db` were emptied to rebuild them, by any process (the service,
 * the CLI's rebuild): a rebuild ends at the position it started from, so what is kept under a
 * projection's position (src/reports/kept-figures.ts) is kept under this count too, or a rebuild
 * that mended its rows would not show.
 */
export function resetsOf(db: Database.Database, name: string): number {
  return readCheckpoint(db, name)?.resets ?? 0;
}

/** What a page offered by a subscription the runner has given up (see rewind) is refused with. */
const STALE_PAGE = new Error('a page of a subscription given up after a failed write: not applied');

/**
 * A checkpoint is a bigint in memory and decimal TEXT in SQLite (an EventStoreDB position does not
 * fit INTEGER); readCheckpoint and writeCheckpoint are its only conversions.
 */
const CHECKPOINTS = `
CREATE TABLE IF NOT EXISTS projection_checkpoints (
  name     TEXT PRIMARY KEY,
  version  INTEGER NOT NULL,
  position TEXT    NOT NULL,
  resets   INTEGER NOT NULL DEFAULT 0
);`;

/** The checkpoints' table, created, or given the column `resets` a file made before it lacks. */
function openCheckpoints(db: Database.Database): void {
  db.exec(CHECKPOINTS);
  const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('projection_checkpoints');
  if (!columns.includes('resets'))
    db.exec('ALTER TABLE projection_checkpoints ADD COLUMN resets INTEGER NOT NULL DEFAULT 0');
}

export function readCheckpoint(
  db: Database.Database,
  name: string,
): { version: bigint; position: bigint; resets: number } | undefined {
  const row = prepared(db, 'SELECT version, position, resets FROM projection_checkpoints WHERE name = ?').get(name) as
    { version: bigint; position: string; resets: bigint } | undefined;
  return row && { version: BigInt(row.version), position: BigInt(row.position), resets: Number(row.resets) };
}

function writeCheckpoint(db: Database.Database, p: ProjectionDefinition<LedgerRecord>, position: bigint): void {
  prepared(
    db,
    'INSERT INTO projection_checkpoints (name, version, position) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position',
  ).run(p.name, p.version, position.toString());
}
