/**
 * The yardsticks of the red flags (domain.md §6, RF-xx): the rule each flag says was broken, with
 * its source, the business dates it judges, and its thresholds as settings. A flag is judged by
 * the version in force on the business date it became true (its `raisedAt`); a flag whose date no
 * version covers is not raised, because the ledger knows no rule it broke then. Where no document
 * the ledger holds sets a threshold, the rule is a local setting and says why (`silence`).
 *
 * One family per finding, so a flag cites the rule of what it found: RF-04 has two (the budget
 * above the approved investment, and the 10,000,000 crossing). Flags of rules the deciders apply
 * (the earmarks, central double support, the maintenance fund's vote) cite those rules instead.
 */
import { PolicyRule } from '../policy-rule';
import {
  CIVIL_CODE,
  CIVIL_CODE_FROM,
  INVESTMENT_REGULATIONS,
  LEDGER_FIRST_DAY,
  PROPERTY_LAW,
  PROPERTY_LAW_FROM,
  SEED,
  beforeSeed,
  localSource,
  seedSource,
} from './sources';
import { SEED_APPROVAL_PATH } from './approval.rules';

export const RED_FLAG_FAMILIES = {
  moneyBeforeApproval: 'red-flag-money-before-approval',
  paymentsBeyondMoney: 'red-flag-payments-beyond-money',
  costOverrun: 'red-flag-cost-overrun',
  thresholdCrossing: 'red-flag-threshold-crossing',
  lineOverfunded: 'red-flag-line-overfunded',
  centralBeyondEligible: 'red-flag-central-beyond-eligible',
  idleMoney: 'red-flag-idle-money',
  districtMatching: 'red-flag-district-matching',
  residentsShare: 'red-flag-residents-share',
  costShareIntegrity: 'red-flag-cost-share-integrity',
  centralOnEnhancement: 'red-flag-central-on-enhancement',
  consultationBeforeApproval: 'red-flag-consultation-before-approval',
  worksWithoutPermit: 'red-flag-works-without-permit',
  paymentBeforeContract: 'red-flag-payment-before-contract',
  paymentsBeyondContract: 'red-flag-payments-beyond-contract',
  communityCompletedTwice: 'red-flag-community-completed-twice',
  pipelineUnmet: 'red-flag-pipeline-unmet',
} as const;
export type RedFlagFamily = (typeof RED_FLAG_FAMILIES)[keyof typeof RED_FLAG_FAMILIES];
const F = RED_FLAG_FAMILIES;

/** Idle money (RF-14): days a sum may wait before it counts as idle, per kind of wait. */
export interface IdleMoneySettings {
  /** Received on a project and not paid. */
  receivedUnpaidDays: number;
  /** Issued to a fund batch and not allocated to a project. */
  batchUnallocatedDays: number;
  /** Allocated to a project and never drawn (no receipt on the allocation). */
  allocatedNotReceivedDays: number;
}

/** District matching (RF-15): when a year's commitment is due, and an optional floor on matching ÷ central money. */
export interface DistrictMatchingSettings {
  /** Days after the end of the commitment's fiscal year by which the money must be in place. */
  graceDays: number;
  /** District matching received ÷ central money received below this (a decimal string, "0.20") is flagged; null: off. */
  minimumRatio: string | null;
}

/** Residents' shares (RF-16): days after a plan is adopted by which its shares are expected paid. */
export interface ResidentsShareSettings {
  shareDueDays: number;
}

/** The project approval threshold: from this investment (included) the merged feasibility study applies. */
export interface ThresholdSettings {
  thresholdAmount: string;
}

/** The items central money is eligible for (保基本): every item of these categories, and these items besides. */
export interface CentralEligibleSettings {
  categories: readonly string[];
  items: readonly string[];
}

/** Line categories central money should not pay (保基本). */
export interface CentralCategorySettings {
  categories: readonly string[];
}

export type NoSettings = Record<string, never>;

/**
 * The version of a rule of 《政府投资条例》 for acts before it took effect: the same settings, as
 * the ledger's own yardstick, since no document it holds governed them (beforeSeed's like).
 */
function beforeRegulations<S>(rule: PolicyRule<S>, why: string): PolicyRule<S> {
  return {
    ruleId: `${rule.ruleId}-before-regulations`,
    family: rule.family,
    title: {
      zh: `${rule.title.zh}（${INVESTMENT_REGULATIONS.document}施行前）`,
      en: `${rule.title.en} (before the regulations)`,
    },
    source: localSource(
      `acts dated before ${INVESTMENT_REGULATIONS.document} took effect (${INVESTMENT_REGULATIONS.effectiveFrom})`,
    ),
    effectiveFrom: LEDGER_FIRST_DAY,
    effectiveTo: '2019-06-30',
    settings: rule.settings,
    silence: why,
  };
}

const moneyBeforeApproval: PolicyRule<NoSettings> = {
  ruleId: 'red-flag-money-before-approval',
  family: F.moneyBeforeApproval,
  title: { zh: '项目批复前收到或支付资金', en: 'Money received or paid before the project was approved' },
  source: {
    document: INVESTMENT_REGULATIONS.document,
    clause: '第九条',
    quote:
      '政府采取直接投资方式、资本金注入方式投资的项目（以下统称政府投资项目），项目单位应当编制项目建议书、可行性研究报告、初步设计，按照政府投资管理权限和规定的程序，报投资主管部门或者其他有关部门审批。',
    provenance: 'national',
    verified: false,
  },
  effectiveFrom: INVESTMENT_REGULATIONS.effectiveFrom,
  settings: {},
  silence:
    'The article requires the approval; that money should not reach a project before it is approved is what the audits found broken (domain.md §6: funds before approval). Public copies word the article differently: to be checked against the official text.',
};

const paymentsBeyondMoney: PolicyRule<NoSettings> = {
  ruleId: 'red-flag-payments-beyond-money',
  family: F.paymentsBeyondMoney,
  title: {
    zh: '支出超过到位资金或已分配指标',
    en: 'Payments beyond the money received, or beyond the allocated indicator',
  },
  source: localSource(
    'domain.md §6 RF-02: a payment spends money received; under 预算管理一体化 every payment uses indicator',
  ),
  effectiveFrom: LEDGER_FIRST_DAY,
  settings: {},
  silence:
    'The ledger refuses such a payment (disbursement-exceeds-receipts, disbursement-exceeds-allocation); the flag finds it in history written before those checks, or brought in by an import. No document is quoted: money paid must first be there.',
};

const costOverrun: PolicyRule<NoSettings> = {
  ruleId: 'red-flag-cost-overrun',
  family: F.costOverrun,
  title: {
    zh: '概算调整超过批复投资未重新报批',
    en: 'Budget above the approved investment without a new approval',
  },
  source: {
    document: INVESTMENT_REGULATIONS.document,
    clause: '第二十三条',
    quote:
      '政府投资项目建设投资原则上不得超过经核定的投资概算。因国家政策调整、价格上涨、地质条件发生重大变化等原因确需增加投资概算的，项目单位应当提出调整方案及资金来源，按照规定的程序报原初步设计审批部门或者投资概算核定部门核定',
    provenance: 'national',
    verified: true,
  },
  effectiveFrom: INVESTMENT_REGULATIONS.effectiveFrom,
  settings: {},
};

const thresholdCrossing: PolicyRule<ThresholdSettings> = {
  ruleId: 'red-flag-threshold-crossing',
  family: F.thresholdCrossing,
  title: {
    zh: '总投资跨过1000万元未按合并可研重新审批',
    en: 'Investment across 10,000,000.00 without approval on the merged feasibility study',
  },
  source: seedSource(
    '三(三)1',
    '总投资在 1000 万元以上（含 1000 万元）且不涉及功能独立配套基础设施的项目，将项目建议书、可行性研究报告、概算合并为可行性研究报告审批。',
  ),
  effectiveFrom: SEED.effectiveFrom,
  settings: { thresholdAmount: SEED_APPROVAL_PATH.mergedFsrFrom },
};

const lineOverfunded: PolicyRule<NoSettings> = {
  ruleId: 'red-flag-line-overfunded',
  family: F.lineOverfunded,
  title: { zh: '单项资金来源合计超过该项概算', en: "Sources on a budget line beyond the line's estimated cost" },
  source: localSource('domain.md §6 RF-05 and §4 R-CS6: the sources assigned to a line may not exceed its cost'),
  effectiveFrom: LEDGER_FIRST_DAY,
  settings: {},
  silence:
    "Money earmarked to a line (pledged, or received without a pledge on the line) above its estimate is money the line cannot spend: the estimate caps the line's payments (a revision is a new line, approved again). No document states it in these words.",
};

const centralBeyondEligible: PolicyRule<CentralEligibleSettings> = {
  ruleId: 'red-flag-central-beyond-eligible',
  family: F.centralBeyondEligible,
  title: {
    zh: '中央补助资金超过可支持内容的概算',
    en: 'Central money beyond the estimated cost of the lines it may pay for',
  },
  source: localSource(
    'domain.md §3 allowed-category matrix and §6 RF-05 (central subsidy → basic, elevator, energy saving)',
  ),
  effectiveFrom: LEDGER_FIRST_DAY,
  settings: { categories: ['basic'], items: ['elevator', 'energy_saving'] },
  silence:
    "国办发〔2020〕23号 asks central money to keep to the basic content (保基本); its words are not in the ledger's copy (domain.md [N23]), and elevators and energy saving are taken as eligible from general knowledge [K]. A setting until the district confirms the matrix.",
};

const idleMoney: PolicyRule<IdleMoneySettings> = {
  ruleId: 'red-flag-idle-money',
  family: F.idleMoney,
  title: { zh: '资金闲置', en: 'Idle money' },
  source: localSource('domain.md §6 RF-14: the audits\' yardstick, "闲置一年以上"'),
  effectiveFrom: LEDGER_FIRST_DAY,
  settings: { receivedUnpaidDays: 365, batchUnallocatedDays: 365, allocatedNotReceivedDays: 365 },
  silence:
    'No document the ledger holds sets when money becomes idle. The national audits count money idle for more than a year (审计署 2016: 532.3亿 idle for more than a year; Hainan 2019), so a year is the default for each kind of wait.',
};

const districtMatching: PolicyRule<DistrictMatchingSettings> = {
  ruleId: 'red-flag-district-matching',
  family: F.districtMatching,
  title: { zh: '区级配套资金未按承诺到位', en: 'District matching below what was committed' },
  source: seedSource('四(四)', '区政府加大本级财政资金的统筹力度，落实老旧小区改造区级配套资金。'),
  effectiveFrom: SEED.effectiveFrom,
  settings: { graceDays: 0, minimumRatio: null },
  silence:
    'The seed says the matching must be put in place, not by when nor in what proportion to central money. A commitment (a pledge, or a batch allocation) is due by the end of its fiscal year (预算法 第十八条: the calendar year); the ratio check is off until the district sets one (the audits compare them, domain.md §6 [A]).',
};

const districtMatchingBefore = beforeSeed(
  districtMatching,
  "Before the seed, the ledger's own yardstick: a commitment of district money is due by the end of its fiscal year.",
);

const residentsShare: PolicyRule<ResidentsShareSettings> = {
  ruleId: 'red-flag-residents-share',
  family: F.residentsShare,
  title: { zh: '居民出资未落实（共担机制执行不到位）', en: "Residents' shares unpaid (cost sharing not applied)" },
  source: seedSource(
    '四(一)',
    '按照谁受益、谁出资原则，积极推动居民出资参与改造提升，可通过直接出资、使用（补建、续筹）住宅专项维修资金、让渡小区公共收益等方式落实。',
  ),
  effectiveFrom: SEED.effectiveFrom,
  settings: { shareDueDays: 365 },
  silence:
    "The seed sets no date by which residents pay. A year after the plan is adopted is the ledger's default; the district sets another.",
};

const residentsShareBefore = beforeSeed(
  residentsShare,
  "Before the seed, the ledger's own yardstick: a plan's shares paid within a year.",
);

const costShareIntegrity: PolicyRule<NoSettings> = {
  ruleId: 'red-flag-cost-share-integrity',
  family: F.costShareIntegrity,
  title: {
    zh: '费用分摊方案与其依据不符',
    en: 'A cost-sharing plan that does not hold together',
  },
  source: {
    document: CIVIL_CODE,
    clause: '第二百八十三条',
    quote:
      '建筑物及其附属设施的费用分摊、收益分配等事项，有约定的，按照约定；没有约定或者约定不明确的，按照业主专有部分面积所占比例确定。',
    provenance: 'law',
    verified: true,
  },
  effectiveFrom: CIVIL_CODE_FROM,
  settings: {},
};

const costShareIntegrityBefore: PolicyRule<NoSettings> = {
  ruleId: 'red-flag-cost-share-integrity-property-law',
  family: F.costShareIntegrity,
  title: { zh: '费用分摊方案与其依据不符', en: 'A cost-sharing plan that does not hold together' },
  source: {
    document: PROPERTY_LAW,
    clause: '第八十条',
    quote:
      '建筑物及其附属设施的费用分摊、收益分配等事项，有约定的，按照约定；没有约定或者约定不明确的，按照业主专有部分占建筑物总面积的比例确定。',
    provenance: 'law',
    verified: false,
  },
  effectiveFrom: PROPERTY_LAW_FROM,
  effectiveTo: '2020-12-31',
  settings: {},
};

const centralOnEnhancement: PolicyRule<CentralCategorySettings> = {
  ruleId: 'red-flag-central-on-enhancement',
  family: F.centralOnEnhancement,
  title: { zh: '中央补助资金用于提升类内容', en: 'Central money on enhancement items (保基本)' },
  source: localSource('domain.md §1 and §6 RF-21 (国办发〔2020〕23号: central money 保基本)'),
  effectiveFrom: LEDGER_FIRST_DAY,
  settings: { categories: ['enhancement'] },
  silence:
    "国办发〔2020〕23号 asks central money to keep to the basic content (保基本); its words are not in the ledger's copy (domain.md [N23]), so the rule is a setting until they are quoted.",
};

const consultationBeforeApproval: PolicyRule<NoSettings> = {
  ruleId: 'red-flag-consultation-before-approval',
  family: F.consultationBeforeApproval,
  title: {
    zh: '项目生成前未征求居民意见或未公示改造内容',
    en: "A project approved without the residents' consultation or the publicity of its content before it",
  },
  source: seedSource(
    '三(一)',
    '改造前由街道办事处、社区（居委会）通过召开业主大会、发放问卷调查、入户走访、公开征求意见等方式充分征求居民意愿需求，结合小区实际形成“菜单式”改造内容，生成项目。同时，将小区改造内容全部进行公示，接受社区居民、业主委员会、产权单位、物业服务企业等社会监督。',
  ),
  effectiveFrom: SEED.effectiveFrom,
  settings: {},
};

const worksWithoutPermit: PolicyRule<NoSettings> = {
  ruleId: 'red-flag-works-without-permit',
  family: F.worksWithoutPermit,
  title: {
    zh: '开工前未记录施工许可（或免于施工许可的认定）、施工合同或项目批复',
    en: 'Works started before a construction permit (or its exemption), a contract or the approval was recorded',
  },
  source: localSource('domain.md §6 RF-11: works started without a recorded permit or exemption'),
  effectiveFrom: LEDGER_FIRST_DAY,
  settings: {},
  silence:
    "《建筑法》 第七条 asks for a construction permit before works start; its words are not in the ledger's copy. The seed (三(三)) lists the cases exempt from it. Until the text is quoted, the order is the ledger's yardstick: a determination (a permit number or an exemption), a contract and the approval dated on or before the start (the ledger records a start without them, lifecycle.ts).",
};

const paymentBeforeContract: PolicyRule<NoSettings> = {
  ruleId: 'red-flag-payment-before-contract',
  family: F.paymentBeforeContract,
  title: { zh: '合同签订前向承包单位付款', en: 'A contractor paid before its contract was signed' },
  source: localSource('domain.md §6 RF-01: a payment to a contractor before ContractSigned'),
  effectiveFrom: LEDGER_FIRST_DAY,
  settings: {},
  silence:
    "No document the ledger holds words it; the audits count payments without a contract among irregular payments. Payments are matched to contracts by the payee's name as written (a payment records no credit code), and only payees that have a contract in the log are judged, so that payments to other parties (fees, residents) are not flagged.",
};

const paymentsBeyondContract: PolicyRule<NoSettings> = {
  ruleId: 'red-flag-payments-beyond-contract',
  family: F.paymentsBeyondContract,
  title: {
    zh: '进度款超过合同约定（完工前超过合同价款的约定比例，或超过合同价款）',
    en: "Payments beyond a contract's terms: above its progress-payment cap before completion, or above its amount",
  },
  source: localSource('domain.md §6 RF-03 (the Renshou audit: 进度款超合同约定支付)'),
  effectiveFrom: LEDGER_FIRST_DAY,
  settings: {},
  silence:
    "The caps are the contract's own (paymentTerms.progressPaymentCapPercent), recorded when it was signed; no document the ledger holds sets one. Payments count against the contracts of their payee (matched by name as written) signed by their date; before the works are completed the cap applies, after, the contract's amount (a settlement is not recorded yet).",
};

const communityCompletedTwice: PolicyRule<NoSettings> = {
  ruleId: 'red-flag-community-completed-twice',
  family: F.communityCompletedTwice,
  title: { zh: '同一小区重复计为完成改造', en: 'One community counted as completed twice' },
  source: localSource("domain.md §6 RF-13 (the audits' 重复申报、抵顶任务)"),
  effectiveFrom: LEDGER_FIRST_DAY,
  settings: {},
  silence:
    'The national audits of 安居工程 name duplicate applications and counting one task against another; no document the ledger holds words a rule. A community is its town and name as registered; it counts as completed by a joint acceptance that passed.',
};

const pipelineUnmet: PolicyRule<NoSettings> = {
  ruleId: 'red-flag-pipeline-unmet',
  family: F.pipelineUnmet,
  title: {
    zh: '管线单位至竣工验收时未承诺或未出资',
    en: 'A pipeline utility that had pledged or paid nothing for its works by the joint acceptance',
  },
  source: seedSource(
    '四(二)',
    '落实管线单位出资。引导供水、供电、燃气、通信、邮政、广电等单位履行社会责任，承担相关管线设施设备的改造资金',
  ),
  effectiveFrom: SEED.effectiveFrom,
  settings: {},
};

/**
 * The red flags' own rules. The flags of the earmarks (RF-06), of central double support (RF-13)
 * and of the maintenance fund's vote (RF-07) cite the rules the deciders apply (funding.rules.ts,
 * residents.rules.ts), so that a refusal and a flag of the same rule name the same id.
 */
export const RED_FLAG_RULES: readonly PolicyRule[] = [
  beforeRegulations(
    moneyBeforeApproval,
    "Before 《政府投资条例》, the ledger's own yardstick: money reaches a project once it is approved.",
  ),
  moneyBeforeApproval,
  paymentsBeyondMoney,
  beforeRegulations(
    costOverrun,
    "Before 《政府投资条例》, the ledger's own yardstick: a budget above the approved investment is approved again.",
  ),
  costOverrun,
  thresholdCrossing,
  lineOverfunded,
  centralBeyondEligible,
  idleMoney,
  districtMatchingBefore,
  districtMatching,
  residentsShareBefore,
  residentsShare,
  costShareIntegrityBefore,
  costShareIntegrity,
  centralOnEnhancement,
  consultationBeforeApproval,
  worksWithoutPermit,
  paymentBeforeContract,
  paymentsBeyondContract,
  communityCompletedTwice,
  pipelineUnmet,
];
