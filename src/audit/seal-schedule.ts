/**
 * Sealing on a schedule (issue 17 point 4): with LEDGER_SEAL_SCHEDULE=hourly or daily, the service
 * seals the ledger once in every hour or day (UTC), as POST /api/audit/seals would, so an auditor
 * finds a fresh seal without asking for one. Off by default.
 *
 * A period's seal is one command: its id is the period's (`seal-schedule-<start of period>`), so
 * two instances of the service, or a restart within the period, store one seal for it (the write
 * path answers the repeat with the stored seal). A period in which nothing was written since the
 * last seal is not sealed again. A log whose chain does not verify is not sealed (createSeal
 * refuses it): the failure is logged and the next period tries again.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CLOCK } from '../config/clock.provider';
import { LEDGER_CONFIG, LedgerConfig, SealSchedule } from '../config/config';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { CommandContext } from '../event-store/write-path';
import { canonicalJson, sha256Hex } from '../event-store/hashing';
import { Clock } from '../shared/time/clock';
import { SealResult, createSeal, sealKeyOf } from './seal';

const PERIOD_MS: Record<Exclude<SealSchedule, 'off'>, number> = { hourly: 3_600_000, daily: 86_400_000 };

/** The start of the period (UTC) that `now` falls in. */
export function periodStart(now: Date, schedule: Exclude<SealSchedule, 'off'>): Date {
  const ms = PERIOD_MS[schedule];
  return new Date(Math.floor(now.getTime() / ms) * ms);
}

/** The command of a period's seal: the schedule acting as an administrator of the store. */
export function scheduledSealContext(start: Date, recordedAt: Date): CommandContext {
  const commandId = `seal-schedule-${start.toISOString()}`;
  return {
    commandId,
    requestHash: sha256Hex(
      canonicalJson({ route: 'seal schedule', params: { period: start.toISOString() }, body: {} }),
    ),
    actor: { id: 'system:seal-schedule', role: 'admin', org: 'renovation-ledger' },
    correlationId: commandId,
    causationId: commandId,
    recordedAt: recordedAt.toISOString(),
  };
}

@Injectable()
export class SealScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  /** The last seal this process stored or found: nothing written since it, nothing to seal. */
  private last: SealResult | null = null;
  private readonly log = new Logger('seal-schedule');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.sealSchedule === 'off') return;
    this.log.log(`sealing the ledger ${this.config.sealSchedule} (LEDGER_SEAL_SCHEDULE)`);
    this.arm(0);
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /**
   * Seals the current period unless nothing was written since the last seal; answers the seal
   * (stored now, or already stored for the period), or null when there was nothing to seal.
   */
  async sealPeriod(): Promise<SealResult | null> {
    const schedule = this.config.sealSchedule;
    if (schedule === 'off') return null;
    const head = await this.store.headPosition();
    if (head === 0n || head === this.last?.position) return null;
    const now = this.clock.now();
    const result = await createSeal(
      this.store,
      sealKeyOf(this.config),
      scheduledSealContext(periodStart(now, schedule), now),
    );
    this.last = result;
    return result;
  }

  /** The last seal this process stored or found for its period (null: none yet). */
  lastSeal(): SealResult | null {
    return this.last;
  }

  /** Runs a period's seal after `delayMs`, then arms the next period's. */
  private arm(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.running = this.sealPeriod()
        .then(
          (r) =>
            r && !r.replayed && this.log.log(`sealed up to position ${r.seal.headPosition}: seal ${r.seal.sealId}`),
        )
        .catch((err: Error) => this.log.error(`scheduled seal failed, will try next period: ${err.message}`))
        .finally(() => {
          if (this.timer === undefined) return; // shut down meanwhile
          const schedule = this.config.sealSchedule as Exclude<SealSchedule, 'off'>;
          const now = this.clock.now().getTime();
          this.arm(periodStart(new Date(now), schedule).getTime() + PERIOD_MS[schedule] - now);
        });
    }, delayMs);
    this.timer.unref();
  }
}
