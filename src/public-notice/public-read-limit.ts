import { Injectable } from '@nestjs/common';
import { CallerSlots, callerOf } from '../http/caller-slots';

/** Public notices one address may have in flight (API and page together); one more is 429. */
export const PUBLIC_NOTICES_PER_ADDRESS = 4;

/** What the limit reads of a request (Express's): the address, and the answer for Retry-After. */
export interface PublicRequest {
  ip?: string;
  res?: { setHeader(name: string, value: string): unknown };
}

/**
 * A reader without a token is known by its address only. Each notice reads the project's stream
 * and its plans, so that one address cannot keep the service busy with them, it may have at most
 * PUBLIC_NOTICES_PER_ADDRESS in flight: beyond, 429 `too-many-requests`, by the same CallerSlots
 * that limit time-travel reads and live streams per caller.
 */
@Injectable()
export class PublicReadLimit {
  private readonly slots = new CallerSlots(
    PUBLIC_NOTICES_PER_ADDRESS,
    (n) => `${n} public notices in flight`,
    'one has answered',
  );

  async run<R>(req: PublicRequest, read: () => Promise<R>): Promise<R> {
    const release = this.slots.take(callerOf({ ip: req.ip }), req.res);
    try {
      return await read();
    } finally {
      release();
    }
  }
}
