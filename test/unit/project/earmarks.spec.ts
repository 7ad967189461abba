import { MUNICIPAL_PROGRAMS, UTILITIES } from '../../../src/project/funding-sources';
import { POLICIES } from '../../../src/policy/policies';
import { FUNDING_FAMILIES, ProgrammePurposes } from '../../../src/policy/rules/funding.rules';
import {
  approvedProject,
  budgetLine,
  budgeted,
  disburse,
  disbursed,
  given,
  lines,
  pledge,
  pledged,
  receive,
  received,
  registered,
} from '../../support/project-fixtures';

const household = { householdId: '3-2-601' };

describe('line-required', () => {
  // "pledges and receipts may be earmarked to a line, and restricted sources must be" (product.md):
  // provident_fund, pipeline_unit and municipal_subsidy name their line.
  it.each([
    ['provident_fund', household],
    ['pipeline_unit', { utility: 'gas' }],
    ['municipal_subsidy', { program: 'parking' }],
  ])('refuses a pledge from %s without a lineId (field lineId)', (source, details) => {
    given(...budgeted())
      .when(pledge({ source, details }))
      .thenThrows('line-required', 'lineId');
  });

  it('refuses a receipt from a restricted source without a lineId', () => {
    given(...budgeted())
      .when(receive({ source: 'pipeline_unit', details: { utility: 'gas' } }))
      .thenThrows('line-required', 'lineId');
  });

  it('takes an unrestricted source without a line', () => {
    given(...budgeted())
      .when(pledge({ source: 'district_matching' }))
      .then(pledged({ source: 'district_matching' }));
  });
});

describe('budget-line-not-found', () => {
  // Rule: an earmark names a line of this project.
  it('refuses a pledge to a line the project does not have (field lineId)', () => {
    given(...budgeted())
      .when(pledge({ lineId: 'Z9-nowhere' }))
      .thenThrows('budget-line-not-found', 'lineId');
  });

  it('refuses a disbursement to a line the project does not have', () => {
    given(...approvedProject(), received())
      .when(disburse({ lineId: 'Z9-nowhere' }))
      .thenThrows('budget-line-not-found', 'lineId');
  });
});

describe('source-line-mismatch: provident_fund', () => {
  // "支持提取住房公积金用于加装电梯等自住住房改造" (seed); product.md: "elevator or own-home lines only".
  it.each(['I1-elevator', 'H1-own-home'])('takes a withdrawal for %s', (lineId) => {
    given(...budgeted())
      .when(pledge({ source: 'provident_fund', details: household, lineId }))
      .then(pledged({ source: 'provident_fund', details: household, lineId }));
  });

  it.each(['B1-roof', 'I2-parking', 'B3-gas-pipe'])('refuses a withdrawal for %s (field lineId)', (lineId) => {
    given(...budgeted())
      .when(receive({ source: 'provident_fund', details: household, lineId }))
      .thenThrows('source-line-mismatch', 'lineId');
  });

  it('refuses paying provident-fund money to a line that is not an elevator or own home', () => {
    given(...approvedProject(), received({ source: 'provident_fund', details: household, lineId: 'I1-elevator' }))
      .when(disburse({ source: 'provident_fund', lineId: 'B1-roof' }))
      .thenThrows('source-line-mismatch', 'lineId');
  });
});

describe('source-line-mismatch: pipeline_unit', () => {
  // "引导供水、供电、燃气、通信、邮政、广电等单位…承担相关管线设施设备的改造资金" (seed);
  // product.md: "only lines of that utility's pipeline work".
  it.each([...UTILITIES])('takes %s-utility money for its own pipeline line', (utility) => {
    given(registered(), budgetLine({ lineId: 'L1-pipe', item: 'gas', utility }))
      .when(pledge({ source: 'pipeline_unit', details: { utility }, lineId: 'L1-pipe' }))
      .then(pledged({ source: 'pipeline_unit', details: { utility }, lineId: 'L1-pipe' }));
  });

  it('refuses water-utility money for the gas pipeline line', () => {
    given(...budgeted())
      .when(pledge({ source: 'pipeline_unit', details: { utility: 'water' }, lineId: 'B3-gas-pipe' }))
      .thenThrows('source-line-mismatch', 'lineId');
  });

  it('refuses utility money for a line that is no pipeline work', () => {
    given(...budgeted())
      .when(receive({ source: 'pipeline_unit', details: { utility: 'gas' }, lineId: 'B1-roof' }))
      .thenThrows('source-line-mismatch', 'lineId');
  });

  it('refuses paying utility money to a line that is no pipeline work', () => {
    given(
      ...approvedProject(),
      received({ source: 'pipeline_unit', details: { utility: 'gas' }, lineId: 'B3-gas-pipe' }),
    )
      .when(disburse({ source: 'pipeline_unit', lineId: 'B1-roof' }))
      .thenThrows('source-line-mismatch', 'lineId');
  });

  it('pays utility money to its pipeline line', () => {
    given(
      ...approvedProject(),
      received({ source: 'pipeline_unit', details: { utility: 'gas' }, lineId: 'B3-gas-pipe' }),
    )
      .when(disburse({ source: 'pipeline_unit', lineId: 'B3-gas-pipe' }))
      .then(disbursed({ source: 'pipeline_unit', lineId: 'B3-gas-pipe' }));
  });
});

describe('source-line-mismatch: municipal_subsidy', () => {
  // "用好市级与城镇老旧小区改造提升相关的城市更新、棚户区改造、住房租赁及养老、托幼、卫生健康、便民服务、
  // 停车、安防等专项资金" (seed) and "each fund only pays for its own purpose" (domain.md §1):
  // a programme pays its own items; urban renewal, shantytown and rental housing funds fit any line.
  it.each([
    ['elderly_care', 'meal_aid', 'enhancement'],
    ['elderly_care', 'elderly_care', 'enhancement'],
    ['childcare', 'childcare', 'enhancement'],
    ['health', 'public_health', 'enhancement'],
    ['convenience', 'convenience_store', 'enhancement'],
    ['parking', 'parking', 'improvement'],
    ['parking', 'ev_charging', 'improvement'],
    ['security', 'security', 'basic'],
    ['security', 'fire_safety', 'basic'],
  ])('takes %s money for a %s line', (program, item, category) => {
    given(registered(), budgetLine({ lineId: 'L1-line', category, item }))
      .when(pledge({ source: 'municipal_subsidy', details: { program }, lineId: 'L1-line' }))
      .then(pledged({ source: 'municipal_subsidy', details: { program }, lineId: 'L1-line' }));
  });

  it.each([
    ['parking', 'E1-meal-aid'],
    ['elderly_care', 'I2-parking'],
    ['security', 'B1-roof'],
    ['childcare', 'I1-elevator'],
  ])('refuses %s money for %s (field lineId)', (program, lineId) => {
    given(...budgeted())
      .when(pledge({ source: 'municipal_subsidy', details: { program }, lineId }))
      .thenThrows('source-line-mismatch', 'lineId');
  });

  it.each(Object.values(lines).map((l) => l.data.lineId))('takes urban_renewal money for any line: %s', (lineId) => {
    given(...budgeted())
      .when(receive({ source: 'municipal_subsidy', details: { program: 'urban_renewal' }, lineId }))
      .then(received({ source: 'municipal_subsidy', details: { program: 'urban_renewal' }, lineId }));
  });

  // A programme missing from the purpose table would fit any line without anyone deciding so.
  it('states the purpose of every programme of the taxonomy, in every version of the rule', () => {
    const versions = POLICIES.filter((r) => r.family === FUNDING_FAMILIES.municipalPurpose);
    expect(versions.length).toBeGreaterThan(0);
    for (const rule of versions)
      expect(Object.keys((rule.settings as ProgrammePurposes).programmeItems).sort()).toEqual(
        [...MUNICIPAL_PROGRAMS].sort(),
      );
  });
});

describe('source-line-mismatch: municipal_subsidy, when paid', () => {
  // The programme's purpose holds when the money is paid as when it is received (issue 14, point
  // 10). A payment names no programme: municipal money pays the line it was received on, whose
  // item its programme was checked to pay for. The project's municipal money on other lines is
  // refused for this line as at receipt.
  const facade = budgetLine({ lineId: 'B9-facade', item: 'facade', estimatedCost: '500000.00' });
  const parkingMoney = received({
    source: 'municipal_subsidy',
    details: { program: 'parking' },
    lineId: 'I2-parking',
    amount: '100.00',
  });

  it("refuses paying a parking programme's money to a facade line (field lineId)", () => {
    given(...approvedProject(), facade, parkingMoney)
      .when(disburse({ source: 'municipal_subsidy', lineId: 'B9-facade', amount: '100.00' }))
      .thenThrows('source-line-mismatch', 'lineId');
  });

  it('pays it on its parking line', () => {
    given(...approvedProject(), facade, parkingMoney)
      .when(disburse({ source: 'municipal_subsidy', lineId: 'I2-parking', amount: '100.00' }))
      .then(disbursed({ source: 'municipal_subsidy', lineId: 'I2-parking', amount: '100.00' }));
  });

  it("pays a facade from urban renewal money received on the facade, not from the parking line's money", () => {
    const renewal = received({
      receiptId: 'R2',
      source: 'municipal_subsidy',
      details: { program: 'urban_renewal' },
      lineId: 'B9-facade',
      amount: '40.00',
    });
    given(...approvedProject(), facade, parkingMoney, renewal)
      .when(disburse({ source: 'municipal_subsidy', lineId: 'B9-facade', amount: '40.00' }))
      .then(disbursed({ source: 'municipal_subsidy', lineId: 'B9-facade', amount: '40.00' }));
    given(...approvedProject(), facade, parkingMoney, renewal)
      .when(disburse({ source: 'municipal_subsidy', lineId: 'B9-facade', amount: '40.01' }))
      .thenThrows('source-line-mismatch', 'lineId');
  });

  it('says disbursement-exceeds-receipts when the project has not that much municipal money at all', () => {
    given(...approvedProject(), facade, parkingMoney)
      .when(disburse({ source: 'municipal_subsidy', lineId: 'I2-parking', amount: '100.01' }))
      .thenThrows('disbursement-exceeds-receipts', 'amount');
  });
});

describe('source-line-mismatch: maintenance_fund', () => {
  // "支持住宅专项维修资金用于房屋公用部位、公用设施设备的维修、更新和改造" (seed): common parts only,
  // never own-home work, and never pipeline work the utility must bear (domain.md §1, MF art. 25).
  it.each(['B1-roof', 'I1-elevator', 'B2-drainage'])('takes fund money for the common-part line %s', (lineId) => {
    given(...budgeted())
      .when(pledge({ source: 'maintenance_fund', lineId }))
      .then(pledged({ source: 'maintenance_fund', lineId }));
  });

  it.each(['H1-own-home', 'B3-gas-pipe', 'B4-water-supply'])('refuses fund money for %s (field lineId)', (lineId) => {
    given(...budgeted())
      .when(receive({ source: 'maintenance_fund', lineId }))
      .thenThrows('source-line-mismatch', 'lineId');
  });

  it('refuses paying fund money to an own-home line', () => {
    given(...approvedProject(), received({ source: 'maintenance_fund' }))
      .when(disburse({ source: 'maintenance_fund', lineId: 'H1-own-home' }))
      .thenThrows('source-line-mismatch', 'lineId');
  });
});
