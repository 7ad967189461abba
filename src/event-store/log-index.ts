import { Logger } from '@nestjs/common';
import { EventStore, RecordedEvent, Subscription } from './event-store.port';

/**
 * What the service's in-memory indexes of the log need to be read on the write path: one
 * subscription to $all from the first event, shared by every index (the bank accounts, the closed
 * years, the latest seal), each stored event offered to every follower's `take` (which parses only
 * the types it indexes), and `caughtUp()`, which settles once every event recorded when the index
 * started has been taken. Reading the log on every write cost more than the write; the indexes are
 * read instead, and the log is read once at start-up for all of them.
 *
 * A write this process makes is noted in the index by its handler right after the write (the
 * subscription then finds it known); one another process makes is taken once the subscription
 * reaches it. Between the two a check made here can pass what the other process has just
 * forbidden: the race docs/reconciliation.md and docs/api.md ("Closing a year") accept.
 */
export class LogIndex {
  private subscription: Subscription | null = null;
  private stopped = false;
  private indexedThrough = 0n;
  /** Settles once the index has reached the head of the log as it was when the subscription started. */
  private caught: Promise<void> | null = null;
  private readonly waiters = new Set<{ position: bigint; done(): void; fail(err: Error): void }>();
  private readonly logger = new Logger('log index');
  private readonly takers: ((stored: RecordedEvent) => void)[] = [];

  constructor(private readonly store: EventStore) {}

  /** Offers every stored event, from the first, to `take`; only before the index starts reading. */
  follow(take: (stored: RecordedEvent) => void): void {
    if (this.caught !== null) throw new Error('a log index is followed before it starts reading the log');
    this.takers.push(take);
  }

  /** Starts feeding now, so the first look-up does not wait for it; a failure is the first look-up's to report. */
  start(): void {
    this.caughtUp().catch((err: Error) => this.logger.warn(`not caught up with the log: ${err.message}`));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const subscription = this.subscription;
    this.subscription = null;
    await subscription?.close();
    for (const waiter of [...this.waiters]) waiter.done();
  }

  /**
   * Settles once the index holds every event recorded when it started: the first call starts the
   * subscription and waits for it to reach the head of the log as read then; later calls wait no
   * more (what is written after is taken as it comes, or noted at once by its handler). A failed
   * wait is not kept: the next call reads the head again and waits on the same subscription.
   */
  caughtUp(): Promise<void> {
    this.caught ??= this.catchUp().catch((err: unknown) => {
      this.caught = null;
      throw err;
    });
    return this.caught;
  }

  private async catchUp(): Promise<void> {
    const head = await this.store.headPosition();
    if (this.stopped) return;
    this.subscription ??= this.store.subscribeToAll(
      0n,
      (page) => this.index(page),
      (err) => this.pageFailed(err),
    );
    await this.through(head);
  }

  /**
   * Settles once the index holds every event recorded before the call (the head as read now): a
   * read that must see what was just written, by this process or another, at one head read's cost.
   */
  async upToHead(): Promise<void> {
    await this.caughtUp();
    await this.through(await this.store.headPosition());
  }

  private through(position: bigint): Promise<void> {
    if (this.stopped || this.indexedThrough >= position) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        position,
        done: () => {
          this.waiters.delete(waiter);
          resolve();
        },
        fail: (err: Error) => {
          this.waiters.delete(waiter);
          reject(err);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /**
   * The subscription offers a page that failed again, but a fault that holds (an event that does
   * not parse) would keep every write waiting for the index: those waiting get the error now.
   */
  private pageFailed(err: Error): void {
    this.logger.warn(`a page will be offered again: ${err.message}`);
    for (const waiter of [...this.waiters]) waiter.fail(err);
  }

  private index(page: readonly RecordedEvent[]): void {
    for (const stored of page) for (const take of this.takers) take(stored);
    this.indexedThrough = page[page.length - 1].position;
    for (const waiter of [...this.waiters]) if (waiter.position <= this.indexedThrough) waiter.done();
  }
}
