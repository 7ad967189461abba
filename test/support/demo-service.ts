import { INestApplication } from '@nestjs/common';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { generateSealKeyFile } from '../../src/audit/seal-key';
import { Role, TokenEntry } from '../../src/auth/tokens';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config';
import { DemoDistrict, generateDemoDistrict } from '../../src/demo/demo-district';
import {
  demoTokens,
  freshDataDir,
  loadDistrict,
  loadStatements,
  sealDistrict,
  tokenOf,
  writeTokensFile,
} from '../../src/demo/demo-setup';
import { LockHeldError, PidLock, takePidLock } from '../../src/shared/fs/pid-lock';

/** The service with the demo district loaded, as `npm run demo` serves it, for the specs that read it. */
export interface DemoService {
  app: INestApplication;
  baseUrl: string;
  district: DemoDistrict;
  tokens: TokenEntry[];
  token(role: Role): string;
  /** A JSON read of the API with the role's token: what a page must show the same figures as. */
  get<T>(path: string, role?: Role): Promise<T>;
  post(path: string, body: unknown, role: Role, idempotencyKey: string): Promise<Response>;
  stop(): Promise<void>;
}

const REPO = join(__dirname, '..', '..');
const TEMPLATES = join(tmpdir(), 'ledger-demo-templates');

/**
 * Serves a copy of the demo district, loaded through the HTTP API as `npm run demo` loads it
 * (requests, then the towns' statements and the treasury file, then a seal). Loading takes half a
 * minute or more, so it is done once into a template data directory that every spec copies:
 * kept per day (the events carry the day they were recorded) and per code (a hash of src/,
 * projections/ and the lockfile), so a spec that starts while another builds waits for it, and a
 * run of unchanged code reuses it. test/e2e/demo.e2e.spec.ts loads the district afresh: that
 * load is its test.
 */
export async function startDemoService(): Promise<DemoService> {
  const template = await demoTemplate();
  const dir = mkdtempSync(join(tmpdir(), 'ledger-demo-copy-'));
  let app: INestApplication | undefined;
  try {
    cpSync(template, dir, { recursive: true });
    const tokens = JSON.parse(readFileSync(join(dir, 'tokens.json'), 'utf8')) as TokenEntry[];
    app = await serve(dir);
    const started = app;
    const baseUrl = urlOf(app);
    const token = (role: Role) => tokenOf(tokens, role);
    return {
      app,
      baseUrl,
      district: generateDemoDistrict(),
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

/** The service on `dir` (data/, tokens.json, seal-key.pem), listening on a free port of 127.0.0.1. */
async function serve(dir: string): Promise<INestApplication> {
  const config = {
    ...loadConfig({ DATA_DIR: join(dir, 'data'), PORT: '0' }),
    tokensFile: join(dir, 'tokens.json'),
    sealKeyFile: join(dir, 'seal-key.pem'),
  };
  const app = await createApp(config, { logger: false });
  try {
    await app.listen(0, '127.0.0.1');
    return app;
  } catch (err) {
    await app.close();
    throw err;
  }
}

function urlOf(app: INestApplication): string {
  return `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
}

/**
 * The template's directory, built here if no other spec has built it or is building it. The lock
 * (a pid file, src/shared/fs/pid-lock.ts: a dead builder's is taken over) only spares the work:
 * each builder builds in its own folder and renames it into place, so two that both build leave
 * one whole template, and the second uses it.
 */
async function demoTemplate(): Promise<string> {
  const key = `${new Date().toISOString().slice(0, 10)}-${codeHash()}`;
  const template = join(TEMPLATES, key);
  mkdirSync(TEMPLATES, { recursive: true });
  for (;;) {
    if (existsSync(template)) return template;
    let lock: PidLock;
    try {
      lock = takePidLock(`${template}.pid-lock`, (pid) => `the template ${template} is being built by process ${pid}`);
    } catch (err) {
      if (!(err instanceof LockHeldError)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    try {
      if (!existsSync(template)) {
        const building = mkdtempSync(`${template}.building-`);
        try {
          await buildTemplate(building);
          renameSync(building, template);
        } catch (err) {
          // Another builder's template took the place first: it is as good as this one.
          if (!existsSync(template)) throw err;
        } finally {
          rmSync(building, { recursive: true, force: true });
        }
      }
      pruneOldTemplates(key.slice(0, 10));
      return template;
    } finally {
      lock.release();
    }
  }
}

/** Templates of other days, left an hour at least (a build that began before midnight is not pulled away). */
function pruneOldTemplates(today: string): void {
  for (const other of readdirSync(TEMPLATES)) {
    const path = join(TEMPLATES, other);
    if (!other.startsWith(today) && Date.now() - statSync(path).mtimeMs > 3_600_000)
      rmSync(path, { recursive: true, force: true });
  }
}

async function buildTemplate(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  freshDataDir(join(dir, 'data'));
  const tokens = demoTokens();
  writeTokensFile(join(dir, 'tokens.json'), tokens);
  generateSealKeyFile(join(dir, 'seal-key.pem'));
  const app = await serve(dir);
  try {
    const baseUrl = urlOf(app);
    const district = generateDemoDistrict();
    await loadDistrict(baseUrl, tokens, district.requests);
    await loadStatements(baseUrl, tokens, district.statements);
    await sealDistrict(baseUrl, tokens, join(dir, 'seal.json'));
  } finally {
    // Closed, its files are whole: what a copy starts from.
    await app.close();
  }
}

/** What the district's data depends on: the service's code and the packages it runs on. */
function codeHash(): string {
  const hash = createHash('sha256');
  const add = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) add(full);
      else {
        hash.update(relative(REPO, full));
        hash.update(readFileSync(full));
      }
    }
  };
  add(join(REPO, 'src'));
  add(join(REPO, 'projections'));
  hash.update(readFileSync(__filename)); // how the template is built
  hash.update(readFileSync(join(REPO, 'package-lock.json')));
  return hash.digest('hex').slice(0, 16);
}
