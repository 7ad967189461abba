/**
 * Rules (issue 14 point 13): the tokens file may hold each token's SHA-256 instead of the token;
 * the published example tokens are refused unless LEDGER_ALLOW_EXAMPLE_TOKENS=1; a changed file is
 * taken up without a restart, and a refused one leaves the tokens in force with an error logged.
 * Point 12: an entry may carry `towns`, a non-empty list of town names.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../src/config/config';
import { PUBLISHED_EXAMPLE_TOKENS } from '../../../src/auth/example-tokens';
import { TokenRegistry, TokenRegistryLog } from '../../../src/auth/token-registry';
import { loadTokens, tokenSha256 } from '../../../src/auth/tokens';

const CLERK = { token: 'clerk-token-0123456789', actorId: 'u-clerk', role: 'clerk', org: '桂林街道办' };
const VIEWER = { token: 'viewer-token-0123456789', actorId: 'u-viewer', role: 'viewer', org: 'public' };

describe('the tokens file', () => {
  let dir: string;
  let file: string;
  const write = (entries: unknown) => writeFileSync(file, JSON.stringify(entries));
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tokens-'));
    file = join(dir, 'tokens.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes two tokens of one actor saying the same (a rotation), its towns in any order', () => {
    const rotated = 'clerk-token-rotated-0123456789';
    write([
      { ...CLERK, towns: ['桂林街道', '梓潼街道'] },
      VIEWER,
      { ...CLERK, token: undefined, tokenSha256: tokenSha256(rotated), towns: ['梓潼街道', '桂林街道'] },
    ]);
    const actors = loadTokens(file);
    expect(actors.size).toBe(3);
    expect(actors.get(tokenSha256(rotated))).toMatchObject({ actorId: 'u-clerk', role: 'clerk' });
    expect(actors.get(tokenSha256(CLERK.token))).toMatchObject({ actorId: 'u-clerk', role: 'clerk' });
  });

  it('takes a token in clear or its SHA-256, and never keeps the token on the actor', () => {
    const { token, ...clerk } = CLERK;
    write([CLERK, { ...VIEWER, token: undefined, tokenSha256: tokenSha256(VIEWER.token).toUpperCase() }]);
    const actors = loadTokens(file);
    expect(actors.get(tokenSha256(token))).toEqual(clerk);
    expect(actors.get(tokenSha256(VIEWER.token))).toMatchObject({ actorId: 'u-viewer', role: 'viewer' });
    expect(JSON.stringify([...actors.values()])).not.toContain(token);
  });

  it.each([
    [
      'both token and tokenSha256',
      [{ ...CLERK, tokenSha256: tokenSha256(CLERK.token) }],
      /both "token" and "tokenSha256"/,
    ],
    ['a hash that is not 64 hex digits', [{ ...CLERK, token: undefined, tokenSha256: 'abc' }], /64 hex digits/],
    ['a short token', [{ ...CLERK, token: 'short' }], /at least 16 characters/],
    [
      'the same token twice, once hashed',
      [CLERK, { ...VIEWER, token: undefined, tokenSha256: tokenSha256(CLERK.token) }],
      /repeats a token/,
    ],
    ['an unknown key', [{ ...CLERK, town: 'x' }], /has "town"/],
    ['an empty towns list', [{ ...CLERK, towns: [] }], /"towns" must be/],
    ['a blank town', [{ ...CLERK, towns: ['桂林街道', ' '] }], /"towns" must be/],
    ['a role not in the list', [{ ...CLERK, role: 'mayor' }], /role "mayor"/],
    [
      "an actor's second token with another role",
      [CLERK, VIEWER, { ...VIEWER, token: 'clerk-as-viewer-0123456789', actorId: 'u-clerk' }],
      /^LEDGER_TOKENS_FILE entry 2: repeats actorId "u-clerk" of entry 0 with another role \("viewer", not "clerk"\)/,
    ],
    [
      "an actor's second token with another org",
      [CLERK, { ...CLERK, token: 'clerk-token-rotated-0123456789', org: '梓潼街道办' }],
      /entry 1: repeats actorId "u-clerk" of entry 0 with another org/,
    ],
    [
      "an actor's second token with other towns",
      [
        { ...CLERK, towns: ['桂林街道'] },
        { ...CLERK, token: 'clerk-token-rotated-0123456789', towns: ['桂林街道', '梓潼街道'] },
      ],
      /entry 1: repeats actorId "u-clerk" of entry 0 with another list of towns/,
    ],
    [
      "an actor's second token scoped to towns, the first not",
      [CLERK, { ...CLERK, token: 'clerk-token-rotated-0123456789', towns: ['桂林街道'] }],
      /entry 1: repeats actorId "u-clerk" of entry 0 with another list of towns/,
    ],
  ])('refuses %s, naming the entry', (_what, entries, message) => {
    write(entries);
    expect(() => loadTokens(file)).toThrow(ConfigError);
    expect(() => loadTokens(file)).toThrow(message);
  });

  it('keeps the towns an entry is scoped to', () => {
    write([{ ...CLERK, towns: ['桂林街道', '梓潼街道', '桂林街道'] }]);
    expect(loadTokens(file).get(tokenSha256(CLERK.token))?.towns).toEqual(['桂林街道', '梓潼街道']);
  });

  it('refuses a published example token, in clear or hashed, unless example tokens are allowed', () => {
    for (const token of PUBLISHED_EXAMPLE_TOKENS) {
      for (const entry of [
        { ...VIEWER, token },
        { ...VIEWER, token: undefined, tokenSha256: tokenSha256(token) },
      ]) {
        write([CLERK, entry]);
        expect(() => loadTokens(file)).toThrow(/published example token/);
        expect(loadTokens(file, { allowExampleTokens: true }).size).toBe(2);
      }
    }
  });

  it('LEDGER_ALLOW_EXAMPLE_TOKENS is 0 or 1', () => {
    expect(loadConfig({}).allowExampleTokens).toBe(false);
    expect(loadConfig({ LEDGER_ALLOW_EXAMPLE_TOKENS: '1' }).allowExampleTokens).toBe(true);
    expect(() => loadConfig({ LEDGER_ALLOW_EXAMPLE_TOKENS: 'yes' })).toThrow(/LEDGER_ALLOW_EXAMPLE_TOKENS/);
  });
});

describe('tokens taken up without a restart', () => {
  let dir: string;
  let file: string;
  let registry: TokenRegistry;
  const logged: { level: 'log' | 'error'; message: string }[] = [];
  const log: TokenRegistryLog = {
    log: (message) => logged.push({ level: 'log', message }),
    error: (message) => logged.push({ level: 'error', message }),
  };
  const write = (entries: unknown) => writeFileSync(file, JSON.stringify(entries));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tokens-'));
    file = join(dir, 'tokens.json');
    logged.length = 0;
    write([CLERK]);
    registry = new TokenRegistry(file, {}, log);
  });
  afterEach(() => {
    registry.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a user added or revoked in the file is in force after a reload', () => {
    expect(registry.actorOf(VIEWER.token)).toBeUndefined();
    write([CLERK, VIEWER]);
    expect(registry.reload()).toBe(true);
    expect(registry.actorOf(VIEWER.token)).toMatchObject({ actorId: 'u-viewer' });
    write([VIEWER]);
    expect(registry.reload()).toBe(true);
    expect(registry.actorOf(CLERK.token)).toBeUndefined();
    expect(logged.filter((l) => l.level === 'error')).toEqual([]);
  });

  it.each([
    ['malformed JSON', () => writeFileSync(file, '[{"token": ')],
    ['a bad entry', () => write([CLERK, { ...VIEWER, role: 'mayor' }])],
    ['a published example token', () => write([CLERK, { ...VIEWER, token: PUBLISHED_EXAMPLE_TOKENS[0] }])],
    ['a missing file', () => rmSync(file)],
  ])('a refused file (%s) keeps the tokens in force, with an error logged', (_what, spoil) => {
    spoil();
    expect(registry.reload()).toBe(false);
    expect(registry.actorOf(CLERK.token)).toMatchObject({ actorId: 'u-clerk' });
    expect(registry.actorOf(VIEWER.token)).toBeUndefined();
    expect(logged).toEqual([{ level: 'error', message: expect.stringContaining('tokens file refused') }]);
  });

  it('the watcher takes up a file replaced by rename (a new inode), within a bounded wait', async () => {
    registry = new TokenRegistry(file, { pollMs: 20 }, log);
    registry.watch();
    const next = join(dir, 'tokens.next.json');
    writeFileSync(next, JSON.stringify([VIEWER]));
    renameSync(next, file);
    const deadline = Date.now() + 10_000;
    while (registry.actorOf(VIEWER.token) === undefined && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(registry.actorOf(VIEWER.token)).toMatchObject({ actorId: 'u-viewer' });
    expect(registry.actorOf(CLERK.token)).toBeUndefined();
  });

  it('refuses to start on a refused file', () => {
    write([{ ...CLERK, token: PUBLISHED_EXAMPLE_TOKENS[1] }]);
    expect(() => new TokenRegistry(file, {}, log)).toThrow(ConfigError);
  });
});
