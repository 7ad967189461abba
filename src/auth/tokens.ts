import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/config';
import { sha256Hex } from '../event-store/hashing';
import { isPublishedExampleToken } from './example-tokens';

export const ROLES = ['admin', 'finance', 'housing', 'clerk', 'auditor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Who a request is from, as the tokens file says: never the token itself, so nothing logs or stores it. */
export interface Actor {
  actorId: string;
  role: Role;
  org: string;
  /**
   * The towns (镇街, as projects record `town`) this actor writes for: a street office's clerk.
   * Absent: the whole district. Reads are never narrowed by it (town-scope.ts).
   */
  towns?: readonly string[];
}

/** A tokens-file entry with the token in clear, as the demo writes it. */
export interface TokenEntry extends Actor {
  token: string;
}

/** Roles allowed to make each kind of write (issue 2): reads need any valid token. */
export const WRITE_ROLES = {
  projectAdmin: ['housing', 'admin'] as Role[], // registration, approval, budget lines
  money: ['finance', 'clerk', 'admin'] as Role[], // pledges, receipts, disbursements, reversals
  batches: ['finance', 'admin'] as Role[], // fund batches, their allocations and reversals (the finance bureau)
  accounts: ['finance', 'admin'] as Role[], // bank accounts, their statements and reconciliation (对账, the finance bureau)
  years: ['finance', 'admin'] as Role[], // closing and reopening a fiscal year's books (年终结账, the finance bureau)
  // the household register, its corrections and owners' votes carry household ids and owner
  // keys: written by the street offices (clerks), who may also read them (auth/personal-data.ts)
  register: ['clerk', 'admin'] as Role[],
  // cost-sharing plans: the housing commission plans the works, with the street offices
  plans: ['housing', 'clerk', 'admin'] as Role[],
  // the project's life: the street offices record consultation, publicity and handover, the
  // finance bureau tenders and contracts, the housing commission leads reviews and acceptances
  milestones: ['housing', 'clerk', 'finance', 'admin'] as Role[],
};

/** A clear token shorter than this is refused: a guessable token is no token. */
export const TOKEN_MIN_CHARS = 16;
/** Bounds on a `towns` list and its names: a street office writes for a few towns, not thousands. */
export const TOWNS_MAX = 100;
const TOWN_MAX_CHARS = 200;
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
const ENTRY_KEYS = new Set(['token', 'tokenSha256', 'actorId', 'role', 'org', 'towns']);

/** SHA-256 of a token, lower-case hex: how tokens are held in memory, and may be written in the file. */
export function tokenSha256(token: string): string {
  return sha256Hex(token);
}

export interface TokenFileOptions {
  /** LEDGER_ALLOW_EXAMPLE_TOKENS=1: accept the tokens published in deploy/tokens.example.json (a try-out only). */
  allowExampleTokens?: boolean;
}

/**
 * Reads and checks the tokens file (`LEDGER_TOKENS_FILE`): an array of
 * `{token | tokenSha256, actorId, role, org, towns?}`. Answers the actors keyed by the SHA-256 of
 * their token, so a file that holds only hashes serves as well as one with the tokens in clear.
 * Any fault refuses the whole file (a ConfigError naming the entry): half a tokens file is never
 * taken up. One actorId is one actor: its tokens (two while one is rotated) say the same role,
 * organisation and towns, since idempotency keys, per-caller limits and the audit go by actorId.
 */
export function loadTokens(file: string | undefined, options: TokenFileOptions = {}): Map<string, Actor> {
  const actors = new Map<string, Actor>();
  /** Each actorId's first entry: its index and what it says. */
  const firstOf = new Map<string, { i: number; actor: Actor }>();
  if (!file) return actors;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`LEDGER_TOKENS_FILE ${file} cannot be read as JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(parsed))
    throw new ConfigError(
      `LEDGER_TOKENS_FILE ${file} must hold a JSON array of {token or tokenSha256, actorId, role, org, towns?}`,
    );
  parsed.forEach((raw, i) => {
    const refuse = (why: string) => new ConfigError(`LEDGER_TOKENS_FILE entry ${i}: ${why}`);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw refuse('is not an object');
    const e = raw as Record<string, unknown>;
    const unknown = Object.keys(e).find((k) => !ENTRY_KEYS.has(k));
    if (unknown !== undefined) throw refuse(`has "${unknown}", which is not one of ${[...ENTRY_KEYS].join(', ')}`);
    const hash = hashOf(e, refuse);
    for (const k of ['actorId', 'role', 'org'] as const) {
      if (typeof e[k] !== 'string' || (e[k] as string).length === 0) throw refuse(`lacks a string "${k}"`);
    }
    if (!ROLES.includes(e.role as Role)) throw refuse(`has role "${e.role}", not one of ${ROLES.join(', ')}`);
    if (isPublishedExampleToken(hash) && !options.allowExampleTokens)
      throw refuse(
        'is a published example token (deploy/tokens.example.json), which anyone can send: ' +
          'make your own tokens, or set LEDGER_ALLOW_EXAMPLE_TOKENS=1 for a try-out on your own machine',
      );
    if (actors.has(hash)) throw refuse('repeats a token');
    const towns = townsOf(e.towns, refuse);
    const actor: Actor = {
      actorId: e.actorId as string,
      role: e.role as Role,
      org: e.org as string,
      ...(towns ? { towns } : {}),
    };
    const first = firstOf.get(actor.actorId);
    if (first === undefined) firstOf.set(actor.actorId, { i, actor });
    else {
      const differs = differenceOf(first.actor, actor);
      if (differs !== null)
        throw refuse(
          `repeats actorId "${actor.actorId}" of entry ${first.i} with another ${differs}: ` +
            'the tokens of one actor (two while one is rotated) say the same role, org and towns',
        );
    }
    actors.set(hash, actor);
  });
  return actors;
}

/** What two entries of one actorId say differently (role, org or towns), or null when they agree. */
export function differenceOf(a: Actor, b: Actor): string | null {
  if (a.role !== b.role) return `role ("${b.role}", not "${a.role}")`;
  if (a.org !== b.org) return `org ("${b.org}", not "${a.org}")`;
  const townsA = a.towns === undefined ? '' : [...a.towns].sort().join('\n');
  const townsB = b.towns === undefined ? '' : [...b.towns].sort().join('\n');
  return townsA === townsB ? null : 'list of towns';
}

/** The entry's token hash: from `token` (then checked for length) or `tokenSha256`, exactly one of them. */
function hashOf(e: Record<string, unknown>, refuse: (why: string) => ConfigError): string {
  if (e.token !== undefined && e.tokenSha256 !== undefined)
    throw refuse('has both "token" and "tokenSha256": keep one');
  if (e.tokenSha256 !== undefined) {
    if (typeof e.tokenSha256 !== 'string' || !SHA256_HEX.test(e.tokenSha256))
      throw refuse('"tokenSha256" must be 64 hex digits, the SHA-256 of the token');
    return e.tokenSha256.toLowerCase();
  }
  if (typeof e.token !== 'string' || e.token.length === 0) throw refuse('lacks a string "token" (or "tokenSha256")');
  if (e.token.length < TOKEN_MIN_CHARS) throw refuse(`a token needs at least ${TOKEN_MIN_CHARS} characters`);
  return tokenSha256(e.token);
}

function townsOf(value: unknown, refuse: (why: string) => ConfigError): readonly string[] | undefined {
  if (value === undefined) return undefined;
  const ok =
    Array.isArray(value) &&
    value.length >= 1 &&
    value.length <= TOWNS_MAX &&
    value.every((t) => typeof t === 'string' && t.trim().length > 0 && t.length <= TOWN_MAX_CHARS);
  if (!ok)
    throw refuse(`"towns" must be 1-${TOWNS_MAX} town names as projects record them (omit it for the whole district)`);
  return Object.freeze([...new Set(value as string[])]);
}
