/**
 * The deadline to file a joint acceptance's report ("竣工验收合格 15 日内…备案", seed 三(四)3;
 * 国务院令第279号 第四十九条 before it): the days of the acceptance-filing rule in force on the
 * day the acceptance passed, counted as rest-days.ts counts a period. One count for every reader:
 * the filing's decider (the deadline its event records), the milestones route (a passed
 * acceptance's deadline before it is filed), the red flags (RF-08, an acceptance not filed) and
 * the demo, so that none can refuse a year the calendar lacks that another counts provisionally.
 */
import { PolicyRule } from './policy-rule';
import { POLICIES, findRuleInForce } from './policies';
import { recordedDeadline } from './rest-days';
import { FilingSettings, LIFECYCLE_FAMILIES } from './rules/lifecycle.rules';

export interface FilingDeadline {
  /** The last day to file. */
  deadline: string;
  /** The period reaches a year the rest-day calendar lacks: its days were counted by weekends alone. */
  provisional: boolean;
  /** The filing rule in force on the acceptance's date. */
  rule: PolicyRule<FilingSettings>;
}

/** The deadline of an acceptance that passed on `acceptedOn`; undefined when no filing rule was in force that day. */
export function filingDeadline(
  acceptedOn: string,
  rules: readonly PolicyRule[] = POLICIES,
): FilingDeadline | undefined {
  const rule = findRuleInForce<FilingSettings>(LIFECYCLE_FAMILIES.acceptanceFiling, acceptedOn, rules);
  return rule && { ...recordedDeadline(acceptedOn, rule.settings.days), rule };
}
