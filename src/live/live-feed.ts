import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { EVENT_STORE, EventStore, RecordedEvent, Subscription } from '../event-store/event-store.port';
import { MetricsService } from '../ops/metrics.service';
import { HEARTBEAT, liveChangeOf, liveMessage } from './live-message';

/** Messages one stream may have waiting (its replay under way, or its socket full); past it, the stream is cut. */
export const LIVE_BUFFER_MESSAGES = 1_000;
/** How often an idle stream gets a comment, so that proxies keep it open. */
export const LIVE_HEARTBEAT_MS = 15_000;
/** Events read from the log at a time when a stream catches up from a Last-Event-ID. */
const REPLAY_PAGE = 500;
/** What EventSource waits before reconnecting (ms): the pages are to update within a second. */
const RETRY_MS = 1_000;

interface LiveClient {
  readonly res: ServerResponse;
  /** The position of the last message written to it: what comes at or before it is not sent again. */
  sentThrough: bigint;
  /** Reading the log from its Last-Event-ID: live messages wait in `pending` meanwhile. */
  replaying: boolean;
  /** The socket took no more ('drain' not yet seen): messages wait in `pending`. */
  blocked: boolean;
  pending: { position: bigint; text: string }[];
  closed: boolean;
  release(): void;
}

/**
 * The live streams (GET /api/live). One subscription to $all serves every stream: it starts with
 * the first stream, at the head, and each page it takes is formatted once and handed to every
 * stream in memory. A stream first catches up from where its client was (Last-Event-ID, else the
 * head when it opened) by reading the log, then takes the shared pages, skipping what it sent:
 * an event the subscription hands over before or after the read is sent exactly once.
 *
 * A stream whose client does not read holds at most LIVE_BUFFER_MESSAGES; past that it is cut
 * (EventSource reconnects with its Last-Event-ID and catches up from the log), so a slow client
 * costs the server no more memory than that. Every stream is ended before the application shuts
 * down, so the HTTP server can close.
 */
@Injectable()
export class LiveFeed implements BeforeApplicationShutdown {
  private readonly clients = new Set<LiveClient>();
  private subscription: Promise<Subscription | null> | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly logger = new Logger('live');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Answers `res` as an event stream from after `after` (undefined: from the head now) until the
   * client goes or the service stops; `release` is called once it is over.
   */
  async open(res: ServerResponse, after: bigint | undefined, release: () => void): Promise<void> {
    if (this.stopped) {
      release();
      res.writeHead(503, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Retry-After': '1' }).end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      // nginx would otherwise buffer the stream
      'X-Accel-Buffering': 'no',
    });
    res.write(`retry: ${RETRY_MS}\n\n`);
    const client: LiveClient = {
      res,
      sentThrough: 0n,
      replaying: true,
      blocked: false,
      pending: [],
      closed: false,
      release,
    };
    // Listed before the log is read, so nothing written meanwhile is missed (it waits in `pending`).
    this.clients.add(client);
    this.metrics.liveStreams.inc();
    res.on('close', () => this.drop(client));
    this.beat();
    try {
      await this.subscribed();
      client.sentThrough = after ?? (await this.store.headPosition());
      await this.replay(client);
    } catch (err) {
      this.logger.warn(`a live stream could not catch up: ${(err as Error).message}`);
      res.destroy();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const client of [...this.clients]) {
      client.res.end();
      this.drop(client);
    }
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    const subscription = await this.subscription?.catch(() => null);
    await subscription?.close();
  }

  /**
   * The shared subscription, started once, from the head: a stream lists itself before waiting
   * on this, then reads the log from its own start until nothing more is there, so what the
   * subscription starts after, the stream has read, and what it hands over, the stream has not
   * missed. A failed start is not kept: the next stream tries again.
   */
  private subscribed(): Promise<Subscription | null> {
    this.subscription ??= this.store.headPosition().then(
      (head) =>
        this.stopped
          ? null
          : this.store.subscribeToAll(
              head,
              (page) => this.fanOut(page),
              (err) => this.logger.warn(`a page will be offered again: ${err.message}`),
            ),
      (err: unknown) => {
        this.subscription = null;
        throw err;
      },
    );
    return this.subscription;
  }

  private beat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      for (const client of this.clients) if (!client.blocked) client.res.write(HEARTBEAT);
    }, LIVE_HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private fanOut(page: readonly RecordedEvent[]): void {
    if (this.clients.size === 0) return;
    const messages = page.map((e) => ({ position: e.position, text: liveMessage(liveChangeOf(e)) }));
    for (const client of this.clients) for (const m of messages) this.offer(client, m);
  }

  private offer(client: LiveClient, m: { position: bigint; text: string }): void {
    if (client.closed || m.position <= client.sentThrough) return;
    if (client.replaying || client.blocked) {
      client.pending.push(m);
      if (client.pending.length > LIVE_BUFFER_MESSAGES) {
        this.logger.warn(`a live stream fell ${LIVE_BUFFER_MESSAGES} messages behind: cut`);
        client.res.destroy();
        this.drop(client);
      }
      return;
    }
    client.sentThrough = m.position;
    if (!client.res.write(m.text)) {
      client.blocked = true;
      client.res.once('drain', () => this.flush(client));
    }
  }

  /** Writes what waited, in order, until the socket is full again or nothing waits. */
  private flush(client: LiveClient): void {
    client.blocked = false;
    const waiting = client.pending;
    client.pending = [];
    for (const m of waiting) this.offer(client, m);
  }

  private async replay(client: LiveClient): Promise<void> {
    for (;;) {
      const page = await this.store.readAll({ after: client.sentThrough, limit: REPLAY_PAGE });
      if (client.closed || page.length === 0) break;
      for (const e of page) {
        client.sentThrough = e.position;
        if (!client.res.write(liveMessage(liveChangeOf(e)))) await drained(client.res);
        if (client.closed) return;
      }
    }
    client.replaying = false;
    this.flush(client);
  }

  private drop(client: LiveClient): void {
    if (client.closed) return;
    client.closed = true;
    client.pending = [];
    this.clients.delete(client);
    this.metrics.liveStreams.dec();
    client.release();
  }
}

/** Settles once the socket takes more, or is gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}
