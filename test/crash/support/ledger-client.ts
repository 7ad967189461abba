/**
 * A client of the service as the crash suite sees it: writes sent with an Idempotency-Key, and
 * their answers read as the writes they acknowledge. A project's write acknowledges one stream
 * write; a fund-batch allocation or reversal two (docs/api.md, "Allocations: two streams"): the
 * request's own first write, and the allocation reactor's second, `pending` until it is made.
 */
import { writeFileSync } from 'node:fs';

export const TOKENS = {
  housing: 'crash-housing-token-000000',
  finance: 'crash-finance-token-000000',
  clerk: 'crash-clerk-token-00000000',
  auditor: 'crash-auditor-token-000000',
} as const;
export type Role = keyof typeof TOKENS;

export function writeTokensFile(file: string): void {
  writeFileSync(
    file,
    JSON.stringify(
      Object.entries(TOKENS).map(([role, token]) => ({ token, role, actorId: `u-crash-${role}`, org: `org-${role}` })),
    ),
  );
}

/** How an answer names its writes: one stream, or the two of a flow (which of them the request made first). */
export type WriteShape = 'one-stream' | 'allocation' | 'allocation-reversal';

export interface Write {
  /** What it is, for messages: e.g. "receipt R-2-0-7 on TN-L2". */
  label: string;
  shape: WriteShape;
  path: string;
  body: object;
  role: Role;
  idempotencyKey: string;
}

/** A write, its Idempotency-Key made from the id of what it records (unique in the suite). */
export function writeOf(shape: WriteShape, label: string, path: string, body: object, role: Role, id: string): Write {
  return { shape, label, path, body, role, idempotencyKey: `key-${id}` };
}

export interface Answer {
  status: number;
  body: any;
  /** `Idempotent-Replayed: true`: the answer of an earlier sending of the same request. */
  replayed: boolean;
}

/** One stream's write as an answer reports it. */
export interface StreamWrite {
  streamId: string;
  revision: number;
  position: string;
  events: { type: string; eventId: string }[];
}

export type SecondWrite = StreamWrite | { streamId: string; status: 'pending' };

export function isWritten(write: SecondWrite): write is StreamWrite {
  return !('status' in write);
}

/** Sends a write; rejects when no whole answer came (the connection failed, or `signal` aborted it). */
export async function send(baseUrl: string, write: Write, signal?: AbortSignal): Promise<Answer> {
  const res = await fetch(baseUrl + write.path, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${TOKENS[write.role]}`,
      'content-type': 'application/json',
      'idempotency-key': write.idempotencyKey,
    },
    body: JSON.stringify(write.body),
    signal,
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text ? JSON.parse(text) : null,
    replayed: res.headers.get('idempotent-replayed') === 'true',
  };
}

export async function getJson(baseUrl: string, path: string, role: Role = 'auditor'): Promise<any> {
  const res = await fetch(baseUrl + path, { headers: { authorization: `Bearer ${TOKENS[role]}` } });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

const streamWrite = ({ streamId, revision, position, events }: StreamWrite): StreamWrite => ({
  streamId,
  revision,
  position,
  events,
});

/** The writes an answer (2xx) acknowledges: the request's own, and for a flow the second, made or pending. */
export function writesOf(shape: WriteShape, body: any): { first: StreamWrite; second?: SecondWrite } {
  switch (shape) {
    case 'one-stream':
      return { first: streamWrite(body) };
    case 'allocation': // the batch first, then the project's record
      return { first: streamWrite(body), second: secondOf(body.project) };
    case 'allocation-reversal': // the project's release first, then the batch's reversal
      return { first: streamWrite(body.project), second: secondOf(body) };
  }
}

function secondOf(part: any): SecondWrite {
  return part.status === 'pending' ? { streamId: part.streamId, status: 'pending' } : streamWrite(part);
}

/** Runs `task` over `items`, at most `width` at once. */
export async function inParallel<T>(
  items: readonly T[],
  width: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
}
