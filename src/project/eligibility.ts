import { currentRule } from '../policy/policies';
import { ELIGIBILITY_FAMILIES, EligibilitySettings } from '../policy/rules/eligibility.rules';

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
 * A registration carries no business date, so it is judged by the scope of the programme the
 * ledger serves as it stands, the rule of its family with no end: the seed's (its `silence` says so).
 */
export function eligibilityOf(builtYear: number, conditionJustification: string | undefined): EligibilityRecord {
  const rule = currentRule<EligibilitySettings>(ELIGIBILITY_FAMILIES.eligibilityScope);
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
