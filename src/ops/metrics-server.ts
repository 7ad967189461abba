import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MetricsService } from './metrics.service';

/**
 * GET /metrics on a port of its own (METRICS_PORT, METRICS_HOST), without a token: Prometheus
 * scrapes an open endpoint, so it is kept off the API's port and bound to 127.0.0.1 unless the
 * operator opens it (docs/operations.md#metrics). Anything else on that port is 404. Started by
 * main.ts and the demo (not by tests' applications), closed with the application.
 */
@Injectable()
export class MetricsEndpoint implements OnApplicationShutdown {
  private server: Server | null = null;

  constructor(private readonly metrics: MetricsService) {}

  /** Listens; resolves to the address actually bound (port 0 picks a free one). */
  async listen(host: string, port: number): Promise<AddressInfo> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?', 1)[0];
      if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics\n');
        return;
      }
      this.metrics.scrape().then(
        ({ contentType, text }) => res.writeHead(200, { 'content-type': contentType }).end(text),
        (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${err.message}\n`),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    return server.address() as AddressInfo;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections(); // a scraper's kept-alive connection must not hold shutdown
    await closed;
  }
}
