import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore, streamCategory } from '../event-store/event-store.port';
import { SEAL_CATEGORY, SEAL_EVENT_TYPE, Seal } from '../audit/seal';
import { sealEvents } from '../events/ledger-events';

/** Events read per page while looking for seals. */
const PAGE = 1_000;

/**
 * The ledger's latest seal, for the public notice. Seals have no read model: this follows $all
 * from where it last stopped and keeps the newest `ledger-sealed.v1` it met, so the first read
 * after a start reads the log once and later reads only what was appended since. Reads are
 * serialised: two concurrent notices never scan the same page twice.
 */
@Injectable()
export class LatestSeal {
  private after = 0n;
  private latest: Seal | null = null;
  private reading: Promise<Seal | null> = Promise.resolve(null);

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  read(): Promise<Seal | null> {
    this.reading = this.reading.catch(() => null).then(() => this.scanToHead());
    return this.reading;
  }

  private async scanToHead(): Promise<Seal | null> {
    const head = await this.store.headPosition();
    while (this.after < head) {
      const page = await this.store.readAll({ after: this.after, limit: PAGE });
      if (page.length === 0) break;
      for (const e of page)
        if (streamCategory(e.streamId) === SEAL_CATEGORY && e.type === SEAL_EVENT_TYPE)
          this.latest = sealEvents.parse(e).data;
      this.after = page[page.length - 1].position;
    }
    return this.latest;
  }
}
