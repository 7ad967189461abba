/**
 * Read models are idempotent by global position, rebuildable from zero, and keep their checkpoint
 * in the same transaction as their rows.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordedEvent } from '../../src/event-store/event-store.port';
import { storedEventHash } from '../../src/event-store/hashing';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { ledgerEvents } from '../../src/events/ledger-events';
import { ProjectEvent } from '../../src/project/project.events';
import { StoredEventError } from '../../src/shared/domain/event-registry';
import { parseRecord } from '../../src/shared/events/parsed-record';
import { ProjectionRunner } from '../../src/projection-runner/projection-runner';
import { PROJECTIONS } from '../../src/projection-runner/read-models';
import { fundingMixProjection } from '../../projections/funding-mix/funding-mix.projection';
import { fundingMixFromEvents, mixOf, readFundingMix } from '../../projections/funding-mix/funding-mix.query';
import { takes } from '../../src/shared/projection/projection-definition';
import { projectListProjection, readProjectList } from '../../projections/project-list/project-list.projection';
import {
  disbursed,
  pledged,
  received,
  registered,
  reversalReversed,
  reversed,
  treasuryPaid,
} from '../support/project-fixtures';
import { storedAt } from '../support/recorded-events';

let position = 0n;
/**
 * `e` as the ledger would have written it: its hash recomputed over what it holds. An event that no
 * longer hashes to its recorded hash was changed in the store, and the runner goes past it
 * (tampered-history.e2e.spec.ts); one written so, which this code cannot read, stops the runner.
 */
function writtenSo(e: RecordedEvent): RecordedEvent {
  const metadata = { ...e.metadata };
  metadata.hash = storedEventHash(e.streamId, e.revision, e.type, e.data, metadata);
  return { ...e, metadata };
}

function recorded({ type, data }: ProjectEvent): RecordedEvent {
  position += 1n;
  return storedAt(position, `project-${data.projectId}`, type, data);
}

function history(): RecordedEvent[] {
  position = 0n;
  const projectId = 'TN-1';
  return [
    registered({
      projectId,
      name: 'n',
      community: 'c',
      town: '梓潼街道',
      builtYear: 1990,
      buildingArea: 10,
      households: 1,
    }),
    pledged({ projectId, pledgeId: 'P1', source: 'district_matching', amount: '500.00' }),
    received({ projectId, receiptId: 'R1', source: 'district_matching', amount: '300.00', pledgeId: 'P1' }),
    received({ projectId, receiptId: 'R2', source: 'resident_direct', amount: '100.00' }),
    disbursed({ projectId, paymentId: 'D1', source: 'district_matching', lineId: 'B1', amount: '120.50' }),
    reversed({
      projectId,
      reversalId: 'X1',
      entryId: 'R2',
      entryKind: 'receipt',
      source: 'resident_direct',
      amount: '40.00',
      full: false,
    }),
    reversed({
      projectId,
      reversalId: 'X2',
      entryId: 'P1',
      entryKind: 'pledge',
      source: 'district_matching',
      amount: '200.00',
      full: true,
    }),
  ].map(recorded);
}

/** The history as projections take it: parsed by the ledger's registry. */
const records = () => history().map((e) => parseRecord(ledgerEvents, e));

function memoryDb(): Database.Database {
  const db = new Database(':memory:');
  db.defaultSafeIntegers(true);
  db.exec(fundingMixProjection.schema);
  return db;
}

describe('funding-mix projection', () => {
  it('nets reversals per source: pledged, received, disbursed, available, share', () => {
    const mix = fundingMixFromEvents('TN-1', records());
    expect(mix.sources).toEqual([
      expect.objectContaining({
        source: 'resident_direct',
        pledged: '0.00',
        received: '60.00',
        disbursed: '0.00',
        available: '60.00',
        share: '16.67',
      }),
      expect.objectContaining({
        source: 'district_matching',
        pledged: '300.00',
        received: '300.00',
        disbursed: '120.50',
        available: '179.50',
        share: '83.33',
      }),
    ]);
    expect(mix.totals).toEqual({
      pledged: '300.00',
      received: '360.00',
      disbursed: '120.50',
      available: '239.50',
      share: '100.00',
    });
  });

  it('gives back what an undone reversal took, and takes it again when the undo is undone', () => {
    const projectId = 'TN-1';
    const undoX1 = reversalReversed({
      projectId,
      reversalId: 'X3',
      reversedReversalId: 'X1',
      entryId: 'R2',
      source: 'resident_direct',
      amount: '40.00',
    });
    const undoX2 = reversalReversed({
      projectId,
      reversalId: 'X4',
      reversedReversalId: 'X2',
      entryId: 'P1',
      entryKind: 'pledge',
      amount: '50.00',
      full: false,
    });
    const redoX2 = reversalReversed({
      projectId,
      reversalId: 'X5',
      reversedReversalId: 'X4',
      entryId: 'P1',
      entryKind: 'pledge',
      amount: '20.00',
      restores: false,
      full: false,
    });
    const events = [...history(), ...[undoX1, undoX2, redoX2].map(recorded)].map((e) => parseRecord(ledgerEvents, e));
    const mix = fundingMixFromEvents(projectId, events);
    expect(mix.sources.map((s) => [s.source, s.pledged, s.received])).toEqual([
      ['resident_direct', '0.00', '100.00'],
      ['district_matching', '330.00', '300.00'],
    ]);
    const db = new Database(':memory:');
    db.defaultSafeIntegers(true);
    db.exec(projectListProjection.schema);
    for (const e of events) if (takes(projectListProjection, e)) projectListProjection.apply(db, e);
    expect(readProjectList(db)[0]).toMatchObject({ pledged: '330.00', received: '400.00', disbursed: '120.50' });
  });

  describe('a treasury direct payment (国库集中支付·直接支付)', () => {
    const projectId = 'TN-1';
    const onA1 = { projectId, source: 'district_matching', allocationId: 'A1', batchId: 'B-1', lineId: 'B1' };
    /** history(), a treasury payment of 80.00, 30.00 of it reversed and 10.00 of that restored. */
    const withTreasury = () =>
      [
        ...history(),
        ...[
          treasuryPaid({ ...onA1, paymentId: 'TP1', amount: '80.00' }),
          reversed({ ...onA1, reversalId: 'X8', entryId: 'TP1', entryKind: 'treasury_payment', amount: '30.00' }),
          reversalReversed({
            ...onA1,
            reversalId: 'X9',
            reversedReversalId: 'X8',
            entryId: 'TP1',
            entryKind: 'treasury_payment',
            amount: '10.00',
          }),
        ].map(recorded),
      ].map((e) => parseRecord(ledgerEvents, e));

    it('counts once as received and once as disbursed in the funding mix, its reversals taking back both', () => {
      const mix = fundingMixFromEvents(projectId, withTreasury());
      expect(mix.sources.find((s) => s.source === 'district_matching')).toMatchObject({
        pledged: '300.00',
        received: '360.00', // 300.00 received before, and 60.00 net of the treasury payment
        disbursed: '180.50', // 120.50 paid before, and the same 60.00
        available: '179.50', // as before: nothing of it sits unpaid
      });
      expect(mix.totals).toMatchObject({ received: '420.00', disbursed: '180.50' });
    });

    it('counts once as received and once as disbursed in the project list', () => {
      const db = new Database(':memory:');
      db.defaultSafeIntegers(true);
      db.exec(projectListProjection.schema);
      for (const e of withTreasury()) if (takes(projectListProjection, e)) projectListProjection.apply(db, e);
      expect(readProjectList(db)[0]).toMatchObject({ pledged: '300.00', received: '420.00', disbursed: '180.50' });
    });
  });

  it('the same events applied twice give the same rows', () => {
    const once = memoryDb();
    const twice = memoryDb();
    for (const r of records()) if (takes(fundingMixProjection, r)) fundingMixProjection.apply(once, r);
    const events = records();
    for (const r of [...events, ...events]) if (takes(fundingMixProjection, r)) fundingMixProjection.apply(twice, r);
    const rows = (db: Database.Database) => db.prepare('SELECT * FROM funding_mix ORDER BY project_id, source').all();
    expect(rows(twice)).toEqual(rows(once));
    expect(readFundingMix(twice, 'TN-1')).toEqual(readFundingMix(once, 'TN-1'));
  });

  it('shares always sum to exactly 100.00 (largest remainder), whatever the receipts', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let round = 0; round < 200; round++) {
      const rows = ['resident_direct', 'pipeline_unit', 'central_fiscal_subsidy', 'district_matching', 'special_bond']
        .slice(0, 1 + (next() % 5))
        .map((source) => ({
          source,
          pledged_fen: 0n,
          received_fen: BigInt(1 + (next() % 1_000_000)),
          disbursed_fen: 0n,
        }));
      const mix = mixOf('X', rows);
      const hundredths = mix.sources.reduce((t, s) => t + BigInt(s.share.replace('.', '')), 0n);
      expect(hundredths).toBe(10000n);
      expect(mix.tiers.reduce((t, s) => t + BigInt(s.share.replace('.', '')), 0n)).toBe(10000n);
    }
  });

  /** Cash, labour in kind, a donation in kind (valued) and one in cash, a reversal of each kind, a treasury payment. */
  function withInKind(): RecordedEvent[] {
    const projectId = 'TN-1';
    return [
      ...history(),
      ...[
        received({
          projectId,
          receiptId: 'K1',
          source: 'resident_in_kind',
          amount: '50.00',
          details: { valuationBasis: '2 工日 × 25.00' },
        }),
        received({
          projectId,
          receiptId: 'K2',
          source: 'social_donation',
          amount: '80.00',
          details: { donorKind: 'enterprise', valuationBasis: '健身器材 2 套' },
        }),
        received({
          projectId,
          receiptId: 'C1',
          source: 'social_donation',
          amount: '30.00',
          details: { donorKind: 'enterprise' },
        }),
        reversed({
          projectId,
          reversalId: 'X3',
          entryId: 'K2',
          source: 'social_donation',
          amount: '20.00',
          full: false,
        }),
        reversed({
          projectId,
          reversalId: 'X4',
          entryId: 'C1',
          source: 'social_donation',
          amount: '5.00',
          full: false,
        }),
        disbursed({ projectId, paymentId: 'D2', source: 'resident_in_kind', lineId: 'B1', amount: '10.00' }),
        treasuryPaid({ projectId, paymentId: 'TP1', amount: '70.00' }),
      ].map(recorded),
    ];
  }

  it('splits received and disbursed into cash and in kind (isInKind), the totals unchanged', () => {
    const mix = fundingMixFromEvents(
      'TN-1',
      withInKind().map((e) => parseRecord(ledgerEvents, e)),
    );
    // received: 300 + 60 (cash) + 50 + 60 (in kind) + 25 (cash donation) + 70 (treasury, cash)
    expect(mix.totals).toMatchObject({ received: '565.00', disbursed: '200.50' });
    expect(mix.byKind).toEqual({
      cash: { received: '455.00', disbursed: '190.50', available: '264.50' },
      inKind: { received: '110.00', disbursed: '10.00', available: '100.00' },
    });
    expect(mix.sources.find((s) => s.source === 'social_donation')).toMatchObject({
      received: '85.00',
      byKind: {
        cash: { received: '25.00', disbursed: '0.00', available: '25.00' },
        inKind: { received: '60.00', disbursed: '0.00', available: '60.00' },
      },
    });
    expect(mix.sources.find((s) => s.source === 'resident_in_kind')).toMatchObject({
      inKind: true,
      byKind: { cash: { received: '0.00' }, inKind: { received: '50.00', disbursed: '10.00' } },
    });
  });

  it('reads a reversal of a donation in kind as in kind, whether its receipt was written in the same fold or before', () => {
    const events = withInKind().map((e) => parseRecord(ledgerEvents, e));
    const gathered = memoryDb();
    const state = fundingMixProjection.gather!.start();
    for (const e of events) if (takes(fundingMixProjection, e)) fundingMixProjection.gather!.fold(state, e);
    fundingMixProjection.gather!.write(gathered, state);
    expect(readFundingMix(gathered, 'TN-1')).toEqual(fundingMixFromEvents('TN-1', events));
  });

  it('nothing received: every share is 0.00', () => {
    const mix = mixOf('X', [{ source: 'district_matching', pledged_fen: 100n, received_fen: 0n, disbursed_fen: 0n }]);
    expect(mix.sources[0].share).toBe('0.00');
    expect(mix.totals.share).toBe('0.00');
  });
});

describe('projection runner', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'runner-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rows = (r: ProjectionRunner) => ({
    mix: r.db.prepare('SELECT * FROM funding_mix ORDER BY project_id, source').all(),
    list: readProjectList(r.db),
  });

  it('a page delivered twice is applied once: the checkpoint moves with the rows', () => {
    const runner = new ProjectionRunner(store, PROJECTIONS, join(dir, 'rm.sqlite'));
    const events = history();
    runner.applyPage(events);
    const first = rows(runner);
    runner.applyPage(events);
    expect(rows(runner)).toEqual(first);
    expect(runner.position()).toBe(7n);
    void runner.close();
  });

  it('a malformed event in the middle of a page fails the page: rows and checkpoint stay as they were, and error() says why', () => {
    const runner = new ProjectionRunner(store, PROJECTIONS, join(dir, 'rm.sqlite'));
    const events = history();
    runner.applyPage(events.slice(0, 3));
    const before = rows(runner);
    const broken = writtenSo({ ...events[4], data: { ...events[4].data, amount: undefined } });
    expect(() => runner.applyPage([events[3], broken, ...events.slice(5)])).toThrow(StoredEventError);
    expect(rows(runner)).toEqual(before);
    expect(runner.position()).toBe(3n);
    expect(runner.error()).toMatchObject({ code: 'malformed-event', field: 'amount', streamId: 'project-TN-1' });
    runner.applyPage(events.slice(3)); // the page as the log holds it again: applied, and the error cleared
    expect(runner.position()).toBe(7n);
    expect(runner.error()).toBeNull();
    void runner.close();
  });

  it('an event of a type no registry knows is never skipped: its page fails each time it is offered', () => {
    const runner = new ProjectionRunner(store, PROJECTIONS, join(dir, 'rm.sqlite'));
    const events = history();
    runner.applyPage(events.slice(0, 3));
    const unknown = writtenSo({ ...events[3], type: 'funds-teleported.v1' });
    for (let offered = 0; offered < 2; offered++) {
      expect(() => runner.applyPage([unknown, ...events.slice(4)])).toThrow(StoredEventError);
      expect(runner.error()).toMatchObject({ code: 'unknown-event-type', type: 'funds-teleported.v1' });
      expect(runner.position()).toBe(3n);
    }
    void runner.close();
  });

  it('resumes after a restart without counting anything twice, and a rebuild from zero gives the same rows', async () => {
    const file = join(dir, 'rm.sqlite');
    const events = history();
    const r1 = new ProjectionRunner(store, PROJECTIONS, file);
    r1.applyPage(events.slice(0, 4));
    await r1.close();
    const r2 = new ProjectionRunner(store, PROJECTIONS, file);
    expect(r2.position()).toBe(4n);
    r2.applyPage(events); // the subscription re-delivers from its checkpoint; older events are skipped
    expect(readFundingMix(r2.db, 'TN-1')).toEqual(fundingMixFromEvents('TN-1', records()));
    await r2.close();
  });

  it('rebuild replays the store from position 0 into fresh tables', async () => {
    const { OptimisticWriter } = await import('../../src/event-store/write-path');
    const { projectDecider } = await import('../../src/project/project.decider');
    const w = new OptimisticWriter(store, projectDecider);
    const ctx = (id: string) => ({
      commandId: id,
      requestHash: id,
      actor: { id: 'u', role: 'admin', org: 'o' },
      correlationId: id,
      causationId: id,
      recordedAt: '2022-01-01T00:00:00.000Z',
    });
    await w.execute(
      'project-TN-9',
      {
        type: 'RegisterProject',
        projectId: 'TN-9',
        name: 'n',
        community: 'c',
        town: 't',
        builtYear: 1990,
        buildingArea: 10,
        households: 2,
      },
      ctx('a'),
    );
    await w.execute(
      'project-TN-9',
      {
        type: 'ReceiveFunds',
        projectId: 'TN-9',
        receiptId: 'R1',
        source: 'public_revenue',
        amount: '12.34',
        payer: 'p',
        reference: 'r',
        receivedOn: '2022-01-01',
        fiscalYear: 2022,
        details: {},
        recordedOn: '2022-01-01',
      },
      ctx('b'),
    );
    const runner = new ProjectionRunner(store, PROJECTIONS, join(dir, 'rm.sqlite'));
    runner.start();
    expect(await runner.waitFor(2n, 5000)).toBe(true);
    const live = rows(runner);
    runner.db.prepare('UPDATE funding_mix SET received_fen = 999').run(); // drift
    await runner.rebuild('funding-mix');
    expect(await runner.waitFor(2n, 5000)).toBe(true);
    expect(rows(runner)).toEqual(live);
    await runner.close();
  });
});
