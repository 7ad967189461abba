/** A call that did not answer in time. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/**
 * Rejects with TimeoutError when `promise` has not settled within `ms`, calling `onTimeout`
 * (e.g. to cancel a stream) first. The EventStoreDB client waits for ever on a host that accepts
 * a connection and never answers, so every call to it goes through here.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      try {
        onTimeout?.();
      } finally {
        reject(new TimeoutError(`${what} did not answer within ${ms} ms`));
      }
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A sleep that someone else can cut short (a new event arrived, the subscription closed). */
export interface WakeableSleep {
  sleep(ms: number): Promise<void>;
  /** Ends the current sleep now, if there is one. */
  wake(): void;
}

export function wakeableSleep(): WakeableSleep {
  let wakeCurrent: (() => void) | null = null;
  return {
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wakeCurrent = () => {
          clearTimeout(timer);
          resolve();
        };
      }).then(() => {
        wakeCurrent = null;
      }),
    wake: () => wakeCurrent?.(),
  };
}

/**
 * How long to rest after work that took `tookMs` so that the work takes `duty` (0 < duty <= 1) of
 * the time: t × (1 − duty) / duty. The background loops' pacing (chain watch, settling, replays, day ahead).
 */
export function restForDuty(tookMs: number, duty: number): number {
  return (tookMs * (1 - duty)) / duty;
}
