/* eslint-disable */
/**
 * Entry of `npm run bench` (and `npm run bench -- --quick`): compiles TypeScript on the fly
 * (tools/register-ts.js) and runs bench/bench.ts. See bench/RESULTS.md for the latest figures.
 */
'use strict';
require('../tools/register-ts');

require('./bench.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    // Nest, autocannon and SQLite handles are closed by the scenarios; exit even if one lingers.
    process.exit(code);
  })
  .catch((err) => {
    process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  });
