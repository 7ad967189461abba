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
  /** LEDGER_SEAL_SCHEDULE: seal the ledger every hour or every day (UTC), or never by itself (off, the default). */
  sealSchedule: SealSchedule;
  /** LEDGER_VERIFY_DUTY: the share of the main thread the background chain verifier may take (0: off). */
  verifyDuty: number;
  /** LEDGER_VERIFY_REPASS_S: seconds between the starts of the verifier's passes over the whole log. */
  verifyRepassS: number;
  /** HOST: the interface the API listens on (127.0.0.1 by default: put a proxy in front, or set 0.0.0.0). */
  host: string;
  /** METRICS_PORT: where GET /metrics is served, apart from the API; null (METRICS_PORT=off) serves none. */
  metricsPort: number | null;
  /** METRICS_HOST: the interface of the metrics port (127.0.0.1 by default: metrics are for the operator's network only). */
  metricsHost: string;
  /** LOG_LEVEL: the least severe level written (JSON lines on standard output). */
  logLevel: LogLevel;
  http: HttpLimits;
}

/** The HTTP server's limits (docs/operations.md): each a setting, each bounded. */
export interface HttpLimits {
  /** HTTP_REQUEST_TIMEOUT_MS: time to receive a whole request, headers and body (Node's requestTimeout). */
  requestTimeoutMs: number;
  /** HTTP_HEADERS_TIMEOUT_MS: time to receive the headers (slowloris); at most the request timeout. */
  headersTimeoutMs: number;
  /** HTTP_KEEP_ALIVE_TIMEOUT_MS: how long an idle kept-alive connection stays open. */
  keepAliveTimeoutMs: number;
  /** HTTP_MAX_CONNECTIONS: open connections beyond this are closed as they arrive. */
  maxConnections: number;
}

export const SEAL_SCHEDULES = ['off', 'hourly', 'daily'] as const;
export type SealSchedule = (typeof SEAL_SCHEDULES)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

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
  const sealSchedule = (env.LEDGER_SEAL_SCHEDULE ?? 'off') as SealSchedule;
  if (!SEAL_SCHEDULES.includes(sealSchedule))
    throw new ConfigError(
      `LEDGER_SEAL_SCHEDULE must be one of ${SEAL_SCHEDULES.join(', ')} (got "${env.LEDGER_SEAL_SCHEDULE}")`,
    );
  if (sealSchedule !== 'off' && !sealKeyFile)
    throw new ConfigError(
      `LEDGER_SEAL_SCHEDULE=${sealSchedule} needs the key that signs the seals: set LEDGER_SEAL_KEY_FILE to an Ed25519 private key (PKCS#8 PEM)`,
    );
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
  const http: HttpLimits = {
    requestTimeoutMs: wholeNumber(env, 'HTTP_REQUEST_TIMEOUT_MS', 30_000, 1_000, 600_000),
    headersTimeoutMs: wholeNumber(env, 'HTTP_HEADERS_TIMEOUT_MS', 10_000, 1_000, 600_000),
    keepAliveTimeoutMs: wholeNumber(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 5_000, 1_000, 600_000),
    maxConnections: wholeNumber(env, 'HTTP_MAX_CONNECTIONS', 1_000, 1, 100_000),
  };
  // Node refuses a request whose headers are still coming after requestTimeout anyway.
  if (http.headersTimeoutMs > http.requestTimeoutMs)
    throw new ConfigError(
      `HTTP_HEADERS_TIMEOUT_MS (${http.headersTimeoutMs}) must not exceed HTTP_REQUEST_TIMEOUT_MS (${http.requestTimeoutMs})`,
    );
  const logLevel = (env.LOG_LEVEL ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel))
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${env.LOG_LEVEL}")`);
  const metricsPortText = env.METRICS_PORT ?? '9464';
  const metricsPort = metricsPortText === 'off' ? null : Number(metricsPortText);
  if (metricsPort !== null && (!/^\d+$/.test(metricsPortText) || metricsPort > 65535))
    throw new ConfigError(`METRICS_PORT must be a TCP port number 0-65535 or "off" (got "${metricsPortText}")`);
  // Both would bind it: the API first, then /metrics failing with EADDRINUSE after "listening" was logged.
  if (metricsPort !== null && metricsPort !== 0 && metricsPort === port)
    throw new ConfigError(
      `METRICS_PORT must differ from PORT (both ${port}): /metrics is served on a port of its own; set another one, or METRICS_PORT=off`,
    );
  return {
    port,
    host: hostOf(env, 'HOST'),
    metricsPort,
    metricsHost: hostOf(env, 'METRICS_HOST'),
    logLevel,
    http,
    verifyDuty,
    verifyRepassS,
    eventstoreTimeoutMs,
    dataDir: resolve(env.DATA_DIR ?? './data'),
    eventStore,
    eventstoreUrl: env.EVENTSTORE_URL,
    tokensFile: env.LEDGER_TOKENS_FILE ? resolve(env.LEDGER_TOKENS_FILE) : undefined,
    allowExampleTokens: allowExampleTokens === '1',
    sealKeyFile,
    sealSchedule,
  };
}

/** An optional whole-number setting within [min, max], `fallback` when unset. */
function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max)
    throw new ConfigError(`${name} must be a whole number ${min}-${max} (got "${text}")`);
  return value;
}

/** An interface address to listen on: an IPv4 or IPv6 literal, or a host name; 127.0.0.1 when unset. */
function hostOf(env: NodeJS.ProcessEnv, name: string): string {
  const host = env[name] ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:-]{1,253}$/.test(host))
    throw new ConfigError(`${name} must be an address to listen on, e.g. 127.0.0.1, 0.0.0.0 or :: (got "${host}")`);
  return host;
}
