import { Global, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import Database from 'better-sqlite3';
import { LEDGER_CONFIG, LedgerConfig } from '../config/config';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { BrokenStreams, brokenStreamsOf } from '../event-store/integrity';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { MetricsService } from '../ops/metrics.service';
import { restForDuty, wakeableSleep } from '../shared/time/timeout';
import { COLUMNS, ChainProblem, Row, SegmentScanner, openReadOnly, scanRows } from './verify-chain';

/** Events verified per step: one page, then the watch gives the service its turn. */
const PAGE = 250;
/** How often the watch looks for new events once it has reached the head. */
const POLL_MS = 1_000;

export interface ChainWatchOptions {
  /** The share of the process's time the watch may take while it has events to check (0 < duty <= 1). */
  duty: number;
  /** A new pass over the whole log starts this long after the previous one began. */
  repassMs: number;
}

export interface ChainWatchStatus {
  running: boolean;
  /** Passes over the whole log completed since start. */
  passes: number;
  /** Position through which the current pass has verified. */
  checkedThrough: string;
  eventsChecked: number;
  lastPassEndedAt: string | null;
  brokenStreams: number;
}

/**
 * The background verifier (issue 14, defect 2): walks the log in passes, a page at a time, checking
 * each event's link, id and hash as `renovation-ledger verify` does (verify-chain.ts), and marks
 * every stream that does not verify broken: from then on nothing is decided on it, its reads say
 * so and health is `degraded`. Reaching the head, it follows new events; a new pass begins every
 * `repassMs`, so events changed on disk after they were checked are found too. It takes at most
 * `duty` of the main thread: after a page that took t, it sleeps t × (1 − duty) / duty.
 */
export class ChainWatch {
  private readonly broken: BrokenStreams;
  private readonly pause = wakeableSleep();
  private page: Database.Statement | null = null;
  private db: Database.Database | null = null;
  private scanner = new SegmentScanner(true, undefined);
  private after = 0n;
  private passStartedAt = Date.now();
  private passes = 0;
  private eventsChecked = 0;
  private lastPassEndedAt: string | null = null;
  private atHead = false;
  private loop: Promise<void> | null = null;
  private running = false;

  constructor(
    private readonly store: EventStore,
    private readonly options: ChainWatchOptions,
    private readonly log: (message: string) => void = (m) => new Logger('chain-watch').warn(m),
  ) {
    this.broken = brokenStreamsOf(store);
  }

  start(): void {
    if (this.running || this.options.duty <= 0) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.pause.wake();
    await this.loop;
    this.db?.close();
    this.db = null;
    this.page = null;
  }

  status(): ChainWatchStatus {
    return {
      running: this.running,
      passes: this.passes,
      checkedThrough: this.after.toString(),
      eventsChecked: this.eventsChecked,
      lastPassEndedAt: this.lastPassEndedAt,
      brokenStreams: this.broken.all().length,
    };
  }

  /** Verifies the next page of events; how many it checked (0: at the head). Public for tests. */
  async step(): Promise<number> {
    const checked = this.store instanceof SqliteEventStore ? this.stepFile(this.store.file) : await this.stepPort();
    this.eventsChecked += checked;
    if (checked === 0 && !this.atHead) {
      this.atHead = true;
      this.passes += 1;
      this.lastPassEndedAt = new Date().toISOString();
    }
    return checked;
  }

  /** Starts again from the log's first event (the next step does). */
  newPass(): void {
    this.scanner = new SegmentScanner(true, undefined);
    this.after = 0n;
    this.atHead = false;
    this.passStartedAt = Date.now();
  }

  private async run(): Promise<void> {
    const { duty, repassMs } = this.options;
    while (this.running) {
      const began = performance.now();
      let checked = 0;
      try {
        checked = await this.step();
      } catch (err) {
        this.log(`chain watch: ${(err as Error).message}; trying again`);
      }
      if (!this.running) break;
      if (checked > 0) {
        const took = performance.now() - began;
        await this.pause.sleep(restForDuty(took, duty));
      } else if (this.after > 0n && Date.now() - this.passStartedAt >= repassMs) {
        this.newPass();
      } else {
        await this.pause.sleep(POLL_MS);
      }
    }
  }

  /** The embedded store: raw rows from a read-only connection, so a row that is no longer JSON is named too. */
  private stepFile(file: string): number {
    if (!this.page) {
      this.db = openReadOnly(file);
      this.page = this.db
        .prepare(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`)
        .raw(true);
    }
    const rows = this.page.all(this.after, PAGE) as Row[];
    for (const row of rows) {
      if (!scanRows([row], this.scanner)) this.found(this.scanner.takeProblem());
      this.after = row[0] as bigint;
    }
    return rows.length;
  }

  private async stepPort(): Promise<number> {
    const events = await this.store.readAll({ after: this.after, limit: PAGE });
    for (const e of events) {
      let consumed: boolean;
      try {
        consumed = this.scanner.consumeStored(e);
      } catch (err) {
        consumed = this.scanner.unreadable(e.position, e.streamId, e.revision, e.eventId, (err as Error).message);
      }
      if (!consumed) this.found(this.scanner.takeProblem());
      this.after = e.position;
    }
    return events.length;
  }

  private found(problem: ChainProblem | null): void {
    if (!problem?.streamId || this.broken.faultOf(problem.streamId)) return;
    this.broken.mark({
      streamId: problem.streamId,
      revision: String(problem.revision ?? 'unknown'),
      eventId: problem.eventId ?? 'unknown',
      position: problem.position ?? 'unknown',
      problem: problem.message,
      foundBy: 'verifier',
      foundAt: new Date().toISOString(),
    });
    this.log(`chain watch: ${problem.streamId} does not verify: ${problem.message}`);
  }
}

/** The service's watch, started with the application and stopped with it. */
@Global()
@Module({
  providers: [
    {
      provide: ChainWatch,
      inject: [EVENT_STORE, LEDGER_CONFIG],
      useFactory: (store: EventStore, config: LedgerConfig) =>
        new ChainWatch(store, { duty: config.verifyDuty, repassMs: config.verifyRepassS * 1000 }),
    },
  ],
  exports: [ChainWatch],
})
export class ChainWatchModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly watch: ChainWatch,
    private readonly metrics: MetricsService,
  ) {}
  onApplicationBootstrap(): void {
    this.metrics.beforeScrape(async () => this.metrics.setVerifierStatus(this.watch.status()));
    this.watch.start();
  }
  async onApplicationShutdown(): Promise<void> {
    await this.watch.stop();
  }
}
