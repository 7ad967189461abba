/**
 * Start-up against an EventStoreDB that cannot be used fails fast with a message naming
 * EVENTSTORE_URL and the cause: nothing listening (gRPC code 14), and a host that accepts the
 * connection and never answers (the client alone would wait for ever: our own timeout ends it).
 */
import { AddressInfo, Server, Socket, createServer } from 'node:net';
import { loadConfig } from '../../src/config/config';
import { StoreUnavailableError, openEventStore, redactUrl } from '../../src/event-store/event-store.module';

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

describe('EventStoreDB start-up', () => {
  it('nothing listening: refused with the URL and the cause', async () => {
    const closed = createServer();
    const port = await listen(closed);
    await new Promise((r) => closed.close(r)); // the port is now free and closed
    const config = loadConfig({
      EVENT_STORE: 'eventstoredb',
      EVENTSTORE_URL: `esdb://127.0.0.1:${port}?tls=false`,
      EVENTSTORE_TIMEOUT_MS: '2000',
    });
    const err = await openEventStore(config).catch((e) => e);
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect(err.message).toContain(`EVENTSTORE_URL=esdb://127.0.0.1:${port}?tls=false`);
    expect(err.message).toMatch(/UNAVAILABLE|ECONNREFUSED/);
  });

  it('a listener that accepts and never answers: ended by our own timeout, with the URL', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((s) => sockets.push(s));
    const port = await listen(silent);
    try {
      const config = loadConfig({
        EVENT_STORE: 'eventstoredb',
        EVENTSTORE_URL: `esdb://127.0.0.1:${port}?tls=false`,
        EVENTSTORE_TIMEOUT_MS: '1000',
      });
      const err = await openEventStore(config).catch((e) => e);
      expect(err).toBeInstanceOf(StoreUnavailableError);
      expect(err.message).toContain(`EVENTSTORE_URL=esdb://127.0.0.1:${port}?tls=false`);
      expect(err.message).toContain('did not answer within 1000 ms');
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise((r) => silent.close(r));
    }
  });

  it('EVENT_STORE=eventstoredb without EVENTSTORE_URL is a configuration error naming it', () => {
    expect(() => loadConfig({ EVENT_STORE: 'eventstoredb' })).toThrow(/EVENTSTORE_URL/);
  });

  it('a password in the URL is never printed', () => {
    expect(redactUrl('esdb://admin:changeit@db1:2113,db2:2113?tls=true')).toBe(
      'esdb://admin:***@db1:2113,db2:2113?tls=true',
    );
  });
});
