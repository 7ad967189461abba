/**
 * The residents' share on the project stream (issue 15; domain.md §1 and §4): the household
 * register and its corrections, owners' votes, cost-sharing plans, and receipts that pay a
 * household's share. The project decider calls these, so one decision sees every rule at once
 * (a plan's amount against the money other sources put on its lines, a provident-fund
 * withdrawal against the household's share, a maintenance-fund receipt against its vote).
 *
 * The arithmetic itself is elsewhere and pure: shares in cost-sharing.ts, vote figures in
 * owner-votes.ts. Here: which households, which checks, what is stored.
 *
 * State lives in keyed collections (keyed-collections.ts), so a decision looks up what it needs
 * and never walks the stream: a household, a plan, a household's account in a plan, a vote.
 */
import { assert } from '../shared/domain/domain-error';
import { KeyedMap } from '../shared/domain/keyed-collections';
import {
  checkDate,
  checkId,
  checkNotAfterRecording,
  checkText,
  floorProblem,
  formatArea,
  parseArea,
} from '../shared/domain/input-rules';
import { exactDecimal, rational } from '../shared/domain/rational';
import { Fen, fenOfStored, formatFen, parseAmount } from '../shared/money/money';
import { CostShareKey, HouseholdFacts, splitShares, weightsOf } from './cost-sharing';
import { SHARE_CHANNELS, ShareChannel, isShareChannel } from './funding-sources';
import {
  Ballot,
  Threshold,
  ThresholdPair,
  VOTE_MATTERS,
  VoteCount,
  VoteErrors,
  VoteFraction,
  VoteMatter,
  VoteTally,
  Voter,
  tallyVote,
  votingArea,
} from './owner-votes';
import {
  AdoptCostSharePlan,
  CorrectHousehold,
  HouseholdInput,
  HouseholdScope,
  ReceiveFunds,
  RecordOwnerVote,
  RegisterHouseholds,
} from './project.commands';
import { ProjectErrors as E } from './project.errors';
import {
  CostShareKeyRecord,
  CostSharePlanAdopted,
  FundsReceived,
  HouseholdCorrected,
  HouseholdEntry,
  HouseholdsRegistered,
  OwnerVoteRecorded,
  ProjectEvent,
  ProjectEventType as T,
  ScopeRecord,
  SourceDetails,
  VoteTallyRecord,
} from './project.events';
import { currentRule, ruleInForce } from '../policy/policies';
import { PolicyRule } from '../policy/policy-rule';
import { RESIDENTS_FAMILIES as RF, VoteRequirement } from '../policy/rules/residents.rules';

/** The most households one request registers: a whole community (issue 15: up to 5,000 at once). */
export const REGISTER_BATCH_MAX = 5_000;

/** A household of the register, its areas in hundredths of a m². */
export interface Household {
  householdId: string;
  building: string;
  unit: string;
  floor: number;
  room: string;
  buildingAreaH: bigint;
  exclusiveAreaH?: bigint;
  tenure?: string;
  ownerKey: string;
}

/** What decisions need of a recorded owners' vote (its figures stay in its event). */
export interface OwnerVote {
  voteId: string;
  matter: string;
  heldOn: string;
  passed: boolean;
  /** The households of its scope, ascending. */
  householdIds: readonly string[];
}

/** An adopted cost-sharing plan. */
export interface SharePlan {
  planId: string;
  lineIds: readonly string[];
  amountFen: Fen;
  voteId?: string;
  /** The households of its scope, ascending (exempt ones included, with a share of 0.00). */
  householdIds: readonly string[];
}

/** A household's account in a plan: its share and what each channel paid, net of reversals. */
export interface ShareAccount {
  planId: string;
  householdId: string;
  shareFen: Fen;
  paidFen: Readonly<Record<ShareChannel, Fen>>;
}

export interface ResidentsState {
  register: KeyedMap<Readonly<Household>>;
  /**
   * By roomKey(building, unit, room): the households registered there. One, since the rule that a
   * room is registered once; a history written before it may hold two.
   */
  rooms: KeyedMap<readonly string[]>;
  votes: KeyedMap<Readonly<OwnerVote>>;
  plans: KeyedMap<Readonly<SharePlan>>;
  /** By `${planId}/${householdId}` (ids hold no '/'). */
  shares: KeyedMap<Readonly<ShareAccount>>;
  /** By line: the plans that share it. */
  linePlans: KeyedMap<readonly string[]>;
  /**
   * By line: what sources other than the share channels put on it, net of reversals: pledges
   * earmarked to it, and receipts on it that no pledge on it already counts (R-CS6).
   */
  lineCommittedFen: KeyedMap<Fen>;
}

/** What the residents' rules read of the project's state besides their own. */
export interface ResidentsContext extends ResidentsState {
  projectId: string;
  lines: KeyedMap<Readonly<{ lineId: string; item: string; estimatedCostFen: Fen }>>;
}

export function emptyResidents(): ResidentsState {
  return {
    register: KeyedMap.empty(),
    rooms: KeyedMap.empty(),
    votes: KeyedMap.empty(),
    plans: KeyedMap.empty(),
    shares: KeyedMap.empty(),
    linePlans: KeyedMap.empty(),
    lineCommittedFen: KeyedMap.empty(),
  };
}

export const shareKey = (planId: string, householdId: string): string => `${planId}/${householdId}`;

/** Where a household is: building, unit and room are free text, so the key is their JSON (no separator to escape). */
export const roomKey = (h: { building: string; unit: string; room: string }): string =>
  JSON.stringify([h.building, h.unit, h.room]);

/** The sum of what a household paid into its share, every channel. */
export function paidOf(account: Readonly<Pick<ShareAccount, 'paidFen'>>): Fen {
  return SHARE_CHANNELS.reduce((sum, channel) => sum + account.paidFen[channel], 0n);
}

// ---------------------------------------------------------------------------------------------
// decide: the register

export function registerHouseholds(c: RegisterHouseholds, s: ResidentsContext): ProjectEvent[] {
  if (!Array.isArray(c.households) || c.households.length === 0 || c.households.length > REGISTER_BATCH_MAX)
    throw E.invalidRegister(`must be a list of 1 to ${REGISTER_BATCH_MAX} households`);
  const seen = new Set<string>();
  const roomsSeen = new Map<string, string>();
  const households = c.households.map((h, i) => {
    const entry = householdEntry(h, `households[${i}]`);
    const field = `households[${i}].householdId`;
    if (seen.has(entry.householdId)) throw E.householdExists(entry.householdId, field, true);
    if (s.register.has(entry.householdId)) throw E.householdExists(entry.householdId, field);
    seen.add(entry.householdId);
    const room = roomKey(entry);
    const there = roomsSeen.get(room) ?? householdIn(s, room);
    if (there !== undefined) throw E.roomTaken(entry, there, `households[${i}].room`);
    roomsSeen.set(room, entry.householdId);
    return entry;
  });
  return [{ type: T.householdsRegistered, data: { projectId: s.projectId, households } }];
}

/** A household registered at `room` (a roomKey), if any. */
function householdIn(s: ResidentsContext, room: string): string | undefined {
  return s.rooms.get(room)?.[0];
}

const HOUSEHOLD_FIELDS: readonly (keyof HouseholdInput)[] = [
  'householdId',
  'building',
  'unit',
  'floor',
  'room',
  'buildingArea',
  'exclusiveArea',
  'tenure',
  'ownerKey',
];

/** One household checked, its areas written as the ledger writes them ("72.10"). */
function householdEntry(h: HouseholdInput, at: string): HouseholdEntry {
  onlyFields(h, HOUSEHOLD_FIELDS, at);
  checkId(`${at}.householdId`, h.householdId);
  checkText(`${at}.building`, h.building);
  checkText(`${at}.unit`, h.unit);
  checkFloor(`${at}.floor`, h.floor);
  checkText(`${at}.room`, h.room);
  const building = parseArea(`${at}.buildingArea`, h.buildingArea);
  const exclusive = h.exclusiveArea === undefined ? undefined : parseArea(`${at}.exclusiveArea`, h.exclusiveArea);
  checkAreas(`${at}.exclusiveArea`, building, exclusive);
  if (h.tenure !== undefined) checkText(`${at}.tenure`, h.tenure);
  checkId(`${at}.ownerKey`, h.ownerKey);
  return {
    householdId: h.householdId,
    building: h.building,
    unit: h.unit,
    floor: h.floor,
    room: h.room,
    buildingArea: formatArea(building),
    ...(exclusive !== undefined ? { exclusiveArea: formatArea(exclusive) } : {}),
    ...(h.tenure !== undefined ? { tenure: h.tenure } : {}),
    ownerKey: h.ownerKey,
  };
}

function checkFloor(field: string, value: unknown): void {
  const problem = floorProblem(value);
  if (problem !== null) throw E.invalidNumber(field, problem);
}

function checkAreas(field: string, building: bigint, exclusive: bigint | undefined): void {
  if (exclusive !== undefined && exclusive > building)
    throw E.exclusiveAreaAboveBuildingArea(field, formatArea(exclusive), formatArea(building));
}

/** The fields a correction may change, in the order the event lists them: all but the id. */
const CORRECTABLE = HOUSEHOLD_FIELDS.filter(
  (field): field is Exclude<keyof HouseholdInput, 'householdId'> => field !== 'householdId',
);

/** A correction records only the fields whose value changes; one that changes nothing is refused. */
export function correctHousehold(c: CorrectHousehold, s: ResidentsContext): ProjectEvent[] {
  checkId('householdId', c.householdId);
  const h = s.register.get(c.householdId);
  if (!h) throw E.householdNotFound(c.householdId, 'householdId', 404);
  for (const field of ['building', 'unit', 'room', 'tenure'] as const)
    if (c[field] !== undefined) checkText(field, c[field]);
  if (c.floor !== undefined) checkFloor('floor', c.floor);
  if (c.ownerKey !== undefined) checkId('ownerKey', c.ownerKey);
  const buildingH = c.buildingArea === undefined ? h.buildingAreaH : parseArea('buildingArea', c.buildingArea);
  const exclusiveH = c.exclusiveArea === undefined ? h.exclusiveAreaH : parseArea('exclusiveArea', c.exclusiveArea);
  checkAreas(c.exclusiveArea !== undefined ? 'exclusiveArea' : 'buildingArea', buildingH, exclusiveH);
  checkText('reason', c.reason);
  const now = entryOf(h);
  const next: Partial<HouseholdEntry> = {
    building: c.building,
    unit: c.unit,
    floor: c.floor,
    room: c.room,
    buildingArea: c.buildingArea === undefined ? undefined : formatArea(buildingH),
    exclusiveArea: c.exclusiveArea === undefined || exclusiveH === undefined ? undefined : formatArea(exclusiveH),
    tenure: c.tenure,
    ownerKey: c.ownerKey,
  };
  const changes: Partial<HouseholdEntry> = {};
  for (const field of CORRECTABLE) {
    const value = next[field];
    if (value !== undefined && value !== now[field]) (changes as Record<string, unknown>)[field] = value;
  }
  if (Object.keys(changes).length === 0) throw E.nothingToCorrect(c.householdId);
  const moved = { ...now, ...changes };
  const there = householdIn(s, roomKey(moved));
  if (there !== undefined && there !== c.householdId) {
    const field = (['room', 'unit', 'building'] as const).find((f) => changes[f] !== undefined)!;
    throw E.roomTaken(moved, there, field);
  }
  return [
    {
      type: T.householdCorrected,
      data: { projectId: s.projectId, householdId: c.householdId, ...changes, reason: c.reason },
    },
  ];
}

/** A household of the state as its register entry is written. */
export function entryOf(h: Readonly<Household>): HouseholdEntry {
  return {
    householdId: h.householdId,
    building: h.building,
    unit: h.unit,
    floor: h.floor,
    room: h.room,
    buildingArea: formatArea(h.buildingAreaH),
    ...(h.exclusiveAreaH !== undefined ? { exclusiveArea: formatArea(h.exclusiveAreaH) } : {}),
    ...(h.tenure !== undefined ? { tenure: h.tenure } : {}),
    ownerKey: h.ownerKey,
  };
}

// ---------------------------------------------------------------------------------------------
// decide: scopes (which households a vote or a plan covers)

/**
 * The households `scope` names, ascending by id, as an event records them: the whole register
 * (`{all: true}`), a building (`{building}`), a stairwell (`{building, unit}`) or a list
 * (`{householdIds}`), exactly one of these.
 */
export function resolveScope(s: ResidentsContext, scope: HouseholdScope | undefined, field = 'scope'): ScopeRecord {
  if (typeof scope !== 'object' || scope === null || Array.isArray(scope))
    throw E.invalidScope('must be an object: {all: true}, {building}, {building, unit} or {householdIds}', field);
  onlyFields(scope, ['all', 'building', 'unit', 'householdIds'], field);
  const forms = [scope.all !== undefined, scope.building !== undefined, scope.householdIds !== undefined];
  if (forms.filter(Boolean).length !== 1 || (scope.unit !== undefined && scope.building === undefined))
    throw E.invalidScope('must be exactly one of {all: true}, {building}, {building, unit} or {householdIds}', field);
  let householdIds: string[];
  let record: Omit<ScopeRecord, 'householdIds'>;
  if (scope.all !== undefined) {
    if (scope.all !== true) throw E.invalidScope('all must be true when given', `${field}.all`);
    householdIds = [...s.register.keys()];
    record = { all: true };
  } else if (scope.building !== undefined) {
    checkText(`${field}.building`, scope.building);
    if (scope.unit !== undefined) checkText(`${field}.unit`, scope.unit);
    householdIds = [];
    for (const h of s.register.values())
      if (h.building === scope.building && (scope.unit === undefined || h.unit === scope.unit))
        householdIds.push(h.householdId);
    record = { building: scope.building, ...(scope.unit !== undefined ? { unit: scope.unit } : {}) };
  } else {
    householdIds = listedHouseholds(s, scope.householdIds, `${field}.householdIds`);
    record = {};
  }
  // An empty scope is the arithmetic's to refuse: a vote nobody can cast (vote-scope-empty), a
  // plan nobody pays (weights-all-zero).
  return { ...record, householdIds: householdIds.sort(byId) };
}

/** A list of registered households, each once. */
export function listedHouseholds(s: ResidentsContext, ids: unknown, field: string, allowEmpty = false): string[] {
  if (!Array.isArray(ids) || (!allowEmpty && ids.length === 0))
    throw E.invalidScope(`must be a list of household ids${allowEmpty ? '' : ', at least one'}`, field);
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    checkId(`${field}[${i}]`, id);
    if (seen.has(id)) throw E.invalidScope(`lists household ${id} twice`, field);
    if (!s.register.has(id)) throw E.householdNotFound(id, `${field}[${i}]`);
    seen.add(id);
  });
  return ids as string[];
}

/** Ascending by id, by code unit: the order of shares, ballots and the ties of R-CS5. */
export const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// ---------------------------------------------------------------------------------------------
// decide: receipts that pay a household's share, and maintenance-fund receipts

/** What a receipt names of the residents' side, as its event records it. */
export interface ShareReceipt {
  lineId?: string;
  planId?: string;
  householdId?: string;
  voteId?: string;
  emergency?: true;
  emergencyReason?: string;
}

/**
 * The residents' side of a receipt, before its earmark is checked: which plan, household and
 * line it pays (the plan's line when the plan has one and the receipt names none).
 */
export function shareReceiptOf(
  s: ResidentsContext,
  c: ReceiveFunds,
  details: SourceDetails,
  lineId: string | undefined,
): ShareReceipt {
  if (c.planId !== undefined && !isShareChannel(c.source)) throw E.subFieldNotAllowed(c.source, 'planId');
  if (c.source !== 'maintenance_fund') {
    for (const field of ['voteId', 'emergency', 'emergencyReason'] as const)
      if (c[field] !== undefined) throw E.subFieldNotAllowed(c.source, field);
  }
  const householdId = details.householdId;
  const hasRegister = s.register.size > 0;
  if (hasRegister && householdId !== undefined && !s.register.has(householdId))
    throw E.householdNotFound(householdId, 'householdId');
  if (hasRegister && c.source === 'provident_fund' && c.planId === undefined)
    throw E.planRequired(c.source, ruleInForce(RF.providentWithinShare, c.receivedOn));
  const out: ShareReceipt = { lineId };
  if (c.planId !== undefined) {
    checkId('planId', c.planId);
    const plan = s.plans.get(c.planId);
    if (!plan) throw E.planNotFound(c.planId);
    if (householdId === undefined) throw E.householdRequired(plan.planId);
    if (!s.shares.has(shareKey(plan.planId, householdId))) throw E.householdNotInPlan(householdId, plan.planId);
    if (lineId === undefined && plan.lineIds.length === 1) out.lineId = plan.lineIds[0];
    else if (lineId !== undefined && !plan.lineIds.includes(lineId))
      throw E.planLineMismatch(plan.planId, lineId, plan.lineIds);
    out.planId = plan.planId;
    out.householdId = householdId;
  }
  if (c.source === 'maintenance_fund') Object.assign(out, fundUseOf(c, hasRegister));
  return out;
}

/**
 * A maintenance-fund receipt's authority: a vote (checked with the money, see checkShareMoney)
 * or an emergency with its reason (民法典 第二百八十一条: "紧急情况下需要维修建筑物及其附属设施的，
 * 业主大会或者业主委员会可以依法申请使用建筑物及其附属设施的维修资金"). On a project without a
 * register the receipt stands as before (its `voteRef`, if any, is a reference only).
 */
function fundUseOf(
  c: ReceiveFunds,
  hasRegister: boolean,
): Pick<ShareReceipt, 'voteId' | 'emergency' | 'emergencyReason'> {
  if (c.emergency !== undefined && typeof c.emergency !== 'boolean')
    throw E.invalidNumber('emergency', 'must be true or false');
  const emergency = c.emergency === true;
  if (emergency) checkText('emergencyReason', c.emergencyReason);
  else if (c.emergencyReason !== undefined)
    throw E.invalidText('emergencyReason', 'is given only with emergency: true');
  if (c.voteId !== undefined) checkId('voteId', c.voteId);
  else if (hasRegister) {
    const rule = ruleInForce<VoteRequirement>(RF.maintenanceFundVote, c.receivedOn);
    if (!(emergency && rule.settings.emergency))
      throw E.voteRequired(
        `a maintenance-fund receipt needs the owners' passed ${rule.settings.matter} vote (voteId; ${rule.source.document}${rule.source.clause})${rule.settings.emergency ? ', or emergency: true with an emergencyReason' : ''}`,
        rule,
      );
  }
  return {
    ...(c.voteId !== undefined ? { voteId: c.voteId } : {}),
    ...(emergency ? { emergency: true as const, emergencyReason: c.emergencyReason } : {}),
  };
}

/**
 * The money side, after the earmark: a share is never paid beyond what the household still owes
 * (a provident-fund withdrawal neither: R-CS7), and a maintenance-fund vote is a passed
 * `fund_use` vote, held by the receipt's date, whose scope covers the households the money is
 * for: the plan's; else those of the plans on the receipt's line; else the whole register.
 */
export function checkShareMoney(
  s: ResidentsContext,
  source: string,
  amountFen: Fen,
  receivedOn: string,
  r: ShareReceipt,
): void {
  // R-CS7 (domain.md §1 and §4): a withdrawal finances the household's own share, so it names the
  // share. On a project with a register shareReceiptOf already refused it (plan-required); here,
  // after the earmark, a project without one: it has no share to finance.
  if (source === 'provident_fund' && r.planId === undefined)
    throw E.providentNeedsPlan(s.projectId, ruleInForce(RF.providentWithinShare, receivedOn));
  if (r.voteId !== undefined) {
    const rule = ruleInForce<VoteRequirement>(RF.maintenanceFundVote, receivedOn);
    const vote = passedVote(s, r.voteId, rule, 'using the maintenance fund');
    if (receivedOn < vote.heldOn) throw E.dateBeforeVote('receivedOn', receivedOn, vote.voteId, vote.heldOn);
    checkCovers(s, vote, fundHouseholds(s, r));
  }
  if (r.planId !== undefined && r.householdId !== undefined)
    checkShareRoom(s, source, r.planId, r.householdId, amountFen, receivedOn);
}

/** A receipt of `amountFen` fits what the household still owes in the plan. */
export function checkShareRoom(
  s: ResidentsContext,
  source: string,
  planId: string,
  householdId: string,
  amountFen: Fen,
  date: string,
): void {
  const account = s.shares.get(shareKey(planId, householdId));
  assert(account !== undefined, `household ${householdId} has an account in plan ${planId}`);
  const outstandingFen = account.shareFen - paidOf(account);
  if (amountFen <= outstandingFen) return;
  const [amount, outstanding] = [formatFen(amountFen), formatFen(outstandingFen)];
  if (source !== 'provident_fund') throw E.paymentExceedsShare(householdId, planId, amount, outstanding);
  const rule = ruleInForce(RF.providentWithinShare, date);
  throw E.providentExceedsShare(householdId, planId, amount, outstanding, rule);
}

/** The households a maintenance-fund receipt is spent for (see checkShareMoney); null: the whole register. */
function fundHouseholds(s: ResidentsContext, r: ShareReceipt): readonly string[] | null {
  if (r.planId !== undefined) return s.plans.get(r.planId)!.householdIds;
  const planIds = r.lineId === undefined ? [] : (s.linePlans.get(r.lineId) ?? []);
  if (planIds.length === 0) return null;
  const ids = new Set<string>();
  for (const planId of planIds) for (const id of s.plans.get(planId)!.householdIds) ids.add(id);
  return [...ids];
}

/** A recorded vote of the matter `rule` needs, that passed; `what` says what needs it. */
export function passedVote(
  s: ResidentsContext,
  voteId: string,
  rule: PolicyRule<VoteRequirement>,
  what: string,
): Readonly<OwnerVote> {
  const vote = s.votes.get(voteId);
  if (!vote) throw E.voteNotFound(voteId);
  const { matter } = rule.settings;
  if (vote.matter !== matter) throw E.voteMatterMismatch(voteId, vote.matter, matter, what, rule);
  if (!vote.passed) throw E.voteNotPassed(voteId, talliedUnder(vote));
  return vote;
}

/** The rule of owners' votes a vote was counted under: the one in force the day it was held. */
function talliedUnder(vote: Readonly<OwnerVote>): PolicyRule {
  return ruleInForce(RF.ownerVote, vote.heldOn);
}

/** Every household of `households` (null: the whole register) is in the vote's scope. */
export function checkCovers(
  s: ResidentsContext,
  vote: Readonly<OwnerVote>,
  households: readonly string[] | null,
): void {
  if (households === null) {
    // A vote's scope is households of the register, each once: it covers the register when it has them all.
    if (vote.householdIds.length === s.register.size) return;
    const inScope = new Set(vote.householdIds);
    const outside = [...s.register.keys()].filter((id) => !inScope.has(id));
    throw E.voteScopeMismatch(vote.voteId, outside[0], outside.length);
  }
  const inScope = new Set(vote.householdIds);
  const outside = households.filter((id) => !inScope.has(id));
  if (outside.length > 0) throw E.voteScopeMismatch(vote.voteId, outside.sort(byId)[0], outside.length);
}

// ---------------------------------------------------------------------------------------------
// evolve

export function householdsRegistered(
  s: Readonly<ResidentsState>,
  d: HouseholdsRegistered,
): Pick<ResidentsState, 'register' | 'rooms'> {
  let register = s.register;
  let rooms = s.rooms;
  for (const h of d.households) {
    assert(!register.has(h.householdId), `household ${h.householdId} is registered once`);
    register = register.set(h.householdId, householdOf(h));
    rooms = withRoom(rooms, roomKey(h), h.householdId, true);
  }
  return { register, rooms };
}

/** The room index with `householdId` added at (or taken from) `room`. */
function withRoom(rooms: ResidentsState['rooms'], room: string, householdId: string, add: boolean) {
  const there = rooms.get(room) ?? [];
  return rooms.set(room, add ? [...there, householdId] : there.filter((id) => id !== householdId));
}

export function householdCorrected(
  s: Readonly<ResidentsState>,
  d: HouseholdCorrected,
): Pick<ResidentsState, 'register' | 'rooms'> {
  const h = s.register.get(d.householdId);
  assert(h !== undefined, `household ${d.householdId} is registered before it is corrected`);
  const { projectId: _projectId, reason: _reason, ...changes } = d;
  const corrected = householdOf({ ...entryOf(h), ...changes });
  const [from, to] = [roomKey(h), roomKey(corrected)];
  const rooms =
    from === to ? s.rooms : withRoom(withRoom(s.rooms, from, h.householdId, false), to, h.householdId, true);
  return { register: s.register.set(d.householdId, corrected), rooms };
}

function householdOf(e: HouseholdEntry): Household {
  return {
    householdId: e.householdId,
    building: e.building,
    unit: e.unit,
    floor: e.floor,
    room: e.room,
    buildingAreaH: areaOfStored(e.buildingArea),
    ...(e.exclusiveArea !== undefined ? { exclusiveAreaH: areaOfStored(e.exclusiveArea) } : {}),
    ...(e.tenure !== undefined ? { tenure: e.tenure } : {}),
    ownerKey: e.ownerKey,
  };
}

/** An area the ledger wrote ("72.10"), in hundredths of a m². */
export function areaOfStored(area: string): bigint {
  const [whole, fraction = ''] = area.split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
}

/** What an entry moving money carries that the residents' figures follow. */
export interface MovingEntry {
  kind: 'pledge' | 'receipt' | 'payment';
  id: string;
  source: string;
  lineId?: string;
  pledgeId?: string;
  planId?: string;
  householdId?: string;
}

/**
 * What `fen` of an entry (negative: taken back by a reversal) changes on the residents' side: the
 * household's account in its plan, and the money other sources put on its line (R-CS6). `pledgeLineOf`
 * answers the line of the pledge a receipt draws on.
 */
export function residentsMoved(
  s: Readonly<ResidentsState>,
  e: Readonly<MovingEntry>,
  fen: Fen,
  pledgeLineOf: (pledgeId: string) => string | undefined,
): Pick<ResidentsState, 'shares' | 'lineCommittedFen'> {
  let shares = s.shares;
  let lineCommittedFen = s.lineCommittedFen;
  if (e.kind === 'receipt' && e.planId !== undefined && e.householdId !== undefined) {
    assert(isShareChannel(e.source), `receipt ${e.id} pays a share through a share channel`);
    const key = shareKey(e.planId, e.householdId);
    const account = shares.get(key);
    assert(account !== undefined, `household ${e.householdId} has a share in plan ${e.planId} before paying it`);
    const paid = { ...account.paidFen, [e.source]: account.paidFen[e.source] + fen };
    const after: ShareAccount = {
      planId: account.planId,
      householdId: account.householdId,
      shareFen: account.shareFen,
      paidFen: paid,
    };
    const total = paidOf(after);
    assert(
      paid[e.source] >= 0n && total <= after.shareFen,
      `household ${e.householdId} never pays beyond its share in plan ${e.planId}`,
    );
    shares = shares.set(key, after);
  }
  if (commitsToLine(e, pledgeLineOf))
    lineCommittedFen = lineCommittedFen.set(e.lineId!, (lineCommittedFen.get(e.lineId!) ?? 0n) + fen);
  return { shares, lineCommittedFen };
}

/**
 * Whether an entry puts other sources' money on its line (R-CS6): a pledge earmarked to it, or a
 * receipt on it that no pledge on the line already counts; never the residents' own channels,
 * whose money pays the plans' shares.
 */
function commitsToLine(
  e: Readonly<Omit<MovingEntry, 'id'>>,
  pledgeLineOf: (pledgeId: string) => string | undefined,
): boolean {
  return (
    e.lineId !== undefined &&
    !isShareChannel(e.source) &&
    (e.kind === 'pledge' ||
      (e.kind === 'receipt' && (e.pledgeId === undefined || pledgeLineOf(e.pledgeId) === undefined)))
  );
}

/**
 * R-CS6 the other way round: once residents share a line, money another source puts on it may
 * not take the line's other sources plus the plans on it above what the lines cost. Each plan on
 * the line is held to the rule it was adopted under (checkNetCost), now with `fen` more on it.
 */
export function checkLineFunding(
  s: ResidentsContext,
  e: Readonly<Omit<MovingEntry, 'id'>>,
  fen: Fen,
  date: string,
  pledgeLineOf: (pledgeId: string) => string | undefined,
): void {
  if (!commitsToLine(e, pledgeLineOf)) return;
  for (const planId of s.linePlans.get(e.lineId!) ?? []) {
    const plan = s.plans.get(planId)!;
    const roomFen = netRoomFen(s, plan.lineIds);
    if (fen > roomFen)
      throw E.fundingExceedsNetCost(
        e.source,
        formatFen(fen),
        formatFen(roomFen > 0n ? roomFen : 0n),
        planId,
        plan.lineIds,
        ruleInForce(RF.netCost, date),
      );
  }
}

/** The fields of a receipt event that name the residents' side (only those present). */
export function shareReceiptFields(
  r: ShareReceipt,
): Pick<FundsReceived, 'planId' | 'voteId' | 'emergency' | 'emergencyReason'> {
  return {
    ...(r.planId !== undefined ? { planId: r.planId } : {}),
    ...(r.voteId !== undefined ? { voteId: r.voteId } : {}),
    ...(r.emergency ? { emergency: true, emergencyReason: r.emergencyReason } : {}),
  };
}

export function ownerVoteRecorded(s: Readonly<ResidentsState>, d: OwnerVoteRecorded): Pick<ResidentsState, 'votes'> {
  assert(!s.votes.has(d.voteId), `vote ${d.voteId} is recorded once`);
  const vote: OwnerVote = {
    voteId: d.voteId,
    matter: d.matter,
    heldOn: d.heldOn,
    passed: d.tally.passed,
    householdIds: d.scope.householdIds,
  };
  return { votes: s.votes.set(d.voteId, vote) };
}

const NOTHING_PAID: Readonly<Record<ShareChannel, Fen>> = {
  resident_direct: 0n,
  provident_fund: 0n,
  maintenance_fund: 0n,
};

export function costSharePlanAdopted(
  s: Readonly<ResidentsState>,
  d: CostSharePlanAdopted,
): Pick<ResidentsState, 'plans' | 'shares' | 'linePlans'> {
  assert(!s.plans.has(d.planId), `plan ${d.planId} is adopted once`);
  const amountFen = fenOfStored(d.amount);
  let shares = s.shares;
  let total = 0n;
  for (const r of d.shares) {
    const shareFen = fenOfStored(r.share);
    total += shareFen;
    shares = shares.set(shareKey(d.planId, r.householdId), {
      planId: d.planId,
      householdId: r.householdId,
      shareFen,
      paidFen: NOTHING_PAID,
    });
  }
  assert(total === amountFen, `the shares of plan ${d.planId} sum to its amount`);
  let linePlans = s.linePlans;
  for (const lineId of d.lineIds) linePlans = linePlans.set(lineId, [...(linePlans.get(lineId) ?? []), d.planId]);
  const plan: SharePlan = {
    planId: d.planId,
    lineIds: d.lineIds,
    amountFen,
    ...(d.voteId !== undefined ? { voteId: d.voteId } : {}),
    householdIds: d.scope.householdIds,
  };
  return { plans: s.plans.set(d.planId, plan), shares, linePlans };
}

// ---------------------------------------------------------------------------------------------
// decide: owners' votes and cost-sharing plans

/** The most ballots, and ids in a scope or exemption list, one request holds (the 1 MB body holds about that many). */
export const BALLOTS_MAX = 20_000;

/**
 * An owners' vote (民法典 第二百七十八条; before 2021, 物权法 第七十六条): counted over its scope's
 * households as they are in the register, by owner-votes.ts, and recorded with every figure.
 */
export function recordOwnerVote(c: RecordOwnerVote, s: ResidentsContext): ProjectEvent[] {
  checkId('voteId', c.voteId);
  if (s.votes.has(c.voteId)) throw E.voteExists(c.voteId);
  if (!(VOTE_MATTERS as readonly string[]).includes(c.matter))
    throw VoteErrors.invalidField('matter', `must be one of ${VOTE_MATTERS.join(', ')} (got ${String(c.matter)})`);
  checkDate('heldOn', c.heldOn);
  checkNotAfterRecording('heldOn', c.heldOn, c.recordedOn, 'a vote is recorded once it was held');
  const scope = resolveScope(s, c.scope);
  const ballots = ballotsOf(c.ballots);
  const voters: Voter[] = scope.householdIds.map((id) => {
    const h = s.register.get(id)!;
    return {
      householdId: id,
      ownerKey: h.ownerKey,
      area: votingArea({ buildingArea: h.buildingAreaH, exclusiveArea: h.exclusiveAreaH }),
    };
  });
  const tally = tallyVote(c.matter as VoteMatter, c.heldOn, voters, ballots);
  return [
    {
      type: T.ownerVoteRecorded,
      data: {
        projectId: s.projectId,
        voteId: c.voteId,
        matter: c.matter,
        heldOn: c.heldOn,
        scope,
        ballots: [...ballots].sort((a, b) => byId(a.householdId, b.householdId)),
        tally: tallyRecord(tally),
      },
    },
  ];
}

/** The ballots as sent, each `{householdId, choice}` and nothing else (the tally judges choices and scope). */
function ballotsOf(ballots: unknown): Ballot[] {
  if (!Array.isArray(ballots) || ballots.length > BALLOTS_MAX)
    throw VoteErrors.invalidField('ballots', `must be a list of at most ${BALLOTS_MAX} {householdId, choice}`);
  return ballots.map((b: unknown, i) => {
    const at = `ballots[${i}]`;
    onlyFields(b, ['householdId', 'choice'], at);
    const { householdId, choice } = b as Ballot;
    checkId(`${at}.householdId`, householdId);
    return { householdId, choice };
  });
}

/** A stored tally: the arithmetic's answer with its integers written as decimal strings (bigints are no JSON). */
function tallyRecord(t: VoteTally): VoteTallyRecord {
  const count = (c: VoteCount) => ({ units: c.units, owners: c.owners, area: formatArea(c.area) });
  const part = (f: VoteFraction) => ({
    num: String(f.num),
    den: String(f.den),
    display: f.display,
    percent: f.percent,
  });
  const bound = (b: Threshold) => ({ num: String(b.num), den: String(b.den), inclusive: b.inclusive, text: b.text });
  const bounds = (p: ThresholdPair) => ({ area: bound(p.area), owners: bound(p.owners) });
  return {
    rule: t.rule,
    scope: count(t.scope),
    participating: count(t.participating),
    agreeing: count(t.agreeing),
    quorum: {
      required: t.quorum.required === null ? null : bounds(t.quorum.required),
      area: part(t.quorum.area),
      owners: part(t.quorum.owners),
      met: t.quorum.met,
    },
    approval: {
      base: t.approval.base,
      required: bounds(t.approval.required),
      area: part(t.approval.area),
      owners: part(t.approval.owners),
      met: t.approval.met,
    },
    passed: t.passed,
  };
}

/** The most budget lines one plan shares. */
export const PLAN_LINES_MAX = 100;

/**
 * A cost-sharing plan (domain.md §4): `amount` of `lineIds` split over the scope's households by
 * `key`, to the fen (R-CS5), the exempt households weighing 0. The amount is at most what the
 * lines cost less what other sources put on them and less the other plans on them (R-CS6); a
 * plan on an alteration line (an elevator) is bound by a passed alteration vote of its scope
 * (民法典 第二百七十八条 第一款 第(七)项).
 */
export function adoptCostSharePlan(c: AdoptCostSharePlan, s: ResidentsContext): ProjectEvent[] {
  checkId('planId', c.planId);
  if (s.plans.has(c.planId)) throw E.planExists(c.planId);
  const lineIds = planLines(s, c.lineIds);
  const amountFen = parseAmount(c.amount, 'amount');
  const scope = resolveScope(s, c.scope);
  const exempt = c.exempt === undefined ? [] : listedHouseholds(s, c.exempt, 'exempt', true);
  const inScope = new Set(scope.householdIds);
  exempt.forEach((id, i) => {
    if (!inScope.has(id)) throw E.exemptOutsideScope(id, `exempt[${i}]`);
  });
  const key = keyOf(c.key);
  const exemptSet = new Set(exempt);
  const paying = scope.householdIds.filter((id) => !exemptSet.has(id)).map((id) => factsOf(s.register.get(id)!));
  const weights = new Map(weightsOf(key, paying).map((w) => [w.householdId, w.weight]));
  const shares = splitShares(
    amountFen,
    scope.householdIds.map((householdId) => ({ householdId, weight: weights.get(householdId) ?? rational(0n) })),
  );
  checkNetCost(s, lineIds, amountFen);
  checkPlanVote(s, c.voteId, lineIds, scope.householdIds);
  return [
    {
      type: T.costSharePlanAdopted,
      data: {
        projectId: s.projectId,
        planId: c.planId,
        lineIds,
        amount: formatFen(amountFen),
        scope,
        key: keyRecord(key),
        ...(exempt.length > 0 ? { exempt: [...exempt].sort(byId) } : {}),
        ...(c.voteId !== undefined ? { voteId: c.voteId } : {}),
        shares: shares.map((sh) => ({
          householdId: sh.householdId,
          weight: exactDecimal(sh.weight),
          share: formatFen(sh.shareFen),
        })),
      },
    },
  ];
}

function planLines(s: ResidentsContext, lineIds: unknown): string[] {
  if (!Array.isArray(lineIds) || lineIds.length === 0 || lineIds.length > PLAN_LINES_MAX)
    throw E.invalidNumber('lineIds', `must be a list of 1 to ${PLAN_LINES_MAX} budget line ids`);
  const seen = new Set<string>();
  lineIds.forEach((id, i) => {
    checkId(`lineIds[${i}]`, id);
    if (seen.has(id)) throw E.invalidNumber('lineIds', `lists line ${id} twice`);
    if (!s.lines.has(id)) throw E.lineNotFound(id);
    seen.add(id);
  });
  return lineIds as string[];
}

/** The key's own fields, nothing else (its values are cost-sharing.ts's to judge). */
function keyOf(key: unknown): CostShareKey {
  onlyFields(key, ['kind', 'coefficients', 'basis', 'weights'], 'key');
  const { kind } = key as { kind?: unknown };
  const fields =
    kind === 'floor_coefficient'
      ? ['kind', 'coefficients', 'basis']
      : kind === 'custom'
        ? ['kind', 'weights']
        : ['kind'];
  onlyFields(key, fields, 'key');
  return key as CostShareKey;
}

/** What the event records of a key: a custom key's weights are the shares' weights. */
function keyRecord(key: CostShareKey): CostShareKeyRecord {
  return key.kind === 'floor_coefficient'
    ? { kind: key.kind, coefficients: { ...key.coefficients }, basis: key.basis }
    : { kind: key.kind };
}

function factsOf(h: Readonly<Household>): HouseholdFacts {
  return {
    householdId: h.householdId,
    floor: h.floor,
    buildingArea: h.buildingAreaH,
    ...(h.exclusiveAreaH !== undefined ? { exclusiveArea: h.exclusiveAreaH } : {}),
  };
}

/**
 * R-CS6 ("residents share line cost − subsidies and other sources assigned to the line"): the
 * lines' estimated cost, less what other sources put on them (pledged, or received without a
 * pledge on the line), less the plans already on any of them, is what residents may still
 * share. A plan that shares a line with another is held against the other's whole amount: the
 * ledger does not guess how a plan of several lines divides between them.
 */
function checkNetCost(s: ResidentsContext, lineIds: readonly string[], amountFen: Fen): void {
  const roomFen = netRoomFen(s, lineIds);
  // A plan has no business date of its own: it is judged by the rule as it stands.
  if (amountFen > roomFen)
    throw E.shareExceedsNetCost(
      formatFen(amountFen),
      formatFen(roomFen > 0n ? roomFen : 0n),
      lineIds,
      currentRule(RF.netCost),
    );
}

/** The lines' estimated cost, less what other sources put on them, less every plan on any of them (R-CS6). */
function netRoomFen(s: ResidentsContext, lineIds: readonly string[]): Fen {
  let roomFen = 0n;
  const plans = new Set<string>();
  for (const lineId of lineIds) {
    roomFen += s.lines.get(lineId)!.estimatedCostFen - (s.lineCommittedFen.get(lineId) ?? 0n);
    for (const planId of s.linePlans.get(lineId) ?? []) plans.add(planId);
  }
  for (const planId of plans) roomFen -= s.plans.get(planId)!.amountFen;
  return roomFen;
}

/** A plan's vote: required on an alteration line; when named, a passed vote of its whole scope (of the alteration matter there). */
function checkPlanVote(
  s: ResidentsContext,
  voteId: string | undefined,
  lineIds: readonly string[],
  households: readonly string[],
): void {
  // A plan has no business date of its own: the rule in force the day its vote was held judges
  // it, and without a vote the rule as it stands.
  const named = voteId === undefined ? undefined : s.votes.get(voteId);
  const rule = named
    ? ruleInForce<VoteRequirement>(RF.alterationVote, named.heldOn)
    : currentRule<VoteRequirement>(RF.alterationVote);
  const alteration = lineIds.find((id) => rule.settings.items?.includes(s.lines.get(id)!.item));
  if (voteId === undefined) {
    if (alteration === undefined) return;
    throw E.voteRequired(
      `line ${alteration} (${s.lines.get(alteration)!.item}) alters the building (改建, ${rule.source.document}${rule.source.clause}): its plan needs the passed ${rule.settings.matter} vote of the households that pay (voteId)`,
      rule,
    );
  }
  checkId('voteId', voteId);
  const vote =
    alteration !== undefined
      ? passedVote(s, voteId, rule, `line ${alteration} (${s.lines.get(alteration)!.item})`)
      : passedAnyVote(s, voteId);
  checkCovers(s, vote, households);
}

function passedAnyVote(s: ResidentsContext, voteId: string): Readonly<OwnerVote> {
  const vote = s.votes.get(voteId);
  if (!vote) throw E.voteNotFound(voteId);
  if (!vote.passed) throw E.voteNotPassed(voteId, talliedUnder(vote));
  return vote;
}

/** Refuses a field of a nested object the request does not take (the body's own fields are the DTO's). */
export function onlyFields(value: unknown, fields: readonly string[], at: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw E.invalidNumber(at, 'must be an object');
  for (const key of Object.keys(value)) if (!fields.includes(key)) throw E.unknownField(`${at}.${key}`);
}
