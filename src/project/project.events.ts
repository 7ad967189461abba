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
import { EventRegistry } from '../shared/domain/event-registry';
import { ApprovalPath } from './renovation-content';

export const ProjectEventType = {
  registered: 'project-registered.v1',
  approved: 'project-approved.v1',
  budgetLineAdded: 'budget-line-added.v1',
  pledged: 'funding-pledged.v1',
  received: 'funds-received.v1',
  disbursed: 'funds-disbursed.v1',
  reversed: 'entry-reversed.v1',
  reversalReversed: 'reversal-reversed.v1',
  allocationRecorded: 'allocation-recorded.v1',
  allocationReleased: 'allocation-released.v1',
  householdsRegistered: 'households-registered.v1',
  householdCorrected: 'household-corrected.v1',
  ownerVoteRecorded: 'owner-vote-recorded.v1',
  costSharePlanAdopted: 'cost-share-plan-adopted.v1',
} as const;

/** Sub-fields of a funding source (householdId, utility, program, donorKind, ...), see funding-sources.ts. */
export type SourceDetails = Record<string, string>;

export interface ProjectRegistered {
  projectId: string;
  name: string;
  community: string;
  town: string;
  builtYear: number;
  buildingArea: number;
  households: number;
}
export interface ProjectApproved {
  projectId: string;
  approvedInvestment: string;
  approvalPath: ApprovalPath;
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
  /** The fund-batch allocation spent, and its batch. */
  allocationId?: string;
  batchId?: string;
}
export const ENTRY_KINDS = ['pledge', 'receipt', 'payment'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];
export interface EntryReversed {
  projectId: string;
  reversalId: string;
  entryId: string;
  entryKind: EntryKind;
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

export type ProjectEvent =
  | DomainEvent<typeof ProjectEventType.registered, ProjectRegistered>
  | DomainEvent<typeof ProjectEventType.approved, ProjectApproved>
  | DomainEvent<typeof ProjectEventType.budgetLineAdded, BudgetLineAdded>
  | DomainEvent<typeof ProjectEventType.pledged, FundingPledged>
  | DomainEvent<typeof ProjectEventType.received, FundsReceived>
  | DomainEvent<typeof ProjectEventType.disbursed, FundsDisbursed>
  | DomainEvent<typeof ProjectEventType.reversed, EntryReversed>
  | DomainEvent<typeof ProjectEventType.reversalReversed, ReversalReversed>
  | DomainEvent<typeof ProjectEventType.allocationRecorded, AllocationRecorded>
  | DomainEvent<typeof ProjectEventType.allocationReleased, AllocationReleased>
  | DomainEvent<typeof ProjectEventType.householdsRegistered, HouseholdsRegistered>
  | DomainEvent<typeof ProjectEventType.householdCorrected, HouseholdCorrected>
  | DomainEvent<typeof ProjectEventType.ownerVoteRecorded, OwnerVoteRecorded>
  | DomainEvent<typeof ProjectEventType.costSharePlanAdopted, CostSharePlanAdopted>;

export const projectStreamId = (projectId: string): string => `project-${projectId}`;

// ---------------------------------------------------------------------------------------------
// reading them back: one parser per current type (see event-registry.ts for adding a version)

const APPROVAL_PATHS: readonly ApprovalPath[] = ['plan_review', 'merged_fsr'];
const sourceDetails: Check<SourceDetails> = recordOf(string);

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

export const projectEvents = new EventRegistry<ProjectEvent>('project', {
  [ProjectEventType.registered]: shape<ProjectRegistered>({
    projectId: string,
    name: string,
    community: string,
    town: string,
    builtYear: integer,
    buildingArea: number,
    households: integer,
  }),
  [ProjectEventType.approved]: shape<ProjectApproved>({
    projectId: string,
    approvedInvestment: decimalAmount,
    approvalPath: oneOf(APPROVAL_PATHS),
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
    projectId: string,
    paymentId: string,
    source: string,
    lineId: string,
    amount: decimalAmount,
    payee: string,
    voucher: string,
    paidOn: string,
    fiscalYear: integer,
    allocationId: optional(string),
    batchId: optional(string),
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
});
