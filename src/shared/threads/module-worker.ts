import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker, WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running the module at `base` (a path without its extension). Compiled code
 * (dist/) runs `base.js`; TypeScript sources (jest, the bench) run `base.ts` through
 * tools/register-ts.js, the project's one require hook for TypeScript, since a new thread
 * starts with Node's own loader.
 */
export function moduleWorker(base: string, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  if (existsSync(`${base}.js`)) return new Worker(`${base}.js`, options);
  const register = join(__dirname, '..', '..', '..', 'tools', 'register-ts.js');
  const source = `require(${JSON.stringify(register)});\nrequire(${JSON.stringify(`${base}.ts`)});\n`;
  return new Worker(source, { ...options, eval: true });
}
