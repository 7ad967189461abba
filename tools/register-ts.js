/* eslint-disable */
/**
 * The one require hook for TypeScript outside jest: `.ts` files are compiled on the fly by
 * @swc/core with the project's .swcrc (the options jest uses through @swc/jest: legacy decorators
 * with their metadata, which Nest's dependency injection needs), to CommonJS. Types are stripped,
 * not checked: `npx tsc --noEmit -p tsconfig.json` checks them.
 *
 * Compiled output is cached on disk (node_modules/.cache/register-ts, keyed by the file's path,
 * its source, the options and the compiler's version), and @swc/core is loaded only on a miss: a child process whose
 * modules the parent already compiled never loads the compiler (~30 MB of resident memory), so
 * what a bench child measures is its own work. A changed source is simply a new key.
 *
 * Used by bench/run.js (and the bench's child processes) and test/contract/support/append-worker.js,
 * which start TypeScript sources (jest, the bench): compiled code (dist/) never needs it.
 * Requiring it twice is harmless.
 */
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

if (!require.extensions['.ts']) {
  const root = path.join(__dirname, '..');
  const swcrc = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
  delete swcrc.$schema;
  const options = { ...swcrc, swcrc: false, sourceMaps: false };
  // The compiler's version is part of the key (read from its package.json, without loading it).
  const optionsKey = JSON.stringify({ options, swc: require('@swc/core/package.json').version });
  const cacheDir = path.join(root, 'node_modules', '.cache', 'register-ts');
  let swc = null;

  const compile = (source, filename) => {
    const key = crypto
      .createHash('sha256')
      .update(optionsKey)
      .update('\0')
      .update(filename)
      .update('\0')
      .update(source)
      .digest('hex');
    const cached = path.join(cacheDir, `${key}.js`);
    try {
      return fs.readFileSync(cached, 'utf8');
    } catch {
      // not cached yet
    }
    swc = swc || require('@swc/core');
    const { code } = swc.transformSync(source, { ...options, filename });
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      const tmp = `${cached}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, code);
      fs.renameSync(tmp, cached); // atomic: a concurrent reader sees the whole file or none
    } catch {
      // a read-only tree still runs, just without the cache
    }
    return code;
  };

  require.extensions['.ts'] = function registerTs(module, filename) {
    module._compile(compile(fs.readFileSync(filename, 'utf8'), filename), filename);
  };
}
