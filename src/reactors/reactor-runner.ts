import { Logger } from '@nestjs/common';
import { EventStore, RecordedEvent, Subscription } from '../event-store/event-store.port';
import { LedgerEvent } from '../events/ledger-events';
import { EventRegistry, TypedEvent } from '../shared/domain/event-registry';
import { ParsedRecordWithMetadata, parseRecord } from '../shared/events/parsed-record';
import { ReactorCheckpoints } from './reactor-checkpoints';

/**
 * The second half of a flow that spans streams (style.md rule 11): it reacts to an event of one
 * stream with a command on another. `handle` must be safe to run again on the same event (after a
 * restart the runner offers again what it had not checkpointed): every command it makes carries a
 * command id derived from the event, so the writer's idempotency makes a repeat write nothing.
 *
 * `handle` throws only for what may pass (a write conflict, a store that is down): the runner then
 * offers the page again, backing off. A refusal that will never pass is the reactor's to settle
 * (compensate, or report), or the flow would stop there for good.
 */
export interface Reactor<E extends TypedEvent = LedgerEvent> {
  readonly name: string;
  /**
   * Reads every event the subscription offers (for $all, `ledgerEvents`): one it cannot read fails
   * the page, which is offered again, never skipped, as in the projection runner.
   */
  readonly events: EventRegistry<E>;
  /** The (current) event types `handle` is given; every other event only moves the checkpoint. */
  readonly handles: readonly E['type'][];
  /** Given only events of `handles` (a reactor may declare the narrower type), parsed, with their metadata. */
  handle(event: ParsedRecordWithMetadata<E>): Promise<void>;
}

interface Waiter {
  position: bigint;
  done(reached: boolean): void;
}

/**
 * Feeds one reactor from a catch-up subscription to $all that starts at its checkpoint: the
 * store's subscription offers a page the reactor threw on again with back-off (never skipping it),
 * and the checkpoint is saved after each page the reactor took, so after a stop the reactor
 * resumes where it was and completes, by itself, a flow whose first write happened before the stop.
 */
export class ReactorRunner<E extends TypedEvent = LedgerEvent> {
  private subscription: Subscription | null = null;
  private handledThrough: bigint;
  private lastError: Error | null = null;
  private readonly waiters = new Set<Waiter>();
  private readonly types: ReadonlySet<string>;
  private readonly logger: Logger;

  constructor(
    private readonly store: EventStore,
    private readonly reactor: Reactor<E>,
    private readonly checkpoints: ReactorCheckpoints,
  ) {
    this.types = new Set(reactor.handles);
    this.handledThrough = checkpoints.load(reactor.name);
    this.logger = new Logger(`reactor ${reactor.name}`);
  }

  get name(): string {
    return this.reactor.name;
  }

  running(): boolean {
    return this.subscription !== null;
  }

  start(): void {
    if (this.subscription) return;
    this.subscription = this.store.subscribeToAll(
      this.handledThrough,
      (page) => this.take(page),
      (err) => {
        this.lastError = err;
        this.logger.warn(`a page will be offered again: ${err.message}`);
      },
    );
  }

  /** Stops after the page under way, and saves the checkpoint; `start` resumes from there. */
  async stop(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = null;
    await subscription?.close();
    for (const waiter of [...this.waiters]) waiter.done(false);
    this.checkpoints.flush();
  }

  /** Stops, then closes the checkpoints' connection. */
  async close(): Promise<void> {
    await this.stop();
    this.checkpoints.close();
  }

  /** The global position through which the reactor has handled $all. */
  position(): bigint {
    return this.handledThrough;
  }

  /** Why the last page failed, until a page succeeds again. */
  error(): Error | null {
    return this.lastError;
  }

  /**
   * Resolves true once the reactor has handled `position` (so the flow an HTTP write started there
   * has made its second write, or settled its refusal), false after `timeoutMs`, or at once when
   * the runner is not running (nothing in this process would get there).
   */
  waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.handledThrough >= position) return Promise.resolve(true);
    if (!this.subscription) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => waiter.done(false), timeoutMs);
      const waiter: Waiter = {
        position,
        done: (reached) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(reached);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** A page: parsed whole before any event is handled, so a page the registry cannot read makes no write. */
  private async take(page: RecordedEvent[]): Promise<void> {
    const events = page.map((stored) => parseRecord(this.reactor.events, stored));
    for (const event of events) {
      if (this.types.has(event.type)) await this.reactor.handle(event);
    }
    this.handledThrough = page[page.length - 1].position;
    this.checkpoints.save(this.reactor.name, this.handledThrough);
    this.lastError = null;
    for (const waiter of [...this.waiters]) {
      if (waiter.position <= this.handledThrough) waiter.done(true);
    }
  }

  // Nest lifecycle, when the runner is a provider: fed once the application is up; stopped before
  // any module's shutdown (the store closes in EventStoreModule's onApplicationShutdown).
  onApplicationBootstrap(): void {
    this.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.close();
  }
}
