/**
 * Every code a user sees has its words (domain.md §8: "keep the codes; change the labels"): each
 * renovation category and item its seed name, each approval path and milestone a label; a label
 * table names no code that does not exist.
 */
import {
  APPROVAL_PATH_LABELS,
  CATEGORY_LABELS,
  ITEM_LABELS,
  MILESTONE_LABELS,
  UTILITY_LABELS,
  labelOf,
} from '../../../src/policy/labels';
import { UTILITIES } from '../../../src/project/funding-sources';
import { CATEGORIES, CATEGORY_ITEMS } from '../../../src/project/renovation-content';

describe('labels', () => {
  it('labels every category and every item, and nothing else', () => {
    expect(Object.keys(CATEGORY_LABELS).sort()).toEqual([...CATEGORIES].sort());
    expect(Object.keys(ITEM_LABELS).sort()).toEqual(Object.values(CATEGORY_ITEMS).flat().sort());
  });

  it('labels every utility a pipeline line may name, and nothing else', () => {
    expect(Object.keys(UTILITY_LABELS).sort()).toEqual([...UTILITIES].sort());
    expect(UTILITY_LABELS.broadcast.zh).toBe('广电');
  });

  it("uses the seed's own names", () => {
    expect(CATEGORIES.map((c) => CATEGORY_LABELS[c].zh)).toEqual(['基础类', '完善类', '提升类']);
    expect(ITEM_LABELS.drainage.zh).toBe('排水管网');
    expect(ITEM_LABELS.convenience_store.zh).toBe('便利店');
    expect(ITEM_LABELS.water_supply.zh).toContain('水电气讯');
  });

  it('labels the approval paths and the milestones of the lifecycle', () => {
    expect(Object.keys(APPROVAL_PATH_LABELS)).toEqual(['plan_review', 'merged_fsr', 'standard']);
    expect(APPROVAL_PATH_LABELS.merged_fsr.zh).toBe('合并可研审批（1000万元及以上）');
    expect(Object.keys(MILESTONE_LABELS)).toEqual([
      'consultation',
      'publicity',
      'joint_review',
      'land_procedure',
      'planning_permit',
      'drawing_review',
      'construction_permit',
      'tender',
      'contract',
      'construction_started',
      'construction_completed',
      'joint_acceptance',
      'acceptance_report_filed',
      'handover',
      'management_model',
    ]);
    for (const label of [...Object.values(APPROVAL_PATH_LABELS), ...Object.values(MILESTONE_LABELS)]) {
      expect(label.zh).toMatch(/\p{Script=Han}/u);
      expect(label.en.trim()).not.toBe('');
    }
  });

  it('reads a code without a label as itself, never blank (and never a member of Object.prototype)', () => {
    expect(labelOf(ITEM_LABELS, 'new_item')).toEqual({ zh: 'new_item', en: 'new_item' });
    expect(labelOf(ITEM_LABELS, 'toString')).toEqual({ zh: 'toString', en: 'toString' });
  });
});
