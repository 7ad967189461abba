/**
 * What `npm run demo` does around the service: a fresh data directory, demo tokens, and loading the
 * demo district through the HTTP API with the same requests any client sends.
 */
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Seal } from '../audit/seal';
import { ROLES, Role, TokenEntry } from '../auth/tokens';
import { DemoRequest } from './demo-district';
import type { DemoStatements } from './demo-statements';
import { DATA_DIR_LOCK_FILE, lockDataDir, PidLock } from '../shared/fs/pid-lock';

export const DEMO_TOKENS_FILE = 'demo-tokens.json';
/** The demo's own seal key (Ed25519, PKCS#8 PEM, mode 0600), made fresh on every run. */
export const DEMO_SEAL_KEY_FILE = 'demo-seal-key.pem';
/** The seal the demo makes after loading the district: the file an auditor would keep. */
export const DEMO_SEAL_FILE = 'demo-seal.json';
const DEMO_FILES = [DEMO_TOKENS_FILE, DEMO_SEAL_KEY_FILE, DEMO_SEAL_FILE];
/** The folder of the towns' bank statements (GBK CSV, as the bank exports them) the demo writes and imports. */
export const DEMO_STATEMENTS_DIR = 'demo-statements';

/** Files the ledger owns in its data directory: the event log and the read models (with SQLite's WAL and journal). */
const LEDGER_FILE = /^(events|read-model|snapshots)\.sqlite(-wal|-shm|-journal)?$/;

export class DemoSetupError extends Error {
  override name = 'DemoSetupError';
}

/**
 * Makes `dir` ready for a fresh demo: creates it, or empties it of the files the ledger and the
 * demo own. Anything else in it (another file, a folder) is not ours to delete: refuse instead.
 * Returns the names removed.
 */
export function freshDataDir(dir: string): string[] {
  if (!existingDirectory(dir)) return [];
  const entries = readdirSync(dir).filter((name) => name !== DATA_DIR_LOCK_FILE); // the lock of whoever prepares it: kept
  const owned = (name: string) =>
    ((LEDGER_FILE.test(name) || DEMO_FILES.includes(name)) && lstatSync(join(dir, name)).isFile()) ||
    (name === DEMO_STATEMENTS_DIR && lstatSync(join(dir, name)).isDirectory());
  const foreign = entries.filter((name) => !owned(name));
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 10).join(', ') + (foreign.length > 10 ? `, … (${foreign.length} in all)` : '');
    throw new DemoSetupError(
      `DATA_DIR ${dir} holds files the demo does not own (${shown}). The demo starts from an empty ledger and deletes only ` +
        `events.sqlite*, read-model.sqlite*, snapshots.sqlite*, ${DEMO_FILES.join(', ')} and ${DEMO_STATEMENTS_DIR}/: point DATA_DIR at an empty or demo-only directory.`,
    );
  }
  for (const name of entries)
    if (name === DEMO_STATEMENTS_DIR) rmSync(join(dir, name), { recursive: true });
    else unlinkSync(join(dir, name));
  return entries;
}

/** Whether `dir` was there; made if not; refused if it is not a directory. */
function existingDirectory(dir: string): boolean {
  try {
    if (!lstatSync(dir).isDirectory()) throw new DemoSetupError(`DATA_DIR ${dir} exists and is not a directory`);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    mkdirSync(dir, { recursive: true });
    return false;
  }
}

/**
 * `freshDataDir`, after taking the directory's lock and making sure the ports the demo will listen
 * on are free: a service or demo using this directory holds its lock (LockHeldError) and a
 * demo serving elsewhere may hold the ports, and a ledger in use must not be deleted under it
 * before this one fails. A port of 0 (any free one) or null (none) needs no check. The lock is
 * the caller's to give back (the demo's app takes its own).
 */
export async function prepareDemoDataDir(
  dir: string,
  listens: { host: string; port: number | null }[],
): Promise<{ removed: string[]; lock: PidLock }> {
  existingDirectory(dir);
  const lock = lockDataDir(dir);
  try {
    for (const { host, port } of listens) if (port) await mustBeFree(dir, host, port);
    return { removed: freshDataDir(dir), lock };
  } catch (err) {
    lock.release();
    throw err;
  }
}

async function mustBeFree(dir: string, host: string, port: number): Promise<void> {
  const probe = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(port, host, () => probe.close(() => resolve()));
    });
  } catch (err) {
    throw new DemoSetupError(
      `port ${port} on ${host} is taken (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): another demo or ` +
        `the service may be serving there, so ${dir} was left as it is. Stop it, or set PORT / METRICS_PORT (off for none).`,
    );
  }
}

/** Who each demo token stands for. */
const DEMO_ACTORS: Record<Role, { actorId: string; org: string }> = {
  admin: { actorId: 'demo-admin-zhou', org: '区住房城乡建委（系统管理）' },
  finance: { actorId: 'demo-finance-li', org: '区财政局' },
  housing: { actorId: 'demo-housing-wang', org: '区住房城乡建委' },
  clerk: { actorId: 'demo-clerk-chen', org: '区老旧小区改造工作专班（镇街联络员）' },
  auditor: { actorId: 'demo-auditor-zhao', org: '区审计局' },
  viewer: { actorId: 'demo-viewer-liu', org: '区政务服务和大数据管理局' },
};

/** One fresh random token per role (48 hex characters). */
export function demoTokens(): TokenEntry[] {
  return ROLES.map((role) => ({ token: randomBytes(24).toString('hex'), role, ...DEMO_ACTORS[role] }));
}

/** Writes the tokens file (`[{token, actorId, role, org}]`, the LEDGER_TOKENS_FILE format), readable by its owner only. */
export function writeTokensFile(file: string, tokens: TokenEntry[]): void {
  writeFileSync(file, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
}

export function tokenOf(tokens: TokenEntry[], role: Role): string {
  const entry = tokens.find((t) => t.role === role);
  if (!entry) throw new DemoSetupError(`no demo token for role ${role}`);
  return entry.token;
}

/** A request the ledger refused (or an answer that was not JSON): the request and the answer, as they were. */
export class DemoLoadError extends Error {
  override name = 'DemoLoadError';
  constructor(
    readonly index: number,
    readonly request: DemoRequest,
    readonly status: number,
    readonly answer: string,
  ) {
    super(
      `request #${index + 1} was answered ${status}\n` +
        `  ${request.method} ${request.path} (role ${request.role}, Idempotency-Key ${request.idempotencyKey})\n` +
        `  body:   ${JSON.stringify(request.body)}\n` +
        `  answer: ${answer}`,
    );
  }
}

/** A run of consecutive requests on one project (its own, and its fund-batch allocations), or issuing fund batches. */
export interface LoadProgress {
  /** The project; '' for a run of fund batches being issued. */
  projectId: string;
  /** 1-based position of the project among those loaded; 0 for fund batches. */
  projectNumber: number;
  requests: number;
  /** Events written, in every stream (an allocation writes one in the batch's and one in the project's). */
  events: number;
}

export interface LoadResult {
  requests: number;
  events: number;
}

/**
 * Sends every request, in order, to the running service at `baseUrl` with the role's bearer token
 * and the request's Idempotency-Key. The first answer that is not 2xx stops the load.
 */
export async function loadDistrict(
  baseUrl: string,
  tokens: TokenEntry[],
  requests: readonly DemoRequest[],
  onProject: (progress: LoadProgress) => void = () => {},
): Promise<LoadResult> {
  let events = 0;
  let current = null as LoadProgress | null; // (not narrowed to null: the loop assigns it)
  let projectNumber = 0;
  for (const [index, request] of requests.entries()) {
    if (current?.projectId !== request.projectId) {
      if (current) onProject(current);
      current = {
        projectId: request.projectId,
        projectNumber: request.projectId === '' ? 0 : ++projectNumber,
        requests: 0,
        events: 0,
      };
    }
    const { status, text } = await sendCompleted(baseUrl, tokens, request);
    // Still 202 after every retry: a write the next requests rely on is not made.
    if (status < 200 || status > 299 || status === 202) throw new DemoLoadError(index, request, status, text);
    let written: { events?: unknown[]; project?: { events?: unknown[] } };
    try {
      written = JSON.parse(text) as typeof written;
    } catch {
      throw new DemoLoadError(index, request, status, `not JSON: ${text.slice(0, 500)}`);
    }
    // A fund-batch allocation or reversal answers the batch's write, and the project's under `project`.
    const count =
      (Array.isArray(written.events) ? written.events.length : 0) +
      (Array.isArray(written.project?.events) ? written.project.events.length : 0);
    events += count;
    current!.requests += 1;
    current!.events += count;
  }
  if (current) onProject(current);
  return { requests: requests.length, events };
}

/** How often, and how far apart, a request answered 202 is sent again before the load gives up on it. */
const PENDING_RETRIES = 100;
const PENDING_RETRY_MS = 100;

/**
 * Sends a request and answers its status and body. A fund-batch allocation or reversal answered 202
 * has its second write still pending (it follows by itself); the district's next requests may draw
 * on it, so the request is sent again, with its Idempotency-Key (nothing is written twice), until
 * the answer says both writes are made.
 */
async function sendCompleted(
  baseUrl: string,
  tokens: TokenEntry[],
  request: DemoRequest,
): Promise<{ status: number; text: string }> {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${baseUrl}${request.path}`, {
      method: request.method,
      headers: {
        authorization: `Bearer ${tokenOf(tokens, request.role)}`,
        'content-type': 'application/json',
        'idempotency-key': request.idempotencyKey,
      },
      body: JSON.stringify(request.body),
    });
    const answer = { status: response.status, text: await response.text() };
    if (answer.status !== 202 || attempt >= PENDING_RETRIES) return answer;
    await new Promise((resolve) => setTimeout(resolve, PENDING_RETRY_MS));
  }
}

/**
 * Seals the loaded district through the HTTP API (POST /api/audit/seals) as the demo auditor, the
 * same request any auditor sends, and writes the seal to `file` (a seal holds nothing secret).
 */
export async function sealDistrict(baseUrl: string, tokens: TokenEntry[], file: string): Promise<Seal> {
  const response = await fetch(`${baseUrl}/api/audit/seals`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokenOf(tokens, 'auditor')}`, 'idempotency-key': 'demo-seal-1' },
  });
  const text = await response.text();
  if (response.status !== 201)
    throw new DemoSetupError(`sealing the demo district: POST /api/audit/seals answered ${response.status}: ${text}`);
  const seal = JSON.parse(text) as Seal;
  writeFileSync(file, `${JSON.stringify(seal, null, 2)}\n`);
  return seal;
}

/** Writes each statement file, and the treasury's file, into `dir` (created), as the exports would be saved. */
export function writeStatementFiles(dir: string, statements: DemoStatements): void {
  mkdirSync(dir, { recursive: true });
  for (const f of [...statements.files, statements.treasuryFile]) writeFileSync(join(dir, f.fileName), f.bytes);
}

/**
 * Opens the towns' special accounts and imports their statements, month by month, then the
 * treasury's payment file, through the HTTP API as the finance bureau does (POST
 * /api/bank-accounts, then each file as the body of POST /api/bank-accounts/:id/statements or
 * POST /api/treasury-files, text/csv as it was exported). Every line of every file must be
 * imported, or the load stops.
 */
export async function loadStatements(
  baseUrl: string,
  tokens: TokenEntry[],
  statements: DemoStatements,
): Promise<{ accounts: number; files: number; lines: number }> {
  const send = async (path: string, key: string, body: string | Buffer, contentType: string) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokenOf(tokens, 'finance')}`,
        'content-type': contentType,
        'idempotency-key': key,
      },
      body,
    });
    const text = await response.text();
    if (response.status < 200 || response.status > 299)
      throw new DemoSetupError(`POST ${path} (Idempotency-Key ${key}) answered ${response.status}: ${text}`);
    return JSON.parse(text) as { imported?: number };
  };
  for (const a of statements.accounts) {
    const { town: _town, ...body } = a;
    await send('/api/bank-accounts', `demo-account-${a.accountId}`, JSON.stringify(body), 'application/json');
  }
  let lines = 0;
  for (const f of statements.files) {
    const path = `/api/bank-accounts/${f.accountId}/statements`;
    const answer = await send(path, `demo-statement-${f.accountId}-${f.month}`, f.bytes, 'text/csv');
    if (answer.imported !== f.lines)
      throw new DemoSetupError(`${f.fileName}: ${answer.imported} of its ${f.lines} lines imported`);
    lines += f.lines;
  }
  const treasury = statements.treasuryFile;
  const answer = await send('/api/treasury-files', `demo-${treasury.fileName}`, treasury.bytes, 'text/csv');
  if (answer.imported !== treasury.lines)
    throw new DemoSetupError(`${treasury.fileName}: ${answer.imported} of its ${treasury.lines} lines imported`);
  return { accounts: statements.accounts.length, files: statements.files.length, lines };
}
