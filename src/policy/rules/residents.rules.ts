/**
 * The residents' share (domain.md §1, §4): owners' votes and their bounds, what needs a vote, and
 * how far residents' money may go. Owners' votes follow the law in force on the day they are held
 * (物权法 until 2020-12-31, 民法典 from 2021-01-01); before 物权法 the ledger knows no rule.
 */
import { PolicyRule } from '../policy-rule';
import {
  CIVIL_CODE,
  CIVIL_CODE_FROM,
  LEDGER_FIRST_DAY,
  MAINTENANCE_FUND_MEASURES,
  PROPERTY_LAW,
  PROPERTY_LAW_FROM,
  localSource,
} from './sources';

export const RESIDENTS_FAMILIES = {
  ownerVote: 'owner-vote',
  maintenanceFundVote: 'maintenance-fund-vote',
  alterationVote: 'alteration-vote',
  providentWithinShare: 'provident-fund-within-share',
  netCost: 'residents-share-net-cost',
} as const;
const F = RESIDENTS_FAMILIES;

/** A bound: the fraction, whether reaching it is enough (以上) or it must be passed (过半数). */
export interface VoteBound {
  num: bigint;
  den: bigint;
  inclusive: boolean;
  /** "≥ 2/3", "> 1/2". */
  text: string;
}

export interface VoteBoundPair {
  area: VoteBound;
  owners: VoteBound;
}

/** The matters an owners' vote decides (民法典 第二百七十八条 第一款, items in owner-votes.ts). */
export type VoteMatterKey = 'fund_use' | 'fund_raise' | 'alteration' | 'common_parts' | 'other';

/** The bounds of owners' votes under one law. */
export interface VoteThresholds {
  /** Participation needed against the scope's totals; null where the law sets none. */
  quorum: VoteBoundPair | null;
  /** What agreement is counted against: those who took part, or everyone in the scope. */
  approvalBase: 'participants' | 'scope';
  approval: Readonly<Record<VoteMatterKey, VoteBoundPair>>;
}

/** What needs a passed owners' vote: the matter it must have decided; `emergency`: the law's exception. */
export interface VoteRequirement {
  matter: VoteMatterKey;
  /** Items whose lines need it (for a plan); absent: every receipt of the source. */
  items?: readonly string[];
  /** Whether an emergency (with its reason) stands in for the vote. */
  emergency: boolean;
}

const atLeast = (num: bigint, den: bigint): VoteBound => ({ num, den, inclusive: true, text: `≥ ${num}/${den}` });
const moreThan = (num: bigint, den: bigint): VoteBound => ({ num, den, inclusive: false, text: `> ${num}/${den}` });
const both = (t: VoteBound): VoteBoundPair => ({ area: t, owners: t });
const TWO_THIRDS = both(atLeast(2n, 3n));
const THREE_QUARTERS = both(atLeast(3n, 4n));
const MORE_THAN_HALF = both(moreThan(1n, 2n));

const law = (document: string, clause: string, quote: string) => ({
  document,
  clause,
  quote,
  provenance: 'law' as const,
  // domain.md: 278, 281 and 物权法 76 are quoted from general knowledge of the text.
  verified: false,
});

/**
 * Under 物权法 art. 76 every bound counts against all owners of the scope (no separate quorum):
 * items (五) raising and using the fund and (六) 改建、重建 need ⅔ of all area and heads; every
 * other matter more than ½ of all. Changing the use of common parts is item (七) "其他重大事项"
 * (建筑物区分所有权解释 〔2009〕 art. 7).
 */
const propertyLaw76: PolicyRule<VoteThresholds> = {
  // The id is stored in every tally of a vote held under it (owner-vote-recorded.v1): never rename it.
  ruleId: 'property-law-76',
  family: F.ownerVote,
  title: { zh: '业主共同决定的表决比例（物权法）', en: "Owners' votes: the bounds (Property Law)" },
  source: law(
    PROPERTY_LAW,
    '第七十六条',
    '决定前款第五项和第六项规定的事项，应当经专有部分占建筑物总面积三分之二以上的业主且占总人数三分之二以上的业主同意。决定前款其他事项，应当经专有部分占建筑物总面积过半数的业主且占总人数过半数的业主同意。',
  ),
  effectiveFrom: PROPERTY_LAW_FROM,
  effectiveTo: '2020-12-31',
  settings: {
    quorum: null,
    approvalBase: 'scope',
    approval: {
      fund_use: TWO_THIRDS,
      fund_raise: TWO_THIRDS,
      alteration: TWO_THIRDS,
      common_parts: MORE_THAN_HALF,
      other: MORE_THAN_HALF,
    },
  },
};

/** Under 民法典 art. 278 a quorum of ⅔ of area and heads takes part; items (六)-(八) need ¾ of participants, the rest more than ½. */
const civilCode278: PolicyRule<VoteThresholds> = {
  ruleId: 'civil-code-278',
  family: F.ownerVote,
  title: { zh: '业主共同决定的表决比例（民法典）', en: "Owners' votes: the bounds (Civil Code)" },
  source: law(
    CIVIL_CODE,
    '第二百七十八条',
    '业主共同决定事项，应当由专有部分面积占比三分之二以上的业主且人数占比三分之二以上的业主参与表决。决定前款第六项至第八项规定的事项，应当经参与表决专有部分面积四分之三以上的业主且参与表决人数四分之三以上的业主同意。决定前款其他事项，应当经参与表决专有部分面积过半数的业主且参与表决人数过半数的业主同意。',
  ),
  effectiveFrom: CIVIL_CODE_FROM,
  settings: {
    quorum: TWO_THIRDS,
    approvalBase: 'participants',
    approval: {
      fund_use: MORE_THAN_HALF,
      fund_raise: THREE_QUARTERS,
      alteration: THREE_QUARTERS,
      common_parts: THREE_QUARTERS,
      other: MORE_THAN_HALF,
    },
  },
};

const fundVoteTitle = {
  zh: '使用住宅专项维修资金须经业主共同决定（紧急情况除外）',
  en: "Using the maintenance fund needs the owners' vote (except in an emergency)",
};

const fundVotePropertyLaw: PolicyRule<VoteRequirement> = {
  ruleId: 'maintenance-fund-vote-property-law',
  family: F.maintenanceFundVote,
  title: fundVoteTitle,
  source: law(PROPERTY_LAW, '第七十六条第一款第（五）项', '筹集和使用建筑物及其附属设施的维修资金'),
  effectiveFrom: PROPERTY_LAW_FROM,
  effectiveTo: '2020-12-31',
  settings: { matter: 'fund_use', emergency: true },
  silence: `The emergency exception before the Civil Code is ${MAINTENANCE_FUND_MEASURES} 第二十二条 (danger to the building's safety: repair at once, the owners told afterwards), from general knowledge of the text. Applied, as since, only on a project with a household register: without one the ledger cannot know whose fund pays.`,
};

const fundVoteCivilCode: PolicyRule<VoteRequirement> = {
  ruleId: 'maintenance-fund-vote-civil-code',
  family: F.maintenanceFundVote,
  title: fundVoteTitle,
  source: law(
    CIVIL_CODE,
    '第二百七十八条第一款第（五）项、第二百八十一条第二款',
    '使用建筑物及其附属设施的维修资金；紧急情况下需要维修建筑物及其附属设施的，业主大会或者业主委员会可以依法申请使用建筑物及其附属设施的维修资金。',
  ),
  effectiveFrom: CIVIL_CODE_FROM,
  settings: { matter: 'fund_use', emergency: true },
  silence:
    'Applied only on a project with a household register: without one the ledger cannot know whose fund pays, and a receipt stands as recorded (its voteRef a reference only).',
};

const alterationTitle = {
  zh: '加装电梯等改建须经出资业主共同决定',
  en: 'An alteration (an elevator) needs the paying owners’ vote',
};

const alterationPropertyLaw: PolicyRule<VoteRequirement> = {
  ruleId: 'alteration-vote-property-law',
  family: F.alterationVote,
  title: alterationTitle,
  source: law(PROPERTY_LAW, '第七十六条第一款第（六）项', '改建、重建建筑物及其附属设施'),
  effectiveFrom: PROPERTY_LAW_FROM,
  effectiveTo: '2020-12-31',
  settings: { matter: 'alteration', items: ['elevator'], emergency: false },
};

const alterationCivilCode: PolicyRule<VoteRequirement> = {
  ruleId: 'alteration-vote-civil-code',
  family: F.alterationVote,
  title: alterationTitle,
  source: law(CIVIL_CODE, '第二百七十八条第一款第（七）项', '改建、重建建筑物及其附属设施'),
  effectiveFrom: CIVIL_CODE_FROM,
  settings: { matter: 'alteration', items: ['elevator'], emergency: false },
  silence:
    'A plan has no business date of its own: it is judged by the day its vote was held, and one that names no vote by this version, the rule as it stands.',
};

const providentWithinShare: PolicyRule<{ planRequired: true; limit: 'outstanding_share' }> = {
  ruleId: 'provident-fund-within-share-local',
  family: F.providentWithinShare,
  title: {
    zh: '提取住房公积金不超过本户应分摊份额',
    en: "A provident-fund withdrawal finances the household's own share, never more",
  },
  source: localSource('domain.md §4 R-CS7, §9'),
  effectiveFrom: LEDGER_FIRST_DAY,
  settings: { planRequired: true, limit: 'outstanding_share' },
  silence:
    "The seed only allows the withdrawal (四(一)); the limits are the fund centres' typical rules (domain.md §1 [K]: within the household's allocated share, by the owner or spouse, against the sharing agreement), not checked against Chongqing's. The ledger requires the share (a plan and a household) and holds the withdrawal to what the household still owes.",
};

const netCost: PolicyRule<{ base: 'estimated_cost_less_other_sources_and_plans' }> = {
  ruleId: 'residents-share-net-cost-local',
  family: F.netCost,
  title: { zh: '居民分摊以扣除其他资金后的费用为限', en: 'Residents share the cost net of other sources' },
  source: localSource('domain.md §4 R-CS6'),
  effectiveFrom: LEDGER_FIRST_DAY,
  settings: { base: 'estimated_cost_less_other_sources_and_plans' },
  silence:
    'The seed says "谁受益、谁出资" (四(一)) but not what residents share when other money pays part of a line: the ledger takes the estimated cost less what other sources put on the line and less the other plans on it, so no line is funded beyond its cost.',
};

export const RESIDENTS_RULES: readonly PolicyRule[] = [
  propertyLaw76,
  civilCode278,
  fundVotePropertyLaw,
  fundVoteCivilCode,
  alterationPropertyLaw,
  alterationCivilCode,
  providentWithinShare,
  netCost,
];
