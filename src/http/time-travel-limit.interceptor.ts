import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, defer, finalize } from 'rxjs';
import { DomainError } from '../shared/domain/domain-error';

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
  private readonly inFlight = new Map<string, number>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<RequestLike>();
    const query = req.query ?? {};
    if (query.asOf === undefined && query.knownAt === undefined) return next.handle();
    const caller = req.actor?.actorId ?? `address ${req.ip ?? 'unknown'}`;
    const n = this.inFlight.get(caller) ?? 0;
    if (n >= TIME_TRAVEL_PER_CALLER) {
      req.res?.setHeader('Retry-After', '1');
      throw new DomainError(
        'too-many-requests',
        `${caller} already has ${n} time-travel reads (asOf / knownAt) in flight, the most one caller may have; retry when one has answered`,
        429,
      );
    }
    this.inFlight.set(caller, n + 1);
    const release = () => {
      const left = (this.inFlight.get(caller) ?? 1) - 1;
      if (left > 0) this.inFlight.set(caller, left);
      else this.inFlight.delete(caller);
    };
    return defer(() => next.handle()).pipe(finalize(release));
  }
}
