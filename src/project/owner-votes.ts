/**
 * An owners' vote (业主共同决定) counted exactly: participation against the scope's totals and
 * agreement against the rule's base, each by area and by heads, judged by the rule in force on
 * the day the vote was held. Pure arithmetic, no store: the project decider tallies a vote when
 * it is recorded and stores the answer; a cost-sharing plan or a maintenance-fund receipt then
 * asks whether it passed.
 *
 * How the ledger counts (建筑物区分所有权解释 art. 8-9, domain.md §1):
 * - Area is per unit: a Voter's `area` is the unit's exclusive area (专有部分面积), or its
 *   building area where the register has no exclusive area. The caller makes that choice
 *   (`votingArea`), so a tally never mixes bases unknowingly.
 * - Heads are per owner: one `ownerKey` counts once however many units it holds in the scope
 *   ("同一买受人拥有一个以上专有部分的，按一人计算").
 * - An owner with several units casts one choice: ballots for their units must all agree, or the
 *   tally refuses (`owner-ballots-disagree`); one person cannot be both for and against. Their
 *   area counts for the units that have a ballot.
 * - An abstention participates (it counts towards the quorum) and does not agree.
 * - "以上" includes the bound (≥); "过半数" is more than half (>). Every comparison is of exact
 *   fractions of bigints, never of rounded percents.
 */
import { DomainError, assert } from '../shared/domain/domain-error';
import { checkDate } from '../shared/domain/input-rules';
import { Rational, isAtLeast, rational } from '../shared/domain/rational';
import { formatFen } from '../shared/money/money';
import { POLICIES, findRuleInForce } from '../policy/policies';
import { PolicyRule } from '../policy/policy-rule';
import { RESIDENTS_FAMILIES, VoteBound, VoteBoundPair, VoteThresholds } from '../policy/rules/residents.rules';

/** What is decided (民法典 第二百七十八条 第一款 items in brackets). */
export type VoteMatter = 'fund_use' | 'fund_raise' | 'alteration' | 'common_parts' | 'other';
export const VOTE_MATTERS: readonly VoteMatter[] = ['fund_use', 'fund_raise', 'alteration', 'common_parts', 'other'];

export type BallotChoice = 'agree' | 'disagree' | 'abstain';
export const BALLOT_CHOICES: readonly BallotChoice[] = ['agree', 'disagree', 'abstain'];

/** A unit entitled to vote. `area` in hundredths of a m²: see `votingArea`. */
export interface Voter {
  householdId: string;
  ownerKey: string;
  area: bigint;
}

export interface Ballot {
  householdId: string;
  choice: BallotChoice;
}

/** The area a unit votes with: its exclusive area where registered, else its building area. */
export function votingArea(household: { buildingArea: bigint; exclusiveArea?: bigint }): bigint {
  return household.exclusiveArea ?? household.buildingArea;
}

/** A bound: the fraction, whether reaching it is enough (以上) or it must be passed (过半数). */
export type Threshold = VoteBound;
export type ThresholdPair = VoteBoundPair;

/**
 * A dated rule of owners' votes: which law, from when, and its bounds per matter. The rules are
 * the policy registry's `owner-vote` family (src/policy/rules/residents.rules.ts); this is how a
 * tally reads one.
 */
export interface VoteRule {
  ruleId: string;
  /** First day (YYYY-MM-DD) a vote held on it is judged by this rule. */
  effectiveFrom: string;
  citation: string;
  /** The law's own words for the bounds. */
  quote: string;
  /** Participation needed against the scope's totals; null where the law sets none. */
  quorum: ThresholdPair | null;
  /** What agreement is counted against: those who took part, or everyone in the scope. */
  approvalBase: 'participants' | 'scope';
  approval: Readonly<Record<VoteMatter, ThresholdPair>>;
}

function voteRuleOf(rule: PolicyRule<VoteThresholds>): VoteRule {
  return {
    ruleId: rule.ruleId,
    effectiveFrom: rule.effectiveFrom,
    // As tallies have always recorded it: '《中华人民共和国民法典》第二百七十八条'.
    citation: `${rule.source.document}${rule.source.clause}`,
    quote: rule.source.quote,
    ...rule.settings,
  };
}

/** The `owner-vote` rules, oldest first. Before 物权法 came into force (2007-10-01) the ledger knows no rule and refuses to judge. */
export const VOTE_RULES: readonly VoteRule[] = POLICIES.filter((r) => r.family === RESIDENTS_FAMILIES.ownerVote)
  .map((r) => voteRuleOf(r as PolicyRule<VoteThresholds>))
  .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1));

/** The rule a vote held on `heldOn` is judged by (the registry's version in force that day). */
export function voteRuleOn(heldOn: string): VoteRule {
  const rule = findRuleInForce<VoteThresholds>(RESIDENTS_FAMILIES.ownerVote, heldOn);
  if (!rule) throw VoteErrors.noRuleInForce(heldOn);
  return voteRuleOf(rule);
}

/** A figure over its whole, exact; `percent` (two decimals, half up) is for reading only. */
export interface VoteFraction {
  num: bigint;
  den: bigint;
  /** "480.00/720.00" for area in m², "8/12" for heads. */
  display: string;
  /** "66.67"; null when the whole is 0 (nobody took part). */
  percent: string | null;
}

/** Units, owners (heads) and area (hundredths of a m²) of a group of voters. */
export interface VoteCount {
  units: number;
  owners: number;
  area: bigint;
}

export interface VoteTally {
  matter: VoteMatter;
  heldOn: string;
  rule: { ruleId: string; effectiveFrom: string; citation: string; quote: string };
  scope: VoteCount;
  participating: VoteCount;
  agreeing: VoteCount;
  /** Participation against the scope; `required` null where the rule sets no quorum (met). */
  quorum: { required: ThresholdPair | null; area: VoteFraction; owners: VoteFraction; met: boolean };
  /** Agreement against `base`: the participants (民法典) or the whole scope (物权法). */
  approval: {
    base: 'participants' | 'scope';
    required: ThresholdPair;
    area: VoteFraction;
    owners: VoteFraction;
    met: boolean;
  };
  passed: boolean;
}

export const VoteErrors = {
  invalidField: (field: string, problem: string) => new DomainError('invalid-field', `${field} ${problem}`, 400, field),
  scopeEmpty: () =>
    new DomainError('vote-scope-empty', 'the vote has no household in its scope: nobody can vote', 422, 'scope'),
  noRuleInForce: (heldOn: string) =>
    new DomainError(
      'vote-rule-not-in-force',
      `heldOn ${heldOn} is before ${VOTE_RULES[0].effectiveFrom}, when ${VOTE_RULES[0].citation} came into force: the ledger knows no rule to judge an owners' vote held then`,
      422,
      'heldOn',
    ),
  ballotOutsideScope: (index: number, householdId: string) =>
    new DomainError(
      'ballot-outside-scope',
      `ballots[${index}]: household ${householdId} is not in the vote's scope`,
      422,
      `ballots[${index}].householdId`,
      undefined,
      [householdId],
    ),
  ballotDuplicate: (index: number, householdId: string) =>
    new DomainError(
      'ballot-duplicate',
      `ballots[${index}]: household ${householdId} already has a ballot; a household votes once`,
      400,
      `ballots[${index}].householdId`,
      undefined,
      [householdId],
    ),
  ownerBallotsDisagree: (index: number, householdId: string, other: string) =>
    new DomainError(
      'owner-ballots-disagree',
      `ballots[${index}]: households ${other} and ${householdId} have one owner, who counts once and so casts one choice, but their ballots differ`,
      422,
      `ballots[${index}].choice`,
      undefined,
      [other, householdId],
    ),
};

/**
 * Counts `ballots` over `scope` and judges them by the rule in force on `heldOn` (see the file's
 * head for how units, owners and area count). Refuses an empty scope, a ballot outside the scope,
 * two ballots for one household, and an owner's ballots that differ.
 */
export function tallyVote(
  matter: VoteMatter,
  heldOn: string,
  scope: readonly Voter[],
  ballots: readonly Ballot[],
): VoteTally {
  if (!VOTE_MATTERS.includes(matter))
    throw VoteErrors.invalidField('matter', `must be one of ${VOTE_MATTERS.join(', ')} (got ${String(matter)})`);
  checkDate('heldOn', heldOn);
  const rule = voteRuleOn(heldOn);
  if (scope.length === 0) throw VoteErrors.scopeEmpty();
  const voters = new Map<string, Voter>();
  for (const v of scope) {
    assert(!voters.has(v.householdId), 'a vote scope lists each household once');
    assert(v.area >= 0n, `household ${v.householdId}'s voting area is not negative`);
    voters.set(v.householdId, v);
  }
  const cast = castBallots(voters, ballots);

  const scopeCount = countOf(scope);
  const participating = countOf(scope.filter((v) => cast.has(v.householdId)));
  const agreeing = countOf(scope.filter((v) => cast.get(v.householdId) === 'agree'));
  const base = rule.approvalBase === 'participants' ? participating : scopeCount;

  const quorumArea = areaFraction(participating.area, scopeCount.area);
  const quorumOwners = headFraction(participating.owners, scopeCount.owners);
  const quorumMet =
    rule.quorum === null || (reaches(quorumArea, rule.quorum.area) && reaches(quorumOwners, rule.quorum.owners));
  const required = rule.approval[matter];
  const approvalArea = areaFraction(agreeing.area, base.area);
  const approvalOwners = headFraction(agreeing.owners, base.owners);
  const approvalMet = reaches(approvalArea, required.area) && reaches(approvalOwners, required.owners);

  return {
    matter,
    heldOn,
    rule: { ruleId: rule.ruleId, effectiveFrom: rule.effectiveFrom, citation: rule.citation, quote: rule.quote },
    scope: scopeCount,
    participating,
    agreeing,
    quorum: { required: rule.quorum, area: quorumArea, owners: quorumOwners, met: quorumMet },
    approval: { base: rule.approvalBase, required, area: approvalArea, owners: approvalOwners, met: approvalMet },
    passed: quorumMet && approvalMet,
  };
}

/** Each balloted household's choice, after the ballots are judged against the scope and each other. */
function castBallots(voters: ReadonlyMap<string, Voter>, ballots: readonly Ballot[]): Map<string, BallotChoice> {
  if (!Array.isArray(ballots)) throw VoteErrors.invalidField('ballots', 'must be a list of {householdId, choice}');
  const cast = new Map<string, BallotChoice>();
  const byOwner = new Map<string, { householdId: string; choice: BallotChoice }>();
  ballots.forEach((ballot, i) => {
    if (!BALLOT_CHOICES.includes(ballot?.choice))
      throw VoteErrors.invalidField(
        `ballots[${i}].choice`,
        `must be one of ${BALLOT_CHOICES.join(', ')} (got ${String(ballot?.choice)})`,
      );
    const voter = voters.get(ballot.householdId);
    if (!voter) throw VoteErrors.ballotOutsideScope(i, ballot.householdId);
    if (cast.has(ballot.householdId)) throw VoteErrors.ballotDuplicate(i, ballot.householdId);
    const earlier = byOwner.get(voter.ownerKey);
    if (earlier && earlier.choice !== ballot.choice)
      throw VoteErrors.ownerBallotsDisagree(i, ballot.householdId, earlier.householdId);
    byOwner.set(voter.ownerKey, { householdId: ballot.householdId, choice: ballot.choice });
    cast.set(ballot.householdId, ballot.choice);
  });
  return cast;
}

function countOf(voters: readonly Voter[]): VoteCount {
  let area = 0n;
  const owners = new Set<string>();
  for (const v of voters) {
    area += v.area;
    owners.add(v.ownerKey);
  }
  return { units: voters.length, owners: owners.size, area };
}

function areaFraction(part: bigint, whole: bigint): VoteFraction {
  return fraction(part, whole, `${formatFen(part)}/${formatFen(whole)}`);
}

function headFraction(part: number, whole: number): VoteFraction {
  return fraction(BigInt(part), BigInt(whole), `${part}/${whole}`);
}

function fraction(num: bigint, den: bigint, display: string): VoteFraction {
  // Hundredths of a percent, half up: the same figure as the reports' percents ("66.67").
  const percent = den > 0n ? formatFen((num * 20_000n + den) / (2n * den)) : null;
  return { num, den, display, percent };
}

/** Whether a figure reaches its bound; a figure over a whole of 0 (nobody) reaches nothing. */
function reaches(f: VoteFraction, t: Threshold): boolean {
  return f.den > 0n && isAtLeast(rational(f.num, f.den), rational(t.num, t.den), t.inclusive);
}
