/**
 * The red flags' own rules (src/policy/rules/red-flags.rules.ts) hold to the registry's standard
 * (policy-registry.spec) before the registry lists them: ids once (and none another rule's), a
 * document and clause, the document's words unless a local setting, which says why; a family's
 * versions contiguous and the last open; and every family a flag cites is a rule the ledger has.
 */
import { POLICIES } from '../../../src/policy/policies';
import { PolicyRule } from '../../../src/policy/policy-rule';
import { addDays } from '../../../src/policy/rest-days';
import { RED_FLAG_FAMILIES, RED_FLAG_RULES } from '../../../src/policy/rules/red-flags.rules';
import { FLAG_RULES, redFlagRule } from '../../../projections/red-flags/red-flag-codes';

describe('the red flags’ rules', () => {
  it('have ids of their own, each once', () => {
    const ids = RED_FLAG_RULES.map((r) => r.ruleId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    const others = POLICIES.filter((r) => !RED_FLAG_RULES.includes(r)).map((r) => r.ruleId);
    expect(ids.filter((id) => others.includes(id))).toEqual([]);
  });

  it.each(RED_FLAG_RULES.map((r) => [r.ruleId, r] as const))(
    '%s names its document and clause, and quotes it unless it is a local setting that says why',
    (_id, rule) => {
      expect(rule.source.document.trim()).not.toBe('');
      expect(rule.source.clause.trim()).not.toBe('');
      if (rule.source.provenance === 'local')
        expect([rule.source.verified, !!rule.silence?.trim()]).toEqual([false, true]);
      else expect(rule.source.quote.trim()).not.toBe('');
      if (rule.source.provenance === 'seed') expect(rule.effectiveFrom >= '2021-11-25').toBe(true);
    },
  );

  it.each(Object.values(RED_FLAG_FAMILIES))('%s: versions follow each other without a gap, the last open', (family) => {
    const versions: PolicyRule[] = RED_FLAG_RULES.filter((r) => r.family === family).sort((a, b) =>
      a.effectiveFrom < b.effectiveFrom ? -1 : 1,
    );
    expect(versions.length).toBeGreaterThan(0);
    for (let i = 1; i < versions.length; i++)
      expect(versions[i - 1].effectiveTo).toBe(addDays(versions[i].effectiveFrom, -1));
    expect(versions.at(-1)!.effectiveTo).toBeUndefined();
  });

  it('a flag is judged by the version in force on its date, and none before the first', () => {
    expect(redFlagRule(RED_FLAG_FAMILIES.moneyBeforeApproval, '2019-06-30')?.ruleId).toBe(
      'red-flag-money-before-approval-before-regulations',
    );
    expect(redFlagRule(RED_FLAG_FAMILIES.moneyBeforeApproval, '2019-07-01')?.ruleId).toBe(
      'red-flag-money-before-approval',
    );
    expect(redFlagRule(RED_FLAG_FAMILIES.thresholdCrossing, '2021-11-24')).toBeUndefined();
    expect(redFlagRule('eligibility-scope', null)?.ruleId).toBe('eligibility-scope-seed');
  });

  it('the registry’s rules a flag cites are there (earmarks, central double support, the votes)', () => {
    for (const family of [
      'provident-fund-earmark',
      'maintenance-fund-common-parts',
      'pipeline-unit-earmark',
      'municipal-programme-purpose',
      'central-double-support',
      'maintenance-fund-vote',
      'alteration-vote',
    ])
      expect(FLAG_RULES.some((r) => r.family === family && r.effectiveTo === undefined)).toBe(true);
  });
});
