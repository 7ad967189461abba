/**
 * Lints an OpenAPI document with Redocly's `recommended` rules (@redocly/openapi-core, what
 * `redocly lint` runs): the document as JSON on stdin, the problems as a JSON array on stdout.
 *
 *   curl -s localhost:3000/docs-json | node tools/lint-openapi.mjs
 *
 * A separate process because @redocly/openapi-core is an ES module, which jest's CommonJS runtime
 * cannot load; test/integration/openapi.int.spec.ts runs it on the document the service builds.
 */
import { createConfig, lintFromString } from '@redocly/openapi-core';

const RULES = {
  // The service is private (package.json: UNLICENSED): there is no licence to name.
  'info-license': 'off',
};

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const config = await createConfig({ extends: ['recommended'], rules: RULES });
const problems = await lintFromString({
  source: Buffer.concat(chunks).toString('utf8'),
  absoluteRef: 'openapi.json',
  config,
});
const found = problems.map((p) => ({
  severity: p.severity,
  rule: p.ruleId,
  message: p.message,
  at: p.location.map((l) => l.pointer).join(', '),
}));
process.stdout.write(JSON.stringify(found, null, 2) + '\n');
process.exitCode = found.length === 0 ? 0 : 1;
