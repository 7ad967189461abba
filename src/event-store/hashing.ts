import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, bigints as decimal strings.
 * This is the serialization the hash chain is computed over (see README, "Hash chain"), so an
 * auditor can recompute every hash with their own tools.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') return JSON.stringify(value.toString());
    if (value === undefined) return 'null';
    return JSON.stringify(value);
  }
  // Like JSON.stringify, serialize what toJSON returns (Date, Decimal), so the hash covers the stored JSON.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return canonicalJson((value as { toJSON(): unknown }).toJSON());
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The hash of the empty chain: the `prevHash` of every stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * hash = SHA-256 over canonicalJson({stream, revision, type, data, metadata without `hash`}),
 * where metadata includes `prevHash`, the hash of the previous event of the same stream.
 */
export function eventHash(streamId: string, revision: bigint, type: string, data: unknown, metadataWithoutHash: Record<string, unknown>): string {
  return sha256Hex(canonicalJson({ stream: streamId, revision: revision.toString(), type, data, metadata: metadataWithoutHash }));
}

/**
 * Deterministic event id from a command id and the event's index in that command: a UUID-shaped
 * (version 5 bits set) slice of SHA-256, so a retried command produces the same ids and the
 * store's uniqueness on event ids (and EventStoreDB's de-duplication) catches a double write.
 */
export function deriveEventId(commandId: string, index: number): string {
  return uuidFromSeed(`renovation-ledger:${commandId}:${index}`);
}

/** A UUID-shaped (version 5 bits set) slice of SHA-256 of `seed`: the same seed, the same id. */
export function uuidFromSeed(seed: string): string {
  const h = createHash('sha256').update(seed, 'utf8').digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
