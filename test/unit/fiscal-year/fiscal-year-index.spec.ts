/**
 * Which years are closed, as every money entry looks it up before its write: the years closed
 * before the index started are known on the first look-up, a close or reopen this process writes
 * at once, one another process writes once the subscription reaches it, and the subscription
 * bringing an older act after a newer note never undoes it. A refusal names the year and the date.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../../src/event-store/sqlite/sqlite-event-store';
import { FiscalYearEventType as T, fiscalYearStreamId } from '../../../src/fiscal-year/fiscal-year.events';
import { FiscalYearQueries } from '../../../src/funding/fiscal-years/fiscal-year-queries';
import { batchEntryDate, projectEntryDate } from '../../../src/funding/fiscal-years/entry-dates';
import { newEvent } from '../../support/new-events';
import { LogIndex } from '../../../src/event-store/log-index';

const context = { commandId: 'c-new' } as Parameters<FiscalYearQueries['refuseClosed']>[1];

describe('the index of closed fiscal years', () => {
  let dir: string;
  let store: SqliteEventStore;
  let years: FiscalYearQueries;

  /** An act recorded straight in the store, as another process (or this one before a restart) records it. */
  const closed = (year: number, expected: bigint | 'no_stream') =>
    store.append(
      fiscalYearStreamId(year),
      [newEvent(T.closed, { fiscalYear: year, closedOn: `${year + 1}-01-10` })],
      expected,
    );
  const reopened = (year: number, expected: bigint) =>
    store.append(
      fiscalYearStreamId(year),
      [newEvent(T.reopened, { fiscalYear: year, reopenedOn: `${year + 1}-02-01`, reason: '补记' })],
      expected,
    );

  /** Whether `year` is closed once the subscription has had up to two seconds to reach it. */
  async function closedSoon(year: number): Promise<boolean> {
    for (const end = Date.now() + 2_000; Date.now() < end; await new Promise((r) => setTimeout(r, 10)))
      if (await years.isClosed(year)) return true;
    return false;
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fiscal-year-index-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
    years = new FiscalYearQueries(store, new LogIndex(store));
  });
  afterEach(async () => {
    await years.beforeApplicationShutdown();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shares one read of the log with the other indexes that follow it, which must follow before it starts', async () => {
    await closed(2021, 'no_stream');
    const subscribe = jest.spyOn(store, 'subscribeToAll');
    const log = new LogIndex(store);
    const seen: string[] = [];
    log.follow((stored) => seen.push(stored.type));
    const shared = new FiscalYearQueries(store, log);
    shared.onApplicationBootstrap();
    try {
      expect(await shared.isClosed(2021)).toBe(true);
      expect(seen).toEqual([T.closed]);
      expect(subscribe).toHaveBeenCalledTimes(1);
      expect(() => log.follow(() => undefined)).toThrow(/before it starts/);
    } finally {
      await shared.beforeApplicationShutdown();
    }
  });

  it('knows the years closed before it started on the first look-up', async () => {
    await closed(2021, 'no_stream');
    await closed(2022, 'no_stream');
    await reopened(2022, 0n);
    years.onApplicationBootstrap();
    expect(await years.isClosed(2021)).toBe(true);
    expect(await years.isClosed(2022)).toBe(false);
    expect(await years.isClosed(2023)).toBe(false);
  });

  it("knows another process's close once the subscription reaches it", async () => {
    expect(await years.isClosed(2022)).toBe(false);
    await closed(2022, 'no_stream');
    expect(await closedSoon(2022)).toBe(true);
  });

  it("holds this process's acts at once", async () => {
    expect(await years.isClosed(2022)).toBe(false);
    await closed(2022, 'no_stream');
    years.noteWritten(2022, true, 0n);
    expect(await years.isClosed(2022)).toBe(true);
    await reopened(2022, 0n);
    years.noteWritten(2022, false, 1n);
    expect(await years.isClosed(2022)).toBe(false);
  });

  it('never lets an older act the subscription brings undo a newer one noted', async () => {
    await closed(2022, 'no_stream');
    // The reopen this process wrote (revision 1) is noted before the subscription reaches the close (revision 0).
    years.noteWritten(2022, false, 1n);
    expect(await years.isClosed(2022)).toBe(false);
  });

  it('refuses an entry dated in a closed year naming the year and the date, and lets others pass', async () => {
    await closed(2022, 'no_stream');
    const receipt = { field: 'receivedOn', date: '2022-05-01' };
    await expect(years.refuseClosed(receipt, context)).rejects.toMatchObject({
      code: 'year-closed',
      status: 409,
      field: 'receivedOn',
      message: expect.stringContaining('fiscal year 2022 is closed'),
    });
    await expect(years.refuseClosed({ field: 'receivedOn', date: '2023-01-02' }, context)).resolves.toBeUndefined();
    await expect(years.refuseClosed(null, context)).resolves.toBeUndefined();
  });
});

describe('the date that puts an entry in its year', () => {
  it('is the business date of every money entry', () => {
    const base = { projectId: 'P', amount: '1.00' };
    expect(projectEntryDate({ ...base, type: 'ReceiveFunds', receivedOn: '2022-05-01' } as never)).toEqual({
      field: 'receivedOn',
      date: '2022-05-01',
    });
    expect(projectEntryDate({ ...base, type: 'DisburseFunds', paidOn: '2022-05-02' } as never)?.field).toBe('paidOn');
    // A 结转: an indicator of 2022 paid in 2023 is dated in the year it is carried into.
    expect(
      projectEntryDate({ ...base, type: 'MakeTreasuryPayment', paidOn: '2023-03-01', fiscalYear: 2022 } as never),
    ).toEqual({ field: 'paidOn', date: '2023-03-01' });
    expect(projectEntryDate({ ...base, type: 'PledgeFunding', pledgedOn: '2022-01-01' } as never)?.field).toBe(
      'pledgedOn',
    );
    expect(projectEntryDate({ ...base, type: 'ReverseEntry', reversedOn: '2022-01-01' } as never)?.field).toBe(
      'reversedOn',
    );
    expect(batchEntryDate({ type: 'IssueFundBatch', issuedOn: '2022-06-01' } as never).field).toBe('issuedOn');
    expect(batchEntryDate({ type: 'AllocateFunds', allocatedOn: '2022-06-02' } as never).field).toBe('allocatedOn');
    expect(batchEntryDate({ type: 'ReverseAllocation', reversedOn: '2022-06-03' } as never).field).toBe('reversedOn');
  });

  it('is none for what books no money', () => {
    expect(projectEntryDate({ type: 'RegisterProject' } as never)).toBeNull();
    expect(projectEntryDate({ type: 'RecordMilestone' } as never)).toBeNull();
  });
});
