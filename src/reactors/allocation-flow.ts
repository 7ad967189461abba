/**
 * The allocation flow's second writes, as pure functions of the first: the HTTP handlers use them
 * to check, before the first write, every rule the second will check, and the allocation reactor
 * to make the second write. Command ids derive from the batch, the allocation and the reversal, so
 * the second write of a flow is written once however often it is attempted (the same seeds as the
 * flow had when the HTTP handler made both writes, so history written then is recognised).
 */
import { CommandContext } from '../event-store/write-path';
import { RecordedEvent } from '../event-store/event-store.port';
import { canonicalJson, sha256Hex, uuidFromSeed } from '../event-store/hashing';
import { ReverseAllocation } from '../fund-batch/fund-batch.commands';
import { FundBatchIssued, FundsAllocated } from '../fund-batch/fund-batch.events';
import { RecordAllocation } from '../project/project.commands';
import { AllocationReleased } from '../project/project.events';

/** What a project's copy of an allocation takes from its batch (the batch's issue, or its state). */
export type BatchOrigin = Pick<FundBatchIssued, 'source' | 'program' | 'docNo' | 'fiscalYear'>;

/** The project's copy of an allocation the batch made (`funds-allocated.v1`). */
export function allocationRecordOf(batch: BatchOrigin, allocated: FundsAllocated): RecordAllocation {
  return {
    type: 'RecordAllocation',
    projectId: allocated.projectId,
    batchId: allocated.batchId,
    allocationId: allocated.allocationId,
    source: batch.source,
    ...(batch.program !== undefined ? { program: batch.program } : {}),
    docNo: batch.docNo,
    fiscalYear: batch.fiscalYear,
    amount: allocated.amount,
    allocatedOn: allocated.allocatedOn,
  };
}

/** The batch's side of what the project gave back (`allocation-released.v1`): the same amount, reason and date. */
export function batchReversalOf(released: AllocationReleased): ReverseAllocation {
  return {
    type: 'ReverseAllocation',
    reversalId: released.reversalId,
    allocationId: released.allocationId,
    amount: released.amount,
    reason: released.reason,
    reversedOn: released.releasedOn,
  };
}

/** Gives the batch its room back when the project refuses its copy for good (all of it: nothing could draw on it). */
export function compensationOf(allocated: FundsAllocated, refusalCode: string): ReverseAllocation {
  return {
    type: 'ReverseAllocation',
    reversalId: `undo-${allocated.allocationId}`.slice(0, 64),
    allocationId: allocated.allocationId,
    reason: `refused by project ${allocated.projectId}: ${refusalCode}`,
    reversedOn: allocated.allocatedOn,
  };
}

export const recordCommandId = (batchId: string, allocationId: string): string =>
  uuidFromSeed(`allocation-recorded:${batchId}/${allocationId}`);
export const batchReversalCommandId = (batchId: string, allocationId: string, reversalId: string): string =>
  uuidFromSeed(`allocation-reversed:${batchId}/${allocationId}/${reversalId}`);
export const compensationCommandId = (batchId: string, allocationId: string): string =>
  uuidFromSeed(`allocation-undone:${batchId}/${allocationId}`);

/**
 * The context of a second write: its derived command id, the hash of what it writes (for the
 * compensation, of the allocation it undoes: its reason names a refusal that may be worded
 * otherwise on another attempt), the actor and correlation of the event that caused it, and that
 * event as its cause.
 */
export function derivedContext(
  cause: Pick<RecordedEvent, 'eventId' | 'metadata'>,
  commandId: string,
  hashed: object,
  recordedAt: string,
): CommandContext {
  // Hashed without projectId, as before commands named their project, so a record stored then is recognised.
  const { projectId: _named, ...unnamed } = hashed as { projectId?: string };
  return {
    commandId,
    requestHash: sha256Hex(canonicalJson(unnamed)),
    actor: cause.metadata.actor,
    correlationId: cause.metadata.correlationId,
    causationId: cause.eventId,
    recordedAt,
  };
}
