import { PolicyRule } from '../policy-rule';
import { SEED } from './sources';

/**
 * The rules of a project's life (domain.md §2): what comes before what, the publicity's length,
 * who reviews and who accepts, the exemptions from permits and their facts, the filing deadline.
 * Each milestone is judged by the rule in force on its own business date; where no rule of a
 * family is in force then (a joint review held before the seed), nothing of that family is
 * checked: the seed's requirements are not carried back to acts before it existed.
 */

export const LIFECYCLE_FAMILIES = {
  milestoneOrder: 'milestone-order',
  publicityMinimum: 'publicity-minimum',
  jointReview: 'joint-review',
  landProcedureExemptions: 'land-procedure-exemptions',
  planningPermitExemptions: 'planning-permit-exemptions',
  drawingReviewExemptions: 'drawing-review-exemptions',
  constructionPermitExemptions: 'construction-permit-exemptions',
  jointAcceptance: 'joint-acceptance',
  acceptanceFiling: 'acceptance-filing',
} as const;
const F = LIFECYCLE_FAMILIES;

const QUALITY_REGULATIONS = '《建设工程质量管理条例》（国务院令第279号）';
/** 国务院令第279号 took effect on the day it was published. */
const QUALITY_REGULATIONS_FROM = '2000-01-30';

/**
 * What a milestone may need recorded before it, on or before its own date: the project's
 * approval, or a milestone (a joint acceptance counts once it passed).
 */
export const STAGES = [
  'approval',
  'construction_started',
  'construction_completed',
  'joint_acceptance_passed',
] as const;
export type Stage = (typeof STAGES)[number];

export interface MilestoneOrderSettings {
  /** By milestone kind: what must be recorded first. A kind not listed needs nothing. */
  prerequisites: Readonly<Record<string, readonly Stage[]>>;
}

/** The order works happen in, whatever the rules of procedure: what the seed's order adds to. */
const WORKS_ORDER: Readonly<Record<string, readonly Stage[]>> = {
  construction_completed: ['construction_started'],
  joint_acceptance: ['construction_completed'],
  acceptance_report_filed: ['joint_acceptance_passed'],
  handover: ['joint_acceptance_passed'],
  management_model: ['joint_acceptance_passed'],
};

export interface PublicitySettings {
  /**
   * The shortest publicity, in days counted as 民法典 第二百零一条 counts a period (the day it
   * starts is not counted): the notice stays up at least until `startDate + minimumDays`.
   */
  minimumDays: number;
}

/** The units a joint review or a joint acceptance names (the seed's words; labels in Chinese below). */
export const REVIEW_UNITS = {
  housing_commission: '区住房城乡建委',
  development_reform: '区发展改革委',
  finance_bureau: '区财政局',
  planning_natural_resources: '区规划自然资源局',
  urban_management: '区城市管理局',
  town_office: '属地街道（镇）',
  community: '社区',
  pipeline_units: '专业经营单位',
} as const;
export type ReviewUnit = keyof typeof REVIEW_UNITS;
/** The codes a request names a unit by (Object.keys keeps the literal's order). */
export const REVIEW_UNIT_CODES = Object.keys(REVIEW_UNITS) as readonly ReviewUnit[];

export const ACCEPTANCE_PARTICIPANTS = {
  construction_unit: '建设业主单位',
  town_office: '相关部门（镇街）',
  contractor: '参建单位',
  supervisor: '监理单位',
  designer: '设计单位',
  community: '社区',
  resident_representative: '居民代表',
} as const;
export type AcceptanceParticipant = keyof typeof ACCEPTANCE_PARTICIPANTS;
export const PARTICIPANT_CODES = Object.keys(ACCEPTANCE_PARTICIPANTS) as readonly AcceptanceParticipant[];

/** The units the seed names beside the lead: "区发展改革委、区财政局、区规划自然资源局、区城市管理局等部门和属地街道、社区". */
export const SEED_JOINT_REVIEWERS: readonly ReviewUnit[] = [
  'development_reform',
  'finance_bureau',
  'planning_natural_resources',
  'urban_management',
  'town_office',
  'community',
];

export interface JointReviewSettings {
  lead: ReviewUnit;
  requiredReviewers: readonly ReviewUnit[];
}
export interface JointAcceptanceSettings {
  lead: ReviewUnit;
  requiredParticipants: readonly AcceptanceParticipant[];
}

/** High-risk works that bar an exemption (the seed's words). */
export const HAZARDS = {
  high_slope: '高边坡',
  deep_pit: '深基坑',
  high_fill: '高填方',
  work_at_height: '高空作业',
  heavy_lifting: '重物吊装',
} as const;
export type Hazard = keyof typeof HAZARDS;
export const HAZARD_CODES = Object.keys(HAZARDS) as readonly Hazard[];

export interface ExemptionSettings {
  /** Each exemption the clause allows, by its code, with the words that allow it. */
  exemptions: Readonly<Record<string, string>>;
  /** Hundredths of a m²: added building area below this allows the area exemption. */
  addedAreaBelowHundredths?: bigint;
  /** An investment below this allows the investment exemption. */
  investmentBelowFen?: bigint;
  /** Whether "以下" takes in the bound itself (an area of exactly 500.00 m²). */
  boundInclusive?: boolean;
  /** High-risk works that bar the exemptions that name them. */
  hazards?: readonly Hazard[];
}

export interface FilingSettings {
  /** Days after the acceptance passed, counted as 民法典 第二百零一条、第二百零三条 count them. */
  days: number;
}

/** The seed's "以下" bounds: only the 1000万 clause says "（含）" (domain.md §2.12). */
const BOUND_SILENCE =
  'Only the approval clause says whether its bound is included ("（含 1000 万元）"); for "以下" here the seed is silent. By legislative convention "以下" includes the bound, but the ledger takes the conservative reading (boundInclusive: false): at exactly the bound the exemption is refused and a permit or review is needed (domain.md §2.12, §7).';

export const LIFECYCLE_RULES: readonly PolicyRule[] = [
  {
    ruleId: 'milestone-order-quality-regulations',
    family: F.milestoneOrder,
    title: {
      zh: '竣工验收在完工之后，备案、交付在验收合格之后',
      en: 'Acceptance after completion; filing and handover after the acceptance passed',
    },
    source: {
      document: QUALITY_REGULATIONS,
      clause: '第十六条、第四十九条',
      quote:
        '建设单位收到建设工程竣工报告后，应当组织设计、施工、工程监理等有关单位进行竣工验收。……建设工程经验收合格的，方可交付使用。（第十六条）建设单位应当自建设工程竣工验收合格之日起15日内，将建设工程竣工验收报告和规划、公安消防、环保等部门出具的认可文件或者准许使用文件报建设行政主管部门或者其他有关部门备案。（第四十九条）',
      provenance: 'national',
      verified: false,
    },
    effectiveFrom: QUALITY_REGULATIONS_FROM,
    effectiveTo: SEED.dayBefore,
    settings: { prerequisites: WORKS_ORDER } satisfies MilestoneOrderSettings,
  },
  {
    ruleId: 'milestone-order-seed',
    family: F.milestoneOrder,
    title: {
      zh: '实施程序：可研（立项）后招标；完工后联合竣工验收；验收合格后备案、移交、确定管理模式',
      en: 'Procedure: tender after approval; joint acceptance after completion; filing, handover and management after it passed',
    },
    source: {
      document: SEED.document,
      clause: '三(四)1、三(四)3',
      quote:
        '老旧小区改造提升工程完成项目可研后，依法进行公开招标，其他建设手续按相关程序办理。……项目完工后，由区住房城乡建委牵头……进行联合竣工验收。竣工验收合格 15 日内，建设单位将竣工验收报告报区住房城乡建委备案……工程验收通过后，对于改造部位属于市政公用设施设备的，按规定交由专业单位做好管理维护；属于业主专有部位的，移交业主自行管理；对于其他属于业主共有部位的，由建设单位、社区居委会、居民代表商讨确定管理模式',
      provenance: 'seed',
      verified: true,
    },
    effectiveFrom: SEED.effectiveFrom,
    settings: {
      prerequisites: { tender: ['approval'], contract: ['approval'], ...WORKS_ORDER },
    } satisfies MilestoneOrderSettings,
    silence:
      "The seed orders the tender after the feasibility study (可研), that is after the approval; the ledger holds the contract, the tender's outcome, to the same order. It sets no order for consultation, publicity, review, permits and the start of works: those are recorded in any order, and the red flags (RF-11) find a start before its permits.",
  },
  {
    ruleId: 'publicity-minimum-seed',
    family: F.publicityMinimum,
    title: { zh: '改造内容公示（公示期不少于 7 日）', en: 'Publicity of the renovation content (at least 7 days)' },
    source: {
      document: SEED.document,
      clause: '三(一)',
      quote: '同时，将小区改造内容全部进行公示，接受社区居民、业主委员会、产权单位、物业服务企业等社会监督。',
      provenance: 'seed',
      verified: true,
    },
    effectiveFrom: SEED.effectiveFrom,
    settings: { minimumDays: 7 } satisfies PublicitySettings,
    silence:
      'The seed requires the publicity and sets no length (domain.md §7). The ledger asks for 7 days, counted as 民法典 第二百零一条 counts a period (the posting day not counted): a week gives every household, working or not, a weekend to read and object; a shorter minimum would let a notice posted and taken down in a day or two count as publicity, while a longer one refuses nothing a careful street office does. A setting, to change once the district fixes one.',
  },
  {
    ruleId: 'joint-review-seed',
    family: F.jointReview,
    title: { zh: '改造方案联合审查', en: 'Joint review of the renovation plan' },
    source: {
      document: SEED.document,
      clause: '三(二)',
      quote:
        '由区住房城乡建委会同区发展改革委、区财政局、区规划自然资源局、区城市管理局等部门和属地街道、社区联合审查老旧小区改造提升方案。',
      provenance: 'seed',
      verified: true,
    },
    effectiveFrom: SEED.effectiveFrom,
    settings: { lead: 'housing_commission', requiredReviewers: SEED_JOINT_REVIEWERS } satisfies JointReviewSettings,
  },
  {
    ruleId: 'land-procedure-exemptions-seed',
    family: F.landProcedureExemptions,
    title: {
      zh: '用地预审和用地规划许可的免办情形',
      en: 'When land pre-review and land-use planning permits are not needed',
    },
    source: {
      document: SEED.document,
      clause: '三(三)2',
      quote:
        '不涉及新增建设用地的，无需办理用地预审与选址意见书、用地规划许可（或者建设用地规划审查意见）。非独立占地的项目无需办理用地预审和用地规划许可。不涉及土地权属变化的项目，可用已有用地手续等材料作为土地证明文件，无需再办理用地手续。',
      provenance: 'seed',
      verified: true,
    },
    effectiveFrom: SEED.effectiveFrom,
    settings: {
      exemptions: {
        no_new_construction_land: '不涉及新增建设用地的，无需办理用地预审与选址意见书、用地规划许可',
        non_independent_land_use: '非独立占地的项目无需办理用地预审和用地规划许可',
        no_land_right_change: '不涉及土地权属变化的项目，可用已有用地手续等材料作为土地证明文件，无需再办理用地手续',
      },
    } satisfies ExemptionSettings,
  },
  {
    ruleId: 'planning-permit-exemptions-seed',
    family: F.planningPermitExemptions,
    title: { zh: '免于办理建设工程规划许可的情形', en: 'When no construction-works planning permit is needed' },
    source: {
      document: SEED.document,
      clause: '三(三)3',
      quote:
        '不影响安全疏散且不涉及新增建筑面积的屋顶美化；不改变房屋登记属性对建筑产权单元内部空间进行改造或技术升级的装修行为；在项目权属用地范围内加装消防疏散楼梯、电动扶梯、电动汽车充电桩、快递柜、通信基站、运动健身设施等设施设备且不涉及增加建筑面积、不涉及相邻关系的；不涉及改变消防通道、扑救场地的道路的地面铺装、广场、绿地等环境景观设计等情形免于办理建设工程规划许可。',
      provenance: 'seed',
      verified: true,
    },
    effectiveFrom: SEED.effectiveFrom,
    settings: {
      exemptions: {
        roof_beautification: '不影响安全疏散且不涉及新增建筑面积的屋顶美化',
        interior_renovation: '不改变房屋登记属性对建筑产权单元内部空间进行改造或技术升级的装修行为',
        facility_installation:
          '在项目权属用地范围内加装消防疏散楼梯、电动扶梯、电动汽车充电桩、快递柜、通信基站、运动健身设施等设施设备且不涉及增加建筑面积、不涉及相邻关系的',
        landscaping: '不涉及改变消防通道、扑救场地的道路的地面铺装、广场、绿地等环境景观设计',
      },
    } satisfies ExemptionSettings,
  },
  {
    ruleId: 'drawing-review-exemptions-seed',
    family: F.drawingReviewExemptions,
    title: { zh: '可不办理施工图审查的情形', en: 'When no construction-drawing review is needed' },
    source: {
      document: SEED.document,
      clause: '三(三)4',
      quote:
        '不变动结构或不增加建筑面积的低风险项目，实行项目建设单位告知承诺制的，可不办理施工图审查手续；涉及新建、改建、扩建的项目，增加建筑面积在 1000 平方米以下的（有高边坡、深基坑、高填方的除外），可不办理施工图审查手续。',
      provenance: 'seed',
      verified: true,
    },
    effectiveFrom: SEED.effectiveFrom,
    settings: {
      exemptions: {
        low_risk_commitment:
          '不变动结构或不增加建筑面积的低风险项目，实行项目建设单位告知承诺制的，可不办理施工图审查手续',
        added_area_below_1000m2:
          '涉及新建、改建、扩建的项目，增加建筑面积在 1000 平方米以下的（有高边坡、深基坑、高填方的除外），可不办理施工图审查手续',
      },
      addedAreaBelowHundredths: 1000_00n,
      boundInclusive: false,
      hazards: ['high_slope', 'deep_pit', 'high_fill'],
    } satisfies ExemptionSettings,
    silence: BOUND_SILENCE,
  },
  {
    ruleId: 'construction-permit-exemptions-seed',
    family: F.constructionPermitExemptions,
    title: { zh: '可不办理施工许可的情形', en: 'When no construction permit is needed' },
    source: {
      document: SEED.document,
      clause: '三(三)5',
      quote:
        '不涉及变动结构或者增加建筑面积的项目（有高边坡、深基坑、高填方、高空作业、重物吊装等高风险施工的除外）可不办理施工许可手续；涉及新建、改建、扩建的项目，增加建筑面积在 500 平方米以下或工程投资额在 100 万元以下的，可不办理施工许可手续。',
      provenance: 'seed',
      verified: true,
    },
    effectiveFrom: SEED.effectiveFrom,
    settings: {
      exemptions: {
        no_structure_or_area_change:
          '不涉及变动结构或者增加建筑面积的项目（有高边坡、深基坑、高填方、高空作业、重物吊装等高风险施工的除外）可不办理施工许可手续',
        added_area_below_500m2_or_investment_below_1m:
          '涉及新建、改建、扩建的项目，增加建筑面积在 500 平方米以下或工程投资额在 100 万元以下的，可不办理施工许可手续',
      },
      addedAreaBelowHundredths: 500_00n,
      investmentBelowFen: 100_0000_00n,
      boundInclusive: false,
      hazards: ['high_slope', 'deep_pit', 'high_fill', 'work_at_height', 'heavy_lifting'],
    } satisfies ExemptionSettings,
    silence: `${BOUND_SILENCE} Note the OR: either an added area below 500 m² or an investment below 1,000,000.00 allows this exemption.`,
  },
  {
    ruleId: 'joint-acceptance-seed',
    family: F.jointAcceptance,
    title: { zh: '联合竣工验收（含居民代表）', en: 'Joint completion acceptance, with resident representatives' },
    source: {
      document: SEED.document,
      clause: '三(四)3',
      quote:
        '项目完工后，由区住房城乡建委牵头，会同建设业主单位等相关部门（镇街）、参建单位、（社区）及部分居民代表进行联合竣工验收。',
      provenance: 'seed',
      verified: true,
    },
    effectiveFrom: SEED.effectiveFrom,
    settings: {
      lead: 'housing_commission',
      requiredParticipants: ['construction_unit', 'contractor', 'resident_representative'],
    } satisfies JointAcceptanceSettings,
    silence:
      'The seed puts the towns and the community in parentheses ("相关部门（镇街）", "（社区）"): the ledger requires the units it names outright (the construction unit, the contractors, resident representatives) and records the others when present.',
  },
  {
    ruleId: 'acceptance-filing-quality-regulations',
    family: F.acceptanceFiling,
    title: { zh: '竣工验收合格之日起 15 日内备案', en: 'Filing within 15 days of the acceptance' },
    source: {
      document: QUALITY_REGULATIONS,
      clause: '第四十九条',
      quote:
        '建设单位应当自建设工程竣工验收合格之日起15日内，将建设工程竣工验收报告和规划、公安消防、环保等部门出具的认可文件或者准许使用文件报建设行政主管部门或者其他有关部门备案。',
      provenance: 'national',
      verified: false,
    },
    effectiveFrom: QUALITY_REGULATIONS_FROM,
    effectiveTo: SEED.dayBefore,
    settings: { days: 15 } satisfies FilingSettings,
  },
  {
    ruleId: 'acceptance-filing-seed',
    family: F.acceptanceFiling,
    title: { zh: '竣工验收合格 15 日内报区住房城乡建委备案', en: 'Filing with the housing commission within 15 days' },
    source: {
      document: SEED.document,
      clause: '三(四)3',
      quote: '竣工验收合格 15 日内，建设单位将竣工验收报告报区住房城乡建委备案，同时完善相关档案资料备查。',
      provenance: 'seed',
      verified: true,
    },
    effectiveFrom: SEED.effectiveFrom,
    settings: { days: 15 } satisfies FilingSettings,
  },
];
