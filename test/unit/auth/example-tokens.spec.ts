/**
 * Rule (issue 14 point 13): the service refuses the tokens this repository publishes as examples.
 * The list it refuses is written in the code (the image has no deploy/); this holds it to every
 * token the repository publishes: the example tokens file, and any token written in the docs.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PUBLISHED_EXAMPLE_TOKENS } from '../../../src/auth/example-tokens';

const ROOT = join(__dirname, '../../..');

describe('the published example tokens', () => {
  it('are every token of deploy/tokens.example.json', () => {
    const entries = JSON.parse(readFileSync(join(ROOT, 'deploy/tokens.example.json'), 'utf8')) as { token: string }[];
    expect([...PUBLISHED_EXAMPLE_TOKENS].sort()).toEqual(entries.map((e) => e.token).sort());
  });

  it('include every example token the README, docs and compose files name', () => {
    const files = [
      'README.md',
      ...readdirSync(join(ROOT, 'docs')).map((f) => `docs/${f}`),
      ...readdirSync(ROOT).filter((f) => /^docker-compose.*\.ya?ml$/.test(f)),
    ].filter((f) => /\.(md|ya?ml)$/.test(f));
    const named = files.flatMap((f) => readFileSync(join(ROOT, f), 'utf8').match(/[\w-]*-change-me\b/g) ?? []);
    expect(named.filter((t) => !PUBLISHED_EXAMPLE_TOKENS.includes(t))).toEqual([]);
  });
});
