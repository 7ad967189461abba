/** Commands the fund-batch decider takes; amounts are the client's strings, parsed by the decider. */
export interface IssueFundBatch {
  type: 'IssueFundBatch';
  batchId: string;
  source: string;
  program?: string;
  docNo: string;
  fiscalYear: number;
  amount: string;
  issuedOn: string;
}
export interface AllocateFunds {
  type: 'AllocateFunds';
  allocationId: string;
  projectId: string;
  amount: string;
  allocatedOn: string;
}
export interface ReverseAllocation {
  type: 'ReverseAllocation';
  reversalId: string;
  allocationId: string;
  /** Absent: all that remains of the allocation. */
  amount?: string;
  reason: string;
  reversedOn: string;
}

export type FundBatchCommand = IssueFundBatch | AllocateFunds | ReverseAllocation;
