import { Injectable } from '@nestjs/common';
import { DomainError } from '../shared/domain/domain-error';

/** Public notices one address may have in flight (API and page together); one more is 429. */
export const PUBLIC_NOTICES_PER_ADDRESS = 4;

/**
 * A reader without a token is known by its address only. Each notice reads the project's stream
 * and its plans, so that one address cannot keep the service busy with them, it may have at most
 * PUBLIC_NOTICES_PER_ADDRESS in flight: beyond, 429 `too-many-requests` (as time-travel reads are
 * limited per caller, src/http/time-travel-limit.interceptor.ts).
 */
/** What the limit reads of a request (Express's): the address, and the answer for Retry-After. */
export interface PublicRequest {
  ip?: string;
  res?: { setHeader(name: string, value: string): unknown };
}

@Injectable()
export class PublicReadLimit {
  private readonly inFlight = new Map<string, number>();

  async run<R>(req: PublicRequest, read: () => Promise<R>): Promise<R> {
    const caller = `address ${req.ip ?? 'unknown'}`;
    const n = this.inFlight.get(caller) ?? 0;
    if (n >= PUBLIC_NOTICES_PER_ADDRESS) {
      req.res?.setHeader('Retry-After', '1');
      throw new DomainError(
        'too-many-requests',
        `${caller} already has ${n} public notices in flight, the most one address may have; retry when one has answered`,
        429,
      );
    }
    this.inFlight.set(caller, n + 1);
    try {
      return await read();
    } finally {
      const left = (this.inFlight.get(caller) ?? 1) - 1;
      if (left > 0) this.inFlight.set(caller, left);
      else this.inFlight.delete(caller);
    }
  }
}
