import { ApiError, getJson } from './api';

/**
 * A read of the district at a past date replays the whole log, and the ledger lets one caller have
 * at most two such reads in flight (a third is 429 `too-many-requests`, `Retry-After: 1`; docs/api.md,
 * Time travel). A page that reads several reports at once queues them here, two at a time, and
 * asks again after the second the ledger names when it was told to wait.
 */
const SLOTS = 2;
const RETRIES = 5;
let running = 0;
const waiting: (() => void)[] = [];

async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= SLOTS) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/**
 * getJson; a read of the past (asOf or knownAt given) queued two at a time with the page's other
 * past reads and asked again when refused with 429. Today's reads come from the read models, have
 * no such limit, and go at once.
 */
export async function queuedGet<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T> {
  if (!query.asOf && !query.knownAt) return getJson<T>(path, query);
  for (let attempt = 0; ; attempt++) {
    try {
      return await slot(() => getJson<T>(path, query));
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 429 || attempt >= RETRIES) throw err;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}
