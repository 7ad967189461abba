/**
 * The words users read for the codes the API uses (domain.md §8: "keep the codes; change the
 * labels"), in one place: renovation categories and items in the seed's own names (二(二)), the
 * approval paths, the lifecycle's milestones in the seed's words (三), and policy rules by their
 * titles (each rule's `title`, served by GET /api/policies). Plain data: it imports nothing, so any
 * module may read it.
 */
export interface Label {
  zh: string;
  en: string;
}

/** 落实基础类改造内容，结合管理提升需求，统筹安排完善类、提升类改造内容 (二(二)). */
export const CATEGORY_LABELS: Readonly<Record<string, Label>> = {
  basic: { zh: '基础类', en: 'Basic' },
  improvement: { zh: '完善类', en: 'Improvement' },
  enhancement: { zh: '提升类', en: 'Enhancement' },
};

/**
 * The seed's item names (二(二)1-3). The seed's "水电气讯" is one item of four utilities, named
 * here each with it. 加装电梯、节能改造 and own-home works are not in the seed's lists: the
 * provident-fund sentence names "加装电梯等自住住房改造" (四(一)), and 国办发〔2020〕23号 puts
 * elevators and energy saving under 完善类 (domain.md §3).
 */
export const ITEM_LABELS: Readonly<Record<string, Label>> = {
  water_supply: { zh: '水电气讯（供水）', en: 'Water supply' },
  power: { zh: '水电气讯（供电）', en: 'Power supply' },
  gas: { zh: '水电气讯（供气）', en: 'Gas supply' },
  telecom: { zh: '水电气讯（通信）', en: 'Telecommunications' },
  drainage: { zh: '排水管网', en: 'Drainage network' },
  septic_tank: { zh: '化粪池', en: 'Septic tanks' },
  road: { zh: '道路', en: 'Roads' },
  fire_safety: { zh: '消防设施', en: 'Fire safety facilities' },
  security: { zh: '安防设施', en: 'Security facilities' },
  facade: { zh: '外墙', en: 'Outer walls' },
  roof: { zh: '屋顶', en: 'Roofs' },
  stair_railing: { zh: '楼道护栏', en: 'Stairwell railings' },
  canopy: { zh: '雨棚', en: 'Canopies' },
  waste_sorting: { zh: '生活垃圾分类', en: 'Household waste sorting' },
  greening: { zh: '绿化', en: 'Greening' },
  lighting: { zh: '照明', en: 'Lighting' },
  boundary_wall: { zh: '围墙', en: 'Boundary walls' },
  parking: { zh: '停车场', en: 'Parking' },
  ev_charging: { zh: '充电设施', en: 'Charging facilities' },
  culture_sports: { zh: '文体设施', en: 'Culture and sports facilities' },
  property_office: { zh: '物业用房', en: 'Property management rooms' },
  elevator: { zh: '加装电梯', en: 'Elevator installation' },
  energy_saving: { zh: '节能改造', en: 'Energy-saving renovation' },
  own_home: { zh: '自住住房改造（适老化）', en: 'Own-home renovation (ageing-friendly)' },
  community_service_centre: { zh: '社区综合服务设施', en: 'Community service centre' },
  public_health: { zh: '公共卫生设施', en: 'Public health facilities' },
  elderly_care: { zh: '养老', en: 'Elderly care' },
  childcare: { zh: '托幼', en: 'Childcare' },
  meal_aid: { zh: '助餐', en: 'Meal aid' },
  housekeeping: { zh: '家政保洁', en: 'Housekeeping and cleaning' },
  wet_market: { zh: '菜市场', en: 'Wet market' },
  convenience_store: { zh: '便利店', en: 'Convenience store' },
};

/**
 * The approval paths (domain.md §8). `plan_review` and `merged_fsr` are the seed's (三(三)1),
 * for projects "不涉及功能独立配套基础设施"; `standard` is the ordinary procedure, for what the
 * seed's paths do not cover (a project with independent infrastructure, or approved before the
 * seed took effect).
 */
export const APPROVAL_PATH_LABELS: Readonly<Record<string, Label>> = {
  plan_review: {
    zh: '按改造方案审批（总投资1000万元以下）',
    en: 'Approval on the renovation plan (investment below 10,000,000)',
  },
  merged_fsr: {
    zh: '合并可研审批（1000万元及以上）',
    en: 'Merged feasibility-study approval (10,000,000 and above)',
  },
  standard: {
    zh: '一般审批程序（项目建议书、可研、初步设计）',
    en: 'Standard procedure (proposal, feasibility study, preliminary design)',
  },
};

/**
 * The utilities whose pipeline works a budget line is (`utility`: the seed's 供水、供电、燃气、通信、
 * 邮政、广电, and the local 排水): two lines of one item (通信 and 广电 under 水电气讯（通信）) differ by it.
 */
export const UTILITY_LABELS: Readonly<Record<string, Label>> = {
  water: { zh: '供水', en: 'Water' },
  power: { zh: '供电', en: 'Power' },
  gas: { zh: '燃气', en: 'Gas' },
  telecom: { zh: '通信', en: 'Telecommunications' },
  postal: { zh: '邮政', en: 'Postal' },
  broadcast: { zh: '广电', en: 'Broadcasting' },
  drainage: { zh: '排水', en: 'Drainage' },
};

/** The milestones of a project's life, in the seed's words (三 实施程序; domain.md §2). */
export const MILESTONE_LABELS: Readonly<Record<string, Label>> = {
  consultation: { zh: '征求居民意愿需求', en: "Residents' consultation" },
  publicity: { zh: '改造内容公示', en: 'Publicity of the renovation content' },
  joint_review: { zh: '改造提升方案联合审查', en: 'Joint review of the renovation plan' },
  land_procedure: { zh: '用地预审和用地规划许可', en: 'Land pre-review and land-use planning permit' },
  planning_permit: { zh: '建设工程规划许可', en: 'Construction project planning permit' },
  drawing_review: { zh: '施工图审查', en: 'Construction drawing review' },
  construction_permit: { zh: '施工许可', en: 'Construction permit' },
  tender: { zh: '公开招标', en: 'Public tender' },
  contract: { zh: '签订施工合同', en: 'Contract signed' },
  construction_started: { zh: '开工', en: 'Construction started' },
  construction_completed: { zh: '完工', en: 'Construction completed' },
  joint_acceptance: { zh: '联合竣工验收', en: 'Joint completion acceptance' },
  acceptance_report_filed: { zh: '竣工验收报告备案', en: 'Acceptance report filed' },
  handover: { zh: '移交管理维护', en: 'Handover for management and maintenance' },
  management_model: { zh: '确定管理模式', en: 'Management model agreed' },
};

/** `[{code, zh, en}]` of a label table, in its order. */
export function labelled(table: Readonly<Record<string, Label>>, codes: readonly string[] = Object.keys(table)) {
  return codes.map((code) => ({ code, ...labelOf(table, code) }));
}

/** A code's label; a code without one reads as itself, so a new code never shows blank. */
export function labelOf(table: Readonly<Record<string, Label>>, code: string): Label {
  return Object.hasOwn(table, code) ? table[code] : { zh: code, en: code };
}
