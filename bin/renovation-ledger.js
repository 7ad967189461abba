#!/usr/bin/env node
// The ledger's command line: `npx renovation-ledger <command>` (run `npm run build` first).
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const entry = join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!existsSync(entry)) {
  console.error('renovation-ledger: not built yet; run `npm run build` first');
  process.exit(1);
}
const { runCli } = require(entry);
runCli(process.argv.slice(2)).then(
  // exitCode, not exit(): exit() would cut off output a pipe has not taken yet.
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
