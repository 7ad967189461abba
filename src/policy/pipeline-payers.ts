import { PolicyRule } from './policy-rule';
import { POLICIES, findRuleInForce } from './policies';
import { FUNDING_FAMILIES, PipelinePayers } from './rules/funding.rules';

/**
 * The rule under which `utility` pays for pipeline works on `date`: the seed's list of payers
 * (供水、供电、燃气、通信、邮政、广电), else a local extension that names it (排水); undefined when
 * no rule in force names it as a payer.
 */
export function pipelinePayerRule(
  utility: string,
  date: string,
  rules: readonly PolicyRule[] = POLICIES,
): PolicyRule<PipelinePayers> | undefined {
  for (const family of [FUNDING_FAMILIES.pipelineEarmark, FUNDING_FAMILIES.pipelineDrainage]) {
    const rule = findRuleInForce<PipelinePayers>(family, date, rules);
    if (rule?.settings.utilities.includes(utility)) return rule;
  }
  return undefined;
}
