import { fold } from '../../../src/shared/domain/decider';
import { SOURCE_CODES } from '../../../src/project/funding-sources';
import { fundBatchDecider } from '../../../src/fund-batch/fund-batch.decider';
import { FundBatchEvent, fundBatchEvents } from '../../../src/fund-batch/fund-batch.events';
import { asWire } from '../../support/project-fixtures';
import {
  BATCH_ID,
  allocate,
  allocated,
  allocationReversed,
  given,
  issue,
  issued,
  reverseAllocation,
} from './fund-batch-fixtures';

/** Sources whose money arrives in batches (domain.md §6): central and municipal transfers, district matching, bond tranches. */
const BATCHED = [
  'central_budget_investment',
  'central_fiscal_subsidy',
  'municipal_subsidy',
  'district_matching',
  'special_bond',
];
const NOT_BATCHED = SOURCE_CODES.filter((code) => !BATCHED.includes(code));

describe('issuing a fund batch', () => {
  // A batch is an indicator (文号) of an upper level, the district's matching budget or a bond
  // tranche, recorded once in its own stream.
  it('records the batch with its amount as a CNY string', () => {
    given()
      .when(issue({ amount: '1000000' }))
      .then(issued({ amount: '1000000.00' }));
  });

  it.each(BATCHED.filter((s) => s !== 'municipal_subsidy'))('takes %s', (source) => {
    given().when(issue({ source })).then(issued({ source }));
  });

  it('refuses a batch id issued already (fund-batch-exists, 409)', () => {
    given(issued())
      .when(issue({ amount: '5.00' }))
      .thenThrows('fund-batch-exists', 'batchId');
  });

  it('checks its fields', () => {
    given()
      .when(issue({ batchId: 'YCJ 88' }))
      .thenThrows('invalid-id', 'batchId');
    given()
      .when(issue({ docNo: ' ' }))
      .thenThrows('invalid-field', 'docNo');
    given()
      .when(issue({ fiscalYear: 1999 }))
      .thenThrows('invalid-fiscal-year', 'fiscalYear');
    given()
      .when(issue({ fiscalYear: asWire<number>('2021') }))
      .thenThrows('invalid-fiscal-year', 'fiscalYear');
    given()
      .when(issue({ issuedOn: '2021-02-29' }))
      .thenThrows('invalid-date', 'issuedOn');
  });

  it('takes only a positive amount of at most two decimals, within the limit', () => {
    given()
      .when(issue({ amount: '0.00' }))
      .thenThrows('invalid-amount', 'amount');
    given()
      .when(issue({ amount: '-1.00' }))
      .thenThrows('invalid-amount', 'amount');
    given()
      .when(issue({ amount: '1.001' }))
      .thenThrows('invalid-amount', 'amount');
    given()
      .when(issue({ amount: asWire<string>(100) }))
      .thenThrows('invalid-amount', 'amount');
    given()
      .when(issue({ amount: '1000000000000.01' }))
      .thenThrows('amount-too-large', 'amount');
    given()
      .when(issue({ amount: '0.01' }))
      .then(issued({ amount: '0.01' }));
  });
});

describe('source-not-batched', () => {
  // Residents, utilities, donors, market investment and bank loans pay a project directly: their
  // money never comes as an indicator to be allocated.
  it.each(NOT_BATCHED)('refuses a batch of %s (422, field source)', (source) => {
    given().when(issue({ source })).thenThrows('source-not-batched', 'source');
  });

  it('refuses a source that does not exist', () => {
    given()
      .when(issue({ source: 'lottery' }))
      .thenThrows('source-not-batched', 'source');
  });
});

describe('the programme of a municipal batch', () => {
  // 市级专项资金 come per programme (urban renewal, parking, ...): a municipal batch names one of
  // the programmes, and no other batch names any.
  it('records a municipal batch with its programme', () => {
    given()
      .when(issue({ source: 'municipal_subsidy', program: 'parking' }))
      .then(issued({ source: 'municipal_subsidy', program: 'parking' }));
  });

  it('requires the programme of a municipal batch (sub-field-required)', () => {
    given()
      .when(issue({ source: 'municipal_subsidy' }))
      .thenThrows('sub-field-required', 'program');
  });

  it('refuses a programme that is not one of the municipal programmes (invalid-sub-field)', () => {
    given()
      .when(issue({ source: 'municipal_subsidy', program: 'casino' }))
      .thenThrows('invalid-sub-field', 'program');
  });

  it('refuses a programme on a batch of another source (sub-field-not-allowed)', () => {
    given()
      .when(issue({ source: 'district_matching', program: 'parking' }))
      .thenThrows('sub-field-not-allowed', 'program');
  });
});

describe('date-in-future (fund batches)', () => {
  // A batch and an allocation are recorded once they were made, as a receipt is once money moved:
  // not dated after the day they are recorded (UTC, one day's grace for the district's UTC+8).
  it('refuses a batch issued after the day it is recorded (field issuedOn), and takes the next day', () => {
    given()
      .when(issue({ issuedOn: '2100-12-31', recordedOn: '2026-12-06' }))
      .thenThrows('date-in-future', 'issuedOn');
    given()
      .when(issue({ issuedOn: '2026-12-08', fiscalYear: 2026, recordedOn: '2026-12-06' }))
      .thenThrows('date-in-future', 'issuedOn');
    given()
      .when(issue({ issuedOn: '2026-12-07', fiscalYear: 2026, recordedOn: '2026-12-06' }))
      .then(issued({ issuedOn: '2026-12-07', fiscalYear: 2026 }));
  });

  it('refuses an allocation made after the day it is recorded (field allocatedOn), and takes the next day', () => {
    given(issued())
      .when(allocate({ allocatedOn: '2100-12-31', recordedOn: '2026-12-06' }))
      .thenThrows('date-in-future', 'allocatedOn');
    given(issued())
      .when(allocate({ allocatedOn: '2026-12-08', recordedOn: '2026-12-06' }))
      .thenThrows('date-in-future', 'allocatedOn');
    given(issued())
      .when(allocate({ allocatedOn: '2026-12-07', recordedOn: '2026-12-06' }))
      .thenState((s) => expect(s.allocations.get('A1')?.allocatedOn).toBe('2026-12-07'));
  });

  it('says why in the words of a receipt, naming the day it is recorded', () => {
    expect(() =>
      fundBatchDecider.decide(issue({ issuedOn: '2100-12-31', recordedOn: '2026-12-06' }), fold(fundBatchDecider, [])),
    ).toThrow(
      'issuedOn 2100-12-31 is after the day it is recorded (2026-12-06, UTC, with one day for the time zones): a batch is recorded once it was issued',
    );
  });
});

describe('fund-batch-not-found', () => {
  // Nothing is allocated from, or given back to, a batch that was never issued (404).
  it('refuses an allocation from a batch not issued', () => {
    given().when(allocate()).thenThrows('fund-batch-not-found');
  });

  it('refuses a reversal in a batch not issued', () => {
    given().when(reverseAllocation()).thenThrows('fund-batch-not-found');
  });
});

describe('allocation-exceeds-batch', () => {
  // The batch's own rule: its allocations, net of reversals, never exceed its amount.
  const history = [issued({ amount: '1000000.00' }), allocated({ allocationId: 'A1', amount: '400000.00' })];

  it('refuses an allocation dated before the batch was issued (date-before-batch); the same day is fine', () => {
    given(...history)
      .when(allocate({ allocationId: 'A2', amount: '1.00', allocatedOn: '2021-05-31' }))
      .thenThrows('date-before-batch', 'allocatedOn');
    given(...history)
      .when(allocate({ allocationId: 'A2', amount: '1.00', allocatedOn: '2021-06-01' }))
      .thenState((s) => expect(s.allocations.has('A2')).toBe(true));
  });

  it('refuses one fen more than remains unallocated (field amount)', () => {
    given(...history)
      .when(allocate({ allocationId: 'A2', amount: '600000.01' }))
      .thenThrows('allocation-exceeds-batch', 'amount');
  });

  it('allocates exactly what remains, and says the batch is then fully allocated', () => {
    given(...history)
      .when(allocate({ allocationId: 'A2', projectId: 'TN2021-020', amount: '600000.00' }))
      .then(
        allocated({ allocationId: 'A2', projectId: 'TN2021-020', amount: '600000.00', allocatedTotal: '1000000.00' }),
      );
  });

  it('counts allocations net of reversals: what was given back may be allocated again', () => {
    const back = [
      ...history,
      allocated({ allocationId: 'A2', amount: '600000.00', allocatedTotal: '1000000.00' }),
      allocationReversed({ allocationId: 'A1', amount: '150000.00', full: false, allocatedTotal: '850000.00' }),
    ];
    // Dated on the day of the reversal (2021-08-01): what it gives back counts from then on.
    given(...back)
      .when(allocate({ allocationId: 'A3', amount: '150000.01', allocatedOn: '2021-08-01' }))
      .thenThrows('allocation-exceeds-batch');
    given(...back)
      .when(allocate({ allocationId: 'A3', amount: '150000.00', allocatedOn: '2021-08-01' }))
      .then(
        allocated({ allocationId: 'A3', amount: '150000.00', allocatedTotal: '1000000.00', allocatedOn: '2021-08-01' }),
      );
  });

  it('keeps the total in the state', () => {
    given(...history)
      .when(allocate({ allocationId: 'A2', amount: '1.00' }))
      .thenState((state) => {
        expect(state.allocatedFen).toBe(400001_00n);
        expect(state.allocations.get('A2')).toEqual({
          allocationId: 'A2',
          projectId: 'TN2021-017',
          amountFen: 1_00n,
          reversedFen: 0n,
          allocatedOn: '2021-06-10',
        });
      });
  });
});

describe('insufficient-funds-at-date (fund batches)', () => {
  // Rule: as of every business date, the batch's allocations, net of the reversals dated by then,
  // never exceed its amount (the as-of view of the batch is one the ledger would have accepted).
  // What a reversal gives back counts from the reversal's date, not from the day it is recorded.
  const full = [
    issued({ amount: '1000000.00', issuedOn: '2021-01-01' }),
    allocated({ allocationId: 'A1', amount: '600000.00', allocatedOn: '2021-06-01', allocatedTotal: '600000.00' }),
    allocated({ allocationId: 'A2', amount: '400000.00', allocatedOn: '2021-06-02', allocatedTotal: '1000000.00' }),
    allocationReversed({
      allocationId: 'A1',
      amount: '600000.00',
      reversedOn: '2021-08-01',
      allocatedTotal: '400000.00',
    }),
  ];

  it('refuses an allocation dated before the reversal that made room for it, naming the amount', () => {
    given(...full)
      .when(allocate({ allocationId: 'A3', amount: '600000.00', allocatedOn: '2021-07-01' }))
      .thenThrows('insufficient-funds-at-date', 'amount');
    given(...full)
      .when(allocate({ allocationId: 'A3', amount: '0.01', allocatedOn: '2021-07-31' }))
      .thenThrows('insufficient-funds-at-date', 'amount');
  });

  it('takes it on the day of the reversal or later', () => {
    given(...full)
      .when(allocate({ allocationId: 'A3', amount: '600000.00', allocatedOn: '2021-08-01' }))
      .then(
        allocated({ allocationId: 'A3', amount: '600000.00', allocatedOn: '2021-08-01', allocatedTotal: '1000000.00' }),
      );
  });

  it('refuses an early allocation that later allocations leave no room for', () => {
    // 400,000.00 unallocated today, but A2 took it on 2021-06-02: one dated 2021-06-01 must fit then too.
    const partly = [
      issued({ amount: '1000000.00', issuedOn: '2021-01-01' }),
      allocated({ allocationId: 'A1', amount: '600000.00', allocatedOn: '2021-06-10', allocatedTotal: '600000.00' }),
    ];
    given(...partly)
      .when(allocate({ allocationId: 'A2', amount: '400000.00', allocatedOn: '2021-03-01' }))
      .then(
        allocated({ allocationId: 'A2', amount: '400000.00', allocatedOn: '2021-03-01', allocatedTotal: '1000000.00' }),
      );
    given(
      ...partly,
      allocationReversed({
        allocationId: 'A1',
        amount: '100000.00',
        full: false,
        reversedOn: '2021-09-01',
        allocatedTotal: '500000.00',
      }),
    )
      .when(allocate({ allocationId: 'A2', amount: '500000.00', allocatedOn: '2021-03-01' }))
      .thenThrows('insufficient-funds-at-date', 'amount');
  });
});

describe('allocation-id-exists', () => {
  // An allocation id names one allocation of the batch for ever; a reallocation is a reversal
  // plus a new allocation id.
  it('refuses an allocation id used already in the batch (409)', () => {
    given(issued(), allocated({ allocationId: 'A1' }))
      .when(allocate({ allocationId: 'A1', amount: '1.00' }))
      .thenThrows('allocation-id-exists', 'allocationId');
  });

  it('refuses it also when that allocation was given back in full', () => {
    given(issued(), allocated(), allocationReversed())
      .when(allocate())
      .thenThrows('allocation-id-exists', 'allocationId');
  });
});

describe('what an allocation names', () => {
  it('checks its ids, amount and date', () => {
    given(issued())
      .when(allocate({ allocationId: '-A1' }))
      .thenThrows('invalid-id', 'allocationId');
    given(issued())
      .when(allocate({ projectId: asWire<string>(undefined) }))
      .thenThrows('invalid-id', 'projectId');
    given(issued())
      .when(allocate({ amount: '0' }))
      .thenThrows('invalid-amount', 'amount');
    given(issued())
      .when(allocate({ allocatedOn: '2021-13-01' }))
      .thenThrows('invalid-date', 'allocatedOn');
  });

  it("carries the batch's source and fiscal year", () => {
    given(issued({ source: 'special_bond', fiscalYear: 2022 }))
      .when(allocate())
      .then(allocated({ source: 'special_bond', fiscalYear: 2022 }));
  });
});

describe('reversing an allocation', () => {
  // All (no amount) or part of an allocation is given back to the batch, never more than remains.
  const history = [issued(), allocated({ allocationId: 'A1', amount: '400000.00' })];

  it('gives back part of an allocation (not full)', () => {
    given(...history)
      .when(reverseAllocation({ amount: '150000.00' }))
      .then(allocationReversed({ amount: '150000.00', full: false, allocatedTotal: '250000.00' }));
  });

  it('gives back all that remains when no amount is given (full)', () => {
    given(
      ...history,
      allocationReversed({ reversalId: 'AR1', amount: '150000.00', full: false, allocatedTotal: '250000.00' }),
    )
      .when(reverseAllocation({ reversalId: 'AR2' }))
      .then(allocationReversed({ reversalId: 'AR2', amount: '250000.00', full: true, allocatedTotal: '0.00' }));
  });

  it('refuses giving back one fen more than remains (reversal-exceeds-entry)', () => {
    given(
      ...history,
      allocationReversed({ reversalId: 'AR1', amount: '150000.00', full: false, allocatedTotal: '250000.00' }),
    )
      .when(reverseAllocation({ reversalId: 'AR2', amount: '250000.01' }))
      .thenThrows('reversal-exceeds-entry', 'amount');
  });

  it('refuses a reversal of an allocation given back in full (nothing-to-reverse, field allocationId)', () => {
    given(...history, allocationReversed())
      .when(reverseAllocation({ reversalId: 'AR2' }))
      .thenThrows('nothing-to-reverse', 'allocationId');
  });

  it('refuses a reversal dated before the allocation (date-before-allocation); the same day is fine', () => {
    given(...history)
      .when(reverseAllocation({ reversedOn: '2021-06-09' }))
      .thenThrows('date-before-allocation', 'reversedOn');
    given(...history)
      .when(reverseAllocation({ reversedOn: '2021-06-10' }))
      .thenState((s) => expect(s.allocatedFen).toBe(0n));
  });

  it('refuses a reversal of an allocation the batch does not have (allocation-not-found)', () => {
    given(...history)
      .when(reverseAllocation({ allocationId: 'A9' }))
      .thenThrows('allocation-not-found', 'allocationId');
  });

  it('refuses a reversal id used already on the allocation (entry-id-exists, 409)', () => {
    given(...history, allocationReversed({ amount: '1.00', full: false, allocatedTotal: '399999.00' }))
      .when(reverseAllocation({ amount: '1.00' }))
      .thenThrows('entry-id-exists', 'reversalId');
  });

  it('takes the same reversal id on another allocation of the batch as a reversal of its own', () => {
    // The project gives an allocation back before the batch does, and each allocation's project
    // keeps its own reversal ids: a batch that refused the id here would leave that project's
    // allocation given back and the batch's room taken, for ever.
    given(
      ...history,
      allocated({ allocationId: 'A2', projectId: 'TN2021-020', amount: '100000.00', allocatedTotal: '500000.00' }),
      allocationReversed({ reversalId: 'AR1', allocationId: 'A1', amount: '400000.00', allocatedTotal: '100000.00' }),
    )
      .when(reverseAllocation({ reversalId: 'AR1', allocationId: 'A2' }))
      .then(
        allocationReversed({
          reversalId: 'AR1',
          allocationId: 'A2',
          projectId: 'TN2021-020',
          amount: '100000.00',
          full: true,
          allocatedTotal: '0.00',
        }),
      );
  });

  it('checks its id, reason, date and amount', () => {
    given(...history)
      .when(reverseAllocation({ reversalId: 'AR 1' }))
      .thenThrows('invalid-id', 'reversalId');
    given(...history)
      .when(reverseAllocation({ reason: '' }))
      .thenThrows('invalid-field', 'reason');
    given(...history)
      .when(reverseAllocation({ reversedOn: '2021-8-1' }))
      .thenThrows('invalid-date', 'reversedOn');
    given(...history)
      .when(reverseAllocation({ amount: '1.234' }))
      .thenThrows('invalid-amount', 'amount');
  });
});

describe('evolve', () => {
  // The state keeps each allocation net of its reversals, and the batch's total net of them all.
  it('nets allocations against their reversals', () => {
    const state = fold(fundBatchDecider, [
      issued({ source: 'municipal_subsidy', program: 'parking' }),
      allocated({ allocationId: 'A1', amount: '400000.00' }),
      allocated({ allocationId: 'A2', projectId: 'TN2021-020', amount: '100000.00', allocatedTotal: '500000.00' }),
      allocationReversed({
        reversalId: 'AR1',
        allocationId: 'A1',
        amount: '150000.00',
        full: false,
        allocatedTotal: '350000.00',
      }),
    ]);
    expect(state).toMatchObject({
      issued: true,
      batchId: BATCH_ID,
      source: 'municipal_subsidy',
      program: 'parking',
      amountFen: 1_000_000_00n,
      allocatedFen: 350_000_00n,
    });
    expect(state.allocations.get('A1')).toEqual({
      allocationId: 'A1',
      projectId: 'TN2021-017',
      amountFen: 400_000_00n,
      reversedFen: 150_000_00n,
      allocatedOn: '2021-06-10',
    });
    expect(state.allocations.get('A2')).toMatchObject({ reversedFen: 0n });
  });

  // "an unknown type a hard error" (issue 13, point 7): refused where the stored event is read
  // (naming type, stream and revision), and evolve's exhaustiveness check trips on one that got past.
  // (Before the registry, evolve skipped it silently.)
  it('refuses an event type it does not know', () => {
    const stored = { type: 'fund-batch-renamed.v9', data: {}, streamId: `fundbatch-${BATCH_ID}`, revision: 3n };
    expect(() => fundBatchEvents.parse(stored)).toThrow(
      expect.objectContaining({
        code: 'unknown-event-type',
        type: 'fund-batch-renamed.v9',
        streamId: `fundbatch-${BATCH_ID}`,
        revision: 3n,
      }),
    );
    const before = fold(fundBatchDecider, [issued()]);
    expect(() => fundBatchDecider.evolve(before, asWire({ type: 'fund-batch-renamed.v9', data: {} }))).toThrow(
      /unhandled fund-batch event of type fund-batch-renamed\.v9/,
    );
  });

  // style.md rule 12: the state evolve is given stays as it was.
  it('returns a new state and leaves the earlier one unchanged', () => {
    const earlier = fold(fundBatchDecider, [issued(), allocated({ allocationId: 'A1', amount: '400000.00' })]);
    const seen = { ...earlier, allocations: [...earlier.allocations], reversalIds: [...earlier.reversalIds] };
    const later = fold(
      fundBatchDecider,
      [
        allocated({ allocationId: 'A2', amount: '100000.00', allocatedTotal: '500000.00' }),
        allocationReversed({
          reversalId: 'AR1',
          allocationId: 'A1',
          amount: '150000.00',
          full: false,
          allocatedTotal: '350000.00',
        }),
      ],
      earlier,
    );
    expect({ ...earlier, allocations: [...earlier.allocations], reversalIds: [...earlier.reversalIds] }).toEqual(seen);
    expect(earlier.allocatedFen).toBe(400_000_00n);
    expect(later.allocatedFen).toBe(350_000_00n);
    expect(later.allocations.get('A1')).toMatchObject({ reversedFen: 150_000_00n });
  });

  // What decide guaranteed when each event was written; a log that breaks it fails loudly.
  it.each<[string, FundBatchEvent[], RegExp]>([
    ['an allocation before the issue', [allocated()], /funds-allocated.v1 follows the batch's issue/],
    ['a second issue', [issued(), issued()], /issued once/],
    ['an allocation made twice', [issued(), allocated(), allocated()], /allocation A1 is made once/],
    [
      'allocations beyond the batch',
      [issued({ amount: '10.00' }), allocated({ amount: '10.01' })],
      /never allocates more than its amount/,
    ],
    [
      'a reversal of an allocation never made',
      [issued(), allocationReversed()],
      /allocation A1 is made before it is reversed/,
    ],
    [
      'a reversal made twice',
      [
        issued(),
        allocated(),
        allocationReversed({ amount: '1.00', full: false }),
        allocationReversed({ amount: '1.00', full: false }),
      ],
      /reversal A1\/AR1 is made once/,
    ],
    [
      'a reversal beyond its allocation',
      [issued(), allocated({ amount: '10.00' }), allocationReversed({ amount: '10.01' })],
      /never reversed beyond its amount/,
    ],
  ])('refuses to fold %s', (_what, history, rule) => {
    expect(() => fold(fundBatchDecider, history.slice(0, -1))).not.toThrow();
    expect(() => fold(fundBatchDecider, history)).toThrow(new RegExp(`invariant violated: .*${rule.source}`));
  });
});
