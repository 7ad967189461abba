import { resolve } from 'node:path';
import { loadSealKey } from '../audit/seal-key';

/** The service's configuration, read from the environment and validated once at boot. */
export interface LedgerConfig {
  port: number;
  dataDir: string;
  eventStore: 'sqlite' | 'eventstoredb';
  eventstoreUrl?: string;
  /** Our deadline on every EventStoreDB call (the client has none for a host that never answers). */
  eventstoreTimeoutMs: number;
  tokensFile?: string;
  /** LEDGER_ALLOW_EXAMPLE_TOKENS=1: accept the published example tokens (a try-out; the demo sets it). */
  allowExampleTokens: boolean;
  /** LEDGER_SEAL_KEY_FILE: the Ed25519 private key (PKCS#8 PEM) that signs seals; without it, sealing is refused. */
  sealKeyFile?: string;
  /** LEDGER_VERIFY_DUTY: the share of the main thread the background chain verifier may take (0: off). */
  verifyDuty: number;
  /** LEDGER_VERIFY_REPASS_S: seconds between the starts of the verifier's passes over the whole log. */
  verifyRepassS: number;
}

export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');

/** The background chain verifier's share of the main thread unless LEDGER_VERIFY_DUTY says otherwise (bench (a) measures its cost). */
export const DEFAULT_VERIFY_DUTY = 0.05;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  const portText = env.PORT ?? '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 0 || port > 65535)
    throw new ConfigError(`PORT must be a TCP port number 0-65535 (got "${portText}")`);
  const eventStore = env.EVENT_STORE ?? 'sqlite';
  if (eventStore !== 'sqlite' && eventStore !== 'eventstoredb') {
    throw new ConfigError(`EVENT_STORE must be "sqlite" or "eventstoredb" (got "${eventStore}")`);
  }
  if (eventStore === 'eventstoredb' && !env.EVENTSTORE_URL) {
    throw new ConfigError('EVENT_STORE=eventstoredb needs EVENTSTORE_URL, e.g. esdb://localhost:2113?tls=false');
  }
  const timeoutText = env.EVENTSTORE_TIMEOUT_MS ?? '10000';
  const eventstoreTimeoutMs = Number(timeoutText);
  if (!/^\d+$/.test(timeoutText) || eventstoreTimeoutMs < 100 || eventstoreTimeoutMs > 120_000) {
    throw new ConfigError(
      `EVENTSTORE_TIMEOUT_MS must be a whole number of milliseconds, 100-120000 (got "${timeoutText}")`,
    );
  }
  const sealKeyFile = env.LEDGER_SEAL_KEY_FILE ? resolve(env.LEDGER_SEAL_KEY_FILE) : undefined;
  if (sealKeyFile) {
    try {
      loadSealKey(sealKeyFile);
    } catch (err) {
      throw new ConfigError(`LEDGER_SEAL_KEY_FILE: ${(err as Error).message}`);
    }
  }
  const dutyText = env.LEDGER_VERIFY_DUTY ?? String(DEFAULT_VERIFY_DUTY);
  const verifyDuty = Number(dutyText);
  if (!/^(0|1|0?\.\d+)$/.test(dutyText) || verifyDuty > 1)
    throw new ConfigError(
      `LEDGER_VERIFY_DUTY must be a share of time from 0 (off) to 1, e.g. 0.05 (got "${dutyText}")`,
    );
  const repassText = env.LEDGER_VERIFY_REPASS_S ?? '600';
  const verifyRepassS = Number(repassText);
  if (!/^\d+$/.test(repassText) || verifyRepassS < 1)
    throw new ConfigError(`LEDGER_VERIFY_REPASS_S must be a whole number of seconds, at least 1 (got "${repassText}")`);
  const allowExampleTokens = env.LEDGER_ALLOW_EXAMPLE_TOKENS ?? '0';
  if (allowExampleTokens !== '0' && allowExampleTokens !== '1')
    throw new ConfigError(`LEDGER_ALLOW_EXAMPLE_TOKENS must be 0 or 1 (got "${allowExampleTokens}")`);
  return {
    port,
    verifyDuty,
    verifyRepassS,
    eventstoreTimeoutMs,
    dataDir: resolve(env.DATA_DIR ?? './data'),
    eventStore,
    eventstoreUrl: env.EVENTSTORE_URL,
    tokensFile: env.LEDGER_TOKENS_FILE ? resolve(env.LEDGER_TOKENS_FILE) : undefined,
    allowExampleTokens: allowExampleTokens === '1',
    sealKeyFile,
  };
}
