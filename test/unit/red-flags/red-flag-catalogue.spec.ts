/**
 * The README lists every red-flag rule with its citation and severity (issue 17): its table is
 * RED_FLAG_CATALOGUE rendered, each citation the short form (document and clause) of the rule in
 * force today, "ledger setting" where no document states it. The catalogue itself is checked
 * against the rules (every red-flag family once, each with a rule in force) and, in every spec that
 * raises a flag, against the flag (test/support/red-flag-history.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RED_FLAG_FAMILIES } from '../../../src/policy/rules/red-flags.rules';
import {
  RED_FLAG_CATALOGUE,
  RED_FLAG_CODES,
  RED_FLAG_CODE_LIST,
  RedFlagCode,
  redFlagRule,
} from '../../../projections/red-flags/red-flag-codes';

const README = join(__dirname, '..', '..', '..', 'README.md');
const BEGIN = '<!-- red-flag rules: RED_FLAG_CATALOGUE, checked by test/unit/red-flags/red-flag-catalogue.spec.ts -->';
const END = '<!-- /red-flag rules -->';

/** The short citations of a code's rules: each document once, with its clauses; "ledger setting" where no document states the rule. */
function citations(code: RedFlagCode): string {
  const byDocument = new Map<string, string[]>();
  for (const { family } of RED_FLAG_CATALOGUE[code]) {
    const { source } = redFlagRule(family, null)!;
    const document = source.provenance === 'local' ? 'ledger setting' : source.document;
    const clauses = byDocument.get(document) ?? [];
    if (source.provenance !== 'local' && !clauses.includes(source.clause)) clauses.push(source.clause);
    byDocument.set(document, clauses);
  }
  return [...byDocument]
    .map(([document, clauses]) => (clauses.length === 0 ? document : `${document} ${clauses.join(', ')}`))
    .join('; ');
}

/** A code's severities, each once, in the order of its rules. */
function severities(code: RedFlagCode): string {
  return [...new Set(RED_FLAG_CATALOGUE[code].map((e) => e.severities.join(' / ')))].join('; ');
}

function renderedTable(): string {
  const rows = RED_FLAG_CODE_LIST.map(
    (code) => `| ${code} | ${severities(code)} | ${RED_FLAG_CODES[code].en} | ${citations(code)} |`,
  );
  return [BEGIN, '| code | severity | what is flagged | rule cited |', '|---|---|---|---|', ...rows, END].join('\n');
}

describe('the red-flag rules listed in the README', () => {
  it('is RED_FLAG_CATALOGUE, one line per code, with each rule’s citation and severities', () => {
    const readme = readFileSync(README, 'utf8');
    const from = readme.indexOf(BEGIN);
    const to = readme.indexOf(END);
    expect([from >= 0, to > from]).toEqual([true, true]);
    // On a failure, the expected block is the table to paste into the README.
    expect(readme.slice(from, to + END.length)).toBe(renderedTable());
  });

  it('the catalogue names every family of the red flags’ own rules once, each a rule in force today', () => {
    const families = RED_FLAG_CODE_LIST.flatMap((code) => RED_FLAG_CATALOGUE[code].map((e) => e.family));
    expect(families.filter((f, i) => families.indexOf(f) !== i)).toEqual([]);
    expect(Object.values(RED_FLAG_FAMILIES).filter((f) => !families.includes(f))).toEqual([]);
    expect(families.filter((f) => redFlagRule(f, null) === undefined)).toEqual([]);
    for (const code of RED_FLAG_CODE_LIST)
      for (const e of RED_FLAG_CATALOGUE[code]) expect(e.severities.length).toBeGreaterThan(0);
  });
});
