import { UTILITIES } from './funding-sources';

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

// What each funding source may pay for (provident fund, maintenance fund, municipal programmes)
// and what needs an owners' vote are dated policy: src/policy/rules/.

/** Approval threshold of the seed: "总投资在 1000 万元以上（含 1000 万元）" → merged feasibility-study path. */
export const APPROVAL_THRESHOLD_FEN = 10_000_000_00n;
export type ApprovalPath = 'plan_review' | 'merged_fsr';
export function approvalPathFor(investmentFen: bigint): ApprovalPath {
  return investmentFen >= APPROVAL_THRESHOLD_FEN ? 'merged_fsr' : 'plan_review';
}

export const UTILITIES_SET: ReadonlySet<string> = new Set(UTILITIES);
