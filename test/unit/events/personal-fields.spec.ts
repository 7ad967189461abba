/**
 * Rule (个人信息保护法; issue 14 point 11): the fields of events that may name a person are
 * declared in one place, for every event type the ledger reads; for a reader who may not see
 * them they read as "***". A payer is a person when the money is the residents' own (a source of
 * the resident tier, or a source not known); a payee always may be; a household id always is.
 */
import { ledgerEvents } from '../../../src/events/ledger-events';
import { MASKED, PERSONAL_FIELDS, maskPersonalData } from '../../../src/events/personal-fields';
import { PERSONAL_DATA_ROLES, personalDataViewOf } from '../../../src/auth/personal-data';
import { ROLES } from '../../../src/auth/tokens';
import { disbursed, pledged, received, registered } from '../../support/project-fixtures';

describe('which fields are personal', () => {
  it('declares every event type the registry reads, superseded versions included', () => {
    expect(Object.keys(PERSONAL_FIELDS).sort()).toEqual([...ledgerEvents.types].sort());
  });

  it("masks a resident's payer and household, and leaves the rest as it was", () => {
    const e = received({ source: 'resident_direct', payer: '张三', details: { householdId: '3-2-601' } });
    expect(maskPersonalData(e.type, e.data, 'masked')).toEqual({
      ...e.data,
      payer: MASKED,
      details: { householdId: MASKED },
    });
    const p = pledged({ source: 'provident_fund', payer: '李四', details: { householdId: '1-1-101' } });
    expect(maskPersonalData(p.type, p.data, 'masked')).toMatchObject({
      payer: MASKED,
      details: { householdId: MASKED },
    });
  });

  it("names an organisation that pays (any tier but the residents'), and masks a payer of an unknown source", () => {
    for (const source of ['district_matching', 'pipeline_unit', 'social_donation', 'bank_loan']) {
      const e = received({ source, payer: '某单位' });
      expect(maskPersonalData(e.type, e.data, 'masked')).toEqual(e.data);
    }
    const unknown = received({ source: 'no_such_source', payer: '某人' });
    expect(maskPersonalData(unknown.type, unknown.data, 'masked')).toMatchObject({ payer: MASKED });
  });

  it('masks every payee', () => {
    const e = disbursed({ payee: '王五' });
    expect(maskPersonalData(e.type, e.data, 'masked')).toEqual({ ...e.data, payee: MASKED });
  });

  it('shows everything to a reader who may see it, and never changes the stored data', () => {
    const e = received({ source: 'resident_direct', payer: '张三', details: { householdId: '3-2-601' } });
    const before = JSON.stringify(e.data);
    expect(maskPersonalData(e.type, e.data, 'shown')).toBe(e.data);
    maskPersonalData(e.type, e.data, 'masked');
    expect(JSON.stringify(e.data)).toBe(before);
    const r = registered();
    expect(maskPersonalData(r.type, r.data, 'masked')).toEqual(r.data);
  });

  it('masks household ids and owner keys through arrays: each household, ballot, share and listed id', () => {
    const register = {
      projectId: 'P',
      households: [
        { householdId: 'H1', building: '3', unit: '2', floor: 6, room: '601', buildingArea: '60.00', ownerKey: 'OK1' },
      ],
    };
    expect(maskPersonalData('households-registered.v1', register, 'masked')).toEqual({
      projectId: 'P',
      households: [{ ...register.households[0], householdId: MASKED, ownerKey: MASKED }],
    });
    const vote = {
      voteId: 'V1',
      scope: { building: '3', householdIds: ['H1', 'H2'] },
      ballots: [{ householdId: 'H1', choice: 'agree' }],
    };
    expect(maskPersonalData('owner-vote-recorded.v1', vote, 'masked')).toEqual({
      voteId: 'V1',
      scope: { building: '3', householdIds: [MASKED, MASKED] },
      ballots: [{ householdId: MASKED, choice: 'agree' }],
    });
    const plan = {
      planId: 'PL',
      exempt: ['H2'],
      scope: { householdIds: ['H1'] },
      shares: [{ householdId: 'H1', share: '1.00' }],
    };
    expect(maskPersonalData('cost-share-plan-adopted.v1', plan, 'masked')).toEqual({
      planId: 'PL',
      exempt: [MASKED],
      scope: { householdIds: [MASKED] },
      shares: [{ householdId: MASKED, share: '1.00' }],
    });
    const correction = { householdId: 'H1', buildingArea: '61.00', reason: '复测' };
    expect(maskPersonalData('household-corrected.v1', correction, 'masked')).toEqual({
      ...correction,
      householdId: MASKED,
    });
  });

  it('masks every text of a type nobody declared', () => {
    expect(maskPersonalData('household-registered.v1', { name: '张三', floor: 6, nested: ['x'] }, 'masked')).toEqual({
      name: MASKED,
      floor: 6,
      nested: [MASKED],
    });
  });

  it('shows personal data to finance, clerks, auditors and administrators only, and never without a token', () => {
    const shown = ROLES.filter((role) => personalDataViewOf({ actorId: 'a', org: 'o', role }) === 'shown');
    expect(shown.sort()).toEqual([...PERSONAL_DATA_ROLES].sort());
    expect(shown.sort()).toEqual(['admin', 'auditor', 'clerk', 'finance']);
    expect(personalDataViewOf(undefined)).toBe('masked');
  });
});
