/**
 * Commands the project decider takes. Amounts arrive as the client's strings and are parsed by
 * the decider itself, so a rule on money holds whatever door the command came through.
 */
import { SourceDetails } from './project.events';

export interface RegisterProject {
  type: 'RegisterProject';
  projectId: string;
  name: string;
  community: string;
  town: string;
  builtYear: number;
  buildingArea: number;
  households: number;
}
export interface ApproveProject {
  type: 'ApproveProject';
  approvedInvestment: string;
  docNo: string;
  approvedOn: string;
}
export interface AddBudgetLine {
  type: 'AddBudgetLine';
  lineId: string;
  category: string;
  item: string;
  utility?: string;
  estimatedCost: string;
}
export interface PledgeFunding {
  type: 'PledgeFunding';
  pledgeId: string;
  source: string;
  amount: string;
  payer: string;
  fiscalYear: number;
  pledgedOn: string;
  lineId?: string;
  details: SourceDetails;
}
export interface ReceiveFunds {
  type: 'ReceiveFunds';
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
}
export interface DisburseFunds {
  type: 'DisburseFunds';
  paymentId: string;
  source: string;
  lineId: string;
  amount: string;
  payee: string;
  voucher: string;
  paidOn: string;
  fiscalYear: number;
  allocationId?: string;
}
export interface ReverseEntry {
  type: 'ReverseEntry';
  reversalId: string;
  entryId: string;
  /** Absent: reverse everything that remains of the entry. */
  amount?: string;
  reason: string;
  reversedOn: string;
}

/** The project's side of a fund-batch allocation (sent by the allocation flow, never by a client directly). */
export interface RecordAllocation {
  type: 'RecordAllocation';
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
  batchId: string;
  allocationId: string;
  reversalId: string;
  /** Absent: all that remains. */
  amount?: string;
  reason: string;
  releasedOn: string;
}

export type ProjectCommand =
  | RegisterProject | ApproveProject | AddBudgetLine | PledgeFunding | ReceiveFunds | DisburseFunds | ReverseEntry
  | RecordAllocation | ReleaseAllocation;
