/**
 * Events of the project stream (`project-<projectId>`). Amounts are CNY strings with two
 * decimals. A published version never changes: a breaking change is a new `.vN` with an upcaster
 * (how: event-registry.ts). `projectEvents` at the end reads them from the store.
 */
import {
  Check,
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
  details: SourceDetails;
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
  | DomainEvent<typeof ProjectEventType.allocationReleased, AllocationReleased>;

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
});
