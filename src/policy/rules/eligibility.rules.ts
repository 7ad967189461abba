import { PolicyRule } from '../policy-rule';
import { SEED } from './sources';

/**
 * Which communities the seed's programme renovates (domain.md §0). The ledger records the basis a
 * registration has and flags one outside the scope; it never refuses it: the ledger records what
 * happened, and a red flag (RF-12) is how an auditor finds it.
 */
export interface EligibilitySettings {
  /** Built in this year or before: the programme's main scope. */
  mainScopeUntilYear: number;
  /** Built after the main scope and until this year: only with a justification of poor living conditions. */
  poorConditionUntilYear: number;
}

export const ELIGIBILITY_FAMILIES = { eligibilityScope: 'eligibility-scope' } as const;

export const ELIGIBILITY_RULES: readonly PolicyRule[] = [
  {
    ruleId: 'eligibility-scope-seed',
    family: ELIGIBILITY_FAMILIES.eligibilityScope,
    title: {
      zh: '实施范围：2000 年以前建成；2005 年底前建成的居住条件较差的小区逐步实施',
      en: 'Scope: built by 2000; built by end-2005 only where living conditions are poor',
    },
    source: {
      document: SEED.document,
      clause: '二(一)',
      quote:
        '老旧小区改造提升实施范围主要是 2000 年以前建成的，房屋失养失修失管、市政配套设施不完善、公共服务设施不健全、居民改造意愿强烈的住宅小区（含单栋住宅楼）。结合潼南实际，逐步对 2005 年底前建成的居住条件较差的城镇老旧小区实施改造提升。',
      provenance: 'seed',
      verified: true,
    },
    effectiveFrom: SEED.effectiveFrom,
    settings: { mainScopeUntilYear: 2000, poorConditionUntilYear: 2005 } satisfies EligibilitySettings,
    silence:
      'The scope clause says "2000 年以前" and the targets "2000 年底前": the ledger counts a community built in 2000 as in the main scope (domain.md §0). A registration carries no business date, so every registration is judged by this rule, the scope of the programme the ledger serves.',
  },
];
