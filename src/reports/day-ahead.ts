/**
 * Today's and tomorrow's batch views built in the background (issue 19 point 9): idle money is aged
 * against the reference date, so the first read of a new day would age every batch again on the
 * main thread (7.5 s at 10,000 projects). From the start, and again after every write, DayAhead
 * builds the views of today and of tomorrow (by the clock, UTC days as the reports' reference
 * date) a few batches a step, as the projection runner settles its work due: a step of about
 * SETTLE_STEP_MS, then a rest so that it takes at most DUTY of the main thread (IDLE_DUTY when
 * neither an overview read nor a write came for IDLE_MS: a write moves the read models' position). When the day turns, tomorrow's views are today's: the first read is a
 * look-up. A read that comes before a warm-up ends builds the rest itself (BatchTotalsKeeper).
 */
import type Database from 'better-sqlite3';
import type { Clock } from '../shared/time/clock';
import { restForDuty, wakeableSleep } from '../shared/time/timeout';
import { ReadModels, SETTLE_STEP_MS } from '../projection-runner/read-models';
import { BatchTotalsKeeper } from './batch-totals';
import { DEFAULT_IDLE_DAYS } from './idle-money';

const DUTY = 0.1;
const IDLE_DUTY = 0.5;
const IDLE_MS = 250;
/** How often it looks again when both days are built (a write or the day turning makes more to do). */
const LOOK_AGAIN_MS = 1_000;

export class DayAhead {
  private running = false;
  private readonly sleeper = wakeableSleep();
  private loop: Promise<void> | null = null;
  /** When the last overview read came, or the last step found the read models' position moved (a write). */
  private lastBusyAt = -Infinity;
  private lastPosition: bigint | null = null;
  /** The days the last step found built (their views and the totals at the latest batch version), if it did. */
  private built: string | null = null;

  constructor(
    private readonly keeper: BatchTotalsKeeper,
    private readonly readModels: ReadModels,
    private readonly clock: Clock,
    /** How many times the source ledger was rebuilt (resetsOf), as the keeper's reads pass it. */
    private readonly rebuilds: (db: Database.Database) => number,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  /** The days it builds now: today's and tomorrow's reference dates by the clock. */
  days(): [string, string] {
    const now = this.clock.now();
    const tomorrow = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
    return [now.toISOString().slice(0, 10), tomorrow.toISOString().slice(0, 10)];
  }

  /**
   * One step: builds what is missing of today's views, else of tomorrow's, for about `budgetMs`
   * (one group of batches at least), in one read of the read models. Says whether any is still missing.
   */
  step(budgetMs: number): boolean {
    const days = this.days();
    const { result: due, position } = this.readModels.read((db) =>
      this.keeper.warm(db, this.rebuilds(db), days, DEFAULT_IDLE_DAYS, budgetMs),
    );
    if (position !== this.lastPosition) this.lastBusyAt = performance.now();
    this.lastPosition = position;
    this.built = due ? null : days.join();
    return due;
  }

  /** Whether the last step found the views of today and tomorrow, by the clock now, all built (the bench waits for it). */
  isBuilt(): boolean {
    return this.built === this.days().join();
  }

  /** A live read of the overview came: the warm-up keeps to DUTY for a while. */
  readCame(): void {
    this.lastBusyAt = performance.now();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.sleeper.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      // Requests that came while it rested are read first: a step never goes ahead of them.
      await new Promise((resolve) => setImmediate(resolve));
      if (!this.running) break;
      const began = performance.now();
      let due = false;
      try {
        due = this.step(SETTLE_STEP_MS);
      } catch (err) {
        this.log(`building the day's batch views ahead failed, will try again: ${(err as Error).message}`);
      }
      const took = performance.now() - began;
      const duty = began - this.lastBusyAt >= IDLE_MS ? IDLE_DUTY : DUTY;
      await this.sleeper.sleep(due ? restForDuty(took, duty) : LOOK_AGAIN_MS);
    }
  }
}
