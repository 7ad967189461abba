import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module';
import { TOKENS } from './auth/auth.guard';
import { loadTokens } from './auth/tokens';
import { LedgerConfig, LogLevel } from './config/config';
import { openEventStore } from './event-store/event-store.module';
import { endPipesOnClientAbort, jsonCharsetOnlyUtf8 } from './http/body-reading.middleware';
import { answerClientErrorsAsJson } from './http/client-error.handler';
import { buildOpenApiDocument } from './http/openapi';
import { QueryParamsInterceptor } from './http/query-params.interceptor';
import { ledgerValidationPipe } from './http/validation';
import { applyServerLimits, httpMetrics, noStore, securityHeaders } from './ops/http-hygiene';
import { LedgerNestLogger } from './ops/logging';
import { MetricsEndpoint } from './ops/metrics-server';
import { MetricsService } from './ops/metrics.service';
import { describeAddress, sealKeyLine, tokensWarning } from './ops/startup';
import { serveWebApp } from './web/web-app';
import type { Clock } from './shared/time/clock';
import { lockDataDir, PidLock } from './shared/fs/pid-lock';

export interface AppOptions {
  /** false: no log lines at all (tests, bench); a list of Nest levels: the least severe of them; default LOG_LEVEL. */
  logger?: false | ('log' | 'error' | 'warn')[];
  /** Where the JSON log lines go instead of standard output (tests read them). */
  logStream?: DestinationStream;
  /** The service's clock instead of the system's (the bench moves the day: bench l). */
  clock?: Clock;
}

/**
 * Creates the Nest application for a configuration: JSON logs, security headers, metrics, the
 * server's limits, validation, the JSON body (read after the guards: see BodyAfterAuthInterceptor)
 * and /docs.
 */
export async function createApp(config: LedgerConfig, options: AppOptions = {}): Promise<INestApplication> {
  // One service per data directory, refused before anything in it is opened (LockHeldError).
  mkdirSync(config.dataDir, { recursive: true });
  const lock = lockDataDir(config.dataDir);
  let app: NestExpressApplication;
  try {
    app = await createNestApp(config, options, lock);
  } catch (err) {
    lock.release();
    throw err;
  }
  app.useLogger(new LedgerNestLogger(app.get(PinoNestLogger)));
  app.disable('x-powered-by');
  app.use(securityHeaders);
  app.use(jsonCharsetOnlyUtf8, endPipesOnClientAbort);
  app.use(noStore);
  app.use(httpMetrics(app.get(MetricsService)));
  serveWebApp(app);
  applyServerLimits(app.getHttpServer(), config.http);
  app.useGlobalPipes(ledgerValidationPipe());
  app.useGlobalInterceptors(new QueryParamsInterceptor());
  answerClientErrorsAsJson(app.getHttpServer());
  app.enableShutdownHooks();
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app));
  return app;
}

/** The store, then the Nest application on it; the lock is given back when the application shuts down. */
async function createNestApp(
  config: LedgerConfig,
  options: AppOptions,
  lock: PidLock,
): Promise<NestExpressApplication> {
  // The tokens file read once before Nest: a refused file (missing, malformed, the published
  // examples) is then main's one fatal JSON line, not Nest's coloured error and stack first.
  loadTokens(config.tokensFile, { allowExampleTokens: config.allowExampleTokens });
  const store = await openEventStore(config);
  const logLevel = logLevelOf(options.logger, config.logLevel);
  try {
    return await NestFactory.create<NestExpressApplication>(
      AppModule.forConfig(config, store, { logLevel, logStream: options.logStream }, options.clock, lock),
      {
        // Nest's own lines wait for the JSON logger (useLogger below) instead of going to the console.
        ...(options.logger === false ? { logger: false } : { bufferLogs: true }),
        // Let a start-up failure (an unreachable store) reach the caller with its message, not exit here.
        abortOnError: false,
        // The API takes JSON bodies only, parsed after authentication (BodyAfterAuthInterceptor), and
        // no urlencoded body: a form body reaches validation as no body (400 invalid-body).
        bodyParser: false,
      },
    );
  } catch (err) {
    // Not started: no shutdown hook will close the store, nor end its checkpoint worker.
    await store.close();
    throw err;
  }
}

/**
 * Starts the service as `npm start` does: warns when no token is known (every request but health
 * and /docs would be 401), listens on HOST:PORT and, unless METRICS_PORT=off, serves /metrics on
 * METRICS_HOST:METRICS_PORT, logging the addresses really bound.
 */
export async function startService(
  config: LedgerConfig,
  options: AppOptions = {},
): Promise<{ app: INestApplication; api: AddressInfo; metrics: AddressInfo | null }> {
  const app = await createApp(config, options);
  const log = new Logger('main');
  try {
    // The tokens in force (a Map, or a registry that reloads its file): both say their size.
    const tokens = app.get<unknown, { size?: unknown }>(TOKENS);
    const warning = tokensWarning(config, typeof tokens.size === 'number' ? tokens.size : undefined);
    if (warning) log.warn(warning);
    await app.listen(config.port, config.host);
    const api = app.getHttpServer().address() as AddressInfo;
    log.log(
      `renovation-ledger listening on ${describeAddress(api)} (store: ${config.eventStore}, data: ${config.dataDir})`,
    );
    const sealKey = sealKeyLine(config);
    if (sealKey) log.log(sealKey);
    let metrics: AddressInfo | null = null;
    if (config.metricsPort !== null) {
      metrics = await app.get(MetricsEndpoint).listen(config.metricsHost, config.metricsPort);
      log.log(`metrics for Prometheus on ${describeAddress(metrics, '/metrics')}`);
    }
    return { app, api, metrics };
  } catch (err) {
    await app.close();
    throw err;
  }
}

/** The logger option as a pino level: `false` silences, Nest's level lists map to their least severe. */
function logLevelOf(option: AppOptions['logger'], configured: LogLevel): LogLevel {
  if (option === false) return 'silent';
  if (option === undefined || option.includes('log')) return configured;
  return option.includes('warn') ? 'warn' : 'error';
}
