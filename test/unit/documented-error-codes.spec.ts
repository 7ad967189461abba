/**
 * The error table of docs/api.md (linked from the README) and the code agree: every code the
 * service can answer is documented there, and every code documented there is one it can answer.
 * The codes are read from the code where they are made: `new DomainError('code'`, a DTO check's
 * `context: { code: '...' }`, and the two places that answer errors without a DomainError (the
 * error filter, for body-parser's and Nest's refusals; the client-error handler, for requests
 * Node cannot parse), whose every kebab-case literal is a code.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { documentedCodes } from '../support/error-table';

const ROOT = join(__dirname, '..', '..');
const HAND_MADE_ANSWERS = ['src/http/error.filter.ts', 'src/http/client-error.handler.ts'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Code → the files that make it. */
function codesInCode(): Map<string, string[]> {
  const codes = new Map<string, string[]>();
  const add = (code: string, file: string) => codes.set(code, [...(codes.get(code) ?? []), file]);
  for (const path of [...sourceFiles(join(ROOT, 'src')), ...sourceFiles(join(ROOT, 'projections'))]) {
    const file = relative(ROOT, path);
    const text = readFileSync(path, 'utf8');
    for (const m of text.matchAll(/new DomainError\(\s*'([^']+)'/g)) add(m[1], file);
    for (const m of text.matchAll(/context: \{ code: '([^']+)' \}/g)) add(m[1], file);
    if (HAND_MADE_ANSWERS.includes(file)) for (const m of text.matchAll(/'([a-z]+(?:-[a-z]+)+)'/g)) add(m[1], file);
  }
  return codes;
}

describe('the documented error codes', () => {
  const inCode = codesInCode();
  const documented = documentedCodes();

  it('finds the table and the codes (the parsers hold)', () => {
    expect(documented).toEqual(expect.arrayContaining(['invalid-json', 'unknown-source', 'chain-broken']));
    expect([...inCode.keys()]).toEqual(expect.arrayContaining(['invalid-json', 'unknown-source', 'invalid-amount']));
  });

  it('documents every code the code answers with', () => {
    const undocumented = [...inCode].filter(([code]) => !documented.includes(code)).map(([c, f]) => `${c} (${f})`);
    expect(undocumented).toEqual([]);
  });

  it('answers with every code it documents', () => {
    expect(documented.filter((code) => !inCode.has(code))).toEqual([]);
  });

  it('documents each code once', () => {
    expect(documented.filter((code, i) => documented.indexOf(code) !== i)).toEqual([]);
  });
});
