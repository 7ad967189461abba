import { sha256Hex } from '../event-store/hashing';

/**
 * The tokens this repository publishes as examples (deploy/tokens.example.json, which
 * docker-compose mounts by default): anyone who reads the repository can send them, so a service
 * that accepts them is open to all. They are refused unless LEDGER_ALLOW_EXAMPLE_TOKENS=1 (a
 * try-out). Written here, not read from deploy/ at start-up, because the image does not ship
 * deploy/; test/unit/auth/example-tokens.spec.ts holds this list to the published files.
 */
export const PUBLISHED_EXAMPLE_TOKENS: readonly string[] = [
  'example-admin-token-change-me',
  'example-finance-token-change-me',
  'example-housing-token-change-me',
  'example-clerk-token-change-me',
  'example-auditor-token-change-me',
  'example-viewer-token-change-me',
];

// Compared by hash, so an example token is caught written in clear or as its tokenSha256.
const EXAMPLE_SHA256 = new Set(PUBLISHED_EXAMPLE_TOKENS.map(sha256Hex));

/** Whether a token's SHA-256 (lower-case hex) is that of a published example token. */
export function isPublishedExampleToken(tokenHash: string): boolean {
  return EXAMPLE_SHA256.has(tokenHash);
}
