#!/usr/bin/env node
// The ledger's command line: `npx renovation-ledger <command>` (run `npm run build` first).
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const entry = join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!existsSync(entry)) {
  console.error('renovation-ledger: not built yet; run `npm run build` first');
  process.exit(1);
}
require(entry).main();
