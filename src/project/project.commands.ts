/**
 * Commands the project decider takes. Each names its project (`projectId`): the write path takes
 * the stream from the command, and the decider refuses any command but registration on a project
 * that is not registered. Amounts arrive as the client's strings and are parsed by the decider
 * itself, so a rule on money holds whatever door the command came through.
 */
import {
  AssetsHandedOver,
  ContentPublicized,
  ContractSigned,
  DeterminationKind,
  HouseholdCorrected,
  HouseholdEntry,
  JointAcceptanceHeld,
  JointReviewCompleted,
  ManagementModelAgreed,
  PermitFacts,
  ResidentConsultationHeld,
  SourceDetails,
  TenderAwarded,
} from './project.events';

export interface RegisterProject {
  type: 'RegisterProject';
  projectId: string;
  name: string;
  community: string;
  town: string;
  builtYear: number;
  buildingArea: number;
  households: number;
  /** For a community built 2001-2005: why its living conditions are poor (eligibility.ts). */
  conditionJustification?: string;
}
export interface ApproveProject {
  type: 'ApproveProject';
  projectId: string;
  approvedInvestment: string;
  docNo: string;
  approvedOn: string;
  /** Whether the project involves independent supporting infrastructure (功能独立配套基础设施). */
  involvesIndependentInfrastructure: boolean;
  /** The path asked for; absent, the ledger takes the one the rule in force allows. */
  path?: string;
}
export interface AddBudgetLine {
  type: 'AddBudgetLine';
  projectId: string;
  lineId: string;
  category: string;
  item: string;
  utility?: string;
  estimatedCost: string;
}
export interface PledgeFunding {
  type: 'PledgeFunding';
  projectId: string;
  pledgeId: string;
  source: string;
  amount: string;
  payer: string;
  fiscalYear: number;
  pledgedOn: string;
  lineId?: string;
  details: SourceDetails;
  /** The day the command is recorded (YYYY-MM-DD, UTC): pledgedOn may not be after it (date-in-future). */
  recordedOn: string;
}
export interface ReceiveFunds {
  type: 'ReceiveFunds';
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
  allocationId?: string;
  details: SourceDetails;
  /** The cost-sharing plan whose share of `details.householdId` the receipt pays. */
  planId?: string;
  /** A maintenance-fund receipt: the owners' `fund_use` vote that allows it. */
  voteId?: string;
  /** A maintenance-fund receipt without a vote, in an emergency (民法典 第二百八十一条), with its reason. */
  emergency?: boolean;
  emergencyReason?: string;
  /** The day (UTC, YYYY-MM-DD) the ledger records the receipt, by its own clock: no receipt is dated much later. */
  recordedOn: string;
}
export interface DisburseFunds {
  type: 'DisburseFunds';
  projectId: string;
  paymentId: string;
  source: string;
  lineId: string;
  amount: string;
  payee: string;
  voucher: string;
  paidOn: string;
  fiscalYear: number;
  allocationId?: string;
  /** The day (UTC, YYYY-MM-DD) the ledger records the payment, by its own clock: no payment is dated much later. */
  recordedOn: string;
}
/** A treasury direct payment (国库集中支付·直接支付): spends an allocation and pays the payee at once. */
export interface MakeTreasuryPayment {
  type: 'MakeTreasuryPayment';
  projectId: string;
  paymentId: string;
  allocationId: string;
  lineId: string;
  amount: string;
  payee: string;
  voucher: string;
  paidOn: string;
  /** Absent: the allocation's, while `paidOn` falls in it or in the carry-over year after it; else `paidOn`'s year. */
  fiscalYear?: number;
  recordedOn: string;
}
export interface ReverseEntry {
  type: 'ReverseEntry';
  projectId: string;
  reversalId: string;
  /** A pledge, receipt or payment, or a reversal (which undoes the correction it made). */
  entryId: string;
  /** Absent: reverse everything that remains of the entry. */
  amount?: string;
  reason: string;
  reversedOn: string;
}

/** The project's side of a fund-batch allocation (sent by the allocation flow, never by a client directly). */
export interface RecordAllocation {
  type: 'RecordAllocation';
  projectId: string;
  batchId: string;
  allocationId: string;
  source: string;
  program?: string;
  docNo: string;
  fiscalYear: number;
  amount: string;
  allocatedOn: string;
}
/** The project's side of reversing (part of) a fund-batch allocation; it goes first. */
export interface ReleaseAllocation {
  type: 'ReleaseAllocation';
  projectId: string;
  batchId: string;
  allocationId: string;
  reversalId: string;
  /** Absent: all that remains. */
  amount?: string;
  reason: string;
  releasedOn: string;
}

/** One household as a client sends it (the decider checks it; areas are decimal strings). */
export type HouseholdInput = HouseholdEntry;
/** A whole stairwell, building or community entered in the register at once: all or nothing. */
export interface RegisterHouseholds {
  type: 'RegisterHouseholds';
  projectId: string;
  households: HouseholdInput[];
}
/** New values for some of a household's facts, with the reason (as its event records them). */
export interface CorrectHousehold extends HouseholdCorrected {
  type: 'CorrectHousehold';
}

/**
 * Which households a vote or a plan covers: every household of the register (`all`), a
 * building, one unit (stairwell) of a building, or a list.
 */
export interface HouseholdScope {
  all?: boolean;
  building?: string;
  unit?: string;
  householdIds?: string[];
}
export interface RecordOwnerVote {
  type: 'RecordOwnerVote';
  projectId: string;
  voteId: string;
  matter: string;
  scope: HouseholdScope;
  heldOn: string;
  ballots: { householdId: string; choice: string }[];
  /** The day (UTC, YYYY-MM-DD) the ledger records the vote, by its own clock: no vote is held after it. */
  recordedOn: string;
}
export interface AdoptCostSharePlan {
  type: 'AdoptCostSharePlan';
  projectId: string;
  planId: string;
  lineIds: string[];
  amount: string;
  scope: HouseholdScope;
  /** See cost-sharing.ts: `{kind: 'building_area'}`, `{kind: 'floor_coefficient', coefficients, basis}`, ... */
  key: unknown;
  /** Households of the scope that pay nothing (their share is 0.00), e.g. the ground floor under an elevator plan. */
  exempt?: string[];
  voteId?: string;
}

/**
 * A milestone of the project's life as a client sends it (lifecycle.ts judges it): `kind` says
 * which, each with its business date and the documents it rests on. What the ledger derives (the
 * rule applied, a filing's deadline) is not sent.
 */
type Sent<E> = Omit<E, 'projectId' | 'ruleId'>;
export type MilestoneInput =
  | ({ kind: 'consultation' } & Sent<ResidentConsultationHeld>)
  | ({ kind: 'publicity' } & Sent<ContentPublicized>)
  | ({ kind: 'joint_review' } & Sent<JointReviewCompleted>)
  | ({ kind: DeterminationKind } & DeterminationInput)
  | ({ kind: 'tender' } & Sent<TenderAwarded>)
  | ({ kind: 'contract' } & Sent<ContractSigned>)
  | { kind: 'construction_started'; milestoneId: string; docRefs: string[]; startedOn: string }
  | { kind: 'construction_completed'; milestoneId: string; docRefs: string[]; completedOn: string }
  | ({ kind: 'joint_acceptance' } & Sent<JointAcceptanceHeld>)
  | { kind: 'acceptance_report_filed'; milestoneId: string; docRefs: string[]; filedOn: string }
  | ({ kind: 'handover' } & Sent<AssetsHandedOver>)
  | ({ kind: 'management_model' } & Sent<ManagementModelAgreed>);
export interface DeterminationInput {
  milestoneId: string;
  docRefs: string[];
  determinedOn: string;
  permitNo?: string;
  exemption?: string;
  facts?: PermitFacts;
}
export interface RecordMilestone {
  type: 'RecordMilestone';
  projectId: string;
  /**
   * As code builds it (MilestoneInput), or as the route received it, its kind's DTO having judged
   * its shape: lifecycle.ts parses either, field by field.
   */
  milestone: MilestoneInput | Readonly<Record<string, unknown>>;
  /** The day (UTC, YYYY-MM-DD) the ledger records it, by its own clock: no milestone is dated later. */
  recordedOn: string;
}

export type ProjectCommand =
  | RegisterProject
  | ApproveProject
  | AddBudgetLine
  | PledgeFunding
  | ReceiveFunds
  | DisburseFunds
  | MakeTreasuryPayment
  | ReverseEntry
  | RecordAllocation
  | ReleaseAllocation
  | RegisterHouseholds
  | CorrectHousehold
  | RecordOwnerVote
  | AdoptCostSharePlan
  | RecordMilestone;
