import { DomainError } from '../shared/domain/domain-error';

/**
 * Every rule the fund-batch decider enforces, with its stable code (field checks it shares with
 * the project decider keep the project's codes). Each has a spec in test/unit/fund-batch.
 */
export const FundBatchErrors = {
  batchNotFound: (id: string) => new DomainError('fund-batch-not-found', `fund batch ${id} is not issued`, 404),
  batchExists: (id: string) =>
    new DomainError('fund-batch-exists', `fund batch ${id} is already issued`, 409, 'batchId'),
  sourceNotBatched: (source: string, allowed: readonly string[]) =>
    new DomainError(
      'source-not-batched',
      `source ${source} does not come in fund batches; a batch is one of ${allowed.join(', ')}`,
      422,
      'source',
    ),
  programRequired: () =>
    new DomainError('sub-field-required', 'a municipal_subsidy batch requires program', 400, 'program'),
  programNotAllowed: (source: string) =>
    new DomainError('sub-field-not-allowed', `program does not apply to source ${source}`, 400, 'program'),
  allocationExists: (id: string) =>
    new DomainError(
      'allocation-id-exists',
      `allocation ${id} already exists in this batch (a reallocation is a reversal plus a new allocation id)`,
      409,
      'allocationId',
    ),
  allocationExceedsBatch: (batchId: string, amount: string, unallocated: string) =>
    new DomainError(
      'allocation-exceeds-batch',
      `allocating ${amount} exceeds what remains unallocated in fund batch ${batchId} (${unallocated})`,
      422,
      'amount',
    ),
  allocatedBeforeIssued: (allocatedOn: string, issuedOn: string) =>
    new DomainError(
      'date-before-batch',
      `allocatedOn ${allocatedOn} is before the batch was issued (${issuedOn})`,
      422,
      'allocatedOn',
    ),
  reversedBeforeAllocated: (reversedOn: string, allocatedOn: string) =>
    new DomainError(
      'date-before-allocation',
      `reversedOn ${reversedOn} is before the allocation was made (${allocatedOn})`,
      422,
      'reversedOn',
    ),
  allocationNotFound: (id: string) =>
    new DomainError('allocation-not-found', `no allocation ${id} in this batch`, 422, 'allocationId'),
  reversalExists: (id: string) =>
    new DomainError('entry-id-exists', `a reversal with id ${id} already exists on this allocation`, 409, 'reversalId'),
};
