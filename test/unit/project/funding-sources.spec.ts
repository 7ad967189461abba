import { SOURCE_CODES, isInKind } from '../../../src/project/funding-sources';
import { SourceDetails } from '../../../src/project/project.events';
import {
  approvedProject,
  budgeted,
  disburse,
  given,
  pledge,
  pledged,
  receive,
  received,
} from '../../support/project-fixtures';
import { withElevatorPlan } from '../../support/resident-fixtures';

describe('the fourteen funding sources', () => {
  // "Funding sources (the codes the API uses)" (product.md): each code with its sub-fields:
  // householdId optional / required, valuationBasis, utility, donorKind, program, bondId
  // optional, lender; restricted sources name the line they are earmarked to.
  const everySource: Array<[source: string, details: SourceDetails, lineId: string | undefined]> = [
    ['resident_direct', { householdId: '3-2-601' }, undefined],
    ['maintenance_fund', { voteRef: 'OWNERS-VOTE-2021-03' }, 'B1-roof'],
    ['provident_fund', { householdId: 'H-3-2-601' }, 'I1-elevator'],
    ['public_revenue', {}, undefined],
    ['resident_in_kind', { valuationBasis: '120 h × 25.00/h', householdId: '3-2-601' }, undefined],
    ['pipeline_unit', { utility: 'gas' }, 'B3-gas-pipe'],
    ['social_donation', { donorKind: 'original_owner_unit', valuationBasis: 'cash' }, undefined],
    ['social_capital', { operatingRights: 'parking, 10 years' }, 'I2-parking'],
    ['central_budget_investment', {}, 'B2-drainage'],
    ['central_fiscal_subsidy', {}, 'B1-roof'],
    ['municipal_subsidy', { program: 'elderly_care' }, 'E1-meal-aid'],
    ['district_matching', {}, undefined],
    ['special_bond', { bondId: '2021-CQ-ZX-12' }, undefined],
    ['bank_loan', { lender: 'Chongqing Rural Commercial Bank' }, undefined],
  ];

  it('covers every code of the taxonomy, each once', () => {
    expect(everySource.map(([source]) => source).sort()).toEqual([...SOURCE_CODES].sort());
    expect(everySource).toHaveLength(14);
  });

  it.each(everySource)('takes a pledge from %s with its sub-fields', (source, details, lineId) => {
    given(...budgeted())
      .when(pledge({ source, details, lineId }))
      .then(pledged({ source, details, lineId }));
  });

  // A provident-fund withdrawal finances a household's share (domain.md R-CS7): its receipt names
  // the plan, so its project has the register and Example A's elevator plan.
  const shares = (source: string) =>
    source === 'provident_fund'
      ? { history: withElevatorPlan(), plan: { planId: 'PLAN-ELEVATOR' } }
      : { history: budgeted(), plan: {} };

  it.each(everySource)('takes a receipt from %s drawn on its pledge, on the pledge line', (source, details, lineId) => {
    const { history, plan } = shares(source);
    given(...history, pledged({ source, details, lineId }))
      .when(receive({ source, details, pledgeId: 'P1', ...plan }))
      .then(received({ source, details, pledgeId: 'P1', lineId, ...plan }));
  });

  it.each(everySource)('pays out what was received from %s', (source, details, lineId) => {
    given(...approvedProject(), received({ source, details, lineId }))
      .when(disburse({ source, lineId: lineId ?? 'B1-roof' }))
      .thenState((state) =>
        expect(state.sources.get(source)).toEqual({ pledgedFen: 0n, receivedFen: 100_00n, disbursedFen: 100_00n }),
      );
  });
});

describe('unknown-source', () => {
  // "GET /api/funding-sources returns this table": a source outside it is refused (400, field source).
  it.each(['lottery', 'Resident_Direct', 'pipeline_unit_gas', ''])('refuses a pledge from %j', (source) => {
    given(...budgeted())
      .when(pledge({ source }))
      .thenThrows('unknown-source', 'source');
  });

  it('refuses a receipt from an unknown source', () => {
    given(...budgeted())
      .when(receive({ source: 'lottery' }))
      .thenThrows('unknown-source', 'source');
  });

  it('refuses a disbursement from an unknown source', () => {
    given(...approvedProject())
      .when(disburse({ source: 'lottery' }))
      .thenThrows('unknown-source', 'source');
  });
});

describe('sub-field-not-allowed', () => {
  // Each source takes exactly the sub-fields of its row: any other is refused, naming the field.
  it.each([
    ['district_matching', { householdId: '3-2-601' }, 'householdId'],
    ['pipeline_unit', { utility: 'gas', program: 'parking' }, 'program'],
    ['resident_direct', { lender: 'a bank' }, 'lender'],
    ['central_fiscal_subsidy', { voteRef: 'V1' }, 'voteRef'],
  ])('refuses %s with %j (field %s)', (source, details, field) => {
    given(...budgeted())
      .when(pledge({ source, details, lineId: 'B3-gas-pipe' }))
      .thenThrows('sub-field-not-allowed', field);
  });
});

describe('sub-field-required', () => {
  // "provident_fund: householdId required"; resident_in_kind needs its valuationBasis,
  // pipeline_unit its utility, social_donation its donorKind, municipal_subsidy its program,
  // bank_loan its lender (product.md).
  it.each([
    ['provident_fund', 'householdId', 'I1-elevator'],
    ['resident_in_kind', 'valuationBasis', undefined],
    ['pipeline_unit', 'utility', 'B3-gas-pipe'],
    ['social_donation', 'donorKind', undefined],
    ['municipal_subsidy', 'program', 'E1-meal-aid'],
    ['bank_loan', 'lender', undefined],
  ])('refuses %s without %s', (source, field, lineId) => {
    given(...budgeted())
      .when(pledge({ source, details: {}, lineId }))
      .thenThrows('sub-field-required', field);
  });

  it('refuses a receipt without the required sub-field too', () => {
    given(...budgeted())
      .when(receive({ source: 'bank_loan', details: {} }))
      .thenThrows('sub-field-required', 'lender');
  });
});

describe('invalid-sub-field', () => {
  // Sub-fields with a list of values take only those: utility (water … broadcast), donorKind
  // (enterprise, social_org, original_owner_unit), program (urban_renewal … security).
  it.each([
    ['pipeline_unit', { utility: 'sewage' }, 'utility', 'B3-gas-pipe'],
    ['social_donation', { donorKind: 'individual' }, 'donorKind', undefined],
    ['municipal_subsidy', { program: 'lottery' }, 'program', 'E1-meal-aid'],
  ])('refuses %s with %j (field %s)', (source, details, field, lineId) => {
    given(...budgeted())
      .when(pledge({ source, details, lineId }))
      .thenThrows('invalid-sub-field', field);
  });

  // Free-text sub-fields are non-empty text of at most 200 characters.
  it('refuses a blank free-text sub-field: invalid-field', () => {
    given(...budgeted())
      .when(pledge({ source: 'bank_loan', details: { lender: ' ' } }))
      .thenThrows('invalid-field', 'lender');
  });
});

describe('isInKind', () => {
  it('is an in-kind source, or any entry that says how it was valued; cash otherwise', () => {
    expect(isInKind('resident_in_kind', {})).toBe(true);
    expect(isInKind('social_donation', { donorKind: 'enterprise', valuationBasis: '健身器材 6 套' })).toBe(true);
    expect(isInKind('social_donation', { donorKind: 'enterprise' })).toBe(false);
    expect(isInKind('district_matching', undefined)).toBe(false);
  });
});
