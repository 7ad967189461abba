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

// What each funding source may pay for (provident fund, maintenance fund, municipal programmes)
// and what needs an owners' vote are dated policy: src/policy/rules/.

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

export const UTILITIES_SET: ReadonlySet<string> = new Set(UTILITIES);
