import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LedgerConfig } from '../config/config';
import { redactUrl } from '../event-store/event-store.module';
import { loadSealKey } from '../audit/seal-key';
import { verifyAgainstSeal } from '../audit/seal';
import { ProblemKind, VerifyReport, verifyChain } from '../audit/verify-chain';
import { ParsedArgs, UsageError } from './args';
import { openStoreSpec } from './store-spec';

export const verifyHelp = `renovation-ledger verify [--stream STREAM] [--seal FILE [--expect-fingerprint HEX]]

Verifies the hash chain of every stream of the configured store (DATA_DIR / EVENT_STORE), or of
one: revisions 0, 1, 2, ... without a gap, each prevHash the hash of the event before it (64 zeros
first), each hash what the event's content hashes to. On the embedded store, each stream's last
event must also match the store's stream index. The first event that fails is named: stream,
revision, event id, expected and found hash.

With --seal, also checks a seal file kept from \`renovation-ledger seal\` (or POST /api/audit/seals):
its digest and Ed25519 signature (compare the key fingerprint printed with the one you were given),
then that every stream it names still holds, at the sealed revision, the event with the sealed hash.
This catches what a chain alone cannot: a stream deleted whole, or cut short.

Exit code 0 only when everything holds, 1 when something does not.

  --stream STREAM   verify this stream only (e.g. project-TN2021-017)
  --seal FILE       verify against this seal file too
  --expect-fingerprint HEX
                    with --seal: the fingerprint of the key the seal must be signed by (the one you
                    were given, or GET /api/audit/seal-key); a seal signed by another key fails
                    (seal-wrong-key), however well it verifies
`;

export async function runVerify(args: ParsedArgs, config: LedgerConfig, out: (line: string) => void): Promise<number> {
  const stream = args.flags.get('stream');
  const sealFlag = args.flags.get('seal');
  const expected = args.flags.get('expect-fingerprint');
  if (args.positionals.length > 0)
    throw new UsageError(`verify takes no arguments (got ${args.positionals.join(' ')})`);
  const streamId = typeof stream === 'string' ? stream : undefined;
  const seal = typeof sealFlag === 'string' ? readSealFile(sealFlag) : undefined;
  const expectFingerprint = typeof expected === 'string' ? fingerprintOf(expected) : undefined;
  if (expectFingerprint !== undefined && seal === undefined)
    throw new UsageError('--expect-fingerprint is the key a seal must be signed by: give the seal with --seal FILE');
  const { store, label } = await openStoreSpec(undefined, config, { readOnly: true });
  try {
    out(
      `verifying ${streamId ? `stream ${streamId} of ` : ''}${redactUrl(label)}${seal ? ` against seal ${resolve(sealFlag as string)}` : ''}`,
    );
    const started = process.hrtime.bigint();
    const report =
      seal === undefined
        ? await verifyChain(store, { streamId })
        : await verifyAgainstSeal(store, seal.value, { streamId, expectFingerprint });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    for (const line of describeReport(report, seconds, config, expectFingerprint)) out(line);
    return report.ok ? 0 : 1;
  } finally {
    await store.close();
  }
}

/** A key fingerprint as printed (64 hex digits, SHA-256 of the SPKI DER), any case, colons allowed. */
function fingerprintOf(value: string): string {
  const hex = value.replace(/:/g, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex))
    throw new UsageError(`--expect-fingerprint must be 64 hex digits, the SHA-256 of the key (got ${value})`);
  return hex;
}

function readSealFile(file: string): { value: unknown } {
  let text: string;
  try {
    text = readFileSync(resolve(file), 'utf8');
  } catch (err) {
    throw new UsageError(`--seal ${file} cannot be read: ${(err as Error).message}`);
  }
  try {
    return { value: JSON.parse(text) };
  } catch {
    // Not JSON: verifyAgainstSeal reports it as an invalid seal (exit 1), like any other damage.
    return { value: text };
  }
}

/** Problems the scan stops at (the others are found after a whole pass). */
const CHAIN_KINDS = new Set<ProblemKind>([
  'unreadable-event',
  'revision-gap',
  'event-id-mismatch',
  'hash-mismatch',
  'broken-link',
]);

/** The report as lines an auditor reads: what was checked, then OK or the first problem. */
export function describeReport(
  report: VerifyReport,
  seconds: number,
  config?: LedgerConfig,
  expectFingerprint?: string,
): string[] {
  const lines: string[] = [];
  const rate = seconds > 0 ? ` (${Math.round(report.eventsChecked / seconds).toLocaleString('en-US')} events/s)` : '';
  const scope = `${report.eventsChecked} events in ${report.streamsChecked} streams`;
  const stoppedEarly = report.firstProblem !== undefined && CHAIN_KINDS.has(report.firstProblem.kind);
  lines.push(
    stoppedEarly
      ? `checked ${scope} of the log up to position ${report.headPosition}, and stopped at the first problem (${seconds.toFixed(2)} s)`
      : `checked ${scope}, up to position ${report.headPosition}, in ${seconds.toFixed(2)} s${rate}`,
  );
  if (report.seal) {
    const s = report.seal;
    lines.push(`seal ${s.sealId} made ${s.sealedAt} over ${s.streamsSealed} streams up to position ${s.headPosition}`);
    lines.push(`  signed by key ${s.keyFingerprint}`);
    lines.push(
      expectFingerprint === s.keyFingerprint
        ? '  the key expected (--expect-fingerprint)'
        : '  (compare this fingerprint with the one you were given: the seal proves only what that key signed)',
    );
    const configured = configuredFingerprint(config);
    if (configured)
      lines.push(
        `  this ledger's configured seal key (LEDGER_SEAL_KEY_FILE) is ${configured === s.keyFingerprint ? 'the same key' : `another key: ${configured}`}`,
      );
  }
  const p = report.firstProblem;
  if (!p && report.eventsChecked === 0)
    lines.push(
      `note: no events to check${report.stream ? ` in stream ${report.stream}` : ''}: is this the store you meant (DATA_DIR, EVENT_STORE)?`,
    );
  if (!p) {
    lines.push(
      report.seal
        ? 'OK: every chain verifies, and every sealed stream still holds its sealed event'
        : 'OK: every chain verifies',
    );
    return lines;
  }
  lines.push(`FAILED: ${p.kind}: ${p.message}`);
  if (p.streamId !== null) lines.push(`  stream     ${p.streamId}`);
  if (p.revision !== null) lines.push(`  revision   ${p.revision}`);
  if (p.eventId !== null) lines.push(`  event id   ${p.eventId}`);
  if (p.position !== null) lines.push(`  position   ${p.position}`);
  lines.push(`  expected   ${p.expected}`);
  lines.push(`  found      ${p.found}`);
  return lines;
}

function configuredFingerprint(config: LedgerConfig | undefined): string | null {
  if (!config?.sealKeyFile) return null;
  try {
    return loadSealKey(config.sealKeyFile).fingerprint;
  } catch {
    return null;
  }
}

/** The `verify` entry of the CLI's command table (src/cli/main.ts). */
export const verifyCommand = {
  help: verifyHelp,
  values: ['stream', 'seal', 'expect-fingerprint'],
  switches: ['help'],
  run: runVerify,
};
