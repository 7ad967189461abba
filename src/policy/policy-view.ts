/**
 * GET /api/policies: the rules as a client reads them (bigints, such as a fee in fen or a vote's
 * bound, as decimal strings: JSON has none), all of them or those in force on a day, of one family
 * or every one.
 */
import { checkDate } from '../shared/domain/input-rules';
import { DomainError } from '../shared/domain/domain-error';
import { POLICIES, findRuleInForce } from './policies';
import { PolicyRule, PolicySource } from './policy-rule';

export interface PolicyView {
  ruleId: string;
  family: string;
  title: { zh: string; en: string };
  source: PolicySource;
  effectiveFrom: string;
  effectiveTo: string | null;
  settings: unknown;
  silence: string | null;
}

export const POLICY_FAMILIES: readonly string[] = [...new Set(POLICIES.map((r) => r.family))];

/** The rules: every version, or with `asOf` the one of each family in force that day; `family` keeps one family. */
export function policyViews(query: { asOf?: string; family?: string }, rules = POLICIES): PolicyView[] {
  if (query.asOf !== undefined) checkDate('asOf', query.asOf);
  const families = [...new Set(rules.map((r) => r.family))];
  if (query.family !== undefined && !families.includes(query.family))
    throw new DomainError(
      'invalid-query',
      `family ${query.family} is not a policy family (${families.join(', ')})`,
      400,
      'family',
    );
  const chosen = query.family === undefined ? families : [query.family];
  const picked =
    query.asOf === undefined
      ? rules.filter((r) => chosen.includes(r.family))
      : chosen.flatMap((f) => findRuleInForce(f, query.asOf!, rules) ?? []);
  return picked.map(policyView);
}

export function policyView(rule: PolicyRule): PolicyView {
  return {
    ruleId: rule.ruleId,
    family: rule.family,
    title: rule.title,
    source: rule.source,
    effectiveFrom: rule.effectiveFrom,
    effectiveTo: rule.effectiveTo ?? null,
    settings: plain(rule.settings),
    silence: rule.silence ?? null,
  };
}

/** The settings as JSON can carry them: a bigint as its decimal string, the rest as it is. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}
