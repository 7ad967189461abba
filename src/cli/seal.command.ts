import { randomUUID } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { LedgerConfig } from '../config/config';
import { redactUrl } from '../event-store/event-store.module';
import { canonicalJson, sha256Hex } from '../event-store/hashing';
import { CommandContext } from '../event-store/write-path';
import { createSeal, sealKeyOf } from '../audit/seal';
import { DomainError } from '../shared/domain/domain-error';
import { ParsedArgs, UsageError } from './args';
import { openStoreSpec } from './store-spec';

export const sealHelp = `renovation-ledger seal [--out FILE]

Seals the configured store (DATA_DIR / EVENT_STORE): verifies every chain, then signs a digest over
every stream's head with the Ed25519 key in LEDGER_SEAL_KEY_FILE, stores the seal as a
ledger-sealed.v1 event in stream seal-<sealId>, and writes the seal JSON to a file for the
auditor to keep. Later, \`renovation-ledger verify --seal FILE\` proves that nothing at or before
the seal changed or vanished. A log whose chain does not verify is not sealed (exit 1).

  --out FILE   where the seal JSON goes (default: ./seal-<sealId>.json); an existing file is
               never overwritten
`;

export async function runSeal(args: ParsedArgs, config: LedgerConfig, out: (line: string) => void): Promise<number> {
  if (args.positionals.length > 0) throw new UsageError(`seal takes no arguments (got ${args.positionals.join(' ')})`);
  const outFlag = args.flags.get('out');
  if (typeof outFlag === 'string' && existsSync(resolve(outFlag)))
    throw new UsageError(`--out ${outFlag} exists; a seal file is never overwritten`);
  let key;
  try {
    key = sealKeyOf(config);
  } catch (err) {
    if (err instanceof DomainError) {
      out(`seal: ${err.message}`);
      return 1;
    }
    throw err;
  }
  const { store, label } = await openStoreSpec(undefined, config);
  try {
    out(`sealing ${redactUrl(label)} with key ${key.fingerprint}`);
    let result;
    try {
      result = await createSeal(store, key, cliContext());
    } catch (err) {
      if (err instanceof DomainError) {
        out(`seal: ${err.message}`);
        return 1;
      }
      throw err;
    }
    const { seal } = result;
    const file = resolve(typeof outFlag === 'string' ? outFlag : `seal-${seal.sealId}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(seal, null, 2)}\n`, { flag: 'wx' });
    renameSync(tmp, file);
    out(`sealed ${seal.streams.length} streams up to position ${seal.headPosition} at ${seal.sealedAt}`);
    out(`  seal id          ${seal.sealId} (stored in stream ${result.streamId}, position ${result.position})`);
    out(`  digest           ${seal.digest}`);
    out(`  key fingerprint  ${seal.keyFingerprint}`);
    out(`  written to       ${file}`);
    out(`keep the file; later: renovation-ledger verify --seal ${file}`);
    return 0;
  } finally {
    await store.close();
  }
}

/** The command's who and why: the operating-system user at the command line, acting as an administrator of the store. */
function cliContext(): CommandContext {
  const commandId = `cli-seal-${randomUUID()}`;
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no user name in this environment (a container without a passwd entry)
  }
  return {
    commandId,
    requestHash: sha256Hex(canonicalJson({ route: 'cli seal', params: {}, body: {} })),
    actor: { id: `cli:${user}`, role: 'admin', org: 'renovation-ledger command line' },
    correlationId: commandId,
    causationId: commandId,
    recordedAt: new Date().toISOString(),
  };
}

/** The `seal` entry of the CLI's command table (src/cli/main.ts). */
export const sealCommand = { help: sealHelp, values: ['out'], switches: ['help'], run: runSeal };
