import { DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { LogLevel } from '../config/config';
import { BodyAfterAuthInterceptor } from './body-after-auth.interceptor';
import { requestLogOptions, rootLogger } from './logging';
import { MetricsEndpoint } from './metrics-server';
import { MetricsService } from './metrics.service';
import { RequestContextInterceptor } from './request-context.interceptor';
import { StoreGauges } from './store-gauges';

export interface OpsOptions {
  logLevel: LogLevel;
  /** Where the JSON lines go (tests capture them); standard output by default. */
  logStream?: DestinationStream;
}

/** What an operator runs and watches the service with: JSON logs, metrics, the body read after auth. */
@Module({})
export class OpsModule {
  static forRoot(options: OpsOptions): DynamicModule {
    const logger = rootLogger(options.logLevel, options.logStream);
    return {
      module: OpsModule,
      global: true,
      imports: [LoggerModule.forRoot({ pinoHttp: requestLogOptions(logger) })],
      providers: [
        MetricsService,
        MetricsEndpoint,
        StoreGauges,
        { provide: APP_INTERCEPTOR, useClass: BodyAfterAuthInterceptor },
        { provide: APP_INTERCEPTOR, useClass: RequestContextInterceptor },
      ],
      exports: [MetricsService, MetricsEndpoint],
    };
  }
}
