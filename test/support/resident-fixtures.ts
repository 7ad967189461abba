/**
 * Builders for the residents' side of a project: households, the register, votes and plans.
 * Votes and plans carry figures the decider computes (a tally, shares), so their events are made
 * by deciding the command on the history (`decided`), exactly as the write path would store them.
 */
import { projectDecider } from '../../src/project/project.decider';
import {
  AdoptCostSharePlan,
  CorrectHousehold,
  HouseholdInput,
  RecordOwnerVote,
  RegisterHouseholds,
} from '../../src/project/project.commands';
import { HouseholdEntry, ProjectEvent, ProjectEventType as T } from '../../src/project/project.events';
import { fold } from '../../src/shared/domain/decider';
import { EXAMPLE_A } from './cost-sharing-examples';
import { EventOf, PROJECT_ID, budgeted, receive } from './project-fixtures';

/** Unit `room` of building 3, unit (stairwell) 2: floor from the room number (601 → 6), 60 m², its own owner. */
export function household(room: string, overrides: Partial<HouseholdInput> = {}): HouseholdInput {
  return {
    householdId: `H-3-2-${room}`,
    building: '3',
    unit: '2',
    floor: Number(room.slice(0, -2)),
    room,
    buildingArea: EXAMPLE_A.unitArea,
    ownerKey: `OK-${room}`,
    ...overrides,
  };
}

/** The rooms of Example A's stairwell (domain.md §4): six floors, two units a floor, 101 ... 602. */
export const STAIRWELL_ROOMS = [1, 2, 3, 4, 5, 6].flatMap((floor) => [`${floor}01`, `${floor}02`]);

/** Example A's stairwell: twelve units of 60 m² (720 m² in all), each with its own owner. */
export const stairwell = (overrides: (room: string) => Partial<HouseholdInput> = () => ({})): HouseholdInput[] =>
  STAIRWELL_ROOMS.map((room) => household(room, overrides(room)));

export function registerHouseholds(households: HouseholdInput[] = stairwell()): RegisterHouseholds {
  return { type: 'RegisterHouseholds', projectId: PROJECT_ID, households };
}

/** The event a register of `households` writes (areas written with two decimals, as the inputs here are). */
export function householdsRegistered(
  households: HouseholdInput[] = stairwell(),
): EventOf<typeof T.householdsRegistered> {
  return {
    type: T.householdsRegistered,
    data: { projectId: PROJECT_ID, households: households.map((h) => ({ ...h }) as HouseholdEntry) },
  };
}

export function correctHousehold(overrides: Partial<CorrectHousehold> = {}): CorrectHousehold {
  return {
    type: 'CorrectHousehold',
    projectId: PROJECT_ID,
    householdId: 'H-3-2-601',
    buildingArea: '61.50',
    reason: '复测面积',
    ...overrides,
  };
}

/** A vote over the stairwell (building 3, unit 2), held in 2023 (民法典), with the ballots given. */
export function recordVote(overrides: Partial<RecordOwnerVote> = {}): RecordOwnerVote {
  return {
    type: 'RecordOwnerVote',
    projectId: PROJECT_ID,
    voteId: 'V-ELEVATOR',
    matter: 'alteration',
    scope: { building: '3', unit: '2' },
    heldOn: '2023-05-20',
    ballots: [],
    recordedOn: '2024-01-01',
    ...overrides,
  };
}

/** Ballots for the rooms given, each with `choice`. */
export const ballots = (rooms: string[], choice: string) =>
  rooms.map((room) => ({ householdId: `H-3-2-${room}`, choice }));

/** domain.md §1: 10 of the 12 units take part, 8 (floors 3-6) agree: an alteration passes. */
export const PASSING_BALLOTS = [
  ...ballots(['301', '302', '401', '402', '501', '502', '601', '602'], 'agree'),
  ...ballots(['201', '202'], 'disagree'),
];

/** Example A's elevator plan over the stairwell: 400,000.00 by floor coefficient × building area. */
export function adoptPlan(overrides: Partial<AdoptCostSharePlan> = {}): AdoptCostSharePlan {
  return {
    type: 'AdoptCostSharePlan',
    projectId: PROJECT_ID,
    planId: 'PLAN-ELEVATOR',
    lineIds: ['I1-elevator'],
    amount: '400000.00',
    scope: { building: '3', unit: '2' },
    key: { kind: 'floor_coefficient', coefficients: EXAMPLE_A.coefficients, basis: 'building_area' },
    voteId: 'V-ELEVATOR',
    ...overrides,
  };
}

/** The events `command` decides on `history` (throws what decide throws). */
export function decided(history: ProjectEvent[], command: Parameters<typeof projectDecider.decide>[0]): ProjectEvent[] {
  return projectDecider.decide(command, fold(projectDecider, history));
}

/** History and the events of each command decided in turn on it. */
export function withDecided(
  history: ProjectEvent[],
  ...commands: Parameters<typeof projectDecider.decide>[0][]
): ProjectEvent[] {
  const out = [...history];
  for (const command of commands) out.push(...decided(out, command));
  return out;
}

/**
 * The budgeted project (lines of domain.md Example C; the elevator I1 costs 600,000.00), the
 * stairwell registered, its elevator vote passed and Example A's plan adopted.
 */
export const withElevatorPlan = (): ProjectEvent[] =>
  withDecided([...budgeted(), householdsRegistered()], recordVote({ ballots: PASSING_BALLOTS }), adoptPlan());

/** A receipt paying household `room`'s share of the elevator plan. */
export const payShare = (room: string, overrides: Parameters<typeof receive>[0] = {}) =>
  receive({
    receiptId: `R-${room}`,
    source: 'resident_direct',
    amount: '1000.00',
    payer: `Owner of ${room}`,
    details: { householdId: `H-3-2-${room}` },
    planId: 'PLAN-ELEVATOR',
    ...overrides,
  });
