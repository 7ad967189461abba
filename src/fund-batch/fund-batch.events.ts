/**
 * Events of a fund batch's stream (`fundbatch-<batchId>`): money from an upper level (a central or
 * municipal transfer indicator with its 文号, the district's own matching budget, or a special-bond
 * tranche) and its allocation to projects. Amounts are CNY strings with two decimals. A published
 * version never changes (a new shape is a new `.vN` with an upcaster, see event-registry.ts);
 * `fundBatchEvents` at the end reads them from the store.
 */
import { boolean, decimalAmount, integer, optional, shape, string } from '../shared/domain/data-shape';
import { DomainEvent } from '../shared/domain/decider';
import { EventRegistry } from '../shared/domain/event-registry';

export const FundBatchEventType = {
  issued: 'fund-batch-issued.v1',
  allocated: 'funds-allocated.v1',
  allocationReversed: 'allocation-reversed.v1',
} as const;

export interface FundBatchIssued {
  batchId: string;
  source: string;
  /** Municipal special funds: the programme (urban_renewal, parking, ...). */
  program?: string;
  /** The indicator document, e.g. 渝财建〔2021〕88号. */
  docNo: string;
  fiscalYear: number;
  amount: string;
  issuedOn: string;
}
export interface FundsAllocated {
  batchId: string;
  allocationId: string;
  projectId: string;
  source: string;
  fiscalYear: number;
  amount: string;
  allocatedOn: string;
  /** Net allocated from the batch after this allocation. */
  allocatedTotal: string;
}
export interface AllocationReversed {
  batchId: string;
  reversalId: string;
  allocationId: string;
  projectId: string;
  source: string;
  fiscalYear: number;
  amount: string;
  /** True when nothing of the allocation remains. */
  full: boolean;
  reason: string;
  reversedOn: string;
  allocatedTotal: string;
}

export type FundBatchEvent =
  | DomainEvent<typeof FundBatchEventType.issued, FundBatchIssued>
  | DomainEvent<typeof FundBatchEventType.allocated, FundsAllocated>
  | DomainEvent<typeof FundBatchEventType.allocationReversed, AllocationReversed>;

export const FUND_BATCH_CATEGORY = 'fundbatch';
export const fundBatchStreamId = (batchId: string): string => `${FUND_BATCH_CATEGORY}-${batchId}`;

export const fundBatchEvents = new EventRegistry<FundBatchEvent>('fund-batch', {
  [FundBatchEventType.issued]: shape<FundBatchIssued>({
    batchId: string,
    source: string,
    program: optional(string),
    docNo: string,
    fiscalYear: integer,
    amount: decimalAmount,
    issuedOn: string,
  }),
  [FundBatchEventType.allocated]: shape<FundsAllocated>({
    batchId: string,
    allocationId: string,
    projectId: string,
    source: string,
    fiscalYear: integer,
    amount: decimalAmount,
    allocatedOn: string,
    allocatedTotal: decimalAmount,
  }),
  [FundBatchEventType.allocationReversed]: shape<AllocationReversed>({
    batchId: string,
    reversalId: string,
    allocationId: string,
    projectId: string,
    source: string,
    fiscalYear: integer,
    amount: decimalAmount,
    full: boolean,
    reason: string,
    reversedOn: string,
    allocatedTotal: decimalAmount,
  }),
});
