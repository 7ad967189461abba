/**
 * The key that signs seals: an Ed25519 private key in a PKCS#8 PEM file, named by
 * LEDGER_SEAL_KEY_FILE. No imports from the rest of the service: config.ts validates the file at
 * boot with it.
 */
import { KeyObject, createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';

export class SealKeyError extends Error {
  override name = 'SealKeyError';
}

export interface SealKey {
  privateKey: KeyObject;
  /** The public half, SPKI PEM: what every seal carries, so anyone can check its signature. */
  publicKeyPem: string;
  /** SHA-256 of the DER (SPKI) public key, hex: what an auditor compares with the one they were given. */
  fingerprint: string;
}

export function loadSealKey(file: string): SealKey {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SealKeyError(`${file} cannot be read: ${(err as Error).message}`);
  }
  if (!/-----BEGIN PRIVATE KEY-----/.test(pem)) {
    throw new SealKeyError(
      `${file} is not an unencrypted PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----); make one with: openssl genpkey -algorithm ed25519 -out ${file}`,
    );
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch (err) {
    throw new SealKeyError(`${file} cannot be read as a private key: ${(err as Error).message}`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new SealKeyError(
      `${file} holds a ${privateKey.asymmetricKeyType ?? 'non-asymmetric'} key; seals are signed with Ed25519 (openssl genpkey -algorithm ed25519)`,
    );
  }
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: publicKeyFingerprint(publicKey),
  };
}

/** SHA-256 of the DER-encoded SPKI public key, hex (`openssl pkey -pubin -outform DER | sha256sum`). */
export function publicKeyFingerprint(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/** Makes a new Ed25519 key in `file` (PKCS#8 PEM, readable by its owner only), as the demo does. */
export function generateSealKeyFile(file: string): SealKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
  chmodSync(file, 0o600); // `mode` applies only to a file that did not exist
  return loadSealKey(file);
}
