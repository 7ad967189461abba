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
  /** The day the command is recorded (YYYY-MM-DD, UTC): issuedOn may not be after it (date-in-future). */
  recordedOn: string;
}
export interface AllocateFunds {
  type: 'AllocateFunds';
  allocationId: string;
  projectId: string;
  amount: string;
  allocatedOn: string;
  /** The day the command is recorded (YYYY-MM-DD, UTC): allocatedOn may not be after it (date-in-future). */
  recordedOn: string;
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
