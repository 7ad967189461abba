/**
 * Which accounts serve a project, as the receipts and payments look it up on every write: the
 * accounts recorded before the index started are all there on the first look-up, an account this
 * process records is there at once, and one another process records once the subscription reaches it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BankAccountEventType, bankAccountStreamId } from '../../../src/bank-account/bank-account.events';
import { SqliteEventStore } from '../../../src/event-store/sqlite/sqlite-event-store';
import { BankAccountQueries } from '../../../src/funding/bank-accounts/bank-account-queries';
import { newEvent } from '../../support/new-events';
import { LogIndex } from '../../../src/event-store/log-index';

describe('the index of the accounts serving each project', () => {
  let dir: string;
  let store: SqliteEventStore;
  let queries: BankAccountQueries;

  /** An account recorded straight in the store, as another process (or this one before a restart) records it. */
  const recorded = (accountId: string, projectIds: string[]) =>
    store.append(
      bankAccountStreamId(accountId),
      [
        newEvent(BankAccountEventType.opened, {
          accountId,
          name: '资金专户',
          bank: '中国农业银行潼南支行',
          accountNo: '3105 0101 0400 1234',
          projectIds,
        }),
      ],
      'no_stream',
    );

  /** Resolves once `projectId` is served by `count` accounts; rejects after two seconds. */
  async function servedBy(projectId: string, count: number): Promise<readonly string[]> {
    const end = Date.now() + 2_000;
    for (;;) {
      const accounts = await queries.accountsServing(projectId);
      if (accounts.length === count) return accounts;
      if (Date.now() > end) throw new Error(`${projectId} is served by ${accounts.join(', ')}, not ${count} accounts`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bank-account-index-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
    queries = new BankAccountQueries(store, new LogIndex(store));
  });
  afterEach(async () => {
    await queries.beforeApplicationShutdown();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds every account recorded before it started on the first look-up, in the order recorded', async () => {
    await recorded('ZH-2', ['P1', 'P2']);
    await store.append('other-1', [newEvent('other.v1', { n: 1 })], 'no_stream');
    await recorded('ZH-1', ['P1']);
    queries.onApplicationBootstrap();
    expect(await queries.accountsServing('P1')).toEqual(['ZH-2', 'ZH-1']);
    expect(await queries.accountsServing('P2')).toEqual(['ZH-2']);
    expect(await queries.accountsServing('P3')).toEqual([]);
  });

  it("finds another process's account once the subscription reaches it", async () => {
    await recorded('ZH-1', ['P1']);
    expect(await queries.accountsServing('P1')).toEqual(['ZH-1']);
    await recorded('ZH-2', ['P1']);
    expect(await servedBy('P1', 2)).toEqual(['ZH-1', 'ZH-2']);
  });

  it("holds this process's account at once, and once only when the subscription reaches it too", async () => {
    expect(await queries.accountsServing('P1')).toEqual([]);
    await recorded('ZH-1', ['P1']);
    queries.noteOpened('ZH-1', ['P1']);
    expect(await queries.accountsServing('P1')).toEqual(['ZH-1']);
    await recorded('ZH-2', ['P2']);
    await servedBy('P2', 1);
    expect(await queries.accountsServing('P1')).toEqual(['ZH-1']);
  });
});
