import { given, register } from '../../support/project-fixtures';

describe('eligibility, recorded on registration and never refused', () => {
  // "实施范围主要是 2000 年以前建成的…结合潼南实际，逐步对 2005 年底前建成的居住条件较差的城镇老旧小区
  // 实施改造提升" (seed 二(一)): built by 2000, in the main scope; 2001-2005, only with a
  // justification of poor living conditions; after 2005, outside the seed's scope. The ledger
  // records what happened: every one is registered, with its basis, for the red flags (RF-12).
  const eligibilityOf = (builtYear: number, conditionJustification?: string) => {
    let recorded: unknown;
    given()
      .when(register({ builtYear, ...(conditionJustification !== undefined ? { conditionJustification } : {}) }))
      .thenState((s, [e]) => {
        recorded = (e.data as { eligibility: unknown }).eligibility;
        expect(s.eligibility).toEqual(recorded);
      });
    return recorded;
  };
  const rule = { ruleId: 'eligibility-scope-seed' };

  it('counts a community built in 2000 in the main scope (pre2000)', () => {
    expect(eligibilityOf(2000)).toMatchObject({ basis: 'pre2000', withinScope: true, ...rule });
    expect(eligibilityOf(1985)).toMatchObject({ basis: 'pre2000', withinScope: true });
  });

  it('records 2001-2005 without a justification as outside the scope, and with one as pre2005_poor_condition', () => {
    expect(eligibilityOf(2001)).toMatchObject({ basis: 'none', withinScope: false, ...rule });
    expect(eligibilityOf(2005, '屋面渗漏、管网老化，无物业管理')).toMatchObject({
      basis: 'pre2005_poor_condition',
      withinScope: true,
      ...rule,
    });
  });

  it('records a community built after 2005 as outside the scope, justified or not', () => {
    const after = eligibilityOf(2006, '居住条件较差');
    expect(after).toMatchObject({ basis: 'none', withinScope: false, ...rule });
    expect((after as { reason: string }).reason).toContain('2006');
  });

  it('keeps the justification with the registration, and refuses a blank one (invalid-field)', () => {
    given()
      .when(register({ builtYear: 2003, conditionJustification: '屋面渗漏' }))
      .thenState((s, [e]) => {
        expect(e.data).toMatchObject({ conditionJustification: '屋面渗漏' });
        expect(s.conditionJustification).toBe('屋面渗漏');
      });
    given()
      .when(register({ builtYear: 2003, conditionJustification: ' ' }))
      .thenThrows('invalid-field', 'conditionJustification');
  });
});
