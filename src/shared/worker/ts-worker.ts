import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread running the module `file` (its `__filename`) with `workerData`. Built,
 * the module is JavaScript and runs as it is. From the TypeScript sources (tests, `bench/`), this
 * thread compiles it and the modules it imports with
 * @swc/core (the compiler the tests already use, a dev dependency) and hands the worker the
 * JavaScript: @swc/core itself must not be loaded in a worker thread, whose exit then crashes
 * the process (SIGSEGV, seen on the third run in one process).
 */
export function startWorker(file: string, workerData: object): Worker {
  if (!file.endsWith('.ts')) return new Worker(file, { workerData });
  const boot = `
    const { workerData } = require('node:worker_threads');
    require.extensions['.ts'] = (module, filename) => {
      const code = workerData.compiled[filename];
      if (code === undefined) throw new Error('worker: ' + filename + ' was not compiled for it');
      module._compile(code, filename);
    };
    require(workerData.entry);
  `;
  return new Worker(boot, { eval: true, workerData: { ...workerData, compiled: compiledFrom(file), entry: file } });
}

const compiled = new Map<string, Record<string, string>>();

/** The module `entry` and the TypeScript modules it imports, compiled to CommonJS, by file name. */
function compiledFrom(entry: string): Record<string, string> {
  const done = compiled.get(entry);
  if (done) return done;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const swc = require('@swc/core') as { transformSync(source: string, options: object): { code: string } };
  const options = {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  };
  const out: Record<string, string> = {};
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (out[file] !== undefined) continue;
    out[file] = swc.transformSync(readFileSync(file, 'utf8'), { ...options, filename: file }).code;
    for (const [, spec] of out[file].matchAll(/require\("(\.\.?\/[^"]+)"\)/g)) {
      const base = resolvePath(dirname(file), spec);
      const source = [`${base}.ts`, join(base, 'index.ts')].find((f) => existsSync(f));
      if (source) pending.push(source);
    }
  }
  compiled.set(entry, out);
  return out;
}
