/**
 * Each audit command answers --help with its usage, naming every option it takes, the way
 * src/cli/main.ts dispatches it (parseArgs with the command's own values and switches).
 */
import { parseArgs } from '../../src/cli/args';
import { exportCommand } from '../../src/cli/export.command';
import { importCommand } from '../../src/cli/import.command';
import { redFlagsCommand } from '../../src/cli/red-flags.command';
import { replayCommand } from '../../src/cli/replay.command';

describe.each([
  ['export', exportCommand],
  ['import', importCommand],
  ['replay', replayCommand],
  ['red-flags', redFlagsCommand],
])('%s --help', (name, command) => {
  it('is a switch, and the help opens with the usage line and names every option', () => {
    expect(parseArgs([name, '--help'], command).flags.get('help')).toBe(true);
    expect(command.help.split('\n')[0]).toMatch(new RegExp(`^renovation-ledger ${name} `));
    for (const option of command.values) expect(command.help).toContain(`--${option} `);
  });
});
