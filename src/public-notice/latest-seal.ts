import { Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { RecordedEvent, streamCategory } from '../event-store/event-store.port';
import { LogIndex } from '../event-store/log-index';
import { SEAL_CATEGORY, SEAL_EVENT_TYPE, Seal } from '../audit/seal';
import { sealEvents } from '../events/ledger-events';

/**
 * The ledger's latest seal, for the public notice. Seals have no read model: the service's LogIndex
 * follows $all from the start of the service and keeps the newest `ledger-sealed.v1` it meets, so the log
 * is read once in the background after a start, never on a public reader's request (an
 * unauthenticated request must not be what makes the service read its whole log).
 */
@Injectable()
export class LatestSeal implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private latest: Seal | null = null;

  constructor(private readonly log: LogIndex) {
    log.follow((stored) => this.take(stored));
  }

  onApplicationBootstrap(): void {
    this.log.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.log.stop();
  }

  /** The newest seal in the log as it is now (a seal just made included). */
  async read(): Promise<Seal | null> {
    await this.log.upToHead();
    return this.latest;
  }

  private take(stored: RecordedEvent): void {
    if (streamCategory(stored.streamId) === SEAL_CATEGORY && stored.type === SEAL_EVENT_TYPE)
      this.latest = sealEvents.parse(stored).data;
  }
}
