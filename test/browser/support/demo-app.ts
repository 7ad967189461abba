import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role, TokenEntry } from '../../../src/auth/tokens';
import { createApp } from '../../../src/bootstrap';
import { loadConfig } from '../../../src/config/config';
import { DemoDistrict, generateDemoDistrict } from '../../../src/demo/demo-district';
import {
  demoTokens,
  freshDataDir,
  loadDistrict,
  loadStatements,
  sealDistrict,
  tokenOf,
  writeTokensFile,
} from '../../../src/demo/demo-setup';
import { generateSealKeyFile } from '../../../src/audit/seal-key';

/** The service with the demo district loaded, as `npm run demo` serves it, for the browser tests. */
export interface DemoApp {
  baseUrl: string;
  district: DemoDistrict;
  tokens: TokenEntry[];
  token(role: Role): string;
  /** A JSON read of the API with the role's token: what a page must show the same figures as. */
  get<T>(path: string, role?: Role): Promise<T>;
  post(path: string, body: unknown, role: Role, idempotencyKey: string): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * Starts the service on a fresh embedded store and loads the demo district through the HTTP API
 * (requests, then the towns' statements and the treasury file, then a seal), as `npm run demo`.
 */
export async function startDemoApp(): Promise<DemoApp> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-browser-'));
  let app: INestApplication | undefined;
  try {
    const dataDir = join(dir, 'data');
    freshDataDir(dataDir);
    const tokens = demoTokens();
    const tokensFile = join(dir, 'tokens.json');
    writeTokensFile(tokensFile, tokens);
    const sealKeyFile = join(dir, 'seal-key.pem');
    generateSealKeyFile(sealKeyFile);
    const config = { ...loadConfig({ DATA_DIR: dataDir, PORT: '0' }), tokensFile, sealKeyFile };
    app = await createApp(config, { logger: false });
    await app.listen(0, '127.0.0.1');
    const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const district = generateDemoDistrict();
    await loadDistrict(baseUrl, tokens, district.requests);
    await loadStatements(baseUrl, tokens, district.statements);
    await sealDistrict(baseUrl, tokens, join(dir, 'seal.json'));
    const token = (role: Role) => tokenOf(tokens, role);
    const started = app;
    return {
      baseUrl,
      district,
      tokens,
      token,
      async get<T>(path: string, role: Role = 'auditor') {
        const res = await fetch(`${baseUrl}${path}`, { headers: { Authorization: `Bearer ${token(role)}` } });
        if (!res.ok) throw new Error(`GET ${path} answered ${res.status}: ${await res.text()}`);
        return (await res.json()) as T;
      },
      post(path: string, body: unknown, role: Role, idempotencyKey: string) {
        return fetch(`${baseUrl}${path}`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${token(role)}`,
            'Content-Type': 'application/json',
            'Idempotency-Key': idempotencyKey,
          },
          body: JSON.stringify(body),
        });
      },
      async stop() {
        await started.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
