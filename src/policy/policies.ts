import { DomainError } from '../shared/domain/domain-error';
import { PolicyRule } from './policy-rule';
import { FUNDING_RULES } from './rules/funding.rules';
import { RESIDENTS_RULES } from './rules/residents.rules';
import { APPROVAL_RULES } from './rules/approval.rules';
import { ELIGIBILITY_RULES } from './rules/eligibility.rules';
import { LIFECYCLE_RULES } from './rules/lifecycle.rules';
import { RED_FLAG_RULES } from './rules/red-flags.rules';
import { RECONCILIATION_RULES } from './rules/reconciliation.rules';

/**
 * Every dated rule, one list (each area keeps its rules in its own file under ./rules and adds
 * them here). The order within a family is by `effectiveFrom`; `policy-registry.spec` checks that
 * ids are unique and that a family's periods neither overlap nor leave a gap.
 */
export const POLICIES: readonly PolicyRule[] = [
  ...FUNDING_RULES,
  ...RESIDENTS_RULES,
  ...APPROVAL_RULES,
  ...ELIGIBILITY_RULES,
  ...LIFECYCLE_RULES,
  ...RED_FLAG_RULES,
  ...RECONCILIATION_RULES,
];

/**
 * The version of `family` in force on `date` (YYYY-MM-DD). A family with no version in force then
 * is a refusal, not a guess: the ledger knows no rule to judge that act by.
 */
export function ruleInForce<S>(family: string, date: string, rules: readonly PolicyRule[] = POLICIES): PolicyRule<S> {
  const rule = findRuleInForce<S>(family, date, rules);
  if (rule) return rule;
  throw PolicyErrors.noPolicyInForce(family, date);
}

export const PolicyErrors = {
  noPolicyInForce: (family: string, date: string) =>
    new DomainError(
      'no-policy-in-force',
      `no rule of ${family} is in force on ${date}: the ledger knows no policy to judge an act of that date by`,
      422,
    ),
};

/** The version of `family` in force on `date`, if one is: for a rule that may not apply at all that day. */
export function findRuleInForce<S>(
  family: string,
  date: string,
  rules: readonly PolicyRule[] = POLICIES,
): PolicyRule<S> | undefined {
  for (const rule of rules) {
    if (rule.family !== family) continue;
    if (rule.effectiveFrom <= date && (rule.effectiveTo === undefined || date <= rule.effectiveTo))
      return rule as PolicyRule<S>;
  }
  return undefined;
}

export function policyById(ruleId: string, rules: readonly PolicyRule[] = POLICIES): PolicyRule | undefined {
  return rules.find((r) => r.ruleId === ruleId);
}

/**
 * The version of `family` with no end: the rule as it stands, for an act that has no business
 * date of its own (a cost-sharing plan that names no vote). Every family has one.
 */
export function currentRule<S>(family: string, rules: readonly PolicyRule[] = POLICIES): PolicyRule<S> {
  const rule = rules.find((r) => r.family === family && r.effectiveTo === undefined);
  if (!rule) throw new Error(`invariant violated: policy family ${family} has a version in force today`);
  return rule as PolicyRule<S>;
}
