import { DomainError } from '../shared/domain/domain-error';

/** Who a request counts against: the token's actor, else the address it came from. */
export function callerOf(req: { actor?: { actorId: string }; ip?: string }): string {
  return req.actor?.actorId ?? `address ${req.ip ?? 'unknown'}`;
}

/**
 * At most `limit` of one kind of costly request per caller at once: `take` answers the release to
 * call when the request is over, or refuses one more with 429 `too-many-requests` and Retry-After.
 * Shared by time-travel reads (TimeTravelLimit) and live streams (src/live), each with its own slots.
 */
export class CallerSlots {
  private readonly held = new Map<string, number>();

  /** `what(n)`: the requests the caller already holds, as the refusal names them ("2 live streams open"). */
  constructor(
    readonly limit: number,
    private readonly what: (n: number) => string,
    private readonly retryWhen: string,
  ) {}

  take(caller: string, res?: { setHeader(name: string, value: string): void }): () => void {
    const n = this.held.get(caller) ?? 0;
    if (n >= this.limit) {
      res?.setHeader('Retry-After', '1');
      throw new DomainError(
        'too-many-requests',
        `${caller} already has ${this.what(n)}, the most one caller may have; retry when ${this.retryWhen}`,
        429,
      );
    }
    this.held.set(caller, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(caller) ?? 1) - 1;
      if (left > 0) this.held.set(caller, left);
      else this.held.delete(caller);
    };
  }
}
