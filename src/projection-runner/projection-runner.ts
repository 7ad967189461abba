import { EventStore, RecordedEvent, Subscription } from '../event-store/event-store.port';
import { wakeableSleep } from '../shared/time/timeout';
import { prepared } from '../shared/projection/prepared';
import { ProjectionDefinition } from '../shared/projection/projection-definition';
import { ReadModels } from './read-models';

/**
 * Live pages are gathered: after a page of fewer than COALESCE_BELOW events (the runner has caught
 * up) it waits up to COALESCE_MS before taking the next, so a burst of writes reaches the read
 * models as a few larger transactions rather than one per commit. A reader waiting for its own
 * write (waitFor) or a stop ends the wait at once; catching up (full pages) never waits.
 */
export const COALESCE_MS = 100;
export const COALESCE_BELOW = 200;

/**
 * While it catches up (pages of COALESCE_BELOW events or more), the runner lets gathering
 * projections (ProjectionDefinition.gather) fold up to this many events in memory before they
 * write their rows and checkpoint in one transaction. They write sooner when they have folded for
 * GATHER_MAX_MS, a page is short (caught up), a reader waits for a folded position, the runner
 * stops, or no page came for GATHER_IDLE_MS.
 */
export const GATHER_MAX_EVENTS = 200_000;
export const GATHER_MAX_MS = 1_000;
export const GATHER_IDLE_MS = 20;

/** What gathering projections folded since their checkpoint and have not written yet. */
interface Gathered {
  events: number;
  /** When the first of these pages was folded (Date.now()). */
  since: number;
  byName: Map<string, { state: unknown; last: bigint }>;
}

/** What became of a page: the position every projection has now processed through, or why it failed. */
export type PageOutcome = { position: bigint } | { error: Error };

/**
 * Feeds every projection from $all in global order. For each page of events it opens one SQLite
 * transaction, applies the events each projection has not yet seen and moves its checkpoint, so
 * rows and checkpoint are never out of step: after a crash the runner resumes exactly where the
 * last committed page ended. A projection whose version changed is rebuilt from position 0.
 */
export class ProjectionRunner extends ReadModels {
  private subscription: Subscription | null = null;
  private lastError: Error | null = null;
  private readonly pace = wakeableSleep();
  private gathered: Gathered | null = null;
  private idleWrite: NodeJS.Timeout | null = null;
  /** A subscription being closed to read again from the checkpoints (see applyPage). */
  private rewinding: Promise<void> | null = null;
  private running = false;
  /** Numbers subscriptions: a page from one given up by a rewind is refused, never applied. */
  private generation = 0;
  /**
   * After a rewind, every page is written on its own until the runner is past where the failure
   * was: a page that keeps failing then fails alone, and the store's backoff paces its retries.
   */
  private writeEachPageThrough: bigint | null = null;

  constructor(
    private readonly store: EventStore,
    projections: readonly ProjectionDefinition[],
    file: string,
    private readonly log: (message: string) => void = (m) => console.error(m),
    /** Told after every page (ProjectionThread reports it to the main thread). */
    private readonly onPage?: (outcome: PageOutcome) => void,
  ) {
    super(projections, file);
  }

  override start(): void {
    this.running = true;
    if (this.subscription || this.rewinding) return;
    const generation = ++this.generation;
    this.subscription = this.store.subscribeToAll(
      this.position(),
      // Refused, not ignored: the given-up subscription then backs off until it is closed.
      (events) => (generation === this.generation ? this.applyLivePage(events) : Promise.reject(new StaleSubscription())),
      (err) => {
        if (!(err instanceof StaleSubscription)) this.log(`projection page failed, will retry: ${err.message}`);
      },
    );
  }

  override async stop(): Promise<void> {
    this.running = false;
    this.generation += 1;
    const sub = this.subscription;
    this.subscription = null;
    this.pace.wake();
    await sub?.close();
    await this.rewinding;
    if (this.idleWrite) clearTimeout(this.idleWrite);
    this.writeGathered();
  }

  override async close(): Promise<void> {
    await this.stop();
    this.abandonWaiters();
    this.db.close();
  }

  /** Drops a projection's rows and replays it from position 0. */
  override async rebuild(name: string): Promise<void> {
    const p = this.projections.find((x) => x.name === name);
    if (!p) throw new Error(`no projection named ${name}`);
    const running = this.running;
    await this.stop();
    this.reset(p);
    if (running) this.start();
  }

  protected override hurry(position: bigint): void {
    this.pace.wake();
    // Folded but not written yet: write it between pages.
    if (this.gathered && position <= this.gatheredThrough()) setImmediate(() => this.writeGathered());
  }

  private gatheredThrough(gathered = this.gathered): bigint {
    let through = 0n;
    for (const { last } of gathered?.byName.values() ?? []) if (last > through) through = last;
    return through;
  }

  override error(): Error | null {
    return this.lastError;
  }

  /** A page from the subscription: applied, then (when caught up and nobody waits) a short gathering pause. */
  private async applyLivePage(events: RecordedEvent[]): Promise<void> {
    const catchingUp = events.length >= COALESCE_BELOW;
    const g = this.gathered;
    const full = g !== null && (g.events + events.length >= GATHER_MAX_EVENTS || Date.now() - g.since >= GATHER_MAX_MS);
    const awaited = events.length > 0 && this.awaited(events[events.length - 1].position);
    if (this.idleWrite) clearTimeout(this.idleWrite);
    this.applyPage(events, !catchingUp || awaited || full || this.writeEachPageThrough !== null);
    // The page after a full one may never come (the log ended there): write what was folded.
    this.idleWrite = this.gathered ? setTimeout(() => this.writeGathered(), GATHER_IDLE_MS).unref() : null;
    if (!catchingUp && !this.waiting() && this.subscription) await this.pace.sleep(COALESCE_MS);
    // Catching up, pages follow one another without a turn of the event loop: give one, so a
    // reader's waitFor (a message to the projection thread) is heard between pages.
    else if (catchingUp) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Writes what gathering projections folded, with their checkpoints; on failure they read it again. */
  private writeGathered(): void {
    if (!this.gathered) return;
    try {
      this.applyPage([], true);
    } catch (err) {
      this.log(`projection write failed, will read again from the checkpoints: ${(err as Error).message}`);
    }
  }

  /**
   * Applies one page in one transaction: rows and checkpoints commit together. Gathering
   * projections fold the page and, unless `write`, keep it folded for a later page's transaction
   * (their checkpoints stay where their rows are). If the transaction fails, what they had folded
   * from earlier pages is lost with it, so the subscription starts again from the checkpoints.
   * Exposed for tests.
   */
  applyPage(events: RecordedEvent[], write = true): void {
    if (events.length === 0 && !this.gathered) return;
    const folded = this.gathered;
    let next: Gathered | null = null;
    const run = this.db.transaction(() => {
      for (const p of this.projections) {
        const stored = this.checkpointRow(p.name)?.position ?? 0n;
        const pending = folded?.byName.get(p.name);
        const gather = p.gather;
        const state = gather ? (pending ? pending.state : gather.start()) : undefined;
        let last = pending?.last ?? stored;
        const handles = new Set(p.handles);
        for (const e of events) {
          if (e.position <= last) continue;
          if (handles.has(e.type)) {
            if (gather) gather.fold(state, e);
            else p.apply(this.db, e);
          }
          last = e.position;
        }
        if (gather && !write) {
          if (last > stored) (next ??= { events: (folded?.events ?? 0) + events.length, since: folded?.since ?? Date.now(), byName: new Map() }).byName.set(p.name, { state, last });
          continue;
        }
        if (gather && last > stored) gather.write(this.db, state);
        if (last > stored) prepared(this.db, 'UPDATE projection_checkpoints SET position = ? WHERE name = ?').run(last.toString(), p.name);
      }
    });
    try {
      run.immediate();
      this.gathered = next;
      this.lastError = null;
      if (this.writeEachPageThrough !== null && this.position() >= this.writeEachPageThrough) this.writeEachPageThrough = null;
    } catch (err) {
      this.gathered = null;
      if (folded) {
        const pageEnd = events.length > 0 ? events[events.length - 1].position : 0n;
        const foldedThrough = this.gatheredThrough(folded);
        this.rewind(pageEnd > foldedThrough ? pageEnd : foldedThrough);
      }
      this.lastError = err as Error;
      this.onPage?.({ error: err as Error });
      throw err;
    }
    const reached = this.position();
    this.onPage?.({ position: reached });
    this.reached(reached);
  }

  /** Reads again from the checkpoints: the subscription is past events that were folded and then lost (up to `failedThrough`). */
  private rewind(failedThrough: bigint): void {
    const sub = this.subscription;
    if (!sub) return; // stopped: start() reads from the checkpoints anyway
    this.subscription = null;
    this.generation += 1; // its pages from now on are refused
    this.writeEachPageThrough = failedThrough;
    // Not awaited here: this runs inside the subscription's own callback, which close() waits for.
    this.rewinding = (async () => {
      await new Promise((resolve) => setImmediate(resolve));
      await sub.close();
      this.rewinding = null;
      if (this.running) this.start();
    })();
  }
}

/** A page offered by a subscription the runner has given up (see rewind). */
class StaleSubscription extends Error {
  constructor() {
    super('a page of a subscription given up after a failed write: not applied');
  }
}
