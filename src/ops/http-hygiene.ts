import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import helmet from 'helmet';
import type { HttpLimits } from '../config/config';
import { CommandOutcome, MetricsService } from './metrics.service';

type Next = (err?: unknown) => void;
type Middleware = (req: IncomingMessage, res: ServerResponse, next: Next) => void;

/**
 * The security headers of every answer. The Content-Security-Policy is the one the web pages to
 * come are written for: everything from this origin only, no inline script, no plugin, no
 * framing. Inline styles stay allowed because the OpenAPI page (/docs, Swagger UI) uses them;
 * no `upgrade-insecure-requests`, which would break pages served over plain HTTP on an intranet.
 * helmet also sends X-Content-Type-Options: nosniff, Referrer-Policy: no-referrer and the others
 * of its defaults (docs/operations.md), and removes X-Powered-By.
 */
export const securityHeaders: Middleware = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      baseUri: ["'self'"],
      connectSrc: ["'self'"],
      fontSrc: ["'self'", 'data:'],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      imgSrc: ["'self'", 'data:'],
      objectSrc: ["'none'"],
      scriptSrc: ["'self'"],
      scriptSrcAttr: ["'none'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
    },
  },
});

/**
 * Answers are not to be kept by a browser or a proxy: they hold what a token was allowed to read,
 * and the ledger's figures change with every write.
 */
export const noStore: Middleware = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

/** The server's timeouts and connection cap (config.ts, HTTP_*): set before it listens. */
export function applyServerLimits(server: Server, limits: HttpLimits): void {
  server.requestTimeout = limits.requestTimeoutMs;
  server.headersTimeout = limits.headersTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Times every request and counts every write by the route pattern Express matched (the label is
 * `/api/projects/:id`, never the URL: one series per route, however many projects).
 */
export function httpMetrics(metrics: MetricsService): Middleware {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const matched = (req as IncomingMessage & { route?: { path?: unknown } }).route?.path;
      // Nest answers an unknown path from a catch-all route (/{*path}): no route of ours has a wildcard.
      const route = typeof matched === 'string' && !matched.includes('*') ? matched : 'unmatched';
      const method = req.method ?? 'GET';
      metrics.observeRequest(method, route, res.statusCode, seconds);
      if (!READ_METHODS.has(method) && route !== 'unmatched') metrics.countCommand(route, outcomeOf(res));
    });
    next();
  };
}

function outcomeOf(res: ServerResponse): CommandOutcome {
  if (res.statusCode >= 500) return 'failed';
  if (res.statusCode >= 400) return 'refused';
  return res.getHeader('idempotent-replayed') === 'true' ? 'replayed' : 'written';
}
