/**
 * Events of the project stream (`project-<projectId>`). Amounts are CNY strings with two
 * decimals. A published version never changes: a breaking change is a new `.vN` with an upcaster
 * (how: event-registry.ts). `projectEvents` at the end reads them from the store.
 */
import {
  Check,
  arrayOf,
  boolean,
  decimalAmount,
  integer,
  number,
  oneOf,
  optional,
  recordOf,
  shape,
  string,
} from '../shared/domain/data-shape';
import { DomainEvent } from '../shared/domain/decider';
import { assertNever } from '../shared/domain/domain-error';
import { EventRegistry, upcaster } from '../shared/domain/event-registry';
import { APPROVAL_PATHS, ApprovalPath } from '../policy/rules/approval.rules';
import { ELIGIBILITY_BASES, EligibilityRecord, eligibilityOf } from './eligibility';

export const ProjectEventType = {
  registered: 'project-registered.v2',
  approved: 'project-approved.v2',
  budgetLineAdded: 'budget-line-added.v1',
  pledged: 'funding-pledged.v1',
  received: 'funds-received.v1',
  disbursed: 'funds-disbursed.v1',
  treasuryPaid: 'treasury-payment-made.v1',
  reversed: 'entry-reversed.v1',
  reversalReversed: 'reversal-reversed.v1',
  allocationRecorded: 'allocation-recorded.v1',
  allocationReleased: 'allocation-released.v1',
  householdsRegistered: 'households-registered.v1',
  householdCorrected: 'household-corrected.v1',
  ownerVoteRecorded: 'owner-vote-recorded.v1',
  costSharePlanAdopted: 'cost-share-plan-adopted.v1',
  // the project's life (lifecycle.ts), one type per milestone kind (MILESTONE_EVENT_TYPES)
  consultationHeld: 'resident-consultation-held.v1',
  contentPublicized: 'content-publicized.v1',
  jointReviewCompleted: 'joint-review-completed.v1',
  landProcedureDetermined: 'land-procedure-determined.v1',
  planningPermitDetermined: 'planning-permit-determined.v1',
  drawingReviewDetermined: 'drawing-review-determined.v1',
  constructionPermitDetermined: 'construction-permit-determined.v1',
  tenderAwarded: 'tender-awarded.v1',
  contractSigned: 'contract-signed.v1',
  constructionStarted: 'construction-started.v1',
  constructionCompleted: 'construction-completed.v1',
  jointAcceptanceHeld: 'joint-acceptance-held.v1',
  acceptanceReportFiled: 'acceptance-report-filed.v1',
  assetsHandedOver: 'assets-handed-over.v1',
  managementModelAgreed: 'management-model-agreed.v1',
} as const;

/** Sub-fields of a funding source (householdId, utility, program, donorKind, ...), see funding-sources.ts. */
export type SourceDetails = Record<string, string>;

/** `project-registered.v1`: a registration written before eligibility was recorded. */
export interface ProjectRegisteredV1 {
  projectId: string;
  name: string;
  community: string;
  town: string;
  builtYear: number;
  buildingArea: number;
  households: number;
}
export interface ProjectRegistered extends ProjectRegisteredV1 {
  /** Why a community built 2001-2005 qualifies: its poor living conditions (居住条件较差), in words. */
  conditionJustification?: string;
  /** The basis the seed's scope gives the community (eligibility.ts): recorded, never a refusal. */
  eligibility: EligibilityRecord;
}
/** `project-approved.v1`: an approval written before approval paths were dated policy (its path chosen by the amount alone). */
export interface ProjectApprovedV1 {
  projectId: string;
  approvedInvestment: string;
  approvalPath: 'plan_review' | 'merged_fsr';
  docNo: string;
  approvedOn: string;
  reapproval: boolean;
}
export interface ProjectApproved {
  projectId: string;
  approvedInvestment: string;
  approvalPath: ApprovalPath;
  /** null on an approval written as `project-approved.v1`, which did not record it. */
  involvesIndependentInfrastructure: boolean | null;
  /** The approval-path rule the path was decided by (src/policy); null on a `project-approved.v1`. */
  ruleId: string | null;
  /** `plan_review`: the passed joint review (a milestone id) the approval was given on. */
  jointReviewId?: string;
  docNo: string;
  approvedOn: string;
  /** True when this approval replaces an earlier one (a re-approval after a budget revision). */
  reapproval: boolean;
}
export interface BudgetLineAdded {
  projectId: string;
  lineId: string;
  category: string;
  item: string;
  utility?: string;
  estimatedCost: string;
  /** Sum of all lines' estimated cost after this one. */
  budgetTotal: string;
  /**
   * The revision took the budget above the approved investment (概算调整), which includes taking a
   * `plan_review` approval across the 10,000,000 threshold: no payment until it is approved again.
   * (Events written before 2026-12 raised it only for the threshold.)
   */
  reapprovalRequired: boolean;
}
export interface FundingPledged {
  projectId: string;
  pledgeId: string;
  source: string;
  amount: string;
  payer: string;
  fiscalYear: number;
  pledgedOn: string;
  lineId?: string;
  details: SourceDetails;
}
export interface FundsReceived {
  projectId: string;
  receiptId: string;
  source: string;
  amount: string;
  payer: string;
  reference: string;
  receivedOn: string;
  fiscalYear: number;
  pledgeId?: string;
  lineId?: string;
  /** The fund-batch allocation drawn on, and its batch. */
  allocationId?: string;
  batchId?: string;
  /** Sub-fields; `details.householdId` names the paying household (a resident-tier source). */
  details: SourceDetails;
  /**
   * The cost-sharing plan whose share of `details.householdId` this receipt pays (residents'
   * channels only: direct, provident fund, maintenance fund). Absent on receipts written before
   * plans existed, and on lump receipts.
   */
  planId?: string;
  /** A maintenance-fund receipt: the owners' `fund_use` vote that allows it (民法典 第二百七十八条). */
  voteId?: string;
  /** A maintenance-fund receipt made without a vote, in an emergency (民法典 第二百八十一条), and why. */
  emergency?: boolean;
  emergencyReason?: string;
}
export interface FundsDisbursed {
  projectId: string;
  paymentId: string;
  source: string;
  lineId: string;
  amount: string;
  payee: string;
  voucher: string;
  paidOn: string;
  fiscalYear: number;
  /**
   * True when paid in a year after its fiscal year: money of that year's budget carried over (结转).
   * Absent otherwise, and on payments written before it was recorded (their years tell it).
   */
  carriedOver?: boolean;
  /** The fund-batch allocation spent, and its batch. */
  allocationId?: string;
  batchId?: string;
}
/**
 * A treasury direct payment (国库集中支付·直接支付): the treasury pays the payee from a fund-batch
 * allocation, so the money never passes through the project's account. It is received on the
 * allocation and paid from it at once, in one entry (domain.md §6: never a receipt and again a
 * payment), and counts as both in every figure. `source` and `batchId` are the allocation's.
 */
export interface TreasuryPaymentMade extends FundsDisbursed {
  allocationId: string;
  batchId: string;
}
/** What a reversal may name; `treasury_payment`: received and paid at once (its reversal takes back both). */
export const ENTRY_KINDS = ['pledge', 'receipt', 'payment', 'treasury_payment'] as const;
export type LedgerEntryKind = (typeof ENTRY_KINDS)[number];
/** A pledge, a receipt or a payment: the entries that count in one figure each. */
export type EntryKind = Exclude<LedgerEntryKind, 'treasury_payment'>;
/** A money figure that ledger entries add to (a read model's column, a report's total). */
export type EntryFigure = 'pledged' | 'received' | 'disbursed';
/**
 * The figures each kind of entry adds its amount to, and its reversal takes it off (entryMoveOf
 * gives each event's sign): the one place that says a treasury payment counts as received and
 * disbursed, for every read model and report that totals entries (a new kind fails to compile
 * until it says which figures it feeds).
 */
export const FIGURES_OF_ENTRY: Readonly<Record<LedgerEntryKind, readonly EntryFigure[]>> = {
  pledge: ['pledged'],
  receipt: ['received'],
  payment: ['disbursed'],
  treasury_payment: ['received', 'disbursed'],
};
/** The events that book a ledger entry or reverse one: each moves the figures of one entry kind. */
export type EntryMovingEvent = Extract<
  ProjectEvent,
  {
    type:
      | typeof ProjectEventType.pledged
      | typeof ProjectEventType.received
      | typeof ProjectEventType.disbursed
      | typeof ProjectEventType.treasuryPaid
      | typeof ProjectEventType.reversed
      | typeof ProjectEventType.reversalReversed;
  }
>;
/**
 * Which entry kind's figures (FIGURES_OF_ENTRY) an event moves its amount in, and with which sign:
 * booking an entry adds (1); reversing one takes off (−1); undoing a reversal gives back what it took
 * (1), and undoing that undo takes it again (−1).
 */
export function entryMoveOf(event: EntryMovingEvent): { kind: LedgerEntryKind; sign: 1n | -1n } {
  switch (event.type) {
    case ProjectEventType.pledged:
      return { kind: 'pledge', sign: 1n };
    case ProjectEventType.received:
      return { kind: 'receipt', sign: 1n };
    case ProjectEventType.disbursed:
      return { kind: 'payment', sign: 1n };
    case ProjectEventType.treasuryPaid:
      return { kind: 'treasury_payment', sign: 1n };
    case ProjectEventType.reversed:
      return { kind: event.data.entryKind, sign: -1n };
    case ProjectEventType.reversalReversed:
      return { kind: event.data.entryKind, sign: event.data.restores ? 1n : -1n };
    default:
      return assertNever(event, 'event');
  }
}
export interface EntryReversed {
  projectId: string;
  reversalId: string;
  entryId: string;
  entryKind: LedgerEntryKind;
  source: string;
  /** For a receipt drawn on a pledge: that pledge, whose remaining amount grows back. */
  pledgeId?: string;
  lineId?: string;
  /** For a receipt or payment on a fund-batch allocation: that allocation and its batch. */
  allocationId?: string;
  batchId?: string;
  amount: string;
  /** True when this reversal brings what remains of the entry to zero. */
  full: boolean;
  reason: string;
  reversedOn: string;
}

/**
 * A reversal reversed: a wrong correction undone, part or all of it. A reversal is an entry like
 * any other, so it can be reversed, and so can that one: `restores` says which way the money goes.
 * Undoing a reversal that took money back (`restores: true`) gives back to the entry what it took,
 * as if that part of the entry had been booked again on `reversedOn`; undoing such an undo takes
 * it back again. `entryId` and the fields after it name the pledge, receipt or payment at the root
 * of the chain, whose figures change, as in `entry-reversed.v1`.
 */
export interface ReversalReversed extends EntryReversed {
  /** The reversal this one reverses (an `entry-reversed.v1` or another `reversal-reversed.v1`). */
  reversedReversalId: string;
  /** True: gives back to the entry what the reversed reversal took; false: takes back what it gave. */
  restores: boolean;
}

/**
 * The project's copy of an allocation made in a fund batch (`fundbatch-<batchId>`, where the
 * batch's own total is enforced). Receipts that name the allocation are checked against this copy,
 * inside the project stream. Written after the batch's `funds-allocated.v1`.
 */
export interface AllocationRecorded {
  projectId: string;
  batchId: string;
  allocationId: string;
  source: string;
  program?: string;
  docNo: string;
  /** The batch's fiscal year. */
  fiscalYear: number;
  amount: string;
  allocatedOn: string;
}
/**
 * Part or all of an allocation given back, before the batch's `allocation-reversed.v1` (so the
 * project never has less allocation than its receipts drew). `reversalId` is the batch's.
 */
export interface AllocationReleased {
  projectId: string;
  batchId: string;
  allocationId: string;
  reversalId: string;
  amount: string;
  /** True when nothing of the allocation remains. */
  full: boolean;
  reason: string;
  releasedOn: string;
}

/** One unit of the household register (a 户: one flat, shop or other unit with its own title). */
export interface HouseholdEntry {
  householdId: string;
  building: string;
  unit: string;
  floor: number;
  room: string;
  /** m², two decimals ("72.15"): the registered building area (建筑面积). */
  buildingArea: string;
  /** m², two decimals: the exclusive area (专有部分面积), where recorded. */
  exclusiveArea?: string;
  tenure?: string;
  /** The street office's opaque key for the owner: one owner of several units has one key. No names, no ID numbers. */
  ownerKey: string;
}
/** Households entered in the register, all of one request (all or nothing). */
export interface HouseholdsRegistered {
  projectId: string;
  households: HouseholdEntry[];
}
/**
 * A household's facts corrected (an area measured again, a wrong floor): the fields given are the
 * new values. Plans and votes recorded before keep the figures they were decided on.
 */
export interface HouseholdCorrected {
  projectId: string;
  householdId: string;
  building?: string;
  unit?: string;
  floor?: number;
  room?: string;
  buildingArea?: string;
  exclusiveArea?: string;
  tenure?: string;
  ownerKey?: string;
  reason: string;
}

/**
 * The households a vote or a plan covers, as chosen (`all`, a `building`, a building's `unit`, or
 * a list) and as they were on that day: `householdIds`, ascending.
 */
export interface ScopeRecord {
  all?: boolean;
  building?: string;
  unit?: string;
  householdIds: string[];
}

/** A figure of a vote's group: units, owners (heads: one ownerKey counts once) and area in m². */
export interface VoteCountRecord {
  units: number;
  owners: number;
  area: string;
}
/** A bound of the rule: 2/3, whether reaching it is enough (以上, inclusive) or it must be passed (过半数), "≥ 2/3". */
export interface ThresholdRecord {
  num: string;
  den: string;
  inclusive: boolean;
  text: string;
}
export interface ThresholdPairRecord {
  area: ThresholdRecord;
  owners: ThresholdRecord;
}
/**
 * A part of a whole, exact: `num` over `den` as integers (areas in hundredths of a m², heads),
 * `display` "480.00/720.00" or "8/12", and a percent rounded half up, to read only.
 */
export interface FractionRecord {
  num: string;
  den: string;
  display: string;
  percent: string | null;
}
/** The figures of a vote as the ledger computed them (owner-votes.ts), kept for audit. */
export interface VoteTallyRecord {
  rule: { ruleId: string; effectiveFrom: string; citation: string; quote: string };
  scope: VoteCountRecord;
  participating: VoteCountRecord;
  agreeing: VoteCountRecord;
  quorum: { required: ThresholdPairRecord | null; area: FractionRecord; owners: FractionRecord; met: boolean };
  approval: {
    base: 'participants' | 'scope';
    required: ThresholdPairRecord;
    area: FractionRecord;
    owners: FractionRecord;
    met: boolean;
  };
  passed: boolean;
}
export interface BallotRecord {
  householdId: string;
  choice: string;
}
/** An owners' vote (民法典 第二百七十八条), its ballots and its tally. */
export interface OwnerVoteRecorded {
  projectId: string;
  voteId: string;
  /** fund_use, fund_raise, alteration, common_parts or other (owner-votes.ts). */
  matter: string;
  heldOn: string;
  scope: ScopeRecord;
  /** Ascending by householdId. */
  ballots: BallotRecord[];
  tally: VoteTallyRecord;
}

/** A plan's key as adopted (a custom key's weights are its shares' weights). */
export interface CostShareKeyRecord {
  kind: string;
  /** floor_coefficient: the coefficient of each floor ("3": "0.7"), agreed per plan. */
  coefficients?: Record<string, string>;
  /** floor_coefficient: the area the coefficients multiply. */
  basis?: string;
}
/** A household's part of a plan: its weight in the key's unit (exact decimal) and its share. */
export interface ShareRecord {
  householdId: string;
  weight: string;
  share: string;
}
/**
 * A cost-sharing plan adopted: `amount` split over the scope's households by `key`, exactly
 * (domain.md R-CS5). The shares as decided are recorded, ascending by householdId, and sum to
 * `amount`; a later correction of the register does not change them.
 */
export interface CostSharePlanAdopted {
  projectId: string;
  planId: string;
  lineIds: string[];
  amount: string;
  scope: ScopeRecord;
  key: CostShareKeyRecord;
  /** Households of the scope that pay nothing. */
  exempt?: string[];
  /** The owners' vote that binds the plan (an alteration vote for an elevator). */
  voteId?: string;
  shares: ShareRecord[];
}

// ---------------------------------------------------------------------------------------------
// the project's life (domain.md §2; lifecycle.ts decides them): one event per milestone, each with
// its business date, the documents it rests on (`docRefs`: document numbers) and its own id. The
// actor is the event's metadata, as on every event.

export const MILESTONE_KINDS = [
  'consultation',
  'publicity',
  'joint_review',
  'land_procedure',
  'planning_permit',
  'drawing_review',
  'construction_permit',
  'tender',
  'contract',
  'construction_started',
  'construction_completed',
  'joint_acceptance',
  'acceptance_report_filed',
  'handover',
  'management_model',
] as const;
export type MilestoneKind = (typeof MILESTONE_KINDS)[number];

/** The four determinations: a permit number, or an exemption of the seed with the facts it rests on. */
export const DETERMINATION_KINDS = [
  'land_procedure',
  'planning_permit',
  'drawing_review',
  'construction_permit',
] as const;
export type DeterminationKind = (typeof DETERMINATION_KINDS)[number];

/** 业主大会 / 问卷 / 入户走访 / 公开征求意见 (三(一)). */
export const CONSULTATION_METHODS = ['owners_assembly', 'questionnaire', 'door_to_door', 'public_comment'] as const;
export const REVIEW_RESULTS = ['passed', 'failed'] as const;
export type ReviewResult = (typeof REVIEW_RESULTS)[number];
/** 公开招标 / 邀请招标 / 竞争性谈判 / 竞争性磋商 / 询价 / 直接发包 (below the thresholds that compel a tender). */
export const TENDER_METHODS = [
  'open_tender',
  'invited_tender',
  'competitive_negotiation',
  'competitive_consultation',
  'price_inquiry',
  'direct_award',
] as const;
/** 市政公用设施设备 / 业主专有部位 / 业主共有部位 (三(四)3). */
export const HANDOVER_PARTS = ['municipal_public', 'owner_exclusive', 'owner_common'] as const;
/** 引进专业物业服务企业 / 组建社区物业服务中心 / 居民自治管理 (二(三)). */
export const MANAGEMENT_MODELS = ['property_company', 'community_property_centre', 'resident_self_governance'] as const;
export const FEE_BASES = ['per_m2_month', 'per_household_month'] as const;

interface MilestoneBase {
  projectId: string;
  /** Unique among the project's milestones. */
  milestoneId: string;
  /** Document numbers the milestone rests on (会议纪要, 公示照片, 审查意见, 许可证, 合同…). */
  docRefs: string[];
}

export interface ResidentConsultationHeld extends MilestoneBase {
  heldOn: string;
  method: (typeof CONSULTATION_METHODS)[number];
  householdsReached: number;
  householdsSupporting: number;
  /** 街道办事处 or 社区（居委会）. */
  organiser?: string;
}
export interface ContentPublicized extends MilestoneBase {
  subject: string;
  startDate: string;
  endDate: string;
  channels: string[];
  objections: { received: number; summary?: string };
  /** The publicity-minimum rule the length was held to; null when none was in force on startDate. */
  ruleId: string | null;
}
export interface JointReviewCompleted extends MilestoneBase {
  reviewedOn: string;
  /** Unit codes (lifecycle.rules.ts REVIEW_UNITS). */
  lead: string;
  reviewers: string[];
  result: ReviewResult;
  /** The review opinion (审查意见) document. */
  opinionRef: string;
  /** The joint-review rule its composition was held to; null when none was in force. */
  ruleId: string | null;
}
/** What an exemption rests on (each exemption needs some of them; lifecycle.ts says which). */
export interface PermitFacts {
  /** m², a decimal string ("0.00" when none is added). */
  addedArea?: string;
  /** The works' investment (工程投资额), CNY. */
  investment?: string;
  structureChanged?: boolean;
  /** High-risk works (lifecycle.rules.ts HAZARDS): 高边坡, 深基坑, 高填方, 高空作业, 重物吊装. */
  hazards?: string[];
  /** The construction unit's written commitment (告知承诺) was made. */
  commitmentMade?: boolean;
  newConstructionLand?: boolean;
  independentLandUse?: boolean;
  landRightChange?: boolean;
  affectsEvacuation?: boolean;
  /** Changes the registered attributes (房屋登记属性) of a unit. */
  changesRegisteredUse?: boolean;
  withinProjectLand?: boolean;
  affectsNeighbours?: boolean;
  /** Changes a fire lane or a rescue ground (消防通道、扑救场地). */
  changesFireAccess?: boolean;
}
/** A land procedure, planning permit, drawing review or construction permit determined. */
export interface PermitDetermined extends MilestoneBase {
  determinedOn: string;
  /** The permit, certificate or opinion number; absent when exempt. */
  permitNo?: string;
  /** The exemption's code (the rule's `settings.exemptions`); absent when a permit was issued. */
  exemption?: string;
  facts: PermitFacts;
  /** The exemption rule that allowed it; null for a permit. */
  ruleId: string | null;
}
export interface TenderAwarded extends MilestoneBase {
  awardedOn: string;
  method: (typeof TENDER_METHODS)[number];
  winner: string;
  amount: string;
}
export interface ContractSigned extends MilestoneBase {
  signedOn: string;
  contractId: string;
  /** An organisation: its name and 统一社会信用代码 (GB 32100-2015, check digit verified). */
  payee: { name: string; creditCode: string };
  amount: string;
  /** Percent, decimal strings with at most two decimals. */
  paymentTerms: { progressPaymentCapPercent: string; retentionPercent: string };
  smallOrMediumEnterprise?: boolean;
}
export interface ConstructionStarted extends MilestoneBase {
  startedOn: string;
}
export interface ConstructionCompleted extends MilestoneBase {
  completedOn: string;
}
export interface JointAcceptanceHeld extends MilestoneBase {
  acceptedOn: string;
  lead: string;
  /** Participant codes (lifecycle.rules.ts ACCEPTANCE_PARTICIPANTS), resident representatives among them. */
  participants: string[];
  result: ReviewResult;
  opinionRef?: string;
  /** The joint-acceptance rule its participants were held to; null when none was in force. */
  ruleId: string | null;
}
export interface AcceptanceReportFiled extends MilestoneBase {
  filedOn: string;
  /** The joint acceptance that passed, whose date starts the period. */
  acceptanceId: string;
  acceptedOn: string;
  /** The last day to file (rest-days.ts deadlineAfter), and whether `filedOn` is after it: recorded, never refused. */
  deadline: string;
  /** The calendar lacked a year the period reaches: the deadline was counted by weekends alone (rest-days.ts). */
  deadlineProvisional?: boolean;
  late: boolean;
  /** The filing rule in force on `acceptedOn`. */
  ruleId: string;
}
export interface HandoverPart {
  part: (typeof HANDOVER_PARTS)[number];
  receivingParty: string;
  scope?: string;
}
export interface AssetsHandedOver extends MilestoneBase {
  handedOverOn: string;
  parts: HandoverPart[];
}
export interface ManagementModelAgreed extends MilestoneBase {
  agreedOn: string;
  model: (typeof MANAGEMENT_MODELS)[number];
  unit: string;
  scope: string;
  standard: string;
  fee?: { amount: string; basis: (typeof FEE_BASES)[number] };
}

export type ProjectEvent =
  | DomainEvent<typeof ProjectEventType.registered, ProjectRegistered>
  | DomainEvent<typeof ProjectEventType.approved, ProjectApproved>
  | DomainEvent<typeof ProjectEventType.budgetLineAdded, BudgetLineAdded>
  | DomainEvent<typeof ProjectEventType.pledged, FundingPledged>
  | DomainEvent<typeof ProjectEventType.received, FundsReceived>
  | DomainEvent<typeof ProjectEventType.disbursed, FundsDisbursed>
  | DomainEvent<typeof ProjectEventType.treasuryPaid, TreasuryPaymentMade>
  | DomainEvent<typeof ProjectEventType.reversed, EntryReversed>
  | DomainEvent<typeof ProjectEventType.reversalReversed, ReversalReversed>
  | DomainEvent<typeof ProjectEventType.allocationRecorded, AllocationRecorded>
  | DomainEvent<typeof ProjectEventType.allocationReleased, AllocationReleased>
  | DomainEvent<typeof ProjectEventType.householdsRegistered, HouseholdsRegistered>
  | DomainEvent<typeof ProjectEventType.householdCorrected, HouseholdCorrected>
  | DomainEvent<typeof ProjectEventType.ownerVoteRecorded, OwnerVoteRecorded>
  | DomainEvent<typeof ProjectEventType.costSharePlanAdopted, CostSharePlanAdopted>
  | MilestoneEvent;

/** The event of each milestone kind. */
export const MILESTONE_EVENT_TYPES = {
  consultation: ProjectEventType.consultationHeld,
  publicity: ProjectEventType.contentPublicized,
  joint_review: ProjectEventType.jointReviewCompleted,
  land_procedure: ProjectEventType.landProcedureDetermined,
  planning_permit: ProjectEventType.planningPermitDetermined,
  drawing_review: ProjectEventType.drawingReviewDetermined,
  construction_permit: ProjectEventType.constructionPermitDetermined,
  tender: ProjectEventType.tenderAwarded,
  contract: ProjectEventType.contractSigned,
  construction_started: ProjectEventType.constructionStarted,
  construction_completed: ProjectEventType.constructionCompleted,
  joint_acceptance: ProjectEventType.jointAcceptanceHeld,
  acceptance_report_filed: ProjectEventType.acceptanceReportFiled,
  handover: ProjectEventType.assetsHandedOver,
  management_model: ProjectEventType.managementModelAgreed,
} as const satisfies Record<MilestoneKind, string>;

/** A milestone event's data, by its type. */
type MilestoneData = { [E in MilestoneEvent as E['type']]: E['data'] };
type MilestoneType = keyof MilestoneData;
/** The fields of `D` that hold a string: the ones a business date can be. */
type TextFields<D> = { [F in keyof D]-?: D[F] extends string ? F : never }[keyof D];

/**
 * The business date of each kind of milestone: the day it happened, by which its rules judge it
 * (and the field a client sends it in). Typed so that a name that is not a text field of the
 * kind's event fails to compile.
 */
export const MILESTONE_DATE_FIELDS = {
  consultation: 'heldOn',
  publicity: 'startDate',
  joint_review: 'reviewedOn',
  land_procedure: 'determinedOn',
  planning_permit: 'determinedOn',
  drawing_review: 'determinedOn',
  construction_permit: 'determinedOn',
  tender: 'awardedOn',
  contract: 'signedOn',
  construction_started: 'startedOn',
  construction_completed: 'completedOn',
  joint_acceptance: 'acceptedOn',
  acceptance_report_filed: 'filedOn',
  handover: 'handedOverOn',
  management_model: 'agreedOn',
} as const satisfies { [K in MilestoneKind]: TextFields<MilestoneData[(typeof MILESTONE_EVENT_TYPES)[K]]> };

export type MilestoneEvent =
  | DomainEvent<typeof ProjectEventType.consultationHeld, ResidentConsultationHeld>
  | DomainEvent<typeof ProjectEventType.contentPublicized, ContentPublicized>
  | DomainEvent<typeof ProjectEventType.jointReviewCompleted, JointReviewCompleted>
  | DomainEvent<typeof ProjectEventType.landProcedureDetermined, PermitDetermined>
  | DomainEvent<typeof ProjectEventType.planningPermitDetermined, PermitDetermined>
  | DomainEvent<typeof ProjectEventType.drawingReviewDetermined, PermitDetermined>
  | DomainEvent<typeof ProjectEventType.constructionPermitDetermined, PermitDetermined>
  | DomainEvent<typeof ProjectEventType.tenderAwarded, TenderAwarded>
  | DomainEvent<typeof ProjectEventType.contractSigned, ContractSigned>
  | DomainEvent<typeof ProjectEventType.constructionStarted, ConstructionStarted>
  | DomainEvent<typeof ProjectEventType.constructionCompleted, ConstructionCompleted>
  | DomainEvent<typeof ProjectEventType.jointAcceptanceHeld, JointAcceptanceHeld>
  | DomainEvent<typeof ProjectEventType.acceptanceReportFiled, AcceptanceReportFiled>
  | DomainEvent<typeof ProjectEventType.assetsHandedOver, AssetsHandedOver>
  | DomainEvent<typeof ProjectEventType.managementModelAgreed, ManagementModelAgreed>;

const MILESTONE_TYPE_SET: ReadonlySet<string> = new Set(Object.values(MILESTONE_EVENT_TYPES));
export function isMilestoneEvent(e: { readonly type: string }): e is MilestoneEvent {
  return MILESTONE_TYPE_SET.has(e.type);
}

export function isMilestoneKind(kind: unknown): kind is MilestoneKind {
  return typeof kind === 'string' && (MILESTONE_KINDS as readonly string[]).includes(kind);
}

const KIND_OF_TYPE: ReadonlyMap<string, MilestoneKind> = new Map(
  (Object.entries(MILESTONE_EVENT_TYPES) as [MilestoneKind, string][]).map(([kind, type]) => [type, kind]),
);

/** Each milestone event's business date, read from its own data (the field MILESTONE_DATE_FIELDS names for its kind). */
const DATE_OF: { [T in MilestoneType]: (d: MilestoneData[T]) => string } = {
  [ProjectEventType.consultationHeld]: (d) => d.heldOn,
  [ProjectEventType.contentPublicized]: (d) => d.startDate,
  [ProjectEventType.jointReviewCompleted]: (d) => d.reviewedOn,
  [ProjectEventType.landProcedureDetermined]: (d) => d.determinedOn,
  [ProjectEventType.planningPermitDetermined]: (d) => d.determinedOn,
  [ProjectEventType.drawingReviewDetermined]: (d) => d.determinedOn,
  [ProjectEventType.constructionPermitDetermined]: (d) => d.determinedOn,
  [ProjectEventType.tenderAwarded]: (d) => d.awardedOn,
  [ProjectEventType.contractSigned]: (d) => d.signedOn,
  [ProjectEventType.constructionStarted]: (d) => d.startedOn,
  [ProjectEventType.constructionCompleted]: (d) => d.completedOn,
  [ProjectEventType.jointAcceptanceHeld]: (d) => d.acceptedOn,
  [ProjectEventType.acceptanceReportFiled]: (d) => d.filedOn,
  [ProjectEventType.assetsHandedOver]: (d) => d.handedOverOn,
  [ProjectEventType.managementModelAgreed]: (d) => d.agreedOn,
};

/** A milestone event's kind and business date. */
export function milestoneOf<T extends MilestoneType>(e: {
  type: T;
  data: MilestoneData[T];
}): {
  kind: MilestoneKind;
  on: string;
} {
  const kind = KIND_OF_TYPE.get(e.type)!;
  return { kind, on: DATE_OF[e.type](e.data) };
}

export const projectStreamId = (projectId: string): string => `project-${projectId}`;

// ---------------------------------------------------------------------------------------------
// reading them back: one parser per current type (see event-registry.ts for adding a version)

const sourceDetails: Check<SourceDetails> = recordOf(string);

/** The fields of `funds-disbursed.v1` but its allocation, which `treasury-payment-made.v1` has too (and requires). */
const paymentFields = {
  projectId: string,
  paymentId: string,
  source: string,
  lineId: string,
  amount: decimalAmount,
  payee: string,
  voucher: string,
  paidOn: string,
  fiscalYear: integer,
  carriedOver: optional(boolean),
};

/** The fields of `entry-reversed.v1`, which `reversal-reversed.v1` has too. */
const reversalFields: { [K in keyof Required<EntryReversed>]: Check<EntryReversed[K]> } = {
  projectId: string,
  reversalId: string,
  entryId: string,
  entryKind: oneOf(ENTRY_KINDS),
  source: string,
  pledgeId: optional(string),
  lineId: optional(string),
  allocationId: optional(string),
  batchId: optional(string),
  amount: decimalAmount,
  full: boolean,
  reason: string,
  reversedOn: string,
};

const scopeRecord = shape<ScopeRecord>({
  all: optional(boolean),
  building: optional(string),
  unit: optional(string),
  householdIds: arrayOf(string),
});
const voteCount = shape<VoteCountRecord>({ units: integer, owners: integer, area: decimalAmount });
const threshold = shape<ThresholdRecord>({ num: string, den: string, inclusive: boolean, text: string });
const thresholdPair = shape<ThresholdPairRecord>({ area: threshold, owners: threshold });
const nullableThresholdPair: Check<ThresholdPairRecord | null> = (v) => (v === null ? null : thresholdPair(v));
const fraction = shape<FractionRecord>({
  num: string,
  den: string,
  display: string,
  percent: (v) => (v === null ? null : string(v)),
});
const voteTally = shape<VoteTallyRecord>({
  rule: shape<VoteTallyRecord['rule']>({ ruleId: string, effectiveFrom: string, citation: string, quote: string }),
  scope: voteCount,
  participating: voteCount,
  agreeing: voteCount,
  quorum: shape<VoteTallyRecord['quorum']>({
    required: nullableThresholdPair,
    area: fraction,
    owners: fraction,
    met: boolean,
  }),
  approval: shape<VoteTallyRecord['approval']>({
    base: oneOf(['participants', 'scope']),
    required: thresholdPair,
    area: fraction,
    owners: fraction,
    met: boolean,
  }),
  passed: boolean,
});

/** The fields of `project-registered.v1`, which v2 keeps. */
const registeredV1Fields: { [K in keyof Required<ProjectRegisteredV1>]: Check<ProjectRegisteredV1[K]> } = {
  projectId: string,
  name: string,
  community: string,
  town: string,
  builtYear: integer,
  buildingArea: number,
  households: integer,
};

/** `null` or what `check` takes. */
function nullable<T>(check: Check<T>): Check<T | null> {
  return (v) => (v === null ? null : check(v));
}

/**
 * The superseded versions. A v1 registration gets the basis the seed's scope gives its build
 * year, without a justification (none was asked then); a v1 approval keeps its path and records
 * that neither the infrastructure nor a rule was known when it was written.
 */
const UPCASTERS = {
  'project-registered.v1': upcaster(
    shape<ProjectRegisteredV1>(registeredV1Fields),
    ProjectEventType.registered,
    (old) => ({
      ...old,
      eligibility: eligibilityOf(old.builtYear, undefined),
    }),
  ),
  'project-approved.v1': upcaster(
    shape<ProjectApprovedV1>({
      projectId: string,
      approvedInvestment: decimalAmount,
      approvalPath: oneOf(['plan_review', 'merged_fsr']),
      docNo: string,
      approvedOn: string,
      reapproval: boolean,
    }),
    ProjectEventType.approved,
    (old) => ({ ...old, involvesIndependentInfrastructure: null, ruleId: null }),
  ),
};

const milestoneBase = { projectId: string, milestoneId: string, docRefs: arrayOf(string) };
const nullableRuleId = nullable(string);
const permitDetermined = shape<PermitDetermined>({
  ...milestoneBase,
  determinedOn: string,
  permitNo: optional(string),
  exemption: optional(string),
  facts: shape<PermitFacts>({
    addedArea: optional(string),
    investment: optional(decimalAmount),
    structureChanged: optional(boolean),
    hazards: optional(arrayOf(string)),
    commitmentMade: optional(boolean),
    newConstructionLand: optional(boolean),
    independentLandUse: optional(boolean),
    landRightChange: optional(boolean),
    affectsEvacuation: optional(boolean),
    changesRegisteredUse: optional(boolean),
    withinProjectLand: optional(boolean),
    affectsNeighbours: optional(boolean),
    changesFireAccess: optional(boolean),
  }),
  ruleId: nullableRuleId,
});

function milestoneParsers() {
  return {
    [ProjectEventType.consultationHeld]: shape<ResidentConsultationHeld>({
      ...milestoneBase,
      heldOn: string,
      method: oneOf(CONSULTATION_METHODS),
      householdsReached: integer,
      householdsSupporting: integer,
      organiser: optional(string),
    }),
    [ProjectEventType.contentPublicized]: shape<ContentPublicized>({
      ...milestoneBase,
      subject: string,
      startDate: string,
      endDate: string,
      channels: arrayOf(string),
      objections: shape<ContentPublicized['objections']>({ received: integer, summary: optional(string) }),
      ruleId: nullableRuleId,
    }),
    [ProjectEventType.jointReviewCompleted]: shape<JointReviewCompleted>({
      ...milestoneBase,
      reviewedOn: string,
      lead: string,
      reviewers: arrayOf(string),
      result: oneOf(REVIEW_RESULTS),
      opinionRef: string,
      ruleId: nullableRuleId,
    }),
    [ProjectEventType.landProcedureDetermined]: permitDetermined,
    [ProjectEventType.planningPermitDetermined]: permitDetermined,
    [ProjectEventType.drawingReviewDetermined]: permitDetermined,
    [ProjectEventType.constructionPermitDetermined]: permitDetermined,
    [ProjectEventType.tenderAwarded]: shape<TenderAwarded>({
      ...milestoneBase,
      awardedOn: string,
      method: oneOf(TENDER_METHODS),
      winner: string,
      amount: decimalAmount,
    }),
    [ProjectEventType.contractSigned]: shape<ContractSigned>({
      ...milestoneBase,
      signedOn: string,
      contractId: string,
      payee: shape<ContractSigned['payee']>({ name: string, creditCode: string }),
      amount: decimalAmount,
      paymentTerms: shape<ContractSigned['paymentTerms']>({
        progressPaymentCapPercent: string,
        retentionPercent: string,
      }),
      smallOrMediumEnterprise: optional(boolean),
    }),
    [ProjectEventType.constructionStarted]: shape<ConstructionStarted>({ ...milestoneBase, startedOn: string }),
    [ProjectEventType.constructionCompleted]: shape<ConstructionCompleted>({ ...milestoneBase, completedOn: string }),
    [ProjectEventType.jointAcceptanceHeld]: shape<JointAcceptanceHeld>({
      ...milestoneBase,
      acceptedOn: string,
      lead: string,
      participants: arrayOf(string),
      result: oneOf(REVIEW_RESULTS),
      opinionRef: optional(string),
      ruleId: nullableRuleId,
    }),
    [ProjectEventType.acceptanceReportFiled]: shape<AcceptanceReportFiled>({
      ...milestoneBase,
      filedOn: string,
      acceptanceId: string,
      acceptedOn: string,
      deadline: string,
      deadlineProvisional: optional(boolean),
      late: boolean,
      ruleId: string,
    }),
    [ProjectEventType.assetsHandedOver]: shape<AssetsHandedOver>({
      ...milestoneBase,
      handedOverOn: string,
      parts: arrayOf(
        shape<HandoverPart>({ part: oneOf(HANDOVER_PARTS), receivingParty: string, scope: optional(string) }),
      ),
    }),
    [ProjectEventType.managementModelAgreed]: shape<ManagementModelAgreed>({
      ...milestoneBase,
      agreedOn: string,
      model: oneOf(MANAGEMENT_MODELS),
      unit: string,
      scope: string,
      standard: string,
      fee: optional(
        shape<NonNullable<ManagementModelAgreed['fee']>>({ amount: decimalAmount, basis: oneOf(FEE_BASES) }),
      ),
    }),
  };
}

export const projectEvents = new EventRegistry<ProjectEvent>(
  'project',
  {
    [ProjectEventType.registered]: shape<ProjectRegistered>({
      ...registeredV1Fields,
      conditionJustification: optional(string),
      eligibility: shape<EligibilityRecord>({
        basis: oneOf(ELIGIBILITY_BASES),
        ruleId: string,
        withinScope: boolean,
        reason: string,
      }),
    }),
    [ProjectEventType.approved]: shape<ProjectApproved>({
      projectId: string,
      approvedInvestment: decimalAmount,
      approvalPath: oneOf(APPROVAL_PATHS),
      involvesIndependentInfrastructure: nullable(boolean),
      ruleId: nullable(string),
      jointReviewId: optional(string),
      docNo: string,
      approvedOn: string,
      reapproval: boolean,
    }),
    [ProjectEventType.budgetLineAdded]: shape<BudgetLineAdded>({
      projectId: string,
      lineId: string,
      category: string,
      item: string,
      utility: optional(string),
      estimatedCost: decimalAmount,
      budgetTotal: decimalAmount,
      reapprovalRequired: boolean,
    }),
    [ProjectEventType.pledged]: shape<FundingPledged>({
      projectId: string,
      pledgeId: string,
      source: string,
      amount: decimalAmount,
      payer: string,
      fiscalYear: integer,
      pledgedOn: string,
      lineId: optional(string),
      details: sourceDetails,
    }),
    [ProjectEventType.received]: shape<FundsReceived>({
      projectId: string,
      receiptId: string,
      source: string,
      amount: decimalAmount,
      payer: string,
      reference: string,
      receivedOn: string,
      fiscalYear: integer,
      pledgeId: optional(string),
      lineId: optional(string),
      allocationId: optional(string),
      batchId: optional(string),
      details: sourceDetails,
      planId: optional(string),
      voteId: optional(string),
      emergency: optional(boolean),
      emergencyReason: optional(string),
    }),
    [ProjectEventType.disbursed]: shape<FundsDisbursed>({
      ...paymentFields,
      allocationId: optional(string),
      batchId: optional(string),
    }),
    [ProjectEventType.treasuryPaid]: shape<TreasuryPaymentMade>({
      ...paymentFields,
      allocationId: string,
      batchId: string,
    }),
    [ProjectEventType.reversed]: shape<EntryReversed>(reversalFields),
    [ProjectEventType.reversalReversed]: shape<ReversalReversed>({
      ...reversalFields,
      reversedReversalId: string,
      restores: boolean,
    }),
    [ProjectEventType.allocationRecorded]: shape<AllocationRecorded>({
      projectId: string,
      batchId: string,
      allocationId: string,
      source: string,
      program: optional(string),
      docNo: string,
      fiscalYear: integer,
      amount: decimalAmount,
      allocatedOn: string,
    }),
    [ProjectEventType.allocationReleased]: shape<AllocationReleased>({
      projectId: string,
      batchId: string,
      allocationId: string,
      reversalId: string,
      amount: decimalAmount,
      full: boolean,
      reason: string,
      releasedOn: string,
    }),
    [ProjectEventType.householdsRegistered]: shape<HouseholdsRegistered>({
      projectId: string,
      households: arrayOf(
        shape<HouseholdEntry>({
          householdId: string,
          building: string,
          unit: string,
          floor: integer,
          room: string,
          buildingArea: decimalAmount,
          exclusiveArea: optional(decimalAmount),
          tenure: optional(string),
          ownerKey: string,
        }),
      ),
    }),
    [ProjectEventType.householdCorrected]: shape<HouseholdCorrected>({
      projectId: string,
      householdId: string,
      building: optional(string),
      unit: optional(string),
      floor: optional(integer),
      room: optional(string),
      buildingArea: optional(decimalAmount),
      exclusiveArea: optional(decimalAmount),
      tenure: optional(string),
      ownerKey: optional(string),
      reason: string,
    }),
    [ProjectEventType.ownerVoteRecorded]: shape<OwnerVoteRecorded>({
      projectId: string,
      voteId: string,
      matter: string,
      heldOn: string,
      scope: scopeRecord,
      ballots: arrayOf(shape<BallotRecord>({ householdId: string, choice: string })),
      tally: voteTally,
    }),
    [ProjectEventType.costSharePlanAdopted]: shape<CostSharePlanAdopted>({
      projectId: string,
      planId: string,
      lineIds: arrayOf(string),
      amount: decimalAmount,
      scope: scopeRecord,
      key: shape<CostShareKeyRecord>({
        kind: string,
        coefficients: optional(recordOf(string)),
        basis: optional(string),
      }),
      exempt: optional(arrayOf(string)),
      voteId: optional(string),
      shares: arrayOf(shape<ShareRecord>({ householdId: string, weight: string, share: decimalAmount })),
    }),
    ...milestoneParsers(),
  },
  UPCASTERS,
);
