/**
 * Builders for fund-batch events and commands, as project-fixtures.ts does for projects: the
 * defaults of an event and of the command that produces it agree, so
 * `given(issued()).when(allocate()).then(allocated())` holds as written.
 */
import { AllocateFunds, IssueFundBatch, ReverseAllocation } from '../../../src/fund-batch/fund-batch.commands';
import { fundBatchDecider } from '../../../src/fund-batch/fund-batch.decider';
import {
  AllocationReversed,
  FundBatchEvent,
  FundBatchEventType as T,
  FundBatchIssued,
  FundsAllocated,
} from '../../../src/fund-batch/fund-batch.events';
import { deciderSpec } from '../../support/given';
import { RECORDED_ON } from '../../support/project-fixtures';

export const given = deciderSpec(fundBatchDecider);

export type BatchEventOf<K extends FundBatchEvent['type']> = Extract<FundBatchEvent, { type: K }>;

export const BATCH_ID = 'YCJ2021-88';

/** A central fiscal subsidy indicator of 1,000,000.00. */
export function issued(overrides: Partial<FundBatchIssued> = {}): BatchEventOf<typeof T.issued> {
  return {
    type: T.issued,
    data: {
      batchId: BATCH_ID,
      source: 'central_fiscal_subsidy',
      docNo: '渝财建〔2021〕88号',
      fiscalYear: 2021,
      amount: '1000000.00',
      issuedOn: '2021-06-01',
      ...overrides,
    },
  };
}

/** `allocatedTotal` defaults to this allocation's amount: say it when earlier allocations exist. */
export function allocated(overrides: Partial<FundsAllocated> = {}): BatchEventOf<typeof T.allocated> {
  const amount = overrides.amount ?? '400000.00';
  return {
    type: T.allocated,
    data: {
      batchId: BATCH_ID,
      allocationId: 'A1',
      projectId: 'TN2021-017',
      source: 'central_fiscal_subsidy',
      fiscalYear: 2021,
      amount,
      allocatedOn: '2021-06-10',
      allocatedTotal: amount,
      ...overrides,
    },
  };
}

/** Defaults to all of A1 given back, leaving nothing allocated. */
export function allocationReversed(
  overrides: Partial<AllocationReversed> = {},
): BatchEventOf<typeof T.allocationReversed> {
  return {
    type: T.allocationReversed,
    data: {
      batchId: BATCH_ID,
      reversalId: 'AR1',
      allocationId: 'A1',
      projectId: 'TN2021-017',
      source: 'central_fiscal_subsidy',
      fiscalYear: 2021,
      amount: '400000.00',
      full: true,
      reason: '调整至 TN2021-020',
      reversedOn: '2021-08-01',
      allocatedTotal: '0.00',
      ...overrides,
    },
  };
}

export function issue(overrides: Partial<IssueFundBatch> = {}): IssueFundBatch {
  const { batchId, source, docNo, fiscalYear, amount, issuedOn } = issued().data;
  return {
    type: 'IssueFundBatch',
    batchId,
    source,
    docNo,
    fiscalYear,
    amount,
    issuedOn,
    recordedOn: RECORDED_ON,
    ...overrides,
  };
}

export function allocate(overrides: Partial<AllocateFunds> = {}): AllocateFunds {
  const { allocationId, projectId, amount, allocatedOn } = allocated().data;
  return { type: 'AllocateFunds', allocationId, projectId, amount, allocatedOn, recordedOn: RECORDED_ON, ...overrides };
}

/** Without `amount`: all that remains of the allocation. */
export function reverseAllocation(overrides: Partial<ReverseAllocation> = {}): ReverseAllocation {
  const { reversalId, allocationId, reason, reversedOn } = allocationReversed().data;
  return { type: 'ReverseAllocation', reversalId, allocationId, reason, reversedOn, ...overrides };
}
