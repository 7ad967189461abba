import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/config';

export const ROLES = ['admin', 'finance', 'housing', 'clerk', 'auditor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface TokenEntry {
  token: string;
  actorId: string;
  role: Role;
  org: string;
}

/** Roles allowed to make each kind of write (issue 2): reads need any valid token. */
export const WRITE_ROLES = {
  projectAdmin: ['housing', 'admin'] as Role[], // registration, approval, budget lines
  money: ['finance', 'clerk', 'admin'] as Role[], // pledges, receipts, disbursements, reversals
  batches: ['finance', 'admin'] as Role[], // fund batches, their allocations and reversals (the finance bureau)
};

/** Loads and checks the tokens file (`LEDGER_TOKENS_FILE`): an array of {token, actorId, role, org}. */
export function loadTokens(file: string | undefined): Map<string, TokenEntry> {
  const tokens = new Map<string, TokenEntry>();
  if (!file) return tokens;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`LEDGER_TOKENS_FILE ${file} cannot be read as JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(parsed))
    throw new ConfigError(`LEDGER_TOKENS_FILE ${file} must hold a JSON array of {token, actorId, role, org}`);
  parsed.forEach((t, i) => {
    const e = t as Partial<TokenEntry>;
    for (const k of ['token', 'actorId', 'role', 'org'] as const) {
      if (typeof e[k] !== 'string' || e[k]!.length === 0)
        throw new ConfigError(`LEDGER_TOKENS_FILE entry ${i} lacks a string "${k}"`);
    }
    if (!ROLES.includes(e.role as Role))
      throw new ConfigError(`LEDGER_TOKENS_FILE entry ${i} has role "${e.role}", not one of ${ROLES.join(', ')}`);
    if (e.token!.length < 16)
      throw new ConfigError(`LEDGER_TOKENS_FILE entry ${i}: a token needs at least 16 characters`);
    if (tokens.has(e.token!)) throw new ConfigError(`LEDGER_TOKENS_FILE entry ${i} repeats a token`);
    tokens.set(e.token!, e as TokenEntry);
  });
  return tokens;
}
