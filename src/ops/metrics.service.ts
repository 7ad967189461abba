import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Seconds: from a quick read to a slow export; a write waits for one fsync. */
const LATENCY_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Commands per group commit: powers of two up to the group limit (MAX_GROUP, 256). */
const GROUP_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256];

/** How a write request ended, as `ledger_commands_total` counts it. */
export type CommandOutcome = 'written' | 'replayed' | 'refused' | 'failed';

/**
 * The service's Prometheus metrics (docs/operations.md#metrics lists them), in a registry of its
 * own: one per application, so tests that start several never collide in prom-client's global one.
 *
 * The HTTP metrics are fed by the request middleware and the error filter; store heads and
 * projection lag are read at scrape time; the write path and the verifier report through the
 * hook methods below: `observeGroupCommit` and `observeAppend` (a bucket bumped in memory, cheap
 * enough for every commit) and `setVerifierStatus` (from a `beforeScrape` hook).
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly scrapeHooks: (() => Promise<void>)[] = [];
  private verifierCheckedSeen = 0;

  readonly httpDuration = new Histogram({
    name: 'ledger_http_request_duration_seconds',
    help: 'HTTP request latency, by method, route pattern (not the raw URL; "unmatched" for a 404 without a route) and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [this.registry],
  });
  readonly commands = new Counter({
    name: 'ledger_commands_total',
    help: 'Write requests by route pattern and outcome: written, replayed (an Idempotency-Key repeat), refused (4xx), failed (5xx)',
    labelNames: ['route', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'ledger_errors_total',
    help: 'Error answers by error code and status: every 4xx refusal, and 500 internal-error',
    labelNames: ['code', 'status'] as const,
    registers: [this.registry],
  });
  readonly appendDuration = new Histogram({
    name: 'ledger_append_duration_seconds',
    help: 'Time to decide and commit one append: a group commit (writer="group", embedded store) or one optimistic append (writer="optimistic", EventStoreDB)',
    labelNames: ['writer'] as const,
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [this.registry],
  });
  readonly groupCommitSize = new Histogram({
    name: 'ledger_group_commit_commands',
    help: 'Commands decided and committed together in one transaction (embedded store)',
    buckets: GROUP_SIZE_BUCKETS,
    registers: [this.registry],
  });
  readonly storeUp = new Gauge({
    name: 'ledger_store_up',
    help: '1 when the event store answered its head position at this scrape, 0 when it did not',
    registers: [this.registry],
  });
  readonly headPosition = new Gauge({
    name: 'ledger_store_head_position',
    help: "The global position of the log's last event",
    registers: [this.registry],
  });
  readonly projectionPosition = new Gauge({
    name: 'ledger_projection_position',
    help: 'The log position each projection has processed through',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });
  readonly projectionLag = new Gauge({
    name: 'ledger_projection_lag_events',
    help: 'Events in the log a projection has not processed yet (head position minus its checkpoint)',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });
  readonly verifierPosition = new Gauge({
    name: 'ledger_verifier_position',
    help: 'The log position the background hash-chain verifier has checked through',
    registers: [this.registry],
  });
  readonly verifierChecked = new Counter({
    name: 'ledger_verifier_events_checked_total',
    help: 'Events whose hash and link the background verifier has checked since start',
    registers: [this.registry],
  });
  readonly verifierBrokenStreams = new Gauge({
    name: 'ledger_verifier_broken_streams',
    help: 'Streams whose stored events do not verify (nothing is decided on them); alert on anything above 0',
    registers: [this.registry],
  });

  readonly liveStreams = new Gauge({
    name: 'ledger_live_streams',
    help: 'Live event streams (GET /api/live) open now',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** A committed group: how many commands it held and how long deciding and committing took. */
  observeGroupCommit(commands: number, ms: number): void {
    this.groupCommitSize.observe(commands);
    this.appendDuration.observe({ writer: 'group' }, ms / 1000);
  }

  /** One optimistic append (EventStoreDB), from reading the stream to the append's answer. */
  observeAppend(ms: number): void {
    this.appendDuration.observe({ writer: 'optimistic' }, ms / 1000);
  }

  /**
   * The background verifier's figures, as its status reports them (position checked through,
   * events checked since start, streams held broken): its owner calls this from a `beforeScrape`
   * hook, so verifying costs nothing more.
   */
  setVerifierStatus(status: { checkedThrough: bigint | string; eventsChecked: number; brokenStreams: number }): void {
    this.verifierPosition.set(Number(status.checkedThrough));
    // A counter only goes up: add what was checked since the last scrape.
    this.verifierChecked.inc(Math.max(0, status.eventsChecked - this.verifierCheckedSeen));
    this.verifierCheckedSeen = Math.max(this.verifierCheckedSeen, status.eventsChecked);
    this.verifierBrokenStreams.set(status.brokenStreams);
  }

  /** A finished HTTP request; `route` is the matched pattern (e.g. /api/projects/:id), never the URL. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  countCommand(route: string, outcome: CommandOutcome): void {
    this.commands.inc({ route, outcome });
  }

  /** An error answer (the error filter calls this with the code it answers). */
  countError(code: string, status: number): void {
    this.errors.inc({ code, status: String(status) });
  }

  /** Runs `hook` before every scrape, to read gauges that are cheaper to ask for than to keep. */
  beforeScrape(hook: () => Promise<void>): void {
    this.scrapeHooks.push(hook);
  }

  /** The Prometheus text exposition, and its content type. */
  async scrape(): Promise<{ contentType: string; text: string }> {
    for (const hook of this.scrapeHooks) await hook();
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
