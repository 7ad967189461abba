import { Logger } from '@nestjs/common';
import { EventStore, RecordedEvent, Subscription } from '../event-store/event-store.port';
import { UnreadableEventError, brokenStreamsOf, damageOf, verifyStored } from '../event-store/integrity';
import { GENESIS_HASH } from '../event-store/hashing';
import { DomainError } from '../shared/domain/domain-error';
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
   * Knows every event type the subscription offers (for $all, `ledgerEvents`), and reads the events
   * that reach `handles` (see ReactorRunner's handledIn): an unknown type, or one of those events
   * it cannot read, fails the page, which is offered again, never skipped, as in the projection runner.
   */
  readonly events: EventRegistry<E>;
  /**
   * The (current) event types `handle` is given; every other event only moves the checkpoint, and
   * is not parsed: the registry reads only the events of these types (or of a superseded version
   * that upcasts to one of them).
   */
  readonly handles: readonly E['type'][];
  /** Given only events of `handles` (a reactor may declare the narrower type), parsed, with their metadata. */
  handle(event: ParsedRecordWithMetadata<E>): Promise<void>;
}

/**
 * How often, at most, the checkpoint is saved after pages in which the reactor handled nothing:
 * under a load of writes it never handles (receipts), the runner takes a page per group commit, and
 * a save per page was most of its cost on the main thread.
 */
const IDLE_SAVE_MS = 1_000;

interface Waiter {
  position: bigint;
  done(reached: boolean): void;
}

/**
 * Feeds one reactor from a catch-up subscription to $all that starts at its checkpoint: the
 * store's subscription offers a page the reactor threw on again with back-off (never skipping it),
 * and the checkpoint is saved after each page in which the reactor handled an event (at most every
 * IDLE_SAVE_MS after the others, and at stop), so after a stop the reactor resumes where it was and
 * completes, by itself, a flow whose first write happened before the stop.
 */
export class ReactorRunner<E extends TypedEvent = LedgerEvent> {
  private subscription: Subscription | null = null;
  private handledThrough: bigint;
  private lastError: Error | null = null;
  private readonly waiters = new Set<Waiter>();
  private readonly types: ReadonlySet<string>;
  /** Whether a stored type name reaches a handled type, learnt for each name from its first event (see handledIn). */
  private readonly reaches: Map<string, boolean>;
  /** When the checkpoint was last saved (performance.now()). */
  private savedAt = -Infinity;
  private readonly logger: Logger;

  constructor(
    private readonly store: EventStore,
    private readonly reactor: Reactor<E>,
    private readonly checkpoints: ReactorCheckpoints,
  ) {
    this.types = new Set(reactor.handles);
    this.reaches = new Map(reactor.handles.map((type) => [type, true]));
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

  /** A page: its events of handled types are parsed before any is handled, so a page the registry cannot read makes no write. */
  private async take(page: RecordedEvent[]): Promise<void> {
    const events = this.handledIn(page);
    for (const { event, stored } of events) if (await this.verified(event, stored)) await this.reactor.handle(event);
    this.handledThrough = page[page.length - 1].position;
    this.saveCheckpoint(events.length > 0);
    this.lastError = null;
    for (const waiter of [...this.waiters]) {
      if (waiter.position <= this.handledThrough) waiter.done(true);
    }
  }

  /**
   * The page's events the reactor handles, parsed. Whether a stored event reaches a handled type is
   * decided by its stored type name, without parsing the others: a handled type's name reaches it;
   * a superseded version's name reaches the current type its upcasters lead to, and since each
   * upcaster names the type it leads to, that holds for every event of the name, so it is learnt by
   * parsing the first event of each other name this runner meets. An unknown type throws there, as
   * any event the registry cannot read among those parsed: the page fails and is offered again.
   * Unless it is damaged in the store (its data or metadata not JSON, or no longer its recorded
   * hash: integrity.ts, damageOf): no flow is carried on from that one, it is gone past and its
   * stream marked broken, as the projections go past it (docs/internals.md).
   */
  private handledIn(page: readonly RecordedEvent[]): { event: ParsedRecordWithMetadata<E>; stored: RecordedEvent }[] {
    const events: { event: ParsedRecordWithMetadata<E>; stored: RecordedEvent }[] = [];
    for (const stored of page) {
      let reaches = this.reaches.get(stored.type);
      if (reaches === false) continue;
      let event: ParsedRecordWithMetadata<E>;
      try {
        event = parseRecord(this.reactor.events, stored);
        // A handled event's metadata is carried on by its writes: read here, so a damaged one is found before any write.
        if (this.types.has(event.type)) void event.metadata;
      } catch (err) {
        const fault = damageOf(stored, err);
        if (!fault) throw err;
        brokenStreamsOf(this.store).mark(fault);
        this.logger.warn(
          `no flow is carried on from event ${fault.eventId} of ${fault.streamId} at revision ${fault.revision} ` +
            `(position ${fault.position}), which does not verify: ${fault.problem}`,
        );
        continue;
      }
      if (reaches === undefined) {
        reaches = this.types.has(event.type);
        this.reaches.set(stored.type, reaches);
      }
      if (reaches) events.push({ event, stored });
    }
    return events;
  }

  /**
   * Whether `event` may be acted on: as stored, it still hashes to its recorded hash and follows
   * the event before it in its stream (one event read, not the stream: the background verifier
   * checks the whole chain), and its stream is not known broken at or before it. An event changed
   * on disk may still read by its registry (an amount of 1000.00 made 9000.00, the JSON whole):
   * only its hash tells, and acting on it would carry the change into another stream. One that does
   * not verify, or that comes after a fault of its stream, is gone past as a damaged event is (its
   * stream marked broken, the fault named); an intact event before a later fault is acted on.
   */
  private async verified(event: ParsedRecordWithMetadata<E>, stored: RecordedEvent): Promise<boolean> {
    const broken = brokenStreamsOf(this.store);
    let fault = broken.faultOf(stored.streamId);
    if (fault === undefined || BigInt(fault.revision) > stored.revision) {
      try {
        const [before] =
          stored.revision === 0n ? [] : await this.store.readStream(stored.streamId, stored.revision - 1n, 1);
        const prevHash = before === undefined ? GENESIS_HASH : (before.metadata.hash as string);
        verifyStored(broken, stored, stored.revision - 1n, prevHash, 'read');
        return true;
      } catch (err) {
        // Its own fault, or the event before it unreadable (the store marked that one).
        if (!(err instanceof UnreadableEventError || (err instanceof DomainError && err.code === 'chain-broken')))
          throw err;
        fault = broken.faultOf(stored.streamId);
      }
    }
    this.logger.warn(
      `no flow is carried on from event ${event.eventId} of ${event.streamId} at revision ${event.revision} ` +
        `(position ${event.position}): its stream does not verify` +
        (fault ? ` at revision ${fault.revision} (${fault.problem})` : ''),
    );
    return false;
  }

  /**
   * After a page in which the reactor handled an event, the checkpoint is saved at once; after one
   * in which it handled nothing, at most every IDLE_SAVE_MS (kept in between, and saved at stop).
   * After a crash, the runner reads again the pages since the last save: harmless, since it
   * handled nothing in those pages, and a handled event offered again (a save that found the file
   * busy) makes no second write, its commands' ids deriving from it (see Reactor).
   */
  private saveCheckpoint(handled: boolean): void {
    const now = performance.now();
    if (handled || now - this.savedAt >= IDLE_SAVE_MS) {
      this.checkpoints.save(this.reactor.name, this.handledThrough);
      this.savedAt = now;
    } else {
      this.checkpoints.keep(this.reactor.name, this.handledThrough);
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
