/**
 * Rules (issue 14 point 13), through the running service: a token stored as its SHA-256 signs in
 * like one in clear; the service will not start on the published example tokens unless
 * LEDGER_ALLOW_EXAMPLE_TOKENS=1; a user added to or removed from the tokens file is in force
 * within seconds, without a restart (the watcher end to end: a bounded wait on the condition).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PUBLISHED_EXAMPLE_TOKENS } from '../../src/auth/example-tokens';
import { TOKENS_POLL_MS } from '../../src/auth/token-registry';
import { tokenSha256 } from '../../src/auth/tokens';
import { createApp } from '../../src/bootstrap';
import { ConfigError, loadConfig } from '../../src/config/config';
import { TestLedger } from './support/test-app';

const HASHED = 'hashed-viewer-token-0001';
const ADDED = 'added-later-token-000001';

describe('tokens, through the service', () => {
  let ledger: TestLedger;
  const hashed = { tokenSha256: tokenSha256(HASHED), actorId: 'u-hashed', role: 'viewer', org: 'public' };
  const get = (token: string) =>
    ledger.request('GET', '/api/projects', { role: null, headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    ledger = await TestLedger.start({ extraTokens: [hashed] });
  });
  afterAll(() => ledger.stop());

  it('signs in with a token the file holds only as its SHA-256', async () => {
    expect((await get(HASHED)).status).toBe(200);
    expect((await get(tokenSha256(HASHED))).status).toBe(401);
  });

  it('takes up a user added and one revoked without a restart', async () => {
    expect((await get(ADDED)).status).toBe(401);
    ledger.writeTokens([{ token: ADDED, actorId: 'u-added', role: 'viewer', org: 'public' }]);
    expect(await within(10 * TOKENS_POLL_MS, async () => (await get(ADDED)).status === 200)).toBe(true);
    expect((await get(HASHED)).status).toBe(401);
  });
});

describe('the published example tokens', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-examples-'));
    writeFileSync(
      join(dir, 'tokens.json'),
      JSON.stringify([{ token: PUBLISHED_EXAMPLE_TOKENS[0], actorId: 'example-admin', role: 'admin', org: 'x' }]),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stop the service at start-up, unless LEDGER_ALLOW_EXAMPLE_TOKENS=1', async () => {
    const env = { DATA_DIR: dir, LEDGER_TOKENS_FILE: join(dir, 'tokens.json'), PORT: '0' };
    await expect(createApp(loadConfig(env), { logger: false })).rejects.toThrow(ConfigError);
    // Not started, it left nothing open nor held: the tokens file is refused before the store is
    // opened (no events.sqlite, so no checkpoint worker either), and the directory's lock is given back.
    expect(existsSync(join(dir, 'events.sqlite'))).toBe(false);
    expect(existsSync(join(dir, 'ledger.lock'))).toBe(false);
    const app = await createApp(loadConfig({ ...env, LEDGER_ALLOW_EXAMPLE_TOKENS: '1' }), { logger: false });
    await app.close();
  });
});

/** Polls `condition` until it holds or `timeoutMs` passes; answers whether it held. */
async function within(timeoutMs: number, condition: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}
