import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, bigints as decimal strings.
 * This is the serialization the hash chain is computed over (see README, "Hash chain"), so an
 * auditor can recompute every hash with their own tools.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'object':
      return value === null ? 'null' : canonicalObject(value);
    case 'bigint':
      return JSON.stringify(value.toString());
    case 'undefined':
      return 'null';
    default:
      return JSON.stringify(value);
  }
}

/**
 * Objects and arrays. Written as loops over strings (no map/filter/join arrays): every command
 * hashes its request and each event it writes, so this runs several times per command.
 */
function canonicalObject(value: object): string {
  // Like JSON.stringify, serialize what toJSON returns (Date, Decimal), so the hash covers the stored JSON.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return canonicalJson((value as { toJSON(): unknown }).toJSON());
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return out + ']';
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const k of keys) {
    const v = record[k];
    if (v === undefined) continue;
    out += (out.length === 1 ? '' : ',') + JSON.stringify(k) + ':' + canonicalJson(v);
  }
  return out + '}';
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
  // canonicalJson({stream, revision, type, data, metadata}) written out: its keys in sorted order.
  const canonical =
    `{"data":${canonicalJson(data)},"metadata":${canonicalJson(metadataWithoutHash)},"revision":"${revision}",` +
    `"stream":${JSON.stringify(streamId)},"type":${JSON.stringify(type)}}`;
  return sha256Hex(canonical);
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
