import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { LedgerConfig } from './config/config';
import { openEventStore } from './event-store/event-store.module';
import { endPipesOnClientAbort, jsonCharsetOnlyUtf8 } from './http/body-reading.middleware';
import { answerClientErrorsAsJson } from './http/client-error.handler';
import { buildOpenApiDocument } from './http/openapi';
import { QueryParamsInterceptor } from './http/query-params.interceptor';
import { BODY_LIMIT_BYTES, ledgerValidationPipe } from './http/validation';

/** Creates the Nest application for a configuration, with validation, JSON limits and /docs. */
export async function createApp(
  config: LedgerConfig,
  options: { logger?: false | ('log' | 'error' | 'warn')[] } = {},
): Promise<INestApplication> {
  const store = await openEventStore(config);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config, store), {
    logger: options.logger ?? ['log', 'error', 'warn'],
    // Let a start-up failure (an unreachable store) reach the caller with its message, not exit here.
    abortOnError: false,
    // The API takes JSON bodies only: body-parser's JSON parser is registered below, and no
    // urlencoded one, so a form body reaches validation as no body (400 invalid-body).
    bodyParser: false,
  });
  app.use(jsonCharsetOnlyUtf8, endPipesOnClientAbort);
  app.useBodyParser('json', { limit: BODY_LIMIT_BYTES });
  app.useGlobalPipes(ledgerValidationPipe());
  app.useGlobalInterceptors(new QueryParamsInterceptor());
  answerClientErrorsAsJson(app.getHttpServer());
  app.enableShutdownHooks();
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app));
  return app;
}
