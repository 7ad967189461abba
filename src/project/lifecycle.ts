/**
 * The project's life (domain.md §2; issue 16): resident consultation, publicity, joint review,
 * the four permit determinations, tender, contract, start and completion of works, joint
 * acceptance, the filing of its report, handover and the management model. Each is a milestone
 * with its own id, business date and documents, judged by the rules in force on that date
 * (src/policy/rules/lifecycle.rules.ts).
 *
 * What is refused and what is recorded (and left to the red flags):
 * - refused, out of order (`milestone-out-of-order`, naming the rule): what cannot have happened,
 *   or what the seed puts after something that is not recorded before it: a completion before
 *   the start, a joint acceptance before the completion, a filing, handover or management model
 *   before an acceptance that passed; from 2021-11-25 also a tender or contract before the
 *   approval (三(四)1);
 * - refused, one of a kind (`milestone-already-recorded`): a second start, completion, filing, or
 *   an acceptance after one that passed;
 * - refused by their rule: a publicity shorter than the minimum, a joint review or acceptance
 *   without the units the seed names, an exemption its facts do not allow (or claimed on a date
 *   its rule was not in force);
 * - recorded, for the red flags to find (RF-08, RF-11): works started before their permit
 *   determinations, their tender or contract, or before the approval; a tender or contract before
 *   the approval dated before the seed; determinations, consultations, publicity and reviews in
 *   any order; an acceptance report filed after its deadline (the event says `late`).
 *
 * The decisions here are pure and use the project's state only through `LifecycleContext`.
 */
import { PolicyRule } from '../policy/policy-rule';
import { POLICIES, PolicyErrors, findRuleInForce } from '../policy/policies';
import { filingDeadline } from '../policy/filing-deadline';
import { addDays } from '../policy/rest-days';
import {
  ACCEPTANCE_PARTICIPANTS,
  ExemptionSettings,
  HAZARDS,
  HAZARD_CODES,
  JointAcceptanceSettings,
  JointReviewSettings,
  LIFECYCLE_FAMILIES as LF,
  MilestoneOrderSettings,
  PARTICIPANT_CODES,
  PublicitySettings,
  REVIEW_UNITS,
  REVIEW_UNIT_CODES as UNIT_CODES,
  Stage,
} from '../policy/rules/lifecycle.rules';
import { DomainError, assert, assertNever } from '../shared/domain/domain-error';
import { KeyedMap } from '../shared/domain/keyed-collections';
import {
  checkDate,
  checkId,
  checkNotAfterRecording,
  checkText,
  creditCodeProblem,
  HOUSEHOLDS_MAX,
  formatArea,
  hundredthsOf,
} from '../shared/domain/input-rules';
import { Fen, formatFen, parseAmount } from '../shared/money/money';
import { RecordMilestone } from './project.commands';
import { ProjectErrors as E } from './project.errors';
import {
  CONSULTATION_METHODS,
  DeterminationKind,
  FEE_BASES,
  HANDOVER_PARTS,
  HandoverPart,
  MANAGEMENT_MODELS,
  MILESTONE_DATE_FIELDS,
  MILESTONE_EVENT_TYPES,
  MILESTONE_KINDS,
  MilestoneEvent,
  MilestoneKind,
  PermitFacts,
  isMilestoneKind,
  milestoneOf,
  ProjectEvent,
  ProjectEventType as T,
  REVIEW_RESULTS,
  TENDER_METHODS,
} from './project.events';
import { onlyFields } from './residents';

// ---------------------------------------------------------------------------------------------
// state

/** A milestone as the state keeps it: what the rules of later ones read. */
export interface MilestoneMark {
  kind: MilestoneKind;
  on: string;
  /** Joint reviews and acceptances: whether it passed. */
  passed?: boolean;
}

/** The first milestone of a stage: `on` is its date. */
export interface StageMark {
  milestoneId: string;
  on: string;
}

/** The stages the rules look back on (Stage, and the passed joint review an approval rests on). */
export type StageKey = Exclude<Stage, 'approval'> | 'joint_review_passed' | 'acceptance_report_filed';

/**
 * The project's life in its state. Its collections are top-level fields of ProjectState (a
 * snapshot stores those a row per entry); `stages` is plain JSON.
 */
export interface LifecycleState {
  /** Every milestone by its id (ids are unique across kinds). */
  milestones: KeyedMap<Readonly<MilestoneMark>>;
  /** The earliest milestone of each stage. */
  stages: Readonly<Partial<Record<StageKey, StageMark>>>;
  /** contractId → the milestone that recorded it. */
  contracts: KeyedMap<string>;
}

export function emptyLifecycle(): LifecycleState {
  return { milestones: KeyedMap.empty(), stages: {}, contracts: KeyedMap.empty() };
}

/** What the lifecycle's rules read of the project's state besides their own. */
export interface LifecycleContext extends LifecycleState {
  projectId: string;
  /** The earliest approval's date. */
  firstApprovedOn: string | null;
}

// ---------------------------------------------------------------------------------------------
// decide

/** The most documents, channels, reviewers or handed-over parts one milestone lists. */
export const MILESTONE_LIST_MAX = 50;

/**
 * The milestone is parsed here, field by field, whoever built the command: the route hands on the
 * body its kind's DTO judged, code hands on a MilestoneInput, and either is read as the fields a
 * client sent.
 */
export function recordMilestone(c: RecordMilestone, s: LifecycleContext): ProjectEvent[] {
  const m = fieldsOf(c.milestone, 'milestone');
  const kind = m.kind;
  if (!isMilestoneKind(kind))
    throw E.invalidNumber('kind', `must be one of ${MILESTONE_KINDS.join(', ')} (got ${String(kind)})`);
  const milestoneId = m.milestoneId;
  checkId('milestoneId', milestoneId);
  if (s.milestones.has(milestoneId)) throw E.milestoneExists(milestoneId);
  const field = MILESTONE_DATE_FIELDS[kind];
  const date = m[field];
  checkDate(field, date);
  checkNotAfterRecording(field, date, c.recordedOn, 'a milestone is recorded once it happened');
  const base = { projectId: s.projectId, milestoneId, docRefs: textList('docRefs', m.docRefs, 0) };
  checkOnce(s, kind);
  checkOrder(s, kind, field, date);
  const event = milestoneEvent(kind, m, date, base, s, c.recordedOn);
  return [event];
}

/** The fields a client sent, as received. */
type Fields = Readonly<Record<string, unknown>>;

function fieldsOf(value: unknown, at: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw E.invalidNumber(at, 'must be an object');
  return Object.fromEntries(Object.entries(value));
}

/** An object sent within the milestone, holding none but `names`. */
function fieldsAt(value: unknown, names: readonly string[], at: string): Fields {
  const fields = fieldsOf(value, at);
  onlyFields(fields, names, at);
  return fields;
}

type Base = { projectId: string; milestoneId: string; docRefs: string[] };

/** The event of a milestone of `kind` dated `on` (its business date, checked): its own fields parsed. */
function milestoneEvent(
  kind: MilestoneKind,
  m: Fields,
  on: string,
  base: Base,
  s: LifecycleContext,
  recordedOn: string,
): ProjectEvent {
  switch (kind) {
    case 'consultation': {
      const reached = wholeNumber('householdsReached', m.householdsReached, 0, HOUSEHOLDS_MAX);
      const supporting = wholeNumber('householdsSupporting', m.householdsSupporting, 0, reached);
      const organiser = optionalText('organiser', m.organiser);
      return {
        type: T.consultationHeld,
        data: {
          ...base,
          heldOn: on,
          method: oneOf('method', m.method, CONSULTATION_METHODS),
          householdsReached: reached,
          householdsSupporting: supporting,
          ...(organiser !== undefined ? { organiser } : {}),
        },
      };
    }
    case 'publicity':
      return { type: T.contentPublicized, data: { ...base, ...publicity(m, on, recordedOn) } };
    case 'joint_review':
      return { type: T.jointReviewCompleted, data: { ...base, ...jointReview(m, on) } };
    case 'land_procedure':
    case 'planning_permit':
    case 'drawing_review':
    case 'construction_permit':
      return { type: MILESTONE_EVENT_TYPES[kind], data: { ...base, ...determination(kind, m, on) } };
    case 'tender': {
      const winner = text('winner', m.winner);
      return {
        type: T.tenderAwarded,
        data: {
          ...base,
          awardedOn: on,
          method: oneOf('method', m.method, TENDER_METHODS),
          winner,
          amount: formatFen(parseAmount(m.amount, 'amount')),
        },
      };
    }
    case 'contract':
      return { type: T.contractSigned, data: { ...base, ...contract(m, on, s) } };
    case 'construction_started':
      return { type: T.constructionStarted, data: { ...base, startedOn: on } };
    case 'construction_completed':
      return { type: T.constructionCompleted, data: { ...base, completedOn: on } };
    case 'joint_acceptance':
      return { type: T.jointAcceptanceHeld, data: { ...base, ...jointAcceptance(m, on) } };
    case 'acceptance_report_filed':
      return { type: T.acceptanceReportFiled, data: { ...base, ...filing(on, s) } };
    case 'handover':
      return { type: T.assetsHandedOver, data: { ...base, handedOverOn: on, parts: handoverParts(m.parts) } };
    case 'management_model':
      return { type: T.managementModelAgreed, data: { ...base, ...managementModel(m, on) } };
    default:
      return assertNever(kind, 'milestone kind');
  }
}

/** Kinds a project has once: its works start and finish once, pass acceptance once and are filed once. */
function checkOnce(s: LifecycleContext, kind: MilestoneKind): void {
  const stage: StageKey | undefined =
    kind === 'construction_started' || kind === 'construction_completed' || kind === 'acceptance_report_filed'
      ? kind
      : kind === 'joint_acceptance'
        ? 'joint_acceptance_passed'
        : undefined;
  // A failed acceptance is held again; once one passed, the works are accepted.
  const mark = stage === undefined ? undefined : s.stages[stage];
  if (mark === undefined) return;
  throw E.milestoneAlreadyRecorded(
    kind === 'joint_acceptance' ? 'passed joint acceptance' : kind,
    mark.milestoneId,
    mark.on,
  );
}

/** A milestone's prerequisites under the order rule in force on its date, each recorded on or before it. */
function checkOrder(s: LifecycleContext, kind: MilestoneKind, field: string, date: string): void {
  const rule = findRuleInForce<MilestoneOrderSettings>(LF.milestoneOrder, date);
  if (!rule) return;
  for (const stage of rule.settings.prerequisites[kind] ?? []) {
    const on = stage === 'approval' ? s.firstApprovedOn : s.stages[stage]?.on;
    if (on !== undefined && on !== null && on <= date) continue;
    const found = on === undefined || on === null ? 'none is recorded' : `it is dated ${on}, after`;
    throw E.milestoneOutOfOrder(kind, field, date, STAGE_WORDS[stage], found, rule);
  }
}

const STAGE_WORDS: Record<Stage, string> = {
  approval: "the project's approval",
  construction_started: 'the start of works (construction_started)',
  construction_completed: 'the completion of works (construction_completed)',
  joint_acceptance_passed: 'a joint acceptance that passed (joint_acceptance)',
};

function publicity(m: Fields, startDate: string, recordedOn: string) {
  const subject = text('subject', m.subject);
  const endDate = m.endDate;
  checkDate('endDate', endDate);
  if (endDate < startDate) throw E.invalidNumber('endDate', `must not be before startDate ${startDate}`);
  checkNotAfterRecording('endDate', endDate, recordedOn, 'a publicity is recorded once it ended, with its objections');
  const objections = fieldsAt(m.objections, ['received', 'summary'], 'objections');
  const received = wholeNumber('objections.received', objections.received, 0, HOUSEHOLDS_MAX);
  const summary = optionalText('objections.summary', objections.summary);
  const channels = textList('channels', m.channels, 1);
  const rule = findRuleInForce<PublicitySettings>(LF.publicityMinimum, startDate);
  if (rule) {
    const lastDay = addDays(startDate, rule.settings.minimumDays);
    if (endDate < lastDay) throw E.publicityTooShort(startDate, endDate, rule.settings.minimumDays, lastDay, rule);
  }
  return {
    subject,
    startDate,
    endDate,
    channels,
    objections: { received, ...(summary !== undefined ? { summary } : {}) },
    ruleId: rule?.ruleId ?? null,
  };
}

function jointReview(m: Fields, reviewedOn: string) {
  const lead = oneOf('lead', m.lead, UNIT_CODES);
  const reviewers = codeList('reviewers', m.reviewers, UNIT_CODES);
  const opinionRef = text('opinionRef', m.opinionRef);
  const result = oneOf('result', m.result, REVIEW_RESULTS);
  const rule = findRuleInForce<JointReviewSettings>(LF.jointReview, reviewedOn);
  if (rule) {
    const { lead: wanted, requiredReviewers } = rule.settings;
    if (lead !== wanted)
      throw E.jointReviewIncomplete(
        `is led by ${lead}; the seed has ${REVIEW_UNITS[wanted]} (${wanted}) lead it`,
        'lead',
        rule,
      );
    const missing = requiredReviewers.filter((u) => !reviewers.includes(u));
    if (missing.length > 0)
      throw E.jointReviewIncomplete(
        `lacks ${missing.map((u) => `${REVIEW_UNITS[u]} (${u})`).join(', ')}`,
        'reviewers',
        rule,
      );
  }
  return { reviewedOn, lead, reviewers, result, opinionRef, ruleId: rule?.ruleId ?? null };
}

function jointAcceptance(m: Fields, acceptedOn: string) {
  const lead = oneOf('lead', m.lead, UNIT_CODES);
  const participants = codeList('participants', m.participants, PARTICIPANT_CODES);
  const result = oneOf('result', m.result, REVIEW_RESULTS);
  const opinionRef = optionalText('opinionRef', m.opinionRef);
  const rule = findRuleInForce<JointAcceptanceSettings>(LF.jointAcceptance, acceptedOn);
  if (rule) {
    const { lead: wanted, requiredParticipants } = rule.settings;
    if (lead !== wanted)
      throw E.acceptanceParticipantsMissing(
        `is led by ${lead}; the seed has ${REVIEW_UNITS[wanted]} (${wanted}) lead it`,
        'lead',
        rule,
      );
    const missing = requiredParticipants.filter((p) => !participants.includes(p));
    if (missing.length > 0)
      throw E.acceptanceParticipantsMissing(
        `lacks ${missing.map((p) => `${ACCEPTANCE_PARTICIPANTS[p]} (${p})`).join(', ')}`,
        'participants',
        rule,
      );
  }
  return {
    acceptedOn,
    lead,
    participants,
    result,
    ...(opinionRef !== undefined ? { opinionRef } : {}),
    ruleId: rule?.ruleId ?? null,
  };
}

/** The filing of the report of the acceptance that passed: its deadline, and whether it is late. */
function filing(filedOn: string, s: LifecycleContext) {
  const accepted = s.stages.joint_acceptance_passed;
  // checkOrder saw it recorded on or before filedOn.
  assert(accepted !== undefined, 'a filing follows a joint acceptance that passed');
  const due = filingDeadline(accepted.on);
  if (due === undefined) throw PolicyErrors.noPolicyInForce(LF.acceptanceFiling, accepted.on);
  const { deadline, provisional, rule } = due;
  return {
    filedOn,
    acceptanceId: accepted.milestoneId,
    acceptedOn: accepted.on,
    deadline,
    ...(provisional ? { deadlineProvisional: true } : {}),
    late: filedOn > deadline,
    ruleId: rule.ruleId,
  };
}

function contract(m: Fields, signedOn: string, s: LifecycleContext) {
  const contractId = m.contractId;
  checkId('contractId', contractId);
  const earlier = s.contracts.get(contractId);
  if (earlier !== undefined) throw E.contractExists(contractId, earlier);
  const payee = fieldsAt(m.payee, ['name', 'creditCode'], 'payee');
  const name = text('payee.name', payee.name);
  const creditCode = payee.creditCode;
  const problem = creditCodeProblem(creditCode);
  if (problem !== null) throw E.invalidCreditCode('payee.creditCode', problem);
  // creditCodeProblem finds none only in a string.
  assert(typeof creditCode === 'string', 'a credit code without a problem is a string');
  const terms = fieldsAt(m.paymentTerms, ['progressPaymentCapPercent', 'retentionPercent'], 'paymentTerms');
  const cap = percent('paymentTerms.progressPaymentCapPercent', terms.progressPaymentCapPercent, false);
  const retention = percent('paymentTerms.retentionPercent', terms.retentionPercent, true);
  const sme = m.smallOrMediumEnterprise;
  if (sme !== undefined && typeof sme !== 'boolean')
    throw E.invalidNumber('smallOrMediumEnterprise', 'must be true or false');
  return {
    signedOn,
    contractId,
    payee: { name, creditCode },
    amount: formatFen(parseAmount(m.amount, 'amount')),
    paymentTerms: { progressPaymentCapPercent: cap, retentionPercent: retention },
    ...(sme !== undefined ? { smallOrMediumEnterprise: sme } : {}),
  };
}

function handoverParts(parts: unknown): HandoverPart[] {
  if (!Array.isArray(parts) || parts.length < 1 || parts.length > MILESTONE_LIST_MAX)
    throw E.invalidNumber('parts', `must be a list of 1 to ${MILESTONE_LIST_MAX} parts`);
  return parts.map((p: unknown, i) => {
    const at = `parts[${i}]`;
    const part = fieldsAt(p, ['part', 'receivingParty', 'scope'], at);
    const receivingParty = text(`${at}.receivingParty`, part.receivingParty);
    const scope = optionalText(`${at}.scope`, part.scope);
    return {
      part: oneOf(`${at}.part`, part.part, HANDOVER_PARTS),
      receivingParty,
      ...(scope !== undefined ? { scope } : {}),
    };
  });
}

function managementModel(m: Fields, agreedOn: string) {
  const unit = text('unit', m.unit);
  const scope = text('scope', m.scope);
  const standard = text('standard', m.standard);
  let fee: { amount: string; basis: (typeof FEE_BASES)[number] } | undefined;
  if (m.fee !== undefined) {
    const sentFee = fieldsAt(m.fee, ['amount', 'basis'], 'fee');
    fee = {
      amount: formatFen(parseAmount(sentFee.amount, 'fee.amount')),
      basis: oneOf('fee.basis', sentFee.basis, FEE_BASES),
    };
  }
  return {
    agreedOn,
    model: oneOf('model', m.model, MANAGEMENT_MODELS),
    unit,
    scope,
    standard,
    ...(fee ? { fee } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// determinations: a permit number, or an exemption of the seed its facts allow

const EXEMPTION_FAMILIES: Record<DeterminationKind, string> = {
  land_procedure: LF.landProcedureExemptions,
  planning_permit: LF.planningPermitExemptions,
  drawing_review: LF.drawingReviewExemptions,
  construction_permit: LF.constructionPermitExemptions,
};

/** The facts as checked: the event's, with the area in hundredths of a m² and the money in fen. */
type Facts = Omit<PermitFacts, 'addedArea' | 'investment' | 'hazards'> & {
  addedArea?: bigint;
  investment?: Fen;
  hazards?: readonly string[];
};
type FactName = keyof Facts;
const FLAG_FACTS = [
  'structureChanged',
  'commitmentMade',
  'newConstructionLand',
  'independentLandUse',
  'landRightChange',
  'affectsEvacuation',
  'changesRegisteredUse',
  'withinProjectLand',
  'affectsNeighbours',
  'changesFireAccess',
] as const;
const FACT_NAMES: readonly FactName[] = ['addedArea', 'investment', 'hazards', ...FLAG_FACTS];

/** Why an exemption's facts refuse it (and the fact at fault), or null when they allow it. */
type Refusal = { why: string; fact: FactName } | null;
interface ExemptionTest {
  /** The facts it is judged on: each must be given. */
  needs: readonly FactName[];
  refuses(f: Required<Facts>, settings: ExemptionSettings): Refusal;
}

const flagged = (f: Required<Facts>, fact: FactName, value: boolean, why: string): Refusal =>
  f[fact] === value ? { why, fact } : null;
const areaAdded = (f: Required<Facts>, why: string): Refusal =>
  f.addedArea > 0n ? { why: `${why} (added area ${formatArea(f.addedArea)} m²)`, fact: 'addedArea' } : null;
const hazardous = (f: Required<Facts>, settings: ExemptionSettings): Refusal => {
  const found = f.hazards.filter((h) => (settings.hazards as readonly string[] | undefined)?.includes(h));
  return found.length > 0
    ? {
        why: `high-risk works exclude it: ${found.map((h) => `${HAZARDS[h as keyof typeof HAZARDS]} (${h})`).join(', ')}`,
        fact: 'hazards',
      }
    : null;
};
const first = (...refusals: Refusal[]): Refusal => refusals.find((r) => r !== null) ?? null;

/** Whether `value` is below `bound` as the rule reads "以下" (the bound itself only when inclusive). */
function below(value: bigint, bound: bigint, settings: ExemptionSettings): boolean {
  return settings.boundInclusive ? value <= bound : value < bound;
}
const boundWords = (settings: ExemptionSettings) => (settings.boundInclusive ? 'at most' : 'below');

const EXEMPTION_TESTS: Record<DeterminationKind, Readonly<Record<string, ExemptionTest>>> = {
  land_procedure: {
    no_new_construction_land: {
      needs: ['newConstructionLand'],
      refuses: (f) => flagged(f, 'newConstructionLand', true, 'the project takes new construction land'),
    },
    non_independent_land_use: {
      needs: ['independentLandUse'],
      refuses: (f) => flagged(f, 'independentLandUse', true, 'the project occupies land of its own'),
    },
    no_land_right_change: {
      needs: ['landRightChange'],
      refuses: (f) => flagged(f, 'landRightChange', true, 'the land rights change'),
    },
  },
  planning_permit: {
    roof_beautification: {
      needs: ['affectsEvacuation', 'addedArea'],
      refuses: (f) =>
        first(
          flagged(f, 'affectsEvacuation', true, 'it affects safe evacuation'),
          areaAdded(f, 'it adds building area'),
        ),
    },
    interior_renovation: {
      needs: ['changesRegisteredUse'],
      refuses: (f) => flagged(f, 'changesRegisteredUse', true, "it changes the units' registered attributes"),
    },
    facility_installation: {
      needs: ['withinProjectLand', 'addedArea', 'affectsNeighbours'],
      refuses: (f) =>
        first(
          flagged(f, 'withinProjectLand', false, "it is not within the project's own land"),
          areaAdded(f, 'it adds building area'),
          flagged(f, 'affectsNeighbours', true, 'it affects neighbouring rights (相邻关系)'),
        ),
    },
    landscaping: {
      needs: ['changesFireAccess'],
      refuses: (f) => flagged(f, 'changesFireAccess', true, 'it changes a fire lane or rescue ground'),
    },
  },
  drawing_review: {
    low_risk_commitment: {
      needs: ['commitmentMade', 'structureChanged', 'addedArea'],
      // "不变动结构或不增加建筑面积": either is enough; both at once is not low risk.
      refuses: (f) =>
        first(
          flagged(f, 'commitmentMade', false, 'the construction unit made no written commitment (告知承诺)'),
          f.structureChanged && f.addedArea > 0n
            ? {
                why: `it both changes the structure and adds building area (${formatArea(f.addedArea)} m²)`,
                fact: 'structureChanged',
              }
            : null,
        ),
    },
    added_area_below_1000m2: {
      needs: ['addedArea', 'hazards'],
      refuses: (f, settings) => {
        const bound = settings.addedAreaBelowHundredths;
        assert(bound !== undefined, 'an area exemption rule states its area bound');
        return first(
          below(f.addedArea, bound, settings)
            ? null
            : {
                why: `the added area ${formatArea(f.addedArea)} m² is not ${boundWords(settings)} ${formatArea(bound)} m²`,
                fact: 'addedArea',
              },
          hazardous(f, settings),
        );
      },
    },
  },
  construction_permit: {
    no_structure_or_area_change: {
      needs: ['structureChanged', 'addedArea', 'hazards'],
      refuses: (f, settings) =>
        first(
          flagged(f, 'structureChanged', true, 'the structure changes'),
          areaAdded(f, 'building area is added'),
          hazardous(f, settings),
        ),
    },
    added_area_below_500m2_or_investment_below_1m: {
      needs: ['addedArea', 'investment'],
      // "增加建筑面积在 500 平方米以下或工程投资额在 100 万元以下": either allows it.
      refuses: (f, settings) => {
        const area = settings.addedAreaBelowHundredths;
        const investment = settings.investmentBelowFen;
        assert(
          area !== undefined && investment !== undefined,
          'an area-or-investment exemption rule states both bounds',
        );
        if (below(f.addedArea, area, settings) || below(f.investment, investment, settings)) return null;
        return {
          why: `neither is the added area (${formatArea(f.addedArea)} m²) ${boundWords(settings)} ${formatArea(area)} m², nor the investment (${formatFen(f.investment)}) ${boundWords(settings)} ${formatFen(investment)}`,
          fact: 'addedArea',
        };
      },
    },
  },
};

/** The exemption codes of every determination kind (the rule in force says which a kind takes). */
export const EXEMPTION_CODES: readonly string[] = Object.values(EXEMPTION_TESTS).flatMap((tests) => Object.keys(tests));

function determination(kind: DeterminationKind, m: Fields, determinedOn: string) {
  const facts = factsOf(m.facts);
  const { permitNo, exemption } = m;
  if ((permitNo === undefined) === (exemption === undefined))
    throw E.invalidNumber(
      'permitNo',
      'give either permitNo (a permit was issued) or exemption (why none is needed), not both',
    );
  const recorded = { determinedOn, facts: factsRecord(facts) };
  if (permitNo !== undefined) return { ...recorded, permitNo: text('permitNo', permitNo), ruleId: null };
  const rule = exemptionRule(kind, determinedOn, exemption);
  const test = typeof exemption === 'string' ? EXEMPTION_TESTS[kind][exemption] : undefined;
  if (typeof exemption !== 'string' || test === undefined || !Object.hasOwn(rule.settings.exemptions, exemption))
    throw E.invalidNumber(
      'exemption',
      `must be one of ${Object.keys(rule.settings.exemptions).join(', ')} for ${kind} (got ${String(exemption)})`,
    );
  for (const fact of test.needs)
    if (facts[fact] === undefined)
      throw new DomainError(
        'missing-field',
        `facts.${fact} is required: exemption ${exemption} rests on it`,
        400,
        `facts.${fact}`,
      );
  const refusal = test.refuses(facts as Required<Facts>, rule.settings);
  if (refusal)
    throw E.exemptionNotAllowed(
      kind,
      exemption,
      `${refusal.why}; the seed allows it where "${rule.settings.exemptions[exemption]}"`,
      `facts.${refusal.fact}`,
      rule,
    );
  return { ...recorded, exemption, ruleId: rule.ruleId };
}

/** The exemption rule in force on the day; before any was, the exemption did not exist: refused, naming the first. */
function exemptionRule(kind: DeterminationKind, date: string, exemption: unknown): PolicyRule<ExemptionSettings> {
  const family = EXEMPTION_FAMILIES[kind];
  const rule = findRuleInForce<ExemptionSettings>(family, date);
  if (rule) return rule;
  const versions = POLICIES.filter((r) => r.family === family);
  const firstVersion = versions[0] as PolicyRule<ExemptionSettings>;
  assert(firstVersion !== undefined, `the policy list holds ${family}`);
  throw E.exemptionNotAllowed(
    kind,
    String(exemption),
    `no rule allowed a ${kind} exemption on ${date}: ${firstVersion.ruleId} allows them from ${firstVersion.effectiveFrom} (a permit or review was needed before)`,
    'determinedOn',
    firstVersion,
  );
}

/** Added building area: m² with at most two decimals, from 0 (none added) to 9,999,999.99. */
const ADDED_AREA_PATTERN = /^(0|[1-9][0-9]{0,6})(\.[0-9]{1,2})?$/;

function factsOf(sent: unknown): Facts {
  if (sent === undefined) return {};
  const raw = fieldsAt(sent, FACT_NAMES, 'facts');
  const f: Facts = {};
  if (raw.addedArea !== undefined) {
    const addedArea = hundredthsOf(raw.addedArea, ADDED_AREA_PATTERN);
    if (addedArea === null)
      throw new DomainError(
        'invalid-area',
        'facts.addedArea must be an area in m² written as a string with at most two decimals, from "0" to "9999999.99"',
        400,
        'facts.addedArea',
      );
    f.addedArea = addedArea;
  }
  if (raw.investment !== undefined) f.investment = parseAmount(raw.investment, 'facts.investment');
  if (raw.hazards !== undefined) f.hazards = codeList('facts.hazards', raw.hazards, HAZARD_CODES, 0);
  for (const name of FLAG_FACTS) {
    const v = raw[name];
    if (v === undefined) continue;
    if (typeof v !== 'boolean') throw E.invalidNumber(`facts.${name}`, 'must be true or false');
    f[name] = v;
  }
  return f;
}

function factsRecord(f: Facts): PermitFacts {
  const out: PermitFacts = {};
  if (f.addedArea !== undefined) out.addedArea = formatArea(f.addedArea);
  if (f.investment !== undefined) out.investment = formatFen(f.investment);
  if (f.hazards !== undefined) out.hazards = [...f.hazards];
  for (const name of FLAG_FACTS) if (f[name] !== undefined) out[name] = f[name];
  return out;
}

// ---------------------------------------------------------------------------------------------
// small input checks (400, naming the field)

/** Free text the ledger takes (checkText), as a string. */
function text(field: string, value: unknown): string {
  checkText(field, value);
  return value;
}

/** Free text, or undefined when it is not sent. */
function optionalText(field: string, value: unknown): string | undefined {
  return value === undefined ? undefined : text(field, value);
}

function oneOf<const V extends string>(field: string, value: unknown, values: readonly V[]): V {
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value))
    throw E.invalidNumber(field, `must be one of ${values.join(', ')} (got ${String(value)})`);
  return value as V;
}

function wholeNumber(field: string, value: unknown, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max)
    throw E.invalidNumber(field, `must be a whole number from ${min} to ${max}`);
  return value as number;
}

/** A list of texts (documents, channels), `min` to MILESTONE_LIST_MAX of them. */
function textList(field: string, value: unknown, min: number): string[] {
  if (!Array.isArray(value) || value.length < min || value.length > MILESTONE_LIST_MAX)
    throw E.invalidNumber(field, `must be a list of ${min} to ${MILESTONE_LIST_MAX} texts`);
  return value.map((v: unknown, i) => text(`${field}[${i}]`, v));
}

/** A list of codes from `values`, each once. */
function codeList<const V extends string>(field: string, value: unknown, values: readonly V[], min = 1): V[] {
  if (!Array.isArray(value) || value.length < min || value.length > values.length)
    throw E.invalidNumber(field, `must be a list of ${min} to ${values.length} of ${values.join(', ')}`);
  const codes = value.map((v, i) => oneOf(`${field}[${i}]`, v, values));
  const twice = codes.find((c, i) => codes.indexOf(c) !== i);
  if (twice !== undefined) throw E.invalidNumber(field, `names ${twice} twice`);
  return codes;
}

const PERCENT_PATTERN = /^(0|[1-9][0-9]{0,2})(\.[0-9]{1,2})?$/;

/** A percentage: a decimal string with at most two decimals, above 0 (or from 0) to 100. */
function percent(field: string, value: unknown, zeroAllowed: boolean): string {
  const hundredths = hundredthsOf(value, PERCENT_PATTERN);
  if (hundredths === null || hundredths < (zeroAllowed ? 0n : 1n) || hundredths > 100_00n)
    throw E.invalidNumber(
      field,
      `must be a percentage written as a string with at most two decimals, ${zeroAllowed ? 'from 0' : 'above 0'} to 100, such as "80.00"`,
    );
  return formatArea(hundredths);
}

// ---------------------------------------------------------------------------------------------
// evolve

/** What a milestone changes in the state; asserts what decide guaranteed. */
export function milestoneRecorded(s: Readonly<LifecycleState>, e: MilestoneEvent): LifecycleState {
  const { kind, on } = milestoneOf(e);
  const id = e.data.milestoneId;
  assert(!s.milestones.has(id), `milestone ${id} is recorded once`);
  const passed = 'result' in e.data ? e.data.result === 'passed' : undefined;
  const mark: MilestoneMark = passed === undefined ? { kind, on } : { kind, on, passed };
  const stage = stageOf(kind, passed);
  const stages =
    stage === undefined || (s.stages[stage] !== undefined && s.stages[stage]!.on <= on)
      ? s.stages
      : { ...s.stages, [stage]: { milestoneId: id, on } };
  const contracts = e.type === T.contractSigned ? s.contracts.set(e.data.contractId, id) : s.contracts;
  return { milestones: s.milestones.set(id, mark), stages, contracts };
}

function stageOf(kind: MilestoneKind, passed: boolean | undefined): StageKey | undefined {
  switch (kind) {
    case 'construction_started':
    case 'construction_completed':
    case 'acceptance_report_filed':
      return kind;
    case 'joint_review':
      return passed ? 'joint_review_passed' : undefined;
    case 'joint_acceptance':
      return passed ? 'joint_acceptance_passed' : undefined;
    default:
      return undefined;
  }
}
