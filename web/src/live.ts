import { useEffect, useRef } from 'preact/hooks';
import type { LiveChange } from '../../src/live/live-message';
import { postJson } from './api';

/**
 * The ledger's live feed (GET /api/live): one message per event appended, with its position and
 * kind and, for a project or a fund batch, the aggregate's id; no personal data. A browser's
 * EventSource sends no Authorization header, so each connection opens with a one-use ticket
 * (POST /api/live/ticket) and, when it reconnects, says the last position it saw (?lastEventId=).
 */
export type { LiveChange };

type Listener = (change: LiveChange) => void;

const listeners = new Set<Listener>();
let source: EventSource | null = null;
let lastPosition: string | undefined;
let retry: ReturnType<typeof setTimeout> | undefined;
let statusListener: (connected: boolean) => void = () => undefined;

export function onLiveStatus(listener: (connected: boolean) => void): void {
  statusListener = listener;
}

/** True while a ticket is asked for: the components mounting at once share one connection. */
let connecting = false;

async function connect(): Promise<void> {
  if (source || connecting || listeners.size === 0) return;
  connecting = true;
  try {
    const { ticket } = await postJson<{ ticket: string }>('/api/live/ticket', {});
    if (listeners.size === 0) return; // everyone left while the ticket was asked for
    const params = new URLSearchParams({ ticket });
    if (lastPosition !== undefined) params.set('lastEventId', lastPosition);
    const es = new EventSource(`/api/live?${params}`);
    source = es;
    es.onopen = () => statusListener(true);
    es.onmessage = (message) => {
      const change = JSON.parse(message.data) as LiveChange;
      lastPosition = change.position;
      for (const listener of listeners) listener(change);
    };
    es.onerror = () => {
      // A ticket is good for one connection: EventSource's own retry would reuse it. Close and
      // reconnect with a new ticket from the last position seen.
      es.close();
      source = null;
      statusListener(false);
      scheduleReconnect();
    };
  } catch {
    statusListener(false);
    scheduleReconnect();
  } finally {
    connecting = false;
  }
}

function scheduleReconnect(): void {
  clearTimeout(retry);
  retry = setTimeout(() => void connect(), 2_000);
}

export function disconnectLive(): void {
  clearTimeout(retry);
  source?.close();
  source = null;
  lastPosition = undefined;
}

/** Calls `listener` for each change while the component is mounted (one shared connection). */
export function useLive(listener: Listener): void {
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => {
    const wrapped: Listener = (change) => latest.current(change);
    listeners.add(wrapped);
    void connect();
    return () => {
      listeners.delete(wrapped);
      if (listeners.size === 0) disconnectLive();
    };
  }, []);
}
