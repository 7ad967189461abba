/**
 * Owners' votes on the project stream (issue 15, point 2; 民法典 第二百七十八条): the ledger
 * resolves the vote's scope from the register as it stands, counts the ballots by area and by
 * owners (owner-votes.ts does the arithmetic) and records every figure with the rule applied.
 * A vote's id is used once; its scope names registered households in exactly one way; it is not
 * held after the day it is recorded.
 */
import { given, registered } from '../../support/project-fixtures';
import {
  PASSING_BALLOTS,
  ballots,
  household,
  householdsRegistered,
  recordVote,
  stairwell,
  withDecided,
} from '../../support/resident-fixtures';

const registerHistory = () => [registered(), householdsRegistered()];

describe('domain.md §1: 12 units / 720 m² vote on an elevator (alteration)', () => {
  it('8 units with 480 m² of the 10 taking part pass it, and the event holds every figure', () => {
    given(...registerHistory())
      .when(recordVote({ ballots: PASSING_BALLOTS }))
      .thenState((s, [e]) => {
        expect(e.type).toBe('owner-vote-recorded.v1');
        const d = e.data as import('../../../src/project/project.events').OwnerVoteRecorded;
        expect(d.scope.householdIds).toHaveLength(12);
        expect(d.tally).toMatchObject({
          rule: { ruleId: 'civil-code-278' },
          scope: { units: 12, owners: 12, area: '720.00' },
          participating: { units: 10, owners: 10, area: '600.00' },
          agreeing: { units: 8, owners: 8, area: '480.00' },
          quorum: { met: true, area: { display: '600.00/720.00' } },
          approval: { met: true, area: { num: '48000', den: '60000' }, owners: { display: '8/10' } },
          passed: true,
        });
        expect(s.votes.get('V-ELEVATOR')).toMatchObject({ matter: 'alteration', passed: true });
      });
  });

  it('8 units with 440 m² fail it on area though they pass on heads', () => {
    // Floors 3-6 agree (8 units), but 301 and 302 are 40 m² (and 101, 102 80 m²: still 720 m²),
    // so 440 m² of the 600 m² taking part agree, below ¾, while 8 of 10 owners is above it.
    const AREAS: Record<string, string> = { '101': '80.00', '102': '80.00', '301': '40.00', '302': '40.00' };
    const areas = (room: string) => (AREAS[room] ? { buildingArea: AREAS[room] } : {});
    given(registered(), householdsRegistered(stairwell(areas)))
      .when(
        recordVote({
          ballots: [
            ...ballots(['301', '302', '401', '402', '501', '502', '601', '602'], 'agree'),
            ...ballots(['101', '102'], 'disagree'),
          ],
        }),
      )
      .thenState((s, [e]) => {
        const d = e.data as import('../../../src/project/project.events').OwnerVoteRecorded;
        expect(d.tally.participating.area).toBe('600.00');
        expect(d.tally.agreeing).toEqual({ units: 8, owners: 8, area: '440.00' });
        expect(d.tally.approval.owners.display).toBe('8/10');
        expect(d.tally.passed).toBe(false);
        expect(s.votes.get('V-ELEVATOR')?.passed).toBe(false);
      });
  });
});

describe('a fund_use vote at exactly one half fails, and just above it passes', () => {
  // 12 units take part (quorum met); fund_use needs more than ½ of participating area and owners.
  const twelve = ['101', '102', '201', '202', '301', '302', '401', '402', '501', '502', '601', '602'];
  it('6 of 12 agreeing (360.00 of 720.00 m²) is not more than half', () => {
    given(...registerHistory())
      .when(
        recordVote({
          matter: 'fund_use',
          ballots: [...ballots(twelve.slice(0, 6), 'agree'), ...ballots(twelve.slice(6), 'disagree')],
        }),
      )
      .thenState((s) => expect(s.votes.get('V-ELEVATOR')?.passed).toBe(false));
  });

  it('7 of 12 agreeing is', () => {
    given(...registerHistory())
      .when(
        recordVote({
          matter: 'fund_use',
          ballots: [...ballots(twelve.slice(0, 7), 'agree'), ...ballots(twelve.slice(7), 'disagree')],
        }),
      )
      .thenState((s) => expect(s.votes.get('V-ELEVATOR')?.passed).toBe(true));
  });
});

describe("the vote's scope", () => {
  it.each([
    ['{all: true}', { all: true }],
    ['a building', { building: '3' }],
    ['a list', { householdIds: ['H-3-2-602', 'H-3-2-101'] }],
  ])('takes %s, and records its households in ascending order', (_what, scope) => {
    given(...registerHistory())
      .when(recordVote({ scope, ballots: ballots(['101'], 'agree') }))
      .thenState((_s, [e]) => {
        const ids = (e.data as { scope: { householdIds: string[] } }).scope.householdIds;
        expect(ids).toEqual([...ids].sort());
        expect(ids).toContain('H-3-2-101');
      });
  });

  it('leaves out households of other stairwells', () => {
    const other = household('101', { householdId: 'H-3-1-101', unit: '1', ownerKey: 'OK-X' });
    given(registered(), householdsRegistered([...stairwell(), other]))
      .when(recordVote({ ballots: PASSING_BALLOTS }))
      .thenState((_s, [e]) =>
        expect((e.data as { scope: { householdIds: string[] } }).scope.householdIds).not.toContain('H-3-1-101'),
      );
  });

  it.each([
    ['two forms at once', { all: true, building: '3' }],
    ['a unit without its building', { unit: '2' }],
    ['no form', {}],
    ['all: false', { all: false }],
    ['a household twice', { householdIds: ['H-3-2-101', 'H-3-2-101'] }],
    ['an empty list', { householdIds: [] }],
  ])('refuses %s (400 invalid-scope)', (_what, scope) => {
    given(...registerHistory())
      .when(recordVote({ scope: scope as never }))
      .thenThrows('invalid-scope');
  });

  it('refuses a household that is not in the register (422 household-not-found)', () => {
    given(...registerHistory())
      .when(recordVote({ scope: { householdIds: ['H-3-2-101', 'H-9-9-999'] } }))
      .thenThrows('household-not-found', 'scope.householdIds[1]');
  });

  it('refuses a scope that names nobody (422 vote-scope-empty)', () => {
    given(...registerHistory())
      .when(recordVote({ scope: { building: '9' } }))
      .thenThrows('vote-scope-empty');
  });

  it('refuses a field a scope does not have', () => {
    given(...registerHistory())
      .when(recordVote({ scope: { building: '3', floor: 6 } as never }))
      .thenThrows('unknown-field', 'scope.floor');
  });
});

describe('recording a vote', () => {
  it('refuses a vote id already recorded (409 vote-exists)', () => {
    given(...withDecided(registerHistory(), recordVote({ ballots: PASSING_BALLOTS })))
      .when(recordVote())
      .thenThrows('vote-exists', 'voteId');
  });

  it('refuses a ballot outside the scope, a matter the law does not name, a bad date', () => {
    given(...registerHistory())
      .when(recordVote({ scope: { householdIds: ['H-3-2-101'] }, ballots: ballots(['102'], 'agree') }))
      .thenThrows('ballot-outside-scope');
    given(...registerHistory())
      .when(recordVote({ matter: 'elevator' }))
      .thenThrows('invalid-field', 'matter');
    given(...registerHistory())
      .when(recordVote({ heldOn: '2023-02-30' }))
      .thenThrows('invalid-date', 'heldOn');
  });

  // A vote is recorded once it was held, like every business date (receipts and payments:
  // date-in-future), with one day's grace for the district's UTC+8 against the ledger's UTC clock.
  it('refuses a vote held after the day it is recorded (422 date-in-future), and takes the next day', () => {
    given(...registerHistory())
      .when(recordVote({ heldOn: '2024-01-03', recordedOn: '2024-01-01', ballots: PASSING_BALLOTS }))
      .thenThrows('date-in-future', 'heldOn');
    given(...registerHistory())
      .when(recordVote({ heldOn: '2024-01-02', recordedOn: '2024-01-01', ballots: PASSING_BALLOTS }))
      .thenState((s) => expect(s.votes.get('V-ELEVATOR')?.heldOn).toBe('2024-01-02'));
  });

  it('refuses a ballot field that is not householdId or choice', () => {
    given(...registerHistory())
      .when(recordVote({ ballots: [{ householdId: 'H-3-2-101', choice: 'agree', weight: 2 } as never] }))
      .thenThrows('unknown-field', 'ballots[0].weight');
  });

  it('judges a vote held before 2021 by 物权法 第七十六条', () => {
    given(...registerHistory())
      .when(recordVote({ heldOn: '2019-06-01', ballots: PASSING_BALLOTS }))
      .thenState((s, [e]) => {
        expect((e.data as { tally: { rule: { ruleId: string } } }).tally.rule.ruleId).toBe('property-law-76');
        // 8 of 12 owners and 480 of 720 m² is ⅔ of all: exactly the bound, which 以上 includes.
        expect(s.votes.get('V-ELEVATOR')?.passed).toBe(true);
      });
  });
});
