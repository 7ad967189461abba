import { DomainError } from '../../../src/shared/domain/domain-error';
import { FundBatchErrors as E } from '../../../src/fund-batch/fund-batch.errors';

describe('the stable error codes of fund batches', () => {
  // Clients match on these codes, so they never change (the field checks the batch shares with
  // the project keep the project's codes). A new error adds a row here, and a spec in
  // fund-batch.decider.spec.ts that breaks its rule.
  const published: Array<
    [factory: keyof typeof E, error: DomainError, code: string, status: number, field: string | undefined]
  > = [
    ['batchNotFound', E.batchNotFound('YCJ2021-88'), 'fund-batch-not-found', 404, undefined],
    ['batchExists', E.batchExists('YCJ2021-88'), 'fund-batch-exists', 409, 'batchId'],
    [
      'sourceNotBatched',
      E.sourceNotBatched('resident_direct', ['district_matching']),
      'source-not-batched',
      422,
      'source',
    ],
    ['programRequired', E.programRequired(), 'sub-field-required', 400, 'program'],
    ['programNotAllowed', E.programNotAllowed('district_matching'), 'sub-field-not-allowed', 400, 'program'],
    ['allocationExists', E.allocationExists('A1'), 'allocation-id-exists', 409, 'allocationId'],
    [
      'allocationExceedsBatch',
      E.allocationExceedsBatch('YCJ2021-88', '2.00', '1.00'),
      'allocation-exceeds-batch',
      422,
      'amount',
    ],
    [
      'allocatedBeforeIssued',
      E.allocatedBeforeIssued('2021-05-31', '2021-06-01'),
      'date-before-batch',
      422,
      'allocatedOn',
    ],
    [
      'reversedBeforeAllocated',
      E.reversedBeforeAllocated('2021-06-09', '2021-06-10'),
      'date-before-allocation',
      422,
      'reversedOn',
    ],
    ['allocationNotFound', E.allocationNotFound('A9'), 'allocation-not-found', 422, 'allocationId'],
    ['reversalExists', E.reversalExists('AR1'), 'entry-id-exists', 409, 'reversalId'],
  ];

  it('lists every error the fund-batch decider has', () => {
    expect(published.map(([factory]) => factory).sort()).toEqual(Object.keys(E).sort());
  });

  it.each(published)('%s is published as its code, status and field', (_factory, error, code, status, field) => {
    expect(error).toBeInstanceOf(DomainError);
    expect({ code: error.code, status: error.status, field: error.field }).toEqual({ code, status, field });
    expect(error.message).not.toBe('');
  });
});
