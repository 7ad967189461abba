/**
 * The error table of docs/api.md (under "### Error codes"), read as the specs that hold the code
 * to it need it: the codes in its first column, in order, and the status each is documented with.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const API_MD = join(__dirname, '..', '..', 'docs', 'api.md');

function tableRows(): string[][] {
  const doc = readFileSync(API_MD, 'utf8');
  const section = doc.slice(doc.indexOf('### Error codes'));
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((row) => row.split('|').slice(1, -1));
}

function codesOf(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
}

/** The codes in the table's first column, in order (a code written twice appears twice). */
export function documentedCodes(): string[] {
  return tableRows().flatMap(([codes]) => codesOf(codes));
}

/**
 * Each documented code and its status: a row's codes share its status, or pair with its statuses
 * (`unauthenticated` / `forbidden` | 401 / 403); null where the status is not one number ("the status").
 */
export function documentedStatuses(): Map<string, number | null> {
  const statuses = new Map<string, number | null>();
  for (const [cell, statusCell] of tableRows()) {
    const codes = codesOf(cell);
    const numbers = statusCell.split('/').map((s) => (/^\s*\d{3}\s*$/.test(s) ? Number(s) : null));
    codes.forEach((code, i) => statuses.set(code, numbers.length === codes.length ? numbers[i] : numbers[0]));
  }
  return statuses;
}

/**
 * The statuses each documented code may be answered with: its own where a row pairs its codes
 * with its statuses (`unauthenticated` / `forbidden` | 401 / 403), else every status of its row
 * (`household-not-found`, `vote-not-found`, `plan-not-found` | 404 / 422); none where the row
 * gives no number of its own ("the status").
 */
export function allowedStatuses(): Map<string, number[]> {
  const allowed = new Map<string, number[]>();
  for (const [cell, statusCell] of tableRows()) {
    const codes = codesOf(cell);
    const numbers = [...statusCell.matchAll(/\b\d{3}\b/g)].map((m) => Number(m[0]));
    codes.forEach((code, i) => allowed.set(code, numbers.length === codes.length ? [numbers[i]] : numbers));
  }
  return allowed;
}
