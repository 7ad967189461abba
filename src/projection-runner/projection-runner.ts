import { EventStore, RecordedEvent, Subscription } from '../event-store/event-store.port';
import { wakeableSleep } from '../shared/time/timeout';
import { prepared } from './prepared';
import { ProjectionDefinition } from './projection';
import { ReadModels } from './read-models';

/**
 * Live pages are gathered: after a page of fewer than COALESCE_BELOW events (the runner has caught
 * up) it waits up to COALESCE_MS before taking the next, so a burst of writes reaches the read
 * models as a few larger transactions rather than one per commit. A reader waiting for its own
 * write (waitFor) or a stop ends the wait at once; catching up (full pages) never waits.
 */
export const COALESCE_MS = 100;
export const COALESCE_BELOW = 200;

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
    if (this.subscription) return;
    this.subscription = this.store.subscribeToAll(
      this.position(),
      (events) => this.applyLivePage(events),
      (err) => this.log(`projection page failed, will retry: ${err.message}`),
    );
  }

  override async stop(): Promise<void> {
    const sub = this.subscription;
    this.subscription = null;
    this.pace.wake();
    await sub?.close();
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
    const running = this.subscription !== null;
    await this.stop();
    this.reset(p);
    if (running) this.start();
  }

  protected override hurry(): void {
    this.pace.wake();
  }

  override error(): Error | null {
    return this.lastError;
  }

  /** A page from the subscription: applied, then (when caught up and nobody waits) a short gathering pause. */
  private async applyLivePage(events: RecordedEvent[]): Promise<void> {
    this.applyPage(events);
    if (events.length < COALESCE_BELOW && !this.waiting() && this.subscription) await this.pace.sleep(COALESCE_MS);
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
      this.onPage?.({ error: err as Error });
      throw err;
    }
    const reached = this.position();
    this.onPage?.({ position: reached });
    this.reached(reached);
  }
}
