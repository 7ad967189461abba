import 'reflect-metadata';
import { ConfigError, loadConfig } from '../config/config';
import { StoreUnavailableError } from '../event-store/event-store.module';
import { UsageError, parseArgs } from './args';
import { copyCommand, copyHelp } from './copy.command';
import { rebuildCommand, rebuildHelp } from './rebuild.command';
import { exportCommand } from './export.command';
import { importCommand } from './import.command';
import { redFlagsCommand } from './red-flags.command';
import { replayCommand } from './replay.command';
import { sealCommand } from './seal.command';
import { NoLedgerError } from './store-spec';
import { LockError } from '../shared/fs/pid-lock';
import { verifyCommand } from './verify.command';
import { UnreadableEventError } from '../event-store/integrity';

const commands: Record<string, { help: string; values: string[]; switches: string[]; run: typeof copyCommand }> = {
  copy: { help: copyHelp, values: ['from', 'to', 'checkpoint'], switches: ['restart', 'help'], run: copyCommand },
  rebuild: { help: rebuildHelp, values: ['projection'], switches: ['diff', 'help'], run: rebuildCommand },
  export: exportCommand,
  import: importCommand,
  replay: replayCommand,
  verify: verifyCommand,
  seal: sealCommand,
  'red-flags': redFlagsCommand,
};

const usage = `renovation-ledger <command> [options]

Reads the same configuration as the service (DATA_DIR, EVENT_STORE, EVENTSTORE_URL, ...).

commands:
  copy       copy the whole event log from one store to another (resumable)
  rebuild    replay read models from position 0, or compare them with a replay (--diff)
  export     write the whole event log as NDJSON (standard output or --out FILE)
  import     load an export into an empty store, verifying every hash first
  replay     the funding mix as of a date / as known at a time, from the log
  verify     check every stream's hash chain (or --stream one), and against a kept seal (--seal FILE)
  seal       verify, then sign every stream's head and write the seal file (--out FILE)
  red-flags  the red flags computed from the log alone, or from an export (--from FILE)

renovation-ledger <command> --help  shows a command's options.
`;

/** Runs one CLI command; returns the process exit code (0 only when everything held). */
export async function runCli(
  argv: string[],
  out: (line: string) => void = (l) => console.log(l),
  err: (line: string) => void = (l) => console.error(l),
): Promise<number> {
  const name = argv[0];
  if (name === undefined || name === '--help' || name === 'help') {
    out(usage);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    err(`unknown command ${name}\n\n${usage}`);
    return 2;
  }
  try {
    const args = parseArgs(argv, command);
    if (args.flags.get('help') === true) {
      out(command.help);
      return 0;
    }
    return await command.run(args, loadConfig(), out);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`${name}: ${e.message}\n\n${command.help}`);
      return 2;
    }
    if (
      e instanceof ConfigError ||
      e instanceof StoreUnavailableError ||
      e instanceof NoLedgerError ||
      e instanceof LockError ||
      // A stored event that cannot be read (export, copy): the sentence names it; no stack.
      e instanceof UnreadableEventError
    ) {
      err(`${name}: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

/** Runs the command line of this process and sets its exit code (bin/renovation-ledger.js). */
export function main(argv: string[] = process.argv.slice(2)): void {
  runCli(argv).then(
    // exitCode, not exit(): exit() would cut off output a pipe has not taken yet.
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}

if (require.main === module) main();
