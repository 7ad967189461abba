import { PermitFacts } from '../../../src/project/project.events';
import { DeterminationInput } from '../../../src/project/project.commands';
import { approvedProject, determinationInput, determined } from '../../support/lifecycle-fixtures';
import { given, recordMilestone } from '../../support/project-fixtures';

/** An exemption claimed with its facts on `determinedOn` (2022-02-01 by default). */
const exempt = (
  kind: 'land_procedure' | 'planning_permit' | 'drawing_review' | 'construction_permit',
  exemption: string,
  facts: PermitFacts,
  more: Partial<DeterminationInput> = {},
) => recordMilestone(determinationInput(kind, { exemption, facts, ...more }));

const CONSTRUCTION = 'construction-permit-exemptions-seed';
const DRAWING = 'drawing-review-exemptions-seed';
const PLANNING = 'planning-permit-exemptions-seed';
const LAND = 'land-procedure-exemptions-seed';
const NO_CHANGE: PermitFacts = { structureChanged: false, addedArea: '0', hazards: [] };

describe('construction permit: "不涉及变动结构或者增加建筑面积的项目（有高边坡、深基坑、高填方、高空作业、重物吊装等高风险施工的除外）"', () => {
  // Seed 三(三)5: neither a structural change nor added area, and no high-risk works.
  it('records the exemption with its facts and rule', () => {
    given(...approvedProject())
      .when(exempt('construction_permit', 'no_structure_or_area_change', NO_CHANGE))
      .then(
        determined('construction_permit', {
          permitNo: undefined,
          exemption: 'no_structure_or_area_change',
          facts: { structureChanged: false, addedArea: '0.00', hazards: [] },
          ruleId: CONSTRUCTION,
        }),
      );
  });

  it('refuses it for a structural change, added area, or a high-risk work (exemption-not-allowed naming the fact)', () => {
    const claim = (facts: PermitFacts) => exempt('construction_permit', 'no_structure_or_area_change', facts);
    given(...approvedProject())
      .when(claim({ ...NO_CHANGE, structureChanged: true }))
      .thenThrows('exemption-not-allowed', 'facts.structureChanged', CONSTRUCTION);
    given(...approvedProject())
      .when(claim({ ...NO_CHANGE, addedArea: '12.50' }))
      .thenThrows('exemption-not-allowed', 'facts.addedArea', CONSTRUCTION);
    given(...approvedProject())
      .when(claim({ ...NO_CHANGE, hazards: ['heavy_lifting'] }))
      .thenThrows('exemption-not-allowed', 'facts.hazards', CONSTRUCTION);
  });

  it('asks for the facts it rests on: 400 missing-field naming each', () => {
    given(...approvedProject())
      .when(exempt('construction_permit', 'no_structure_or_area_change', { structureChanged: false, addedArea: '0' }))
      .thenThrows('missing-field', 'facts.hazards');
  });
});

describe('construction permit: "增加建筑面积在 500 平方米以下或工程投资额在 100 万元以下"', () => {
  // Seed 三(三)5, with an OR: either bound allows it. "以下" read exclusively by default
  // (boundInclusive: false; the seed is silent, domain.md §2.12): at exactly the bound a permit is needed.
  const claim = (addedArea: string, investment: string) =>
    exempt('construction_permit', 'added_area_below_500m2_or_investment_below_1m', { addedArea, investment });

  it('allows 499.99 m² whatever the investment, and 999,999.99 whatever the area', () => {
    given(...approvedProject())
      .when(claim('499.99', '5000000.00'))
      .thenState((_s, [e]) => expect(e.data).toMatchObject({ ruleId: CONSTRUCTION, facts: { addedArea: '499.99' } }));
    given(...approvedProject())
      .when(claim('2000.00', '999999.99'))
      .thenState((_s, [e]) => expect(e.data).toMatchObject({ ruleId: CONSTRUCTION }));
  });

  it('refuses exactly 500.00 m² with exactly 1,000,000.00 (the bounds themselves, read exclusively)', () => {
    given(...approvedProject())
      .when(claim('500.00', '1000000.00'))
      .thenThrows('exemption-not-allowed', 'facts.addedArea', CONSTRUCTION);
  });

  it('refuses 800 m² with 3,000,000.00', () => {
    given(...approvedProject())
      .when(claim('800', '3000000.00'))
      .thenThrows('exemption-not-allowed', 'facts.addedArea', CONSTRUCTION);
  });
});

describe('an exemption is judged by the rule of its date', () => {
  // The seed's exemptions exist from 2021-11-25; before that a permit was needed.
  it('refuses the exemption on 2021-11-24, naming the seed rule and its date, and records it on 2021-11-25', () => {
    given(...approvedProject())
      .when(exempt('construction_permit', 'no_structure_or_area_change', NO_CHANGE, { determinedOn: '2021-11-24' }))
      .thenThrows('exemption-not-allowed', 'determinedOn', CONSTRUCTION);
    given(...approvedProject())
      .when(exempt('construction_permit', 'no_structure_or_area_change', NO_CHANGE, { determinedOn: '2021-11-25' }))
      .thenState((_s, [e]) => expect(e.data).toMatchObject({ exemption: 'no_structure_or_area_change' }));
  });

  it('records a permit number on any date', () => {
    given(...approvedProject())
      .when(
        recordMilestone(
          determinationInput('construction_permit', { permitNo: '潼南建施〔2021〕3号', determinedOn: '2021-06-01' }),
        ),
      )
      .then(determined('construction_permit', { permitNo: '潼南建施〔2021〕3号', determinedOn: '2021-06-01' }));
  });
});

describe('a determination is a permit number or an exemption', () => {
  it('refuses both, or neither (invalid-field naming permitNo)', () => {
    given(...approvedProject())
      .when(exempt('construction_permit', 'no_structure_or_area_change', NO_CHANGE, { permitNo: 'X' }))
      .thenThrows('invalid-field', 'permitNo');
    given(...approvedProject())
      .when(recordMilestone(determinationInput('construction_permit')))
      .thenThrows('invalid-field', 'permitNo');
  });

  it("refuses another determination's exemption (invalid-field naming exemption)", () => {
    given(...approvedProject())
      .when(exempt('construction_permit', 'landscaping', { changesFireAccess: false }))
      .thenThrows('invalid-field', 'exemption');
  });

  it('refuses facts it does not know and areas that are not areas', () => {
    given(...approvedProject())
      .when(exempt('construction_permit', 'no_structure_or_area_change', { ...NO_CHANGE, floors: 3 } as PermitFacts))
      .thenThrows('unknown-field', 'facts.floors');
    given(...approvedProject())
      .when(exempt('construction_permit', 'no_structure_or_area_change', { ...NO_CHANGE, addedArea: '-1' }))
      .thenThrows('invalid-area', 'facts.addedArea');
    given(...approvedProject())
      .when(exempt('construction_permit', 'no_structure_or_area_change', { ...NO_CHANGE, hazards: ['storm'] }))
      .thenThrows('invalid-field', 'facts.hazards[0]');
  });
});

describe('drawing review (seed 三(三)4)', () => {
  // "不变动结构或不增加建筑面积的低风险项目，实行项目建设单位告知承诺制的，可不办理施工图审查手续；
  // 涉及新建、改建、扩建的项目，增加建筑面积在 1000 平方米以下的（有高边坡、深基坑、高填方的除外）"
  it('allows the low-risk exemption with a commitment and either no structural change or no added area', () => {
    given(...approvedProject())
      .when(
        exempt('drawing_review', 'low_risk_commitment', {
          commitmentMade: true,
          structureChanged: true,
          addedArea: '0',
        }),
      )
      .thenState((_s, [e]) => expect(e.data).toMatchObject({ exemption: 'low_risk_commitment', ruleId: DRAWING }));
  });

  it('refuses it without the commitment (告知承诺), or with a structural change and added area both', () => {
    given(...approvedProject())
      .when(
        exempt('drawing_review', 'low_risk_commitment', {
          commitmentMade: false,
          structureChanged: false,
          addedArea: '0',
        }),
      )
      .thenThrows('exemption-not-allowed', 'facts.commitmentMade', DRAWING);
    given(...approvedProject())
      .when(
        exempt('drawing_review', 'low_risk_commitment', {
          commitmentMade: true,
          structureChanged: true,
          addedArea: '30',
        }),
      )
      .thenThrows('exemption-not-allowed', 'facts.structureChanged', DRAWING);
  });

  it('allows 999.99 m² added, refuses 1000.00 m² and a deep pit, and lets work at height pass (not among its hazards)', () => {
    const claim = (addedArea: string, hazards: string[]) =>
      exempt('drawing_review', 'added_area_below_1000m2', { addedArea, hazards });
    given(...approvedProject())
      .when(claim('999.99', ['work_at_height']))
      .thenState((_s, [e]) => expect(e.data).toMatchObject({ exemption: 'added_area_below_1000m2' }));
    given(...approvedProject())
      .when(claim('1000.00', []))
      .thenThrows('exemption-not-allowed', 'facts.addedArea', DRAWING);
    given(...approvedProject())
      .when(claim('200', ['deep_pit']))
      .thenThrows('exemption-not-allowed', 'facts.hazards', DRAWING);
  });
});

describe('planning permit (seed 三(三)3)', () => {
  it('refuses roof beautification that adds area, and a facility that affects the neighbours', () => {
    given(...approvedProject())
      .when(exempt('planning_permit', 'roof_beautification', { affectsEvacuation: false, addedArea: '40' }))
      .thenThrows('exemption-not-allowed', 'facts.addedArea', PLANNING);
    given(...approvedProject())
      .when(
        exempt('planning_permit', 'facility_installation', {
          withinProjectLand: true,
          addedArea: '0',
          affectsNeighbours: true,
        }),
      )
      .thenThrows('exemption-not-allowed', 'facts.affectsNeighbours', PLANNING);
  });

  it('records landscaping that leaves the fire lanes as they were', () => {
    given(...approvedProject())
      .when(exempt('planning_permit', 'landscaping', { changesFireAccess: false }))
      .thenState((_s, [e]) => expect(e.data).toMatchObject({ exemption: 'landscaping', ruleId: PLANNING }));
  });
});

describe('land procedure (seed 三(三)2)', () => {
  it('refuses "不涉及新增建设用地" for a project that takes new construction land, and records it otherwise', () => {
    given(...approvedProject())
      .when(exempt('land_procedure', 'no_new_construction_land', { newConstructionLand: true }))
      .thenThrows('exemption-not-allowed', 'facts.newConstructionLand', LAND);
    given(...approvedProject())
      .when(exempt('land_procedure', 'no_new_construction_land', { newConstructionLand: false }))
      .thenState((_s, [e]) => expect(e.data).toMatchObject({ exemption: 'no_new_construction_land', ruleId: LAND }));
  });
});
