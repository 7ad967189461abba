/** Events written straight to a store (below the deciders), and a poll for what a thread or timer does. */
import { NewEvent } from '../../src/event-store/event-store.port';

let seq = 0;

/** A new event with a fresh id and plausible metadata. */
export function newEvent(type: string, data: Record<string, unknown>): NewEvent {
  seq += 1;
  const id = `e-${seq}`;
  return {
    eventId: id,
    type,
    data,
    metadata: {
      eventId: id,
      commandId: `c-${seq}`,
      requestHash: 'h',
      actor: { id: 'u', role: 'admin', org: 'o' },
      correlationId: id,
      causationId: id,
      recordedAt: '2022-01-01T00:00:00.000Z',
    },
  };
}

/** Resolves once `condition` holds, polling every 10 ms; rejects after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
