import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { PinoLogger } from 'nestjs-pino';
import { Observable } from 'rxjs';
import type { TokenEntry } from '../auth/tokens';
import { requestContext } from './logging';

/**
 * Adds the actor and the correlation id to every line logged while a request is handled. An
 * interceptor because interceptors run after the guards: the actor is known by then.
 */
@Injectable()
export class RequestContextInterceptor implements NestInterceptor {
  constructor(private readonly logger: PinoLogger) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const req = context.switchToHttp().getRequest<IncomingMessage & { actor?: TokenEntry }>();
      const fields = requestContext(req);
      if (Object.keys(fields).length > 0) this.logger.assign(fields);
    }
    return next.handle();
  }
}
