import type { FundingSourceSpec, Labelled, Milestone, RenovationItems } from './types';

/**
 * The page's Chinese labels for codes the API answers without one. Sources, categories, items,
 * approval paths and milestones are labelled by the API itself (GET /api/funding-sources,
 * GET /api/renovation-items); these are the rest, in a finance office's words (domain.md §8).
 */
export const STATUS_LABELS: Record<string, string> = {
  registered: '已登记（未批复）',
  approved: '已批复',
  reapproval_required: '概算调整，待重新批复',
};

/** 资金类别: only 中央 / 市级 / 区级 are 层级 (domain.md §8). */
export const TIER_LABELS: Record<string, string> = {
  central: '中央补助',
  municipal: '市级补助',
  district: '区级财政',
  debt: '债务性资金',
  resident: '居民出资',
  utility: '管线单位',
  social: '社会力量',
};

export const VOTE_MATTERS: Record<string, string> = {
  fund_use: '使用住宅专项维修资金',
  fund_raise: '筹集住宅专项维修资金',
  alteration: '改建、重建（加装电梯等）',
  common_parts: '共有部分的使用与经营',
  other: '其他共同决定事项',
};

export const SHARE_KEYS: Record<string, string> = {
  building_area: '按建筑面积分摊',
  exclusive_area: '按专有部分面积分摊',
  household: '按户均摊',
  floor_coefficient: '按楼层系数 × 面积分摊',
  custom: '按约定权重分摊',
};

/** The project stream's event types that are not milestones (those take the milestone's label). */
const EVENT_TYPES: Record<string, string> = {
  'project-registered': '项目登记',
  'project-approved': '项目批复',
  'budget-line-added': '新增预算明细',
  'funding-pledged': '计划（认缴）出资',
  'funds-received': '资金到位',
  'funds-disbursed': '资金支付',
  'treasury-payment-made': '国库集中支付（直接支付）',
  'entry-reversed': '冲销',
  'reversal-reversed': '撤销冲销',
  'allocation-recorded': '指标分配入账',
  'allocation-released': '指标收回',
  'households-registered': '住户登记',
  'household-corrected': '住户信息更正',
  'owner-vote-recorded': '业主表决',
  'cost-share-plan-adopted': '费用分摊方案通过',
};

/** Looks codes up in the API's own label lists. */
export class Labels {
  private readonly sources = new Map<string, string>();
  private readonly categories = new Map<string, string>();
  private readonly items = new Map<string, string>();
  private readonly paths = new Map<string, string>();
  private readonly milestoneKinds = new Map<string, string>();

  constructor(items: RenovationItems, sources: FundingSourceSpec[]) {
    for (const s of sources) this.sources.set(s.code, s.labelZh);
    for (const c of items.categories) {
      this.categories.set(c.code, c.zh);
      for (const i of c.items) this.items.set(i.code, i.zh);
    }
    fill(this.paths, items.approvalPaths);
    fill(this.milestoneKinds, items.milestones);
  }

  source(code: string): string {
    return this.sources.get(code) ?? code;
  }
  category(code: string): string {
    return this.categories.get(code) ?? code;
  }
  item(code: string): string {
    return this.items.get(code) ?? code;
  }
  approvalPath(code: string | null | undefined): string {
    if (!code) return '—';
    return this.paths.get(code) ?? code;
  }
  milestone(kind: string): string {
    return this.milestoneKinds.get(kind) ?? kind;
  }

  /**
   * An event type in Chinese where a label exists (a milestone's event by its kind, as the
   * project's milestones pair them), else the type itself.
   */
  eventType(type: string, milestones: Milestone[]): string {
    const name = type.replace(/\.v\d+$/, '');
    if (EVENT_TYPES[name]) return EVENT_TYPES[name];
    const milestone = milestones.find((m) => m.type === type);
    return milestone ? this.milestone(milestone.kind) : type;
  }
}

function fill(map: Map<string, string>, list: Labelled[]): void {
  for (const l of list) map.set(l.code, l.zh);
}
