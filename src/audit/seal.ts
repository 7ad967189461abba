/**
 * Seals: a signed digest over every stream's head at one moment (docs/audit.md, "Seals").
 *
 * A seal is made only over a log whose chain verifies, so it never vouches for tampered history.
 * It is stored as one `ledger-sealed.v1` event in its own stream `seal-<sealId>` (seal streams are
 * left out of seals), and the auditor keeps the same JSON as a file. Verifying the log against a
 * kept seal proves that nothing at or before the seal changed or vanished: every sealed stream
 * must still hold, at the sealed revision, an event with the sealed hash, and the chain up to it
 * must verify. A whole stream deleted, or cut short, fails by name.
 */
import { createPublicKey, sign, verify } from 'node:crypto';
import { EventStore, RecordedEvent, streamCategory } from '../event-store/event-store.port';
import { CommandContext, writerFor } from '../event-store/write-path';
import { Decider } from '../shared/domain/decider';
import { Seal, SealBody, SealEvent, SealedStream, sealEvents, SEAL_EVENT_TYPE } from '../events/ledger-events';
import { canonicalJson, sha256Hex } from '../event-store/hashing';
import { DomainError, assert } from '../shared/domain/domain-error';
import type { LedgerConfig } from '../config/config';
import { SealKey, SealKeyError, loadSealKey, publicKeyFingerprint } from './seal-key';
import { ChainProblem, VerifyOptions, VerifyReport, scanChain } from './verify-chain';

export { SEAL_EVENT_TYPE };
export const SEAL_CATEGORY = 'seal';

export type { Seal, SealBody, SealedStream } from '../events/ledger-events';

export function sealStreamId(sealId: string): string {
  return `${SEAL_CATEGORY}-${sealId}`;
}

export function sealDigest(body: SealBody): string {
  const { sealId, sealedAt, headPosition, streams } = body;
  return sha256Hex(canonicalJson({ sealId, sealedAt, headPosition, streams }));
}

// ---------------------------------------------------------------------------------------------
// Making a seal

/** The signing key, or 503 `seal-key-missing` / `seal-key-unreadable`. */
export function sealKeyOf(config: LedgerConfig): SealKey {
  if (!config.sealKeyFile) {
    throw new DomainError(
      'seal-key-missing',
      'sealing needs a signing key, and none is configured: set LEDGER_SEAL_KEY_FILE to an Ed25519 private key in a PKCS#8 PEM file ' +
        '(e.g. made with `openssl genpkey -algorithm ed25519 -out seal-key.pem`) and restart the service',
      503,
    );
  }
  try {
    return loadSealKey(config.sealKeyFile);
  } catch (err) {
    if (err instanceof SealKeyError)
      throw new DomainError(
        'seal-key-unreadable',
        `the seal key LEDGER_SEAL_KEY_FILE cannot be used: ${err.message}`,
        503,
      );
    throw err;
  }
}

/** What GET /api/audit/seal-key serves: the key's public half and fingerprint, and how often the service seals. */
export interface SealKeyView {
  /** Whether a key is configured (LEDGER_SEAL_KEY_FILE): without one, nothing is sealed and the rest is null. */
  configured: boolean;
  algorithm: 'Ed25519';
  fingerprint: string | null;
  publicKey: string | null;
  schedule: LedgerConfig['sealSchedule'];
}

/**
 * The configured seal key as GET /api/audit/seal-key serves it. A ledger without a key says so
 * (`configured: false`): that is its configuration, not a fault; a key that can no longer be read
 * is 503 `seal-key-unreadable`.
 */
export function sealKeyView(config: LedgerConfig): SealKeyView {
  const schedule = config.sealSchedule;
  if (!config.sealKeyFile)
    return { configured: false, algorithm: 'Ed25519', fingerprint: null, publicKey: null, schedule };
  const key = sealKeyOf(config);
  return {
    configured: true,
    algorithm: 'Ed25519',
    fingerprint: key.fingerprint,
    publicKey: key.publicKeyPem,
    schedule,
  };
}

export interface SealResult {
  seal: Seal;
  /** True when this is the stored seal of an earlier request with the same idempotency key. */
  replayed: boolean;
  /** Where the seal event was stored. */
  streamId: string;
  position: bigint;
}

/**
 * Verifies the whole log, then seals every stream's head (seal streams left out), signs it, and
 * stores it as an event. A chain that does not verify is refused (409 `chain-broken`): a seal
 * must never vouch for tampered history. Idempotent by `ctx.commandId`, like every write.
 */
export async function createSeal(
  store: EventStore,
  key: SealKey,
  ctx: CommandContext,
  options: Pick<VerifyOptions, 'workers' | 'minEventsPerWorker'> = {},
): Promise<SealResult> {
  const scan = await scanChain(store, options);
  const problem = scan.report.firstProblem;
  if (problem) {
    throw new DomainError(
      'chain-broken',
      `the ledger cannot be sealed: its chain does not verify (${problem.kind}: ${problem.message})`,
      409,
    );
  }
  const streams: SealedStream[] = [...scan.heads]
    .filter(([streamId]) => streamCategory(streamId) !== SEAL_CATEGORY)
    .map(([streamId, head]) => ({ streamId, revision: Number(head.revision), hash: head.hash }))
    .sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
  const body: SealBody = {
    sealId: sealIdOf(ctx),
    sealedAt: ctx.recordedAt,
    headPosition: scan.headPosition.toString(),
    streams,
  };
  const digest = sealDigest(body);
  const seal: Seal = {
    ...body,
    digest,
    publicKey: key.publicKeyPem,
    keyFingerprint: key.fingerprint,
    signature: sign(null, Buffer.from(digest, 'utf8'), key.privateKey).toString('base64'),
  };
  // Through the write path like any command: a repeat of the request answers the seal it stored.
  const written = await writerFor(store, sealDecider).execute(
    sealStreamId(seal.sealId),
    { type: 'StoreSeal', seal },
    ctx,
  );
  if (!written.replayed) return { seal, replayed: false, streamId: written.streamId, position: written.position };
  const stored = (await store.readByCommand(ctx.commandId)).find((e: RecordedEvent) => e.type === SEAL_EVENT_TYPE);
  assert(stored, 'a replayed seal request stored its seal');
  return { seal: sealEvents.parse(stored).data, replayed: true, streamId: stored.streamId, position: stored.position };
}

/** A seal stream holds its one seal. */
const sealDecider: Decider<{ sealed: boolean }, { type: 'StoreSeal'; seal: Seal }, SealEvent> = {
  initialState: () => ({ sealed: false }),
  decide(command, state) {
    if (state.sealed) throw new DomainError('seal-exists', `seal ${command.seal.sealId} is already stored`, 409);
    return [{ type: SEAL_EVENT_TYPE, data: command.seal }];
  },
  evolve: () => ({ sealed: true }),
  events: sealEvents,
  stateVersion: 1,
};

/** `20240131T083000Z-1a2b3c4d`: when, and 8 hex digits of the command id; usable in a stream id and a file name. */
function sealIdOf(ctx: CommandContext): string {
  const when = ctx.recordedAt.replace(/\.\d+/, '').replace(/[-:]/g, '');
  assert(/^\d{8}T\d{6}Z$/.test(when), 'recordedAt is an ISO-8601 UTC time');
  return `${when}-${sha256Hex(ctx.commandId).slice(0, 8)}`;
}

// ---------------------------------------------------------------------------------------------
// Checking a seal

export interface SealCheck {
  seal: Seal | null;
  /** Recomputed from the public key in the seal, when it could be read. */
  fingerprint: string | null;
  problem: ChainProblem | null;
}

const HEX64 = /^[0-9a-f]{64}$/;

function sealInvalid(expected: string, found: string, message: string): ChainProblem {
  return {
    kind: 'seal-invalid',
    streamId: null,
    revision: null,
    eventId: null,
    position: null,
    expected,
    found,
    message,
  };
}

/**
 * Checks a seal by itself: its shape, that the digest is the digest of its content, that the key
 * fingerprint is the public key's, and that the signature over the digest holds for that key.
 * Whose key it is, only the auditor can say: compare the fingerprint with the one you were given.
 */
export function checkSeal(value: unknown): SealCheck {
  const shapeError = sealShapeError(value);
  if (shapeError)
    return {
      seal: null,
      fingerprint: null,
      problem: sealInvalid(
        'a seal: {sealId, sealedAt, headPosition, streams, digest, publicKey, keyFingerprint, signature}',
        shapeError,
        `not a seal: ${shapeError}`,
      ),
    };
  const seal = value as Seal;
  let fingerprint: string;
  let publicKey;
  try {
    publicKey = createPublicKey({ key: seal.publicKey, format: 'pem' });
    fingerprint = publicKeyFingerprint(publicKey);
  } catch (err) {
    return {
      seal,
      fingerprint: null,
      problem: sealInvalid(
        'an SPKI PEM public key',
        'publicKey',
        `the seal's publicKey cannot be read: ${(err as Error).message}`,
      ),
    };
  }
  if (publicKey.asymmetricKeyType !== 'ed25519') {
    return {
      seal,
      fingerprint,
      problem: sealInvalid(
        'ed25519',
        String(publicKey.asymmetricKeyType),
        "the seal's publicKey is not an Ed25519 key",
      ),
    };
  }
  const digest = sealDigest(seal);
  if (digest !== seal.digest) {
    return {
      seal,
      fingerprint,
      problem: sealInvalid(seal.digest, digest, "the seal's content does not hash to its digest: the seal was changed"),
    };
  }
  if (fingerprint !== seal.keyFingerprint) {
    return {
      seal,
      fingerprint,
      problem: sealInvalid(
        seal.keyFingerprint,
        fingerprint,
        "keyFingerprint is not the fingerprint of the seal's publicKey",
      ),
    };
  }
  const signed = verify(null, Buffer.from(seal.digest, 'utf8'), publicKey, Buffer.from(seal.signature, 'base64'));
  if (!signed) {
    return {
      seal,
      fingerprint,
      problem: sealInvalid(
        'a valid Ed25519 signature over the digest',
        seal.signature,
        "the signature does not hold for the seal's digest and public key",
      ),
    };
  }
  return { seal, fingerprint, problem: null };
}

/** Why `value` is not a seal, or null. */
function sealShapeError(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const v = value as Record<string, unknown>;
  for (const field of ['sealId', 'sealedAt', 'headPosition', 'digest', 'publicKey', 'keyFingerprint', 'signature']) {
    if (typeof v[field] !== 'string' || v[field] === '') return `${field} must be a non-empty string`;
  }
  if (!/^\d+$/.test(v.headPosition as string)) return 'headPosition must be a decimal string';
  if (!HEX64.test(v.digest as string)) return 'digest must be 64 lowercase hex digits';
  if (!HEX64.test(v.keyFingerprint as string)) return 'keyFingerprint must be 64 lowercase hex digits';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(v.signature as string)) return 'signature must be base64';
  if (!Array.isArray(v.streams)) return 'streams must be an array';
  for (const [i, s] of (v.streams as unknown[]).entries()) {
    const entry = s as Record<string, unknown> | null;
    const ok =
      entry !== null &&
      typeof entry === 'object' &&
      typeof entry.streamId === 'string' &&
      entry.streamId !== '' &&
      Number.isSafeInteger(entry.revision) &&
      (entry.revision as number) >= 0 &&
      typeof entry.hash === 'string' &&
      HEX64.test(entry.hash);
    if (!ok) return `streams[${i}] must be {streamId, revision, hash}`;
  }
  return null;
}

/**
 * Verifies the log (or one stream) against a kept seal: the seal itself (checkSeal), then the
 * chain, then every sealed head: the stream exists, reaches the sealed revision, and holds there
 * an event with the sealed hash. The report names the first thing that does not hold.
 */
export async function verifyAgainstSeal(
  store: EventStore,
  value: unknown,
  options: Omit<VerifyOptions, 'wanted'> & { expectFingerprint?: string } = {},
): Promise<VerifyReport> {
  const checked = checkSeal(value);
  const refused = async (problem: ChainProblem): Promise<VerifyReport> => ({
    ok: false,
    store: store.kind,
    ...(options.streamId !== undefined ? { stream: options.streamId } : {}),
    eventsChecked: 0,
    streamsChecked: 0,
    headPosition: (await store.headPosition()).toString(),
    firstProblem: problem,
  });
  if (checked.problem || !checked.seal) return refused(checked.problem!);
  // A seal that holds proves only what its key signed: signed by another key than the one the
  // auditor was given, it proves nothing about this ledger, however well it verifies.
  if (options.expectFingerprint !== undefined && checked.fingerprint !== options.expectFingerprint)
    return refused({
      kind: 'seal-wrong-key',
      streamId: null,
      revision: null,
      eventId: null,
      position: null,
      expected: options.expectFingerprint,
      found: checked.fingerprint!,
      message: `the seal is signed by key ${checked.fingerprint}, not by the key expected (${options.expectFingerprint})`,
    });
  const seal = checked.seal;
  const sealed =
    options.streamId === undefined ? seal.streams : seal.streams.filter((s) => s.streamId === options.streamId);
  const scan = await scanChain(store, {
    ...options,
    wanted: new Map(sealed.map((s) => [s.streamId, BigInt(s.revision)])),
  });
  const summary = {
    sealId: seal.sealId,
    sealedAt: seal.sealedAt,
    headPosition: seal.headPosition,
    keyFingerprint: checked.fingerprint!,
    streamsSealed: seal.streams.length,
  };
  if (!scan.report.ok) return { ...scan.report, seal: summary };
  for (const s of sealed) {
    const problem = sealedHeadProblem(s, scan.heads.get(s.streamId), scan.hits.get(s.streamId));
    if (problem) return { ...scan.report, ok: false, firstProblem: problem, seal: summary };
  }
  return { ...scan.report, seal: summary };
}

function sealedHeadProblem(
  s: SealedStream,
  head: { revision: bigint } | undefined,
  hit: { hash: string; eventId: string; position: bigint } | undefined,
): ChainProblem | null {
  if (!head) {
    return {
      kind: 'sealed-stream-missing',
      streamId: s.streamId,
      revision: s.revision,
      eventId: null,
      position: null,
      expected: s.hash,
      found: 'no stream',
      message: `${s.streamId} was sealed at revision ${s.revision} and is gone: every one of its events was deleted`,
    };
  }
  if (!hit) {
    return {
      kind: 'sealed-revision-missing',
      streamId: s.streamId,
      revision: s.revision,
      eventId: null,
      position: null,
      expected: String(s.revision),
      found: String(head.revision),
      message: `${s.streamId} was sealed at revision ${s.revision} but now ends at revision ${head.revision}: sealed events are missing`,
    };
  }
  if (hit.hash !== s.hash) {
    return {
      kind: 'sealed-hash-mismatch',
      streamId: s.streamId,
      revision: s.revision,
      eventId: hit.eventId,
      position: hit.position.toString(),
      expected: s.hash,
      found: hit.hash,
      message: `${s.streamId} revision ${s.revision} is not the event that was sealed: the stream was rewritten`,
    };
  }
  return null;
}
