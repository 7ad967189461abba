import { policyById } from '../policy/policies';
import { ApprovalPath, ApprovalPathSettings } from '../policy/rules/approval.rules';
import { Fen, fenOfStored, formatFen } from '../shared/money/money';
import { UTILITIES } from './funding-sources';

export type { ApprovalPath } from '../policy/rules/approval.rules';

/**
 * Renovation content (domain.md §3): categories and item codes. Elevators, energy saving and
 * own-home renovation sit under `improvement` (国办发〔2020〕23号; the seed's provident-fund
 * sentence names "加装电梯等自住住房改造").
 */
export const CATEGORY_ITEMS = {
  basic: [
    'water_supply',
    'power',
    'gas',
    'telecom',
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
  ],
  improvement: [
    'greening',
    'lighting',
    'boundary_wall',
    'parking',
    'ev_charging',
    'culture_sports',
    'property_office',
    'elevator',
    'energy_saving',
    'own_home',
  ],
  enhancement: [
    'community_service_centre',
    'public_health',
    'elderly_care',
    'childcare',
    'meal_aid',
    'housekeeping',
    'wet_market',
    'convenience_store',
  ],
} as const;
export type Category = keyof typeof CATEGORY_ITEMS;
export const CATEGORIES = Object.keys(CATEGORY_ITEMS) as Category[];

/** An own key only: `in` would take 'toString' or 'constructor' for a category. */
export function isCategory(category: string): category is Category {
  return Object.hasOwn(CATEGORY_ITEMS, category);
}

export function isItemOf(category: string, item: string): boolean {
  return isCategory(category) && (CATEGORY_ITEMS[category as Category] as readonly string[]).includes(item);
}

/** Items a provident-fund withdrawal may pay for: "加装电梯等自住住房改造" [S]. */
export const PROVIDENT_FUND_ITEMS: readonly string[] = ['elevator', 'own_home'];

/**
 * Items the maintenance fund may pay for: the building's common parts and common facilities
 * (seed: "支持住宅专项维修资金用于房屋公用部位、公用设施设备的维修、更新和改造"; 《住宅专项维修资金
 * 管理办法》 art. 3: the roof, outer walls, stairwells, lifts, lighting, fire safety, green
 * space, roads, drains, public-interest sports facilities and the rooms common facilities use).
 * An allow-list: an item not named here is refused, so an item added to the menu later pays from
 * the fund only once someone decides it is a common part. Never own-home work, never pipeline
 * work a utility must bear (MF art. 25), never a service operated for revenue (parking, charging,
 * the enhancement services).
 */
export const MAINTENANCE_FUND_ITEMS: readonly string[] = [
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

/**
 * Items that alter the building (改建、重建, 民法典 第二百七十八条 第一款 第(七)项): adding an
 * elevator is one. Residents share their cost only under a passed `alteration` vote of the
 * households that pay.
 */
export const ALTERATION_ITEMS: readonly string[] = ['elevator'];

/**
 * What each municipal programme may pay for (domain.md §1: "each fund only pays for its own
 * purpose"). Programmes mapped to `null` are general renovation funds and fit any line.
 */
export const MUNICIPAL_PROGRAM_ITEMS: Record<string, readonly string[] | null> = {
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

/**
 * The approval path a rule of the `approval-path` family (src/policy/rules/approval.rules.ts)
 * gives a project, and why in words: with independent supporting infrastructure, the rule's path
 * for it; under a rule with a threshold, `merged_fsr` from it ("（含 1000 万元）") and
 * `plan_review` below it; under a rule without one, the full procedure.
 */
export function approvalPathUnder(
  settings: ApprovalPathSettings,
  facts: { investmentFen: Fen; involvesIndependentInfrastructure: boolean },
): { path: ApprovalPath; why: string } {
  if (facts.involvesIndependentInfrastructure)
    return {
      path: settings.independentInfrastructurePath,
      why: 'the project involves independent supporting infrastructure (功能独立配套基础设施)',
    };
  if (settings.mergedFsrFrom === null)
    return { path: settings.independentInfrastructurePath, why: 'the rule in force knows no simplified path' };
  const fromFen = fenOfStored(settings.mergedFsrFrom);
  return facts.investmentFen >= fromFen
    ? {
        path: 'merged_fsr',
        why: `the investment ${formatFen(facts.investmentFen)} is ${formatFen(fromFen)} or more (含)`,
      }
    : { path: 'plan_review', why: `the investment ${formatFen(facts.investmentFen)} is below ${formatFen(fromFen)}` };
}

/**
 * The seed's threshold (10,000,000.00, "总投资在 1000 万元以上（含 1000 万元）"), as its rule
 * states it: what keeps a demo project on one side of it.
 */
export const APPROVAL_THRESHOLD_FEN: Fen = fenOfStored(
  (policyById('approval-path-seed')?.settings as ApprovalPathSettings).mergedFsrFrom!,
);

export const UTILITIES_SET: ReadonlySet<string> = new Set(UTILITIES);
