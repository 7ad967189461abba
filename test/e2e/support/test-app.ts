import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../../src/bootstrap';
import { loadConfig } from '../../../src/config/config';
import { EVENT_STORE, EventStore } from '../../../src/event-store/event-store.port';
import { LedgerRoute, ledgerRoutes } from '../../../src/http/openapi';

export const TOKENS = {
  admin: 'test-admin-token-000000',
  finance: 'test-finance-token-0000',
  housing: 'test-housing-token-0000',
  clerk: 'test-clerk-token-000000',
  auditor: 'test-auditor-token-0000',
  viewer: 'test-viewer-token-00000',
} as const;
export type TestRole = keyof typeof TOKENS;

export interface Reply {
  status: number;
  body: any;
  headers: Headers;
}

/** The real service on a temp data directory, listening on a free port; restartable on the same data. */
export class TestLedger {
  private app: INestApplication | null = null;
  url = '';
  readonly dataDir: string;
  private readonly tokensFile: string;
  private env: Record<string, string> = {};

  /** `extraTokens`: more entries of the tokens file (towns, hashed tokens), beside one token per role. */
  private constructor(extraTokens: object[]) {
    this.dataDir = mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
    this.tokensFile = join(this.dataDir, 'tokens.json');
    this.writeTokens(extraTokens);
  }

  /**
   * `beforeBoot`: prepares the data directory before the service first opens it (e.g. a store
   * written by an older version); it may answer more settings (environment variables, such as a
   * seal key file it wrote there).
   */
  static async start(
    options: {
      extraTokens?: object[];
      beforeBoot?: (dataDir: string) => Promise<Record<string, string> | void>;
    } = {},
  ): Promise<TestLedger> {
    const t = new TestLedger(options.extraTokens ?? []);
    t.env = (await options.beforeBoot?.(t.dataDir)) ?? {};
    await t.boot();
    return t;
  }

  /** Rewrites the tokens file: one token per role, and `extraTokens`. */
  writeTokens(extraTokens: object[]): void {
    writeFileSync(
      this.tokensFile,
      JSON.stringify([
        ...Object.entries(TOKENS).map(([role, token]) => ({ token, role, actorId: `u-${role}`, org: `org-${role}` })),
        ...extraTokens,
      ]),
    );
  }

  private async boot(): Promise<void> {
    const config = loadConfig({ ...this.env, DATA_DIR: this.dataDir, LEDGER_TOKENS_FILE: this.tokensFile, PORT: '0' });
    this.app = await createApp(config, { logger: false });
    await this.app.listen(0, '127.0.0.1');
    const address = this.app.getHttpServer().address() as { port: number };
    this.url = `http://127.0.0.1:${address.port}`;
  }

  /** A provider of the running app (e.g. the chain watch, to step it without waiting). */
  service<T>(token: abstract new (...args: never[]) => T): T {
    return this.app!.get(token);
  }

  /** Every route of the app's controllers (src/http/openapi.ts). */
  routes(): LedgerRoute[] {
    return ledgerRoutes(this.app!);
  }

  /** The Node HTTP server under the app, for a spec that needs to see a request arrive. */
  get httpServer(): import('node:http').Server {
    return this.app!.getHttpServer();
  }

  async restart(): Promise<void> {
    await this.app?.close();
    await this.boot();
  }

  async stop(): Promise<void> {
    await this.app?.close();
    this.app = null;
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  async request(
    method: string,
    path: string,
    options: { role?: TestRole | null; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    const role = options.role === undefined ? 'admin' : options.role;
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (role) headers.authorization = `Bearer ${TOKENS[role]}`;
    let body: string | undefined;
    if (options.rawBody !== undefined || options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = options.rawBody ?? JSON.stringify(options.body);
    }
    const res = await fetch(this.url + path, { method, headers, body });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  }

  get(path: string, role: TestRole | null = 'viewer') {
    return this.request('GET', path, { role });
  }

  post(path: string, body: unknown, options: { role?: TestRole; headers?: Record<string, string> } = {}) {
    return this.request('POST', path, { body, ...options });
  }

  /** The store's head position, read from the store itself (no request, so it can be read between any two). */
  headPosition(): Promise<bigint> {
    return this.app!.get<EventStore>(EVENT_STORE).headPosition();
  }

  /** How many events the store holds (its head position: positions are gap-free). */
  async eventCount(): Promise<bigint> {
    const h = await this.get('/api/health', null);
    return BigInt(h.body.store.headPosition);
  }
}

/** Fails with the server's answer when a write did not succeed. */
export function expectOk(reply: Reply): Reply {
  if (reply.status < 200 || reply.status >= 300)
    throw new Error(`expected 2xx, got ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply;
}
