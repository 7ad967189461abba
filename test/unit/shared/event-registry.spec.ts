/**
 * The registry of event types (issue 13, point 7; style.md rule 12): a stored event is parsed at
 * the store boundary into a typed domain event, its shape checked field by field; a superseded
 * version is upcast to the current one; an unknown type is a hard error naming where it was found.
 */
import { TreasuryFileEventType } from '../../../src/treasury-file/treasury-file.events';
import { FiscalYearEventType } from '../../../src/fiscal-year/fiscal-year.events';
import { BankAccountEventType } from '../../../src/bank-account/bank-account.events';
import { SEAL_EVENT_TYPE } from '../../../src/audit/seal';
import { FundBatchEventType } from '../../../src/fund-batch/fund-batch.events';
import { ProjectEvent, ProjectEventType, projectEvents } from '../../../src/project/project.events';
import { decimalAmount, integer, optional, shape, string } from '../../../src/shared/domain/data-shape';
import { DomainEvent } from '../../../src/shared/domain/decider';
import { EventRegistry, StoredEventError, upcaster } from '../../../src/shared/domain/event-registry';
import { ledgerEvents } from '../../../src/events/ledger-events';
import {
  allocationRecorded,
  allocationReleased,
  approved,
  budgetLine,
  disbursed,
  pledged,
  received,
  registered,
  reversed,
} from '../../support/project-fixtures';
import { allocated, allocationReversed, issued } from '../fund-batch/fund-batch-fixtures';

const STREAM = 'project-TN2021-017';
/** As the store hands an event over: JSON data, with where it was read. */
const stored = (e: { type: string; data: unknown }, revision = 7n) => ({
  type: e.type,
  data: JSON.parse(JSON.stringify(e.data)),
  streamId: STREAM,
  revision,
});

function refusal(parse: () => unknown): StoredEventError {
  try {
    parse();
  } catch (err) {
    if (err instanceof StoredEventError) return err;
    throw err;
  }
  throw new Error('expected the stored event to be refused, and it was parsed');
}

describe('parsing a stored event', () => {
  // Every event decide writes reads back as itself: the parsers take every field of every type.
  it.each([
    registered(),
    approved(),
    budgetLine({ utility: 'gas', item: 'gas' }),
    pledged({ lineId: 'B1-roof', details: { householdId: 'H-1' } }),
    received({ pledgeId: 'P1', allocationId: 'A1', batchId: 'B-1', lineId: 'B1-roof' }),
    disbursed({ allocationId: 'A1', batchId: 'B-1' }),
    reversed({ pledgeId: 'P1', allocationId: 'A1', batchId: 'B-1', lineId: 'B1-roof' }),
    allocationRecorded({ program: 'parking' }),
    allocationReleased(),
  ] as ProjectEvent[])('reads $type back as the event that was written', (event) => {
    expect(projectEvents.parse(stored(event))).toEqual(event);
  });

  it.each([issued({ program: 'parking' }), allocated(), allocationReversed()])(
    'reads $type from a fund-batch stream',
    (event) => {
      expect(ledgerEvents.parse(stored(event))).toEqual(event);
    },
  );

  it('leaves a field its type does not list in place, unread', () => {
    const data = { ...received().data, note: 'not a field of v1' };
    const parsed = projectEvents.parse(stored({ type: ProjectEventType.received, data }));
    expect(parsed).toEqual({ type: ProjectEventType.received, data });
  });
});

describe('a malformed stored event', () => {
  // The refusal names the field, the type, the stream and the revision, so the log can be mended.
  it('is refused when money is a JSON number, naming the field', () => {
    const err = refusal(() =>
      projectEvents.parse(stored({ type: ProjectEventType.received, data: { ...received().data, amount: 100 } }, 12n)),
    );
    expect(err).toMatchObject({
      code: 'malformed-event',
      type: 'funds-received.v1',
      field: 'amount',
      streamId: STREAM,
      revision: 12n,
    });
    expect(err.message).toBe(
      `event 12 of ${STREAM} (funds-received.v1) does not fit its shape: data.amount must be a decimal amount string such as "1250.00" (got number 100)`,
    );
  });

  it('is refused when a required field is missing, or a nested one has the wrong type', () => {
    const { receiptId: _dropped, ...withoutId } = received().data;
    expect(
      refusal(() => projectEvents.parse(stored({ type: ProjectEventType.received, data: withoutId }))),
    ).toMatchObject({ field: 'receiptId' });
    const details = { ...received().data, details: { householdId: 7 } };
    expect(
      refusal(() => projectEvents.parse(stored({ type: ProjectEventType.received, data: details }))),
    ).toMatchObject({ field: 'details.householdId' });
    const kind = { ...reversed().data, entryKind: 'refund' };
    expect(refusal(() => projectEvents.parse(stored({ type: ProjectEventType.reversed, data: kind })))).toMatchObject({
      field: 'entryKind',
    });
    const year = { ...pledged().data, fiscalYear: '2021' };
    expect(refusal(() => projectEvents.parse(stored({ type: ProjectEventType.pledged, data: year })))).toMatchObject({
      field: 'fiscalYear',
    });
  });

  it('is refused when its data is not an object', () => {
    expect(refusal(() => projectEvents.parse({ type: ProjectEventType.registered, data: null }))).toMatchObject({
      code: 'malformed-event',
      field: undefined,
    });
  });
});

describe('an unknown event type', () => {
  it('is a hard error naming the type, stream and revision', () => {
    const err = refusal(() =>
      projectEvents.parse({ type: 'funds-received.v2', data: received().data, streamId: STREAM, revision: 41n }),
    );
    expect(err).toMatchObject({
      code: 'unknown-event-type',
      type: 'funds-received.v2',
      streamId: STREAM,
      revision: 41n,
      field: undefined,
    });
    expect(err.message).toMatch(
      /^event 41 of project-TN2021-017 has type funds-received\.v2, which the project event registry does not know/,
    );
  });

  it('is an error without a stream too', () => {
    expect(refusal(() => ledgerEvents.parse({ type: 'command-appended.v1', data: {} }))).toMatchObject({
      code: 'unknown-event-type',
      streamId: undefined,
    });
  });

  it('is what a fund-batch type is to the project registry', () => {
    expect(refusal(() => projectEvents.parse(stored(issued())))).toMatchObject({
      code: 'unknown-event-type',
      type: 'fund-batch-issued.v1',
    });
  });
});

describe('upcasting a superseded version', () => {
  // A test-only event whose shape changed twice: v1 had `yuan` as text, v2 named it `amount`,
  // v3 added the fiscal year (events written before it belong to 2021). The log keeps v1 and v2
  // as written; readers see v3 only.
  interface TestPaidV1 {
    paidTo: string;
    yuan: string;
  }
  interface TestPaidV2 {
    paidTo: string;
    amount: string;
  }
  interface TestPaid {
    paidTo: string;
    amount: string;
    fiscalYear: number;
    note?: string;
  }
  type TestEvent = DomainEvent<'test-paid.v3', TestPaid>;
  const registry = new EventRegistry<TestEvent>(
    'test',
    {
      'test-paid.v3': shape<TestPaid>({
        paidTo: string,
        amount: decimalAmount,
        fiscalYear: integer,
        note: optional(string),
      }),
    },
    {
      'test-paid.v1': upcaster(
        shape<TestPaidV1>({ paidTo: string, yuan: string }),
        'test-paid.v2',
        (old): TestPaidV2 => ({ paidTo: old.paidTo, amount: old.yuan }),
      ),
      'test-paid.v2': upcaster(
        shape<TestPaidV2>({ paidTo: string, amount: decimalAmount }),
        'test-paid.v3',
        (old): TestPaid => ({ ...old, fiscalYear: 2021 }),
      ),
    },
  );

  it('reads each old version as the current one, through the chain', () => {
    const current: TestEvent = {
      type: 'test-paid.v3',
      data: { paidTo: 'Tongnan Construction Co.', amount: '10.00', fiscalYear: 2021 },
    };
    expect(
      registry.parse({ type: 'test-paid.v1', data: { paidTo: 'Tongnan Construction Co.', yuan: '10.00' } }),
    ).toEqual(current);
    expect(
      registry.parse({ type: 'test-paid.v2', data: { paidTo: 'Tongnan Construction Co.', amount: '10.00' } }),
    ).toEqual(current);
    expect(registry.parse({ type: 'test-paid.v3', data: { ...current.data, fiscalYear: 2022 } }).data.fiscalYear).toBe(
      2022,
    );
    expect(registry.types).toEqual(['test-paid.v3', 'test-paid.v1', 'test-paid.v2']);
  });

  it('checks the old shape, and the upcast data against the next version', () => {
    expect(
      refusal(() => registry.parse({ type: 'test-paid.v1', data: { paidTo: 'X' }, streamId: 's-1', revision: 0n })),
    ).toMatchObject({
      code: 'malformed-event',
      type: 'test-paid.v1',
      field: 'yuan',
    });
    const err = refusal(() => registry.parse({ type: 'test-paid.v1', data: { paidTo: 'X', yuan: 'ten' } }));
    expect(err).toMatchObject({ code: 'malformed-event', type: 'test-paid.v1', field: 'amount' });
    expect(err.message).toMatch(/\(upcast to test-paid\.v2\)/);
  });

  it('refuses, when built, a chain that does not reach a current type, or a name that is not <kebab-name>.vN', () => {
    const parsers = {
      'test-paid.v3': shape<TestPaid>({
        paidTo: string,
        amount: decimalAmount,
        fiscalYear: integer,
        note: optional(string),
      }),
    };
    const v1 = (to: string) => upcaster(shape<TestPaidV1>({ paidTo: string, yuan: string }), to, (old) => old);
    expect(() => new EventRegistry<TestEvent>('test', parsers, { 'test-paid.v1': v1('test-paid.v2') })).toThrow(
      /upcasts to test-paid\.v2, which is not registered/,
    );
    expect(
      () =>
        new EventRegistry<TestEvent>('test', parsers, {
          'test-paid.v1': v1('test-paid.v2'),
          'test-paid.v2': v1('test-paid.v1'),
        }),
    ).toThrow(/cycle/);
    expect(() => new EventRegistry<TestEvent>('test', parsers, { 'test-paid.v3': v1('test-paid.v3') })).toThrow(
      /both a parser and an upcaster/,
    );
    expect(() => new EventRegistry<TestEvent>('test', parsers, { TestPaidV0: v1('test-paid.v3') })).toThrow(
      /not a <kebab-name>\.vN type name/,
    );
  });
});

describe('the ledger registry, for $all', () => {
  // Projections and reactors read every stream: nothing the ledger writes may be unknown to them.
  it('knows every type of every aggregate, the seal, and the superseded versions it upcasts', () => {
    const written = [
      ...Object.values(ProjectEventType),
      ...Object.values(FundBatchEventType),
      ...Object.values(BankAccountEventType),
      ...Object.values(FiscalYearEventType),
      ...Object.values(TreasuryFileEventType),
      SEAL_EVENT_TYPE,
    ];
    const superseded = ['project-registered.v1', 'project-approved.v1'];
    expect([...ledgerEvents.types].sort()).toEqual([...written, ...superseded].sort());
  });

  // A registration written before eligibility was recorded reads with the basis its build year
  // gives (no justification was asked then); an approval written before paths were dated policy
  // keeps its path and says that its infrastructure and rule were not recorded.
  it('upcasts project-registered.v1 and project-approved.v1', () => {
    const v1 = {
      projectId: 'P',
      name: 'n',
      community: 'c',
      town: 't',
      builtYear: 2003,
      buildingArea: 100,
      households: 2,
    };
    expect(projectEvents.parse({ type: 'project-registered.v1', data: v1 })).toEqual({
      type: 'project-registered.v2',
      data: { ...v1, eligibility: expect.objectContaining({ basis: 'none', withinScope: false }) },
    });
    const approvedV1 = {
      projectId: 'P',
      approvedInvestment: '8000000.00',
      approvalPath: 'plan_review',
      docNo: 'd',
      approvedOn: '2021-05-01',
      reapproval: false,
    };
    expect(projectEvents.parse({ type: 'project-approved.v1', data: approvedV1 })).toEqual({
      type: 'project-approved.v2',
      data: { ...approvedV1, involvesIndependentInfrastructure: null, ruleId: null },
    });
  });

  it('reads a seal event', () => {
    const seal = {
      sealId: '20240131T083000Z-1a2b3c4d',
      sealedAt: '2024-01-31T08:30:00.000Z',
      headPosition: '42',
      streams: [{ streamId: STREAM, revision: 7, hash: 'a'.repeat(64) }],
      digest: 'b'.repeat(64),
      publicKey: '-----BEGIN PUBLIC KEY-----\n...',
      keyFingerprint: 'c'.repeat(64),
      signature: 'ZGVm',
    };
    expect(ledgerEvents.parse({ type: SEAL_EVENT_TYPE, data: seal, streamId: 'seal-x', revision: 0n })).toEqual({
      type: SEAL_EVENT_TYPE,
      data: seal,
    });
    const broken = { ...seal, streams: [{ streamId: STREAM, revision: '7', hash: 'a'.repeat(64) }] };
    expect(refusal(() => ledgerEvents.parse({ type: SEAL_EVENT_TYPE, data: broken }))).toMatchObject({
      field: 'streams[0].revision',
    });
  });

  it('refuses two registrations of one type', () => {
    expect(() => EventRegistry.combine('twice', projectEvents, projectEvents)).toThrow(
      /project-registered\.v2 is registered twice/,
    );
  });
});
