/**
 * The household register (issue 15, point 1): households are entered a stairwell, a building or
 * a community at once (up to 5,000 in a request, all or nothing), each id once; areas are decimal
 * strings in m² with at most two decimals (the weights of shares and votes, held exactly as
 * hundredths of a m²), the exclusive area never above the building area; an owner is an opaque
 * key; a building, unit and room hold one household. A correction is an event of its own, with
 * its reason, and records only what changes.
 */
import { REGISTER_BATCH_MAX } from '../../../src/project/residents';
import { budgeted, given, registered } from '../../support/project-fixtures';
import {
  correctHousehold,
  household,
  householdsRegistered,
  registerHouseholds,
  stairwell,
  withDecided,
} from '../../support/resident-fixtures';

describe('registering households', () => {
  it('records the whole list as one event, areas written with two decimals', () => {
    given(registered())
      .when(registerHouseholds([household('101', { buildingArea: '72.1', exclusiveArea: '60' })]))
      .then(householdsRegistered([household('101', { buildingArea: '72.10', exclusiveArea: '60.00' })]));
  });

  it('keeps each household in the state, its areas in hundredths of a m²', () => {
    given(registered())
      .when(registerHouseholds(stairwell()))
      .thenState((s) => {
        expect(s.register.size).toBe(12);
        expect(s.register.get('H-3-2-601')).toEqual({
          householdId: 'H-3-2-601',
          building: '3',
          unit: '2',
          floor: 6,
          room: '601',
          buildingAreaH: 6000n,
          ownerKey: 'OK-601',
        });
      });
  });

  it('takes a second stairwell beside the first', () => {
    given(registered(), householdsRegistered())
      .when(registerHouseholds([household('101', { householdId: 'H-3-1-101', unit: '1' })]))
      .thenState((s) => expect(s.register.size).toBe(13));
  });

  it('refuses a household id already in the register (409 household-exists), naming it in the list', () => {
    given(registered(), householdsRegistered())
      .when(registerHouseholds([household('701'), household('601')]))
      .thenThrows('household-exists', 'households[1].householdId');
  });

  // "A household is one unit with its own title" (issue 15, point 1): its building, unit and room
  // name it, so a second household there is the first entered twice under another id.
  it('refuses a second household in a room already registered (409 household-room-exists), naming it', () => {
    given(registered(), householdsRegistered())
      .when(registerHouseholds([household('701'), household('601', { householdId: 'H-3-2-601-B' })]))
      .thenThrows('household-room-exists', 'households[1].room');
  });

  it('refuses two households of one room in one request, and takes the same room in another unit', () => {
    given(registered())
      .when(registerHouseholds([household('101'), household('101', { householdId: 'H-3-2-101-B' })]))
      .thenThrows('household-room-exists', 'households[1].room');
    given(registered())
      .when(registerHouseholds([household('101'), household('101', { householdId: 'H-3-1-101', unit: '1' })]))
      .thenState((s) => expect(s.register.size).toBe(2));
  });

  it('keeps a history that registered a room twice (written before the rule): evolve never re-decides', () => {
    const twice = householdsRegistered([household('101'), household('101', { householdId: 'H-3-2-101-B' })]);
    given(registered(), twice)
      .when(registerHouseholds([household('102')]))
      .thenState((s) => expect(s.rooms.get(JSON.stringify(['3', '2', '101']))).toEqual(['H-3-2-101', 'H-3-2-101-B']));
  });

  it('refuses a household id twice in one request, and so writes none of them', () => {
    given(registered())
      .when(registerHouseholds([household('101'), household('102'), household('101')]))
      .thenThrows('household-exists', 'households[2].householdId');
  });

  it.each([
    ['a JSON number', 60],
    ['three decimals', '60.125'],
    ['zero', '0.00'],
    ['a negative area', '-60.00'],
    ['an exponent', '6e1'],
    ['above 10,000.00 m²', '10000.01'],
  ])('refuses a building area that is %s (400 invalid-area)', (_what, area) => {
    given(registered())
      .when(registerHouseholds([household('101', { buildingArea: area as string })]))
      .thenThrows('invalid-area', 'households[0].buildingArea');
  });

  it('refuses an exclusive area above the building area (400 invalid-area)', () => {
    given(registered())
      .when(registerHouseholds([household('101', { exclusiveArea: '60.01' })]))
      .thenThrows('invalid-area', 'households[0].exclusiveArea');
  });

  it.each([
    ['householdId', { householdId: 'H 101' }, 'invalid-id'],
    ['ownerKey', { ownerKey: '' }, 'invalid-id'],
    ['floor', { floor: 2.5 }, 'invalid-field'],
    ['room', { room: ' ' }, 'invalid-field'],
    ['building', { building: undefined as unknown as string }, 'invalid-field'],
  ])('refuses a bad %s, naming the household in the list', (field, override, code) => {
    given(registered())
      .when(registerHouseholds([household('101'), household('102', override)]))
      .thenThrows(code, `households[1].${field}`);
  });

  it('refuses a field a household does not have (400 unknown-field)', () => {
    given(registered())
      .when(registerHouseholds([{ ...household('101'), ownerName: '张三' } as never]))
      .thenThrows('unknown-field', 'households[0].ownerName');
  });

  it(`refuses an empty register and one of more than ${REGISTER_BATCH_MAX} households`, () => {
    given(registered()).when(registerHouseholds([])).thenThrows('invalid-field', 'households');
    const many = Array.from({ length: REGISTER_BATCH_MAX + 1 }, (_, i) =>
      household('101', { householdId: `H-${i}`, ownerKey: `OK-${i}` }),
    );
    given(registered()).when(registerHouseholds(many)).thenThrows('invalid-field', 'households');
  });

  it(`takes ${REGISTER_BATCH_MAX} households in one request`, () => {
    const many = Array.from({ length: REGISTER_BATCH_MAX }, (_, i) =>
      household('101', { householdId: `H-${i}`, unit: String(i), ownerKey: `OK-${i}` }),
    );
    given(registered())
      .when(registerHouseholds(many))
      .thenState((s) => expect(s.register.size).toBe(REGISTER_BATCH_MAX));
  });

  it('refuses a register for a project that is not registered (404)', () => {
    given().when(registerHouseholds()).thenThrows('project-not-found');
  });
});

describe('correcting a household', () => {
  it('records the fields that change, with the reason, and the state follows', () => {
    given(...budgeted(), householdsRegistered())
      .when(correctHousehold({ buildingArea: '61.5', room: '601' }))
      .thenState((s, events) => {
        expect(events).toEqual([
          {
            type: 'household-corrected.v1',
            data: { projectId: 'TN2021-017', householdId: 'H-3-2-601', buildingArea: '61.50', reason: '复测面积' },
          },
        ]);
        expect(s.register.get('H-3-2-601')?.buildingAreaH).toBe(6150n);
      });
  });

  it('corrects an owner key and an exclusive area', () => {
    given(registered(), householdsRegistered())
      .when(correctHousehold({ buildingArea: undefined, ownerKey: 'OK-602', exclusiveArea: '50.5' }))
      .thenState((s) => {
        expect(s.register.get('H-3-2-601')).toMatchObject({ ownerKey: 'OK-602', exclusiveAreaH: 5050n });
      });
  });

  it('refuses a correction that changes nothing (422 nothing-to-correct)', () => {
    given(registered(), householdsRegistered())
      .when(correctHousehold({ buildingArea: '60.00', floor: 6 }))
      .thenThrows('nothing-to-correct');
    given(registered(), householdsRegistered())
      .when(correctHousehold({ buildingArea: undefined }))
      .thenThrows('nothing-to-correct');
  });

  it('refuses moving a household into a room another one holds (409 household-room-exists), and frees the old room', () => {
    given(registered(), householdsRegistered())
      .when(correctHousehold({ buildingArea: undefined, room: '602' }))
      .thenThrows('household-room-exists', 'room');
    const moved = withDecided(
      [registered(), householdsRegistered()],
      correctHousehold({ buildingArea: undefined, room: '701', floor: 7 }),
    );
    given(...moved)
      .when(registerHouseholds([household('601', { householdId: 'H-3-2-601-NEW' })]))
      .thenState((s) => {
        expect(s.register.get('H-3-2-601')).toMatchObject({ room: '701', floor: 7 });
        expect(s.register.get('H-3-2-601-NEW')).toMatchObject({ room: '601' });
      });
  });

  it('refuses a household that is not in the register (404 household-not-found)', () => {
    given(registered(), householdsRegistered())
      .when(correctHousehold({ householdId: 'H-9-9-999' }))
      .thenThrows('household-not-found', 'householdId');
  });

  it('refuses an exclusive area above the (corrected) building area, and a correction without a reason', () => {
    given(registered(), householdsRegistered())
      .when(correctHousehold({ buildingArea: undefined, exclusiveArea: '60.50' }))
      .thenThrows('invalid-area', 'exclusiveArea');
    given(registered(), householdsRegistered([household('601', { exclusiveArea: '55.00' })]))
      .when(correctHousehold({ buildingArea: '54.00' }))
      .thenThrows('invalid-area', 'buildingArea');
    given(registered(), householdsRegistered())
      .when(correctHousehold({ reason: '' }))
      .thenThrows('invalid-field', 'reason');
  });
});
