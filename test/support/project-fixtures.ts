/**
 * Builders for project events (the history a spec is given) and commands (what it is asked).
 * Each builder has plain defaults and takes overrides; the defaults of an event and of the
 * command that produces it agree, so `when(pledge()).then(pledged())` holds as written. Every
 * command names PROJECT_ID, the project of the events.
 */
import { projectDecider } from '../../src/project/project.decider';
import { eligibilityOf } from '../../src/project/eligibility';
import { SEED_JOINT_REVIEWERS } from '../../src/policy/rules/lifecycle.rules';
import {
  AddBudgetLine,
  ApproveProject,
  MilestoneInput,
  RecordMilestone,
  DisburseFunds,
  MakeTreasuryPayment,
  PledgeFunding,
  ReceiveFunds,
  RecordAllocation,
  RegisterProject,
  ReleaseAllocation,
  ReverseEntry,
} from '../../src/project/project.commands';
import {
  AllocationRecorded,
  AllocationReleased,
  BudgetLineAdded,
  EntryReversed,
  FundingPledged,
  FundsDisbursed,
  FundsReceived,
  JointReviewCompleted,
  ProjectApproved,
  ProjectEvent,
  ProjectEventType as T,
  ProjectRegistered,
  ReversalReversed,
  TreasuryPaymentMade,
} from '../../src/project/project.events';
import { deciderSpec } from './given';

export const given = deciderSpec(projectDecider);

/** The event of one type, with its data typed: `budgetLine().data.lineId`. */
export type EventOf<K extends ProjectEvent['type']> = Extract<ProjectEvent, { type: K }>;

export const PROJECT_ID = 'TN2021-017';

// ---------------------------------------------------------------------------------------------
// events

/** The eligibility follows the build year (and a justification) unless the overrides say it. */
export function registered(overrides: Partial<ProjectRegistered> = {}): EventOf<typeof T.registered> {
  const data = {
    projectId: PROJECT_ID,
    name: 'Guihua Lane renovation',
    community: 'Guihua Lane',
    town: 'Guilin Street',
    builtYear: 1998,
    buildingArea: 12000,
    households: 120,
    ...overrides,
  };
  return {
    type: T.registered,
    data: { ...data, eligibility: overrides.eligibility ?? eligibilityOf(data.builtYear, data.conditionJustification) },
  };
}

/**
 * Default: under the seed (2021-12-01), path 'plan_review' on the passed joint review JR-1
 * (`jointReviewed()`); history above the threshold says `{ approvalPath: 'merged_fsr', jointReviewId: undefined }`.
 */
export function approved(
  approvedInvestment = '8000000.00',
  overrides: Partial<ProjectApproved> = {},
): EventOf<typeof T.approved> {
  return {
    type: T.approved,
    data: {
      projectId: PROJECT_ID,
      approvedInvestment,
      approvalPath: 'plan_review',
      involvesIndependentInfrastructure: false,
      ruleId: 'approval-path-seed',
      jointReviewId: 'JR-1',
      docNo: 'TNFG-2021-88',
      approvedOn: '2021-12-01',
      reapproval: false,
      ...overrides,
    },
  };
}

/** The seed's joint review of the plan, passed, the day before the default approval. */
export function jointReviewed(overrides: Partial<JointReviewCompleted> = {}): EventOf<typeof T.jointReviewCompleted> {
  return {
    type: T.jointReviewCompleted,
    data: {
      projectId: PROJECT_ID,
      milestoneId: 'JR-1',
      docRefs: ['潼南住建审〔2021〕8号'],
      reviewedOn: '2021-11-30',
      lead: 'housing_commission',
      reviewers: [...SEED_REVIEWERS],
      result: 'passed',
      opinionRef: '潼南住建审〔2021〕8号',
      ruleId: 'joint-review-seed',
      ...overrides,
    },
  };
}

/** The reviewers the seed names (三(二)). */
export const SEED_REVIEWERS: string[] = [...SEED_JOINT_REVIEWERS];

/** `budgetTotal` defaults to this line's cost: say it when earlier lines exist and the spec compares it. */
export function budgetLine(overrides: Partial<BudgetLineAdded> = {}): EventOf<typeof T.budgetLineAdded> {
  const estimatedCost = overrides.estimatedCost ?? '2000000.00';
  return {
    type: T.budgetLineAdded,
    data: {
      projectId: PROJECT_ID,
      lineId: 'B1-roof',
      category: 'basic',
      item: 'roof',
      estimatedCost,
      budgetTotal: estimatedCost,
      reapprovalRequired: false,
      ...overrides,
    },
  };
}

export function pledged(overrides: Partial<FundingPledged> = {}): EventOf<typeof T.pledged> {
  return {
    type: T.pledged,
    data: {
      projectId: PROJECT_ID,
      pledgeId: 'P1',
      source: 'district_matching',
      amount: '100.00',
      payer: 'Tongnan finance bureau',
      fiscalYear: 2021,
      pledgedOn: '2021-12-02',
      details: {},
      ...overrides,
    },
  };
}

export function received(overrides: Partial<FundsReceived> = {}): EventOf<typeof T.received> {
  return {
    type: T.received,
    data: {
      projectId: PROJECT_ID,
      receiptId: 'R1',
      source: 'district_matching',
      amount: '100.00',
      payer: 'Tongnan finance bureau',
      reference: 'TREASURY-0001',
      receivedOn: '2021-12-10',
      fiscalYear: 2021,
      details: {},
      ...overrides,
    },
  };
}

export function disbursed(overrides: Partial<FundsDisbursed> = {}): EventOf<typeof T.disbursed> {
  return {
    type: T.disbursed,
    data: {
      projectId: PROJECT_ID,
      paymentId: 'PAY1',
      source: 'district_matching',
      lineId: 'B1-roof',
      amount: '100.00',
      payee: 'Tongnan Construction Co.',
      voucher: 'V-2021-001',
      paidOn: '2021-12-20',
      fiscalYear: 2021,
      ...overrides,
    },
  };
}

/** A treasury direct payment of 100.00 from allocation A1 of BATCH_ID (district matching) on the roof line. */
export function treasuryPaid(overrides: Partial<TreasuryPaymentMade> = {}): EventOf<typeof T.treasuryPaid> {
  return {
    type: T.treasuryPaid,
    data: {
      projectId: PROJECT_ID,
      paymentId: 'TP1',
      source: 'district_matching',
      allocationId: 'A1',
      batchId: BATCH_ID,
      lineId: 'B1-roof',
      amount: '100.00',
      payee: 'Tongnan Construction Co.',
      voucher: 'GKZF-2021-001',
      paidOn: '2021-12-20',
      fiscalYear: 2021,
      ...overrides,
    },
  };
}

export function reversed(overrides: Partial<EntryReversed> = {}): EventOf<typeof T.reversed> {
  return {
    type: T.reversed,
    data: {
      projectId: PROJECT_ID,
      reversalId: 'X1',
      entryId: 'R1',
      entryKind: 'receipt',
      source: 'district_matching',
      amount: '100.00',
      full: true,
      reason: 'booked twice',
      reversedOn: '2021-12-31',
      ...overrides,
    },
  };
}

/** Defaults to undoing all of X1 (a full reversal of receipt R1, 100.00): the receipt counts again. */
export function reversalReversed(overrides: Partial<ReversalReversed> = {}): EventOf<typeof T.reversalReversed> {
  return {
    type: T.reversalReversed,
    data: {
      projectId: PROJECT_ID,
      reversalId: 'X2',
      reversedReversalId: 'X1',
      entryId: 'R1',
      entryKind: 'receipt',
      source: 'district_matching',
      amount: '100.00',
      restores: true,
      full: true,
      reason: '冲销有误，予以恢复',
      reversedOn: '2022-01-05',
      ...overrides,
    },
  };
}

/** The fund batch the allocation fixtures come from (district matching, so receipts' defaults fit it). */
export const BATCH_ID = 'TNCZ2021-12';

/** The project's copy of allocation A1 of BATCH_ID: 1,000.00 of district matching money. */
export function allocationRecorded(overrides: Partial<AllocationRecorded> = {}): EventOf<typeof T.allocationRecorded> {
  return {
    type: T.allocationRecorded,
    data: {
      projectId: PROJECT_ID,
      batchId: BATCH_ID,
      allocationId: 'A1',
      source: 'district_matching',
      docNo: '潼财建〔2021〕12号',
      fiscalYear: 2021,
      amount: '1000.00',
      allocatedOn: '2021-06-10',
      ...overrides,
    },
  };
}

/** Defaults to giving back all of A1 (1,000.00). */
export function allocationReleased(overrides: Partial<AllocationReleased> = {}): EventOf<typeof T.allocationReleased> {
  return {
    type: T.allocationReleased,
    data: {
      projectId: PROJECT_ID,
      batchId: BATCH_ID,
      allocationId: 'A1',
      reversalId: 'AR1',
      amount: '1000.00',
      full: true,
      reason: '调整至 TN2021-020',
      releasedOn: '2021-08-01',
      ...overrides,
    },
  };
}

/**
 * The cost lines of domain.md §4 Example C (7,000,000.00 in all), plus one own-home line; the
 * ids say what each line is, so a spec reads `lineId: 'I1-elevator'`.
 */
export const lines = {
  roof: budgetLine({ lineId: 'B1-roof', category: 'basic', item: 'roof', estimatedCost: '2000000.00' }),
  drainage: budgetLine({ lineId: 'B2-drainage', category: 'basic', item: 'drainage', estimatedCost: '1500000.00' }),
  gasPipe: budgetLine({
    lineId: 'B3-gas-pipe',
    category: 'basic',
    item: 'gas',
    utility: 'gas',
    estimatedCost: '600000.00',
  }),
  waterSupply: budgetLine({
    lineId: 'B4-water-supply',
    category: 'basic',
    item: 'water_supply',
    utility: 'water',
    estimatedCost: '540000.00',
  }),
  elevator: budgetLine({
    lineId: 'I1-elevator',
    category: 'improvement',
    item: 'elevator',
    estimatedCost: '600000.00',
  }),
  parking: budgetLine({ lineId: 'I2-parking', category: 'improvement', item: 'parking', estimatedCost: '1160000.00' }),
  mealAid: budgetLine({ lineId: 'E1-meal-aid', category: 'enhancement', item: 'meal_aid', estimatedCost: '600000.00' }),
  ownHome: budgetLine({ lineId: 'H1-own-home', category: 'improvement', item: 'own_home', estimatedCost: '50000.00' }),
};

/** A registered project with every line of `lines` (7,050,000.00) and no approval yet. */
export const budgeted = (): ProjectEvent[] => [registered(), ...Object.values(lines)];

/** The same project approved for 8,000,000.00 (plan_review): money may be paid out. */
export const approvedProject = (): ProjectEvent[] => [...budgeted(), approved()];

// ---------------------------------------------------------------------------------------------
// commands

/** The day the ledger records the commands below (receipts and payments carry it): after every business date of the fixtures. */
export const RECORDED_ON = '2024-01-01';

export function register(overrides: Partial<RegisterProject> = {}): RegisterProject {
  const { projectId, name, community, town, builtYear, buildingArea, households } = registered().data;
  return {
    type: 'RegisterProject',
    projectId,
    name,
    community,
    town,
    builtYear,
    buildingArea,
    households,
    ...overrides,
  };
}

/** A registration as the HTTP body `POST /api/projects` takes. */
export function registerBody(overrides: Partial<RegisterProject> = {}): Omit<RegisterProject, 'type'> {
  const { type: _type, ...body } = register(overrides);
  return body;
}

export function approve(approvedInvestment = '8000000.00', overrides: Partial<ApproveProject> = {}): ApproveProject {
  return {
    type: 'ApproveProject',
    projectId: PROJECT_ID,
    approvedInvestment,
    docNo: 'TNFG-2021-88',
    approvedOn: '2021-12-01',
    involvesIndependentInfrastructure: false,
    ...overrides,
  };
}

/** A milestone as a client sends it (kind, id, documents, date and the kind's fields). */
export function recordMilestone(milestone: MilestoneInput, recordedOn = RECORDED_ON): RecordMilestone {
  return { type: 'RecordMilestone', projectId: PROJECT_ID, milestone, recordedOn };
}

export function addBudgetLine(overrides: Partial<AddBudgetLine> = {}): AddBudgetLine {
  return {
    type: 'AddBudgetLine',
    projectId: PROJECT_ID,
    lineId: 'B1-roof',
    category: 'basic',
    item: 'roof',
    estimatedCost: '2000000.00',
    ...overrides,
  };
}

export function pledge(overrides: Partial<PledgeFunding> = {}): PledgeFunding {
  return {
    type: 'PledgeFunding',
    projectId: PROJECT_ID,
    pledgeId: 'P1',
    source: 'district_matching',
    amount: '100.00',
    payer: 'Tongnan finance bureau',
    fiscalYear: 2021,
    pledgedOn: '2021-12-02',
    details: {},
    recordedOn: RECORDED_ON,
    ...overrides,
  };
}

export function receive(overrides: Partial<ReceiveFunds> = {}): ReceiveFunds {
  return {
    type: 'ReceiveFunds',
    projectId: PROJECT_ID,
    receiptId: 'R1',
    source: 'district_matching',
    amount: '100.00',
    payer: 'Tongnan finance bureau',
    reference: 'TREASURY-0001',
    receivedOn: '2021-12-10',
    fiscalYear: 2021,
    details: {},
    recordedOn: RECORDED_ON,
    ...overrides,
  };
}

export function disburse(overrides: Partial<DisburseFunds> = {}): DisburseFunds {
  return {
    type: 'DisburseFunds',
    projectId: PROJECT_ID,
    paymentId: 'PAY1',
    source: 'district_matching',
    lineId: 'B1-roof',
    amount: '100.00',
    payee: 'Tongnan Construction Co.',
    voucher: 'V-2021-001',
    paidOn: '2021-12-20',
    fiscalYear: 2021,
    recordedOn: RECORDED_ON,
    ...overrides,
  };
}

/** The command of `treasuryPaid()`: its fiscal year left to the allocation's. */
export function treasuryPay(overrides: Partial<MakeTreasuryPayment> = {}): MakeTreasuryPayment {
  return {
    type: 'MakeTreasuryPayment',
    projectId: PROJECT_ID,
    paymentId: 'TP1',
    allocationId: 'A1',
    lineId: 'B1-roof',
    amount: '100.00',
    payee: 'Tongnan Construction Co.',
    voucher: 'GKZF-2021-001',
    paidOn: '2021-12-20',
    recordedOn: RECORDED_ON,
    ...overrides,
  };
}

/** Without `amount`: reverse everything that remains of the entry. */
export function reverse(overrides: Partial<ReverseEntry> = {}): ReverseEntry {
  return {
    type: 'ReverseEntry',
    projectId: PROJECT_ID,
    reversalId: 'X1',
    entryId: 'R1',
    reason: 'booked twice',
    reversedOn: '2021-12-31',
    ...overrides,
  };
}

export function recordAllocation(overrides: Partial<RecordAllocation> = {}): RecordAllocation {
  const { projectId, batchId, allocationId, source, docNo, fiscalYear, amount, allocatedOn } =
    allocationRecorded().data;
  return {
    type: 'RecordAllocation',
    projectId,
    batchId,
    allocationId,
    source,
    docNo,
    fiscalYear,
    amount,
    allocatedOn,
    ...overrides,
  };
}

/** Without `amount`: give back all that remains of the allocation. */
export function releaseAllocation(overrides: Partial<ReleaseAllocation> = {}): ReleaseAllocation {
  const { projectId, batchId, allocationId, reversalId, reason, releasedOn } = allocationReleased().data;
  return { type: 'ReleaseAllocation', projectId, batchId, allocationId, reversalId, reason, releasedOn, ...overrides };
}

/** A value of the wrong JSON type, as a client might send it, for the specs that check the door. */
export const asWire = <T>(value: unknown): T => value as T;
