/**
 * LEDGER_SEAL_KEY_FILE is validated at boot: it must name a readable, unencrypted PKCS#8 PEM file
 * holding an Ed25519 private key. A bad one stops the service with a message naming the setting.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSealKeyFile, loadSealKey } from '../../../src/audit/seal-key';
import { ConfigError, loadConfig } from '../../../src/config/config';

describe('LEDGER_SEAL_KEY_FILE', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'seal-key-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is optional: without it, no seal key is configured', () => {
    expect(loadConfig({}).sealKeyFile).toBeUndefined();
  });

  it('accepts an Ed25519 PKCS#8 PEM key, made by the demo with mode 0600', () => {
    const file = join(dir, 'good.pem');
    const key = generateSealKeyFile(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadConfig({ LEDGER_SEAL_KEY_FILE: file }).sealKeyFile).toBe(file);
    expect(key.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(key.publicKeyPem).toContain('-----BEGIN PUBLIC KEY-----');
    expect(loadSealKey(file).fingerprint).toBe(key.fingerprint);
  });

  it.each([
    ['a missing file', () => join(dir, 'missing.pem'), /LEDGER_SEAL_KEY_FILE: .*missing\.pem cannot be read/],
    ['not a PEM key', () => write('text.pem', 'hello'), /not an unencrypted PKCS#8 PEM private key/],
    [
      'an RSA key',
      () =>
        write(
          'rsa.pem',
          generateKeyPairSync('rsa', { modulusLength: 1024 })
            .privateKey.export({ type: 'pkcs8', format: 'pem' })
            .toString(),
        ),
      /holds a rsa key; seals are signed with Ed25519/,
    ],
    [
      'a damaged PEM',
      () => write('bad.pem', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'),
      /cannot be read as a private key/,
    ],
  ])('refuses %s at boot', (_what, file, message) => {
    expect(() => loadConfig({ LEDGER_SEAL_KEY_FILE: file() })).toThrow(ConfigError);
    expect(() => loadConfig({ LEDGER_SEAL_KEY_FILE: file() })).toThrow(message);
  });

  function write(name: string, text: string): string {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  }
});
