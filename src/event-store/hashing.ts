import * as crypto from 'node:crypto';
import type { NewEvent, RecordedEvent } from './event-store.port';

/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, bigints as decimal strings.
 * This is the serialization the hash chain is computed over (see docs/audit.md, "Hash chain"), so an
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
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
    return canonicalJson((value as { toJSON(): unknown }).toJSON());
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

/** SHA-256 of a UTF-8 string, hex. Node 20.12+ has the one-shot crypto.hash, about twice as fast as createHash for small inputs. */
export const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

/** The hash of the empty chain: the `prevHash` of every stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * hash = SHA-256 over canonicalJson({stream, revision, type, data, metadata without `hash`}),
 * where metadata includes `prevHash`, the hash of the previous event of the same stream.
 */
export function eventHash(
  streamId: string,
  revision: bigint,
  type: string,
  data: unknown,
  metadataWithoutHash: Record<string, unknown>,
): string {
  return hashOfCanonical(streamId, revision, type, canonicalJson(data), canonicalJson(metadataWithoutHash));
}

/** eventHash from the canonical forms of data and metadata: canonicalJson({stream, revision, type, data, metadata}) written out, keys in sorted order. */
export function hashOfCanonical(
  streamId: string,
  revision: bigint,
  type: string,
  canonicalData: string,
  canonicalMetadata: string,
): string {
  return sha256Hex(
    `{"data":${canonicalData},"metadata":${canonicalMetadata},"revision":"${revision}","stream":${JSON.stringify(streamId)},"type":${JSON.stringify(type)}}`,
  );
}

/**
 * The metadata events are stored with, chained onto a stream whose last event is at
 * `lastRevision` with hash `lastHash` (-1n and GENESIS_HASH for a new stream): the given metadata
 * (any `hash` in it ignored) with `eventId`, `prevHash` and the event's own `hash`, in that order.
 * Every store appends through this, so the chain has one definition.
 */
export function chainedMetadata(
  streamId: string,
  lastRevision: bigint,
  lastHash: string,
  events: readonly NewEvent[],
): Record<string, unknown>[] {
  let revision = lastRevision;
  let prevHash = lastHash;
  const out = new Array<Record<string, unknown>>(events.length);
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    revision += 1n;
    // A copy without `hash`, keys in their order, built by assignment: a rest pattern
    // (`{ hash, ...given }`) costs ten times as much, and `delete` would turn the object into a
    // slow dictionary for both serializations.
    const given: Record<string, unknown> = e.metadata;
    const metadata: Record<string, unknown> = {};
    for (const k in given) {
      if (k === 'hash' || !Object.prototype.hasOwnProperty.call(given, k)) continue;
      // An own "__proto__" key (metadata parsed from a file) is data, as a spread copies it, not the prototype setter.
      if (k === '__proto__')
        Object.defineProperty(metadata, k, { value: given[k], enumerable: true, writable: true, configurable: true });
      else metadata[k] = given[k];
    }
    metadata.eventId = e.eventId;
    metadata.prevHash = prevHash;
    prevHash = eventHash(streamId, revision, e.type, e.data, metadata);
    metadata.hash = prevHash;
    out[i] = metadata;
  }
  return out;
}

/**
 * canonicalJson specialised to what JSON.parse returns (no undefined,
 * bigint or toJSON), written for speed; `skipKey` leaves one top-level member out (metadata's
 * `hash`). A test holds it equal to canonicalJson.
 */
export function canonicalParsedJson(value: unknown, skipKey?: string): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalParsedJson(value[i]);
    return `${out}]`;
  }
  const keys = Object.keys(value);
  keys.sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    if (key === skipKey) continue;
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined) continue;
    out += `${first ? '' : ','}${quotedKey(key)}:${canonicalParsedJson(member)}`;
    first = false;
  }
  return `${out}}`;
}

/** JSON.stringify(key), remembered: the same few dozen keys recur in every event (a quarter of the time saved, measured). */
const QUOTED_KEYS = new Map<string, string>();
const QUOTED_KEYS_MAX = 10_000;

function quotedKey(key: string): string {
  let quoted = QUOTED_KEYS.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (QUOTED_KEYS.size < QUOTED_KEYS_MAX) QUOTED_KEYS.set(key, quoted);
  }
  return quoted;
}

/** eventHash of a stored event: the canonical members in their sorted order, metadata without `hash`. */
export function storedEventHash(
  streamId: string,
  revision: bigint,
  type: string,
  data: unknown,
  metadata: Record<string, unknown>,
): string {
  return hashOfCanonical(streamId, revision, type, canonicalParsedJson(data), canonicalParsedJson(metadata, 'hash'));
}

/**
 * What is wrong with a stored event read after one with `prevHash` at `prevRevision` (-1n and
 * GENESIS_HASH at a stream's start): a gap, a broken link, another event id than the one hashed,
 * or content that no longer hashes to its recorded hash. Null when it verifies.
 */
export function storedEventFault(e: RecordedEvent, prevRevision: bigint, prevHash: string): string | null {
  if (e.revision !== prevRevision + 1n)
    return `revision ${e.revision} follows revision ${prevRevision}: events are missing`;
  const metadata = e.metadata;
  if (metadata.prevHash !== prevHash) return 'its prevHash is not the hash of the event before it';
  if (metadata.eventId !== e.eventId) return 'its event id is not the one in its hashed metadata';
  if (storedEventHash(e.streamId, e.revision, e.type, e.data, metadata) !== metadata.hash)
    return 'its type, data or metadata was changed: it no longer hashes to its recorded hash';
  return null;
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
  // The first 16 bytes of the hash in hex, with byte 6's high nibble set to 5 (the version) and
  // byte 8's top two bits to 10 (the variant): written on the hex string, which costs half as
  // much as editing the digest's bytes.
  const x = sha256Hex(seed);
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-5${x.slice(13, 16)}-${HEX[8 | (parseInt(x[16], 16) & 3)]}${x.slice(17, 20)}-${x.slice(20, 32)}`;
}

const HEX = '0123456789abcdef';
