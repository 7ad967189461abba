/**
 * The rules on what each funding source may pay for (domain.md §1, §3 matrix, §9), the 一户一表
 * household fee, and the fiscal year money is booked to. Every seed rule has a version for acts
 * dated before the seed (sources.ts, `beforeSeed`).
 */
import { PolicyRule } from '../policy-rule';
import {
  BUDGET_LAW,
  LEDGER_FIRST_DAY,
  MAINTENANCE_FUND_MEASURES,
  SEED,
  beforeSeed,
  localSource,
  seedSource,
} from './sources';

export const FUNDING_FAMILIES = {
  providentEarmark: 'provident-fund-earmark',
  pipelineEarmark: 'pipeline-unit-earmark',
  pipelineDrainage: 'pipeline-unit-drainage',
  municipalPurpose: 'municipal-programme-purpose',
  maintenanceFundParts: 'maintenance-fund-common-parts',
  centralDoubleSupport: 'central-double-support',
  oneMeterFee: 'one-meter-household-fee',
  fiscalYear: 'fiscal-year',
} as const;
const F = FUNDING_FAMILIES;

/** A restricted source: it names the budget line it pays, and pays only the listed items. */
export interface ItemEarmark {
  lineRequired: true;
  items: readonly string[];
}

/** Pipeline money: the utilities that may pay, each only its own pipeline lines. */
export interface PipelinePayers {
  lineRequired: true;
  utilities: readonly string[];
}

/** Municipal programmes and the items each pays for; null: a general renovation fund, any line. */
export interface ProgrammePurposes {
  lineRequired: true;
  programmeItems: Readonly<Record<string, readonly string[] | null>>;
}

/** The maintenance fund: common parts only (an allow-list of items), never a utility's pipeline work. */
export interface CommonParts {
  items: readonly string[];
  pipelineWork: false;
}

/** Sources that may not support the same budget line. */
export interface ExclusiveSources {
  sources: readonly string[];
}

/** 一户一表: what each household pays per utility (fen); the utility pays the rest. */
export interface HouseholdFee {
  householdFeeFen: Readonly<Record<string, bigint>>;
}

/** The fiscal year is the calendar year; money of a year's budget may move this many years later (结转). */
export interface FiscalYearRule {
  carryOverYears: number;
}

const providentEarmark: PolicyRule<ItemEarmark> = {
  ruleId: 'provident-fund-earmark',
  family: F.providentEarmark,
  title: { zh: '住房公积金仅用于加装电梯等自住住房改造', en: 'Provident fund: elevators and own-home renovation only' },
  source: seedSource('四(一)', '支持提取住房公积金用于加装电梯等自住住房改造。'),
  effectiveFrom: SEED.effectiveFrom,
  settings: { lineRequired: true, items: ['elevator', 'own_home'] },
};

const pipelineEarmark: PolicyRule<PipelinePayers> = {
  ruleId: 'pipeline-unit-earmark',
  family: F.pipelineEarmark,
  title: {
    zh: '管线单位出资仅用于本单位相关管线设施设备改造',
    en: "Pipeline units pay only for their own utility's pipeline works",
  },
  source: seedSource(
    '四(二)',
    '引导供水、供电、燃气、通信、邮政、广电等单位履行社会责任，承担相关管线设施设备的改造资金',
  ),
  effectiveFrom: SEED.effectiveFrom,
  // The payers the seed names: 供水、供电、燃气、通信、邮政、广电. Drainage is its own (local) rule.
  settings: { lineRequired: true, utilities: ['water', 'power', 'gas', 'telecom', 'postal', 'broadcast'] },
};

const pipelineDrainage: PolicyRule<PipelinePayers> = {
  ruleId: 'pipeline-unit-drainage-local',
  family: F.pipelineDrainage,
  title: { zh: '排水单位出资（本地扩展）', en: 'Drainage company as a pipeline payer (local extension)' },
  source: localSource('domain.md §7, §9: 排水 as a pipeline payer'),
  effectiveFrom: LEDGER_FIRST_DAY,
  settings: { lineRequired: true, utilities: ['drainage'] },
  silence:
    "The seed names 排水 only among the pipeline works reviewed together (三(二): 供水、排水、电力、供气、通信等管线设施改造，纳入老旧小区改造提升方案一并联合审查), not among the units that pay (四(二)). A drainage company's money is taken, for drainage lines only, as a local extension the product owner may end (give this rule an effectiveTo): refusing it would leave money that did arrive unrecorded.",
};

const MUNICIPAL_PROGRAMME_ITEMS: ProgrammePurposes['programmeItems'] = {
  urban_renewal: null,
  shantytown: null,
  rental_housing: null,
  elderly_care: ['elderly_care', 'meal_aid', 'community_service_centre'],
  childcare: ['childcare'],
  health: ['public_health'],
  convenience: ['convenience_store', 'wet_market', 'housekeeping', 'community_service_centre'],
  parking: ['parking', 'ev_charging'],
  security: ['security', 'fire_safety'],
};

const municipalPurpose: PolicyRule<ProgrammePurposes> = {
  ruleId: 'municipal-programme-purpose',
  family: F.municipalPurpose,
  title: { zh: '市级专项资金按专项用途使用', en: 'Municipal special funds pay only for their own purpose' },
  source: seedSource(
    '四(四)',
    '用好市级与城镇老旧小区改造提升相关的城市更新、棚户区改造、住房租赁及养老、托幼、卫生健康、便民服务、停车、安防等专项资金。',
  ),
  effectiveFrom: SEED.effectiveFrom,
  settings: { lineRequired: true, programmeItems: MUNICIPAL_PROGRAMME_ITEMS },
  silence:
    "The seed lists the programmes, not what each pays for: the items of each are the ledger's reading of its name (domain.md §1: parking → 停车场 and charging, security → 安防 and fire safety, elderly care → 养老 and 助餐 …); urban renewal, shantytown and rental-housing money is taken as general renovation money, for any line.",
};

/**
 * Items the maintenance fund may pay for: the building's common parts and common facilities. An
 * allow-list: an item not named is refused, so an item added to the menu later pays from the fund
 * only once someone decides it is a common part.
 */
const COMMON_PART_ITEMS = [
  'drainage',
  'septic_tank',
  'road',
  'fire_safety',
  'security',
  'facade',
  'roof',
  'stair_railing',
  'canopy',
  'waste_sorting',
  'greening',
  'lighting',
  'boundary_wall',
  'culture_sports',
  'property_office',
  'elevator',
  'energy_saving',
];

const maintenanceFundParts: PolicyRule<CommonParts> = {
  ruleId: 'maintenance-fund-common-parts',
  family: F.maintenanceFundParts,
  title: {
    zh: '住宅专项维修资金仅用于共用部位、共用设施设备',
    en: 'Maintenance fund: common parts and common facilities only',
  },
  source: seedSource('四(一)', '支持住宅专项维修资金用于房屋公用部位、公用设施设备的维修、更新和改造。'),
  effectiveFrom: SEED.effectiveFrom,
  settings: { items: COMMON_PART_ITEMS, pipelineWork: false },
  silence: `The seed says "公用部位、公用设施设备" without listing them. The items are read from ${MAINTENANCE_FUND_MEASURES} 第三条 (the roof, outer walls, stairwells, lifts, lighting, fire safety, green space, roads, drains, public-interest sports facilities and the rooms common facilities use; from general knowledge of the text, not checked against an official copy) and domain.md §9. Never own-home work, never pipeline work a utility must bear (第二十五条), never a service operated for revenue (parking, charging, the enhancement services). The seed names no line requirement for the fund and the ledger does not require one (domain.md §9 asks for one: an open point).`,
};

const centralDoubleSupport: PolicyRule<ExclusiveSources> = {
  ruleId: 'central-double-support-local',
  family: F.centralDoubleSupport,
  title: {
    zh: '中央预算内投资与中央财政补助资金不重复支持同一事项',
    en: 'No double central support of one budget line',
  },
  source: localSource('domain.md §1, RF-13: no 重复支持 of one budget line'),
  effectiveFrom: LEDGER_FIRST_DAY,
  settings: { sources: ['central_budget_investment', 'central_fiscal_subsidy'] },
  silence:
    "No seed clause: the seed only asks to seek both (四(四): 积极争取保障性安居工程中央预算内投资、中央财政专项资金等中央补助支持). The national rule is believed to be in the NDRC's 《中央预算内投资补助和贴息项目管理办法》 (reported: '同一项目原则上不得重复申请不同专项资金'), which governs the NDRC's own money; that it bars a central fiscal subsidy (MOF) on the same line is the ledger's conservative reading. No official copy was checked, so this is marked local practice until it is (domain.md §9).",
};

const oneMeterFee: PolicyRule<HouseholdFee> = {
  ruleId: 'one-meter-household-fee',
  family: F.oneMeterFee,
  title: { zh: '水电气一户一表改造居民分摊标准', en: 'One meter per household: the household fee' },
  source: seedSource('四(二)', '水电气一户一表改造等费用分摊按照市政府民生实事相关规定执行。'),
  effectiveFrom: SEED.effectiveFrom,
  settings: { householdFeeFen: { water: 300_00n } },
  silence:
    "The seed defers to the municipal 民生实事 rules, which the ledger does not hold. The water fee of 300.00 a household is Chongqing's water programme as a newspaper reported it (Chongqing Morning Post, c. 2014; domain.md §1, not checked against the municipal rule); no household fee is known for power or gas, where the utility is taken to pay it all. The ledger checks no receipt against the fee: it is the figure plans and the demo charge.",
};

const fiscalYearBefore2015: PolicyRule<FiscalYearRule> = {
  ruleId: 'fiscal-year-budget-law-10',
  family: F.fiscalYear,
  title: { zh: '预算年度为公历年度（结转一年）', en: 'The fiscal year is the calendar year (carried over one year)' },
  source: {
    document: `${BUDGET_LAW}（1994年）`,
    clause: '第十条',
    quote: '预算年度自公历一月一日起，至十二月三十一日止。',
    provenance: 'law',
    verified: false,
  },
  effectiveFrom: '1995-01-01',
  effectiveTo: '2014-12-31',
  settings: { carryOverYears: 1 },
};

const fiscalYear: PolicyRule<FiscalYearRule> = {
  ruleId: 'fiscal-year-budget-law-18',
  family: F.fiscalYear,
  title: fiscalYearBefore2015.title,
  source: {
    document: BUDGET_LAW,
    clause: '第十八条',
    quote: '预算年度自公历一月一日起，至十二月三十一日止。',
    provenance: 'law',
    verified: false,
  },
  effectiveFrom: '2015-01-01',
  settings: { carryOverYears: 1 },
  silence:
    "How long money of a year's budget may still be received or paid (结转) is not in these words: the ledger takes the next year only, since a carry-over unused for two years is recovered (第四十二条). Quoted from general knowledge of the text.",
};

const BEFORE_SEED =
  'Before the seed the ledger holds the source to the same earmark (its conservative default). 国办发〔2020〕23号 (July 2020) has like words from general knowledge, not checked against an official copy, so it is not quoted.';

export const FUNDING_RULES: readonly PolicyRule[] = [
  beforeSeed(providentEarmark, BEFORE_SEED),
  providentEarmark,
  beforeSeed(pipelineEarmark, BEFORE_SEED),
  pipelineEarmark,
  pipelineDrainage,
  beforeSeed(
    municipalPurpose,
    'Before the seed the ledger holds municipal money to the same purposes (its conservative default); 渝府办发〔2021〕82号 (August 2021) is not available to quote.',
  ),
  municipalPurpose,
  beforeSeed(
    maintenanceFundParts,
    `Before the seed the same allow-list applies: its basis, ${MAINTENANCE_FUND_MEASURES} 第三条 (in force from 2008-02-01), is older than the seed; the seed's sentence only supports it.`,
  ),
  maintenanceFundParts,
  centralDoubleSupport,
  beforeSeed(
    oneMeterFee,
    'The same reported municipal fee applies before the seed (the Chongqing water programme predates it).',
  ),
  oneMeterFee,
  fiscalYearBefore2015,
  fiscalYear,
];
