import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, defer, finalize } from 'rxjs';
import { CallerSlots, callerOf } from './caller-slots';

/** Time-travel reads (`asOf` / `knownAt`) one caller may have in flight; one more is 429. */
export const TIME_TRAVEL_PER_CALLER = 2;

interface RequestLike {
  query?: Record<string, unknown>;
  actor?: { actorId: string };
  ip?: string;
  res?: { setHeader(name: string, value: string): void };
}

/**
 * Each time-travel read replays the whole log (bounded-reads.ts); replays queue for a worker. So
 * that one caller cannot fill the queue, each caller (token's actor, else address) may have at
 * most TIME_TRAVEL_PER_CALLER in flight: beyond, 429 `too-many-requests` with Retry-After.
 */
@Injectable()
export class TimeTravelLimit implements NestInterceptor {
  private readonly slots = new CallerSlots(
    TIME_TRAVEL_PER_CALLER,
    (n) => `${n} time-travel reads (asOf / knownAt) in flight`,
    'one has answered',
  );

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<RequestLike>();
    const query = req.query ?? {};
    if (query.asOf === undefined && query.knownAt === undefined) return next.handle();
    const release = this.slots.take(callerOf(req), req.res);
    return defer(() => next.handle()).pipe(finalize(release));
  }
}
