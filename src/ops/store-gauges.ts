import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { ReadModels } from '../projection-runner/read-models';
import { MetricsService } from './metrics.service';

/**
 * The store's head and each projection's checkpoint and lag, read when Prometheus scrapes (as
 * GET /api/health reads them) rather than kept up to date on every event.
 */
@Injectable()
export class StoreGauges {
  constructor(
    metrics: MetricsService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModels: ReadModels,
  ) {
    metrics.beforeScrape(() => this.read(metrics));
  }

  private async read(metrics: MetricsService): Promise<void> {
    const checkpoints = this.readModels.checkpoints();
    for (const c of checkpoints) metrics.projectionPosition.set({ projection: c.name }, Number(c.position));
    let head: bigint;
    try {
      head = await this.store.headPosition();
    } catch {
      // The store did not answer: say so, and leave the lag as last seen rather than invent one.
      metrics.storeUp.set(0);
      return;
    }
    metrics.storeUp.set(1);
    metrics.headPosition.set(Number(head));
    for (const c of checkpoints) metrics.projectionLag.set({ projection: c.name }, Number(head - BigInt(c.position)));
  }
}
