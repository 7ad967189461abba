/**
 * The policy registry (src/policy): every rule the ledger enforces, once, with where it comes from
 * and when it applies. Rules of one family are the versions of one rule over time: their periods
 * neither overlap nor leave a gap, and the last one is open (the rule as it stands). A rule quotes
 * its document unless it is the ledger's own setting, which then says why (`silence`).
 */
import { POLICIES, currentRule, policyById, ruleInForce } from '../../../src/policy/policies';
import { PolicyRule, ruleReference } from '../../../src/policy/policy-rule';
import { addDays } from '../../../src/policy/rest-days';
import { isCalendarDate } from '../../../src/shared/domain/input-rules';

const families = [...new Set(POLICIES.map((r) => r.family))];
const versionsOf = (family: string): PolicyRule[] =>
  POLICIES.filter((r) => r.family === family).sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1));

describe('the policy registry', () => {
  it('holds the rules of every area, each id once', () => {
    expect(POLICIES.length).toBeGreaterThan(10);
    const ids = POLICIES.map((r) => r.ruleId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it.each(POLICIES.map((r) => [r.ruleId, r] as const))(
    '%s names its document, clause and titles, and quotes the document unless it is a local setting',
    (_id, rule) => {
      expect(rule.source.document.trim()).not.toBe('');
      expect(rule.source.clause.trim()).not.toBe('');
      expect(rule.title.zh.trim()).not.toBe('');
      expect(rule.title.en.trim()).not.toBe('');
      if (rule.source.provenance !== 'local') expect(rule.source.quote.trim()).not.toBe('');
      // A setting no document states says what it assumes and why (domain.md §7).
      if (rule.source.provenance === 'local') {
        expect(rule.source.verified).toBe(false);
        expect(rule.silence?.trim()).toBeTruthy();
      }
      if (rule.source.provenance === 'seed') {
        expect(rule.source.document).toBe('潼南府办发〔2021〕71号');
        expect(rule.effectiveFrom >= '2021-11-25').toBe(true); // "本通知自公布之日起施行"
      }
    },
  );

  it.each(POLICIES.map((r) => [r.ruleId, r] as const))('%s has calendar dates, from ≤ to', (_id, rule) => {
    expect(isCalendarDate(rule.effectiveFrom)).toBe(true);
    if (rule.effectiveTo !== undefined) {
      expect(isCalendarDate(rule.effectiveTo)).toBe(true);
      expect(rule.effectiveFrom <= rule.effectiveTo).toBe(true);
    }
  });

  it.each(families)("%s: its versions' periods neither overlap nor leave a gap, and the last is open", (family) => {
    const versions = versionsOf(family);
    for (let i = 1; i < versions.length; i++) {
      const before = versions[i - 1];
      expect({ after: before.ruleId, endsOn: before.effectiveTo }).toEqual({
        after: before.ruleId,
        endsOn: addDays(versions[i].effectiveFrom, -1),
      });
    }
    expect(versions[versions.length - 1].effectiveTo).toBeUndefined();
    expect(currentRule(family).ruleId).toBe(versions[versions.length - 1].ruleId);
  });

  it('answers the version in force on a date, and refuses a date before the first (no-policy-in-force)', () => {
    expect(ruleInForce('provident-fund-earmark', '2021-11-24').ruleId).toBe('provident-fund-earmark-before-seed');
    expect(ruleInForce('provident-fund-earmark', '2021-11-25').ruleId).toBe('provident-fund-earmark');
    expect(ruleInForce('owner-vote', '2020-12-31').ruleId).toBe('property-law-76');
    expect(ruleInForce('owner-vote', '2021-01-01').ruleId).toBe('civil-code-278');
    expect(() => ruleInForce('owner-vote', '2007-09-30')).toThrow(
      expect.objectContaining({ code: 'no-policy-in-force' }),
    );
  });

  it('cites a rule by its document and clause', () => {
    expect(ruleReference(policyById('pipeline-unit-earmark')!)).toEqual({
      ruleId: 'pipeline-unit-earmark',
      citation: '潼南府办发〔2021〕71号 四(二)',
    });
  });

  it('names only the payers the seed names as pipeline units; drainage is a local extension', () => {
    expect(policyById('pipeline-unit-earmark')!.settings).toMatchObject({
      utilities: ['water', 'power', 'gas', 'telecom', 'postal', 'broadcast'],
    });
    expect(policyById('pipeline-unit-earmark')!.source.quote).toContain('供水、供电、燃气、通信、邮政、广电');
    const drainage = policyById('pipeline-unit-drainage-local')!;
    expect([drainage.source.provenance, drainage.settings]).toEqual([
      'local',
      { lineRequired: true, utilities: ['drainage'] },
    ]);
  });
});
