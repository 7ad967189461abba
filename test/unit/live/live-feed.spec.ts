/**
 * Issue 19, point 5, what the e2e spec cannot reach without waiting: one stream's buffer is bounded
 * (a client that reads nothing is cut, not kept growing), idle streams get a heartbeat comment,
 * and a stream that catches up from the log while the subscription hands over the same events
 * sends each once, in order.
 */
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { EventStore, RecordedEvent } from '../../../src/event-store/event-store.port';
import { LIVE_BUFFER_MESSAGES, LIVE_HEARTBEAT_MS, LiveFeed } from '../../../src/live/live-feed';
import { HEARTBEAT } from '../../../src/live/live-message';
import { MetricsService } from '../../../src/ops/metrics.service';

const event = (position: number): RecordedEvent =>
  ({
    streamId: `project-P${position}`,
    type: 'funds-received.v2',
    position: BigInt(position),
    revision: 0n,
  }) as RecordedEvent;

/** A log of `count` events, and the subscription's page handler once the feed subscribes. */
function fakeStore(count: number) {
  const log = Array.from({ length: count }, (_, k) => event(k + 1));
  const fake = {
    log,
    deliver: null as ((page: RecordedEvent[]) => void) | null,
    store: {
      headPosition: () => Promise.resolve(BigInt(log.length)),
      readAll: ({ after, limit }: { after: bigint; limit: number }) =>
        Promise.resolve(log.filter((e) => e.position > after).slice(0, limit)),
      subscribeToAll: (_after: bigint, onEvents: (page: RecordedEvent[]) => void) => {
        fake.deliver = onEvents;
        return { close: () => Promise.resolve() };
      },
    } as unknown as EventStore,
  };
  return fake;
}

/** A response that keeps what is written; `full`: the socket takes nothing (write answers false, no drain). */
class FakeResponse extends EventEmitter {
  written = '';
  destroyed = false;
  constructor(private readonly full = false) {
    super();
  }
  writeHead() {
    return this;
  }
  write(chunk: string) {
    this.written += chunk;
    return !this.full;
  }
  end() {
    this.emit('close');
  }
  destroy() {
    this.destroyed = true;
    this.emit('close');
  }
  get ids(): string[] {
    return [...this.written.matchAll(/^id: (\d+)$/gm)].map((m) => m[1]);
  }
}

const asResponse = (r: FakeResponse) => r as unknown as ServerResponse;
const openStreams = async (metrics: MetricsService) => (await metrics.liveStreams.get()).values[0].value;

describe('LiveFeed', () => {
  it('sends what the log held after Last-Event-ID and what the subscription hands over, each once, in order', async () => {
    const fake = fakeStore(3);
    const feed = new LiveFeed(fake.store, new MetricsService());
    const res = new FakeResponse();
    let released = 0;
    await feed.open(asResponse(res), 1n, () => released++);
    // The subscription hands over what the stream read from the log, then what came after.
    fake.log.push(event(4));
    fake.deliver!([event(3), event(4)]);
    expect(res.ids).toEqual(['2', '3', '4']);
    await feed.beforeApplicationShutdown();
    expect(released).toBe(1);
  });

  it(`cuts a stream whose client reads nothing once ${LIVE_BUFFER_MESSAGES} messages wait`, async () => {
    const fake = fakeStore(0);
    const metrics = new MetricsService();
    const feed = new LiveFeed(fake.store, metrics);
    const slow = new FakeResponse(true);
    const reading = new FakeResponse();
    await feed.open(asResponse(slow), undefined, () => undefined);
    await feed.open(asResponse(reading), undefined, () => undefined);
    expect(await openStreams(metrics)).toBe(2);
    const page = Array.from({ length: LIVE_BUFFER_MESSAGES + 2 }, (_, k) => event(k + 1));
    fake.deliver!(page);
    expect(slow.destroyed).toBe(true);
    expect(reading.destroyed).toBe(false);
    expect(reading.ids).toHaveLength(LIVE_BUFFER_MESSAGES + 2);
    expect(await openStreams(metrics)).toBe(1);
    await feed.beforeApplicationShutdown();
    expect(await openStreams(metrics)).toBe(0);
  });

  it(`writes a heartbeat comment every ${LIVE_HEARTBEAT_MS / 1000} s`, async () => {
    jest.useFakeTimers();
    try {
      const feed = new LiveFeed(fakeStore(0).store, new MetricsService());
      const res = new FakeResponse();
      await feed.open(asResponse(res), undefined, () => undefined);
      expect(res.written).not.toContain(HEARTBEAT);
      jest.advanceTimersByTime(LIVE_HEARTBEAT_MS);
      expect(res.written).toContain(HEARTBEAT);
      await feed.beforeApplicationShutdown();
    } finally {
      jest.useRealTimers();
    }
  });
});
