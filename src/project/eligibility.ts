import { policyById } from '../policy/policies';
import { PolicyRule } from '../policy/policy-rule';
import { EligibilitySettings } from '../policy/rules/eligibility.rules';
import { assert } from '../shared/domain/domain-error';

/**
 * The basis on which a community falls in the seed's scope (domain.md §0), recorded on its
 * registration. Never a refusal: a community outside the scope is registered, recorded as such,
 * and left to the red flags (RF-12).
 */
export const ELIGIBILITY_BASES = ['pre2000', 'pre2005_poor_condition', 'none'] as const;
export type EligibilityBasis = (typeof ELIGIBILITY_BASES)[number];

export interface EligibilityRecord {
  /** pre2000: built by 2000; pre2005_poor_condition: built 2001-2005 with a justification; none: neither. */
  basis: EligibilityBasis;
  ruleId: string;
  withinScope: boolean;
  /** Why, in words, with the build year and the rule's bounds. */
  reason: string;
}

/**
 * The rule a registration is judged by. A registration carries no business date, so it is judged
 * by the scope of the programme the ledger serves, the seed's (its `silence` says so).
 */
export const ELIGIBILITY_RULE_ID = 'eligibility-scope-seed';

function eligibilityRule(): PolicyRule<EligibilitySettings> {
  const rule = policyById(ELIGIBILITY_RULE_ID);
  assert(rule !== undefined, `the policy list holds ${ELIGIBILITY_RULE_ID}`);
  return rule as PolicyRule<EligibilitySettings>;
}

export function eligibilityOf(builtYear: number, conditionJustification: string | undefined): EligibilityRecord {
  const rule = eligibilityRule();
  const { mainScopeUntilYear, poorConditionUntilYear } = rule.settings;
  const ruleId = rule.ruleId;
  if (builtYear <= mainScopeUntilYear)
    return {
      basis: 'pre2000',
      ruleId,
      withinScope: true,
      reason: `built in ${builtYear}, by ${mainScopeUntilYear}: the programme's main scope`,
    };
  if (builtYear <= poorConditionUntilYear) {
    return conditionJustification !== undefined
      ? {
          basis: 'pre2005_poor_condition',
          ruleId,
          withinScope: true,
          reason: `built in ${builtYear}, after ${mainScopeUntilYear} and by the end of ${poorConditionUntilYear}: in scope for its poor living conditions, as justified`,
        }
      : {
          basis: 'none',
          ruleId,
          withinScope: false,
          reason: `built in ${builtYear}, after ${mainScopeUntilYear}: in scope only where living conditions are poor (居住条件较差), and no justification was given`,
        };
  }
  return {
    basis: 'none',
    ruleId,
    withinScope: false,
    reason: `built in ${builtYear}, after ${poorConditionUntilYear}: outside the seed's scope`,
  };
}
