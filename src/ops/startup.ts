import type { AddressInfo } from 'node:net';
import { loadSealKey } from '../audit/seal-key';
import type { LedgerConfig } from '../config/config';

const WILDCARDS: Record<string, string> = { '0.0.0.0': 'every IPv4 interface', '::': 'every interface' };

/** The address a server really listens on, as a URL, saying so when it is every interface. */
export function describeAddress(address: AddressInfo, path = ''): string {
  const host = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  const wildcard = WILDCARDS[address.address];
  return `http://${host}:${address.port}${path}${wildcard ? ` (${wildcard})` : ''}`;
}

/** A URL this machine reaches the server at: the loopback address when it listens on every interface. */
export function localUrlOf(address: AddressInfo): string {
  if (WILDCARDS[address.address]) return `http://127.0.0.1:${address.port}`;
  const host = address.address.includes(':') ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/**
 * Why every request but health and /docs will be 401, when that is so: no tokens file, or one
 * with no token in it. Said once at start, so an operator does not learn it from the users.
 */
export function tokensWarning(config: LedgerConfig, tokenCount: number | undefined): string | null {
  if (!config.tokensFile)
    return 'LEDGER_TOKENS_FILE is not set: no token is known, so every request except /api/health, /api/health/live and /docs will be refused with 401';
  if (tokenCount === 0)
    return `LEDGER_TOKENS_FILE ${config.tokensFile} holds no token: every request except /api/health, /api/health/live and /docs will be refused with 401`;
  return null;
}

/**
 * The seal key's fingerprint, said at start (issue 17 point 4) so that the operator can hand it to
 * the auditors, who hold every seal to it (`verify --seal FILE --expect-fingerprint`); null
 * without a key (config.ts has checked that one configured loads).
 */
export function sealKeyLine(config: LedgerConfig): string | null {
  if (!config.sealKeyFile) return null;
  const schedule = config.sealSchedule === 'off' ? 'on request only' : config.sealSchedule;
  return `seal key fingerprint ${loadSealKey(config.sealKeyFile).fingerprint} (LEDGER_SEAL_KEY_FILE; GET /api/audit/seal-key); sealing ${schedule}`;
}
