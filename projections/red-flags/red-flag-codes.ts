/**
 * What a red flag is (domain.md §6, issue 17): a code, a severity, what it is about, when it became
 * true and when it stopped, the figures in Chinese and English, the events that raise it, and the
 * dated rule it breaks. The projection (red-flags.projection.ts) raises the flags that events alone
 * decide; those that depend on the day they are read as of (idle money, commitments due, shares
 * due) are computed from its facts at read time (src/red-flags/time-flags.ts). Both build them here.
 */
import { POLICIES, findRuleInForce } from '../../src/policy/policies';
import { PolicyRule, RuleReference, ruleReference } from '../../src/policy/policy-rule';
import { APPROVAL_FAMILIES } from '../../src/policy/rules/approval.rules';
import { ELIGIBILITY_FAMILIES } from '../../src/policy/rules/eligibility.rules';
import { FUNDING_FAMILIES } from '../../src/policy/rules/funding.rules';
import { LIFECYCLE_FAMILIES } from '../../src/policy/rules/lifecycle.rules';
import { RED_FLAG_FAMILIES as F, RED_FLAG_RULES } from '../../src/policy/rules/red-flags.rules';
import { RESIDENTS_FAMILIES } from '../../src/policy/rules/residents.rules';

export const RED_FLAG_CODES = {
  'RF-01': { zh: '批复前资金或合同前付款', en: 'Money before approval, or a payment before its contract' },
  'RF-02': { zh: '支出超过到位资金或指标', en: 'Payments beyond receipts or the allocated indicator' },
  'RF-03': { zh: '付款超过合同约定', en: "Payments beyond a contract's terms" },
  'RF-04': { zh: '超概算或跨1000万元未重新审批', en: 'Cost overrun, or the 10,000,000 crossing without re-approval' },
  'RF-05': { zh: '资金超过可支持的概算', en: 'Sources beyond the eligible cost' },
  'RF-06': { zh: '资金来源与改造内容不符', en: 'Source and item mismatch' },
  'RF-07': { zh: '维修资金使用未经有效表决', en: 'Maintenance fund used without a valid vote' },
  'RF-08': { zh: '竣工验收备案逾期', en: 'Late acceptance filing' },
  'RF-10': { zh: '审批路径不符', en: 'Wrong approval path' },
  'RF-11': { zh: '程序顺序不符', en: 'Procedure out of order' },
  'RF-12': { zh: '小区不符合改造范围', en: 'Ineligible community' },
  'RF-13': { zh: '重复支持', en: 'Double counting' },
  'RF-14': { zh: '资金闲置', en: 'Idle money' },
  'RF-15': { zh: '区级配套资金不到位', en: 'District matching below what was committed' },
  'RF-16': { zh: '居民出资不到位', en: "Residents' shares unpaid" },
  'RF-17': { zh: '管线单位出资未落实', en: 'Pipeline obligation unmet at acceptance' },
  'RF-18': { zh: '费用分摊不一致', en: 'Cost-sharing integrity' },
  'RF-21': { zh: '中央资金用于提升类', en: 'Central money on enhancement items' },
} as const;
export type RedFlagCode = keyof typeof RED_FLAG_CODES;
export const RED_FLAG_CODE_LIST = Object.keys(RED_FLAG_CODES) as RedFlagCode[];

export const SEVERITIES = ['high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SEVERITY_ZH: Record<Severity, string> = { high: '高', medium: '中', low: '低' };

/**
 * What each code finds: the family of every rule its flags cite, each with the severities its
 * flags carry. The README's table of the rules is rendered from it (test/unit/red-flags/
 * red-flag-catalogue.spec.ts), and every flag the red-flag specs raise is checked against it
 * (test/support/red-flag-history.ts), so neither can drift from the rules as built.
 */
export const RED_FLAG_CATALOGUE: Readonly<
  Record<RedFlagCode, readonly { family: string; severities: readonly Severity[] }[]>
> = {
  'RF-01': [
    { family: F.moneyBeforeApproval, severities: ['high'] },
    { family: F.paymentBeforeContract, severities: ['medium'] },
  ],
  'RF-02': [{ family: F.paymentsBeyondMoney, severities: ['high'] }],
  'RF-03': [{ family: F.paymentsBeyondContract, severities: ['high'] }],
  'RF-04': [
    { family: F.costOverrun, severities: ['medium'] },
    { family: F.thresholdCrossing, severities: ['high'] },
  ],
  'RF-05': [
    { family: F.lineOverfunded, severities: ['medium'] },
    { family: F.centralBeyondEligible, severities: ['high'] },
  ],
  'RF-06': [
    { family: FUNDING_FAMILIES.providentEarmark, severities: ['high'] },
    { family: FUNDING_FAMILIES.maintenanceFundParts, severities: ['high'] },
    { family: FUNDING_FAMILIES.pipelineEarmark, severities: ['high'] },
    { family: FUNDING_FAMILIES.municipalPurpose, severities: ['high'] },
  ],
  'RF-07': [{ family: RESIDENTS_FAMILIES.maintenanceFundVote, severities: ['high', 'medium', 'low'] }],
  'RF-08': [{ family: LIFECYCLE_FAMILIES.acceptanceFiling, severities: ['medium'] }],
  'RF-10': [{ family: APPROVAL_FAMILIES.approvalPath, severities: ['high'] }],
  'RF-11': [
    { family: LIFECYCLE_FAMILIES.milestoneOrder, severities: ['high'] },
    { family: F.worksWithoutPermit, severities: ['high'] },
    { family: F.consultationBeforeApproval, severities: ['medium'] },
  ],
  'RF-12': [{ family: ELIGIBILITY_FAMILIES.eligibilityScope, severities: ['high', 'medium'] }],
  'RF-13': [
    { family: FUNDING_FAMILIES.centralDoubleSupport, severities: ['high'] },
    { family: F.communityCompletedTwice, severities: ['high'] },
  ],
  'RF-14': [{ family: F.idleMoney, severities: ['medium'] }],
  'RF-15': [{ family: F.districtMatching, severities: ['high', 'medium'] }],
  'RF-16': [{ family: F.residentsShare, severities: ['medium', 'low'] }],
  'RF-17': [{ family: F.pipelineUnmet, severities: ['medium'] }],
  'RF-18': [
    { family: F.costShareIntegrity, severities: ['high'] },
    { family: RESIDENTS_FAMILIES.alterationVote, severities: ['high'] },
  ],
  'RF-21': [{ family: F.centralOnEnhancement, severities: ['medium'] }],
};

/** An event that raises (or clears) a flag: its id and its global position (a decimal string). */
export interface Evidence {
  eventId: string;
  position: string;
}

/** The rule a flag breaks, as the issue asks for it: id, citation (document and clause), the quoted words. */
export interface FlagRule extends RuleReference {
  quote: string;
}

/** The most events a flag lists as its evidence (it says how many there were in all). */
export const MAX_EVIDENCE = 50;

export interface RedFlag {
  /** `${code}/${projectId or batchId}/${subject}/${occurrence}`: stable across rebuilds. */
  flagId: string;
  code: RedFlagCode;
  severity: Severity;
  projectId: string | null;
  batchId: string | null;
  lineId: string | null;
  householdId: string | null;
  allocationId: string | null;
  planId: string | null;
  /** What within the project it is about (e.g. `line:B1`, `receipt:R3`, `source:district_matching`). */
  subject: string;
  /** The business date it became true. */
  raisedAt: string;
  /** The business date a later event made it false; null while it holds. */
  clearedAt: string | null;
  message: { zh: string; en: string };
  /** The figures in the messages, money as decimal strings. */
  figures: Record<string, string>;
  evidence: Evidence[];
  /** How many events raise it (evidence lists at most MAX_EVIDENCE of them). */
  evidenceCount: number;
  rule: FlagRule;
}

/** What an evaluator finds: a flag but for its id and rule, which `toFlag` adds. */
export interface Finding {
  code: RedFlagCode;
  /** The family of the rule it breaks: a red flag's own (red-flags.rules.ts) or one the deciders apply. */
  family: string;
  severity: Severity;
  projectId: string | null;
  batchId?: string;
  lineId?: string;
  householdId?: string;
  allocationId?: string;
  planId?: string;
  subject: string;
  raisedAt: string;
  clearedAt: string | null;
  message: { zh: string; en: string };
  figures: Record<string, string>;
  evidence: readonly Evidence[];
  /**
   * How many more events raise it than `evidence` lists: a rule that reads only the first
   * MAX_EVIDENCE events of a long history (in log order) counts the rest, so that evidenceCount
   * counts them all (the flag's first MAX_EVIDENCE are among those read).
   */
  evidenceLeftOut?: number;
  /** The day its rule is looked up by: `raisedAt` unless given; null for the rule as it stands. */
  ruleOn?: string | null;
}

/**
 * Every rule a flag may cite: the registry, and the red flags' own rules (their families are
 * their own, so a rule found twice once the registry lists them too is the same rule).
 */
export const FLAG_RULES: readonly PolicyRule[] = [...POLICIES, ...RED_FLAG_RULES];

/**
 * The version of `family` that judges a flag raised on `date`, or undefined when none was in force
 * then: the flag is not raised, since the ledger knows no rule it broke that day. `date` null: the
 * version in force now (a registration, which has no date of its own, is judged by the scope as
 * it stands).
 */
export function redFlagRule<S>(
  family: string,
  date: string | null,
  rules: readonly PolicyRule[] = FLAG_RULES,
): PolicyRule<S> | undefined {
  if (date === null) return rules.find((r) => r.family === family && r.effectiveTo === undefined) as PolicyRule<S>;
  return findRuleInForce<S>(family, date, rules);
}

/** The flag of a finding, its rule the one in force on `raisedAt`; null when none was. */
export function toFlag(f: Finding, occurrence: number, rules: readonly PolicyRule[] = FLAG_RULES): RedFlag | null {
  const rule = redFlagRule(f.family, f.ruleOn === undefined ? f.raisedAt : f.ruleOn, rules);
  if (!rule) return null;
  const scope = f.projectId ?? f.batchId ?? '-';
  const evidence = uniqueEvidence(f.evidence);
  return {
    flagId: `${f.code}/${scope}/${f.subject}/${occurrence}`,
    code: f.code,
    severity: f.severity,
    projectId: f.projectId,
    batchId: f.batchId ?? null,
    lineId: f.lineId ?? null,
    householdId: f.householdId ?? null,
    allocationId: f.allocationId ?? null,
    planId: f.planId ?? null,
    subject: f.subject,
    raisedAt: f.raisedAt,
    clearedAt: f.clearedAt,
    message: f.message,
    figures: f.figures,
    evidence: evidence.slice(0, MAX_EVIDENCE),
    evidenceCount: evidence.length + (f.evidenceLeftOut ?? 0),
    rule: { ...ruleReference(rule), quote: rule.source.quote },
  };
}

/** Each event once, in log order. */
export function uniqueEvidence(evidence: readonly Evidence[]): Evidence[] {
  const seen = new Map<string, Evidence>();
  for (const e of evidence) if (!seen.has(e.eventId)) seen.set(e.eventId, e);
  return [...seen.values()].sort((a, b) => comparePositions(a.position, b.position));
}

/** Decimal position strings in numeric order. */
export function comparePositions(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}
