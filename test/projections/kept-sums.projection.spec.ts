/**
 * The sums the projections keep for the overview's totals views (issue 19 point 9) are the sums of
 * their rows, after any history: entries and their reversals and undone reversals, allocations and
 * their reversals and releases, approvals and budget lines, some events delivered twice. The
 * source ledger's per source and year (figures, plan, projects), the batches' amount issued per
 * source and year, each batch's version (the last position that wrote it, its allocations or its
 * flows), and the project list's per town; the targets' communities by first date and scope,
 * whose sums give the targets' totals at any reference date. Checked on generated histories
 * (fast-check, seeded) after every event.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { RecordedEvent } from '../../src/event-store/event-store.port';
import { LedgerRecord, ledgerEvents } from '../../src/events/ledger-events';
import { ProjectionDefinition } from '../../src/shared/projection/projection-definition';
import { ProjectEvent } from '../../src/project/project.events';
import { parseRecord } from '../../src/shared/events/parsed-record';
import { readTowns } from '../../src/reports/towns-report';
import { sumLedger, withPlanned } from '../../src/reports/ledger-figures';
import { projectListProjection, readProjectList } from '../../projections/project-list/project-list.projection';
import { sourceLedgerProjection } from '../../projections/source-ledger/source-ledger.projection';
import {
  SourceLedgerRow,
  SourceSumRow,
  readBatchesChangedSince,
  readFundBatches,
  readIssuedBySource,
  readIssuedFlowSums,
  readSourceLedger,
  readSourceSums,
} from '../../projections/source-ledger/source-ledger.query';
import { fenOfStored, formatFen } from '../../src/shared/money/money';
import {
  allocationRecorded,
  allocationReleased,
  approved,
  budgetLine,
  disbursed,
  pledged,
  received,
  registered,
  reversalReversed,
  reversed,
  treasuryPaid,
} from '../support/project-fixtures';
import { storedAt } from '../support/recorded-events';
import { accepted, started } from '../support/lifecycle-fixtures';
import { targetsProjection } from '../../projections/targets/targets.projection';
import { readTargetRows, readTargetTallies } from '../../projections/targets/targets.query';
import { targetsReport, targetsTotals, targetsTotalsOfSums } from '../../src/reports/targets-report';

const PROJECTS = ['TN-1', 'TN-2', 'TN-3'] as const;
const TOWN_OF: Record<string, string> = { 'TN-1': '梓潼街道', 'TN-2': '梓潼街道', 'TN-3': '桂林街道' };
const SOURCES = ['central_fiscal_subsidy', 'district_matching', 'resident_direct'] as const;
const YEARS = [2021, 2022] as const;
const BATCHES = [
  { batchId: 'B-1', source: 'central_fiscal_subsidy', fiscalYear: 2021 },
  { batchId: 'B-2', source: 'district_matching', fiscalYear: 2022 },
] as const;
const ENTRY_KINDS = ['pledge', 'receipt', 'payment', 'treasury_payment'] as const;

/** One step of a generated history; ids and what a step refers to are picked by index. */
type Step =
  | {
      op: 'entry';
      kind: (typeof ENTRY_KINDS)[number];
      project: number;
      source: number;
      year: number;
      amount: number;
      batch: number | null;
    }
  | { op: 'reverse'; entry: number; amount: number | 'whole' }
  | { op: 'undo'; reversal: number; restores: boolean }
  | { op: 'issue'; batch: number; amount: number }
  | { op: 'allocate'; batch: number; project: number; amount: number; sign: 1 | -1 }
  | { op: 'record'; batch: number; project: number; amount: number; released: boolean }
  | { op: 'approve'; project: number; amount: number }
  | { op: 'budget'; project: number; amount: number };

const amount = fc.integer({ min: 1, max: 500_000 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constant('entry' as const),
    kind: fc.constantFrom(...ENTRY_KINDS),
    project: fc.nat(2),
    source: fc.nat(2),
    year: fc.nat(1),
    amount,
    batch: fc.option(fc.nat(1), { nil: null }),
  }),
  // Whole reversals bring rows back to zero (a project leaves its source's count).
  fc.record({
    op: fc.constant('reverse' as const),
    entry: fc.nat(20),
    amount: fc.oneof(amount, fc.constant('whole' as const)),
  }),
  fc.record({ op: fc.constant('undo' as const), reversal: fc.nat(10), restores: fc.boolean() }),
  fc.record({ op: fc.constant('issue' as const), batch: fc.nat(1), amount }),
  fc.record({
    op: fc.constant('allocate' as const),
    batch: fc.nat(1),
    project: fc.nat(2),
    amount,
    sign: fc.constantFrom(1 as const, -1 as const),
  }),
  fc.record({
    op: fc.constant('record' as const),
    batch: fc.nat(1),
    project: fc.nat(2),
    amount,
    released: fc.boolean(),
  }),
  fc.record({ op: fc.constant('approve' as const), project: fc.nat(2), amount }),
  fc.record({ op: fc.constant('budget' as const), project: fc.nat(2), amount }),
);

const yuan = (fen: number) => formatFen(BigInt(fen));

/** The events of `steps`, after the projects' registrations; entries and reversals named as they come. */
function eventsOf(steps: readonly Step[]): { streamId: string; type: string; data: object }[] {
  const out: { streamId: string; type: string; data: object }[] = [];
  const project = ({ type, data }: ProjectEvent) => out.push({ streamId: `project-${data.projectId}`, type, data });
  const entries: {
    id: string;
    kind: (typeof ENTRY_KINDS)[number];
    projectId: string;
    source: string;
    batch: number | null;
    amount: string;
  }[] = [];
  const reversals: { id: string; of: (typeof entries)[number]; amount: string }[] = [];
  const allocationOf = (batch: number, projectId: string) => ({
    allocationId: `A-${batch}-${projectId}`,
    batchId: BATCHES[batch].batchId,
  });
  for (const p of PROJECTS) project(registered({ projectId: p, name: p, community: p, town: TOWN_OF[p] }));
  steps.forEach((s, i) => {
    switch (s.op) {
      case 'entry': {
        const projectId = PROJECTS[s.project];
        const source = SOURCES[s.source];
        const id = `E${i}`;
        const onBatch = s.batch === null || s.kind === 'pledge' ? {} : allocationOf(s.batch, projectId);
        const common = { projectId, source, amount: yuan(s.amount), fiscalYear: YEARS[s.year] };
        if (s.kind === 'pledge') project(pledged({ ...common, pledgeId: id }));
        if (s.kind === 'receipt') project(received({ ...common, receiptId: id, ...onBatch }));
        if (s.kind === 'payment') project(disbursed({ ...common, paymentId: id, ...onBatch }));
        if (s.kind === 'treasury_payment')
          project(
            treasuryPaid({ ...common, paymentId: id, ...(s.batch === null ? allocationOf(0, projectId) : onBatch) }),
          );
        entries.push({
          id,
          kind: s.kind,
          projectId,
          source,
          batch: s.kind === 'treasury_payment' ? (s.batch ?? 0) : s.batch,
          amount: common.amount,
        });
        return;
      }
      case 'reverse': {
        const of = entries[s.entry % Math.max(entries.length, 1)];
        if (!of) return;
        const id = `X${i}`;
        const taken = s.amount === 'whole' ? of.amount : yuan(s.amount);
        const onBatch = of.batch === null || of.kind === 'pledge' ? {} : allocationOf(of.batch, of.projectId);
        project(
          reversed({
            projectId: of.projectId,
            reversalId: id,
            entryId: of.id,
            entryKind: of.kind,
            source: of.source,
            amount: taken,
            full: s.amount === 'whole',
            ...onBatch,
          }),
        );
        reversals.push({ id, of, amount: taken });
        return;
      }
      case 'undo': {
        const r = reversals[s.reversal % Math.max(reversals.length, 1)];
        if (!r) return;
        const id = `U${i}`;
        const onBatch = r.of.batch === null || r.of.kind === 'pledge' ? {} : allocationOf(r.of.batch, r.of.projectId);
        project(
          reversalReversed({
            projectId: r.of.projectId,
            reversalId: id,
            reversedReversalId: r.id,
            entryId: r.of.id,
            entryKind: r.of.kind,
            source: r.of.source,
            amount: r.amount,
            restores: s.restores,
            ...onBatch,
          }),
        );
        return;
      }
      case 'issue': {
        const b = BATCHES[s.batch];
        out.push({
          streamId: `fundbatch-${b.batchId}`,
          type: 'fund-batch-issued.v1',
          data: { ...b, docNo: `文${s.batch}`, amount: yuan(s.amount), issuedOn: '2021-06-01' },
        });
        return;
      }
      case 'allocate': {
        const b = BATCHES[s.batch];
        const projectId = PROJECTS[s.project];
        const a = { ...b, ...allocationOf(s.batch, projectId), projectId, amount: yuan(s.amount) };
        out.push(
          s.sign === 1
            ? {
                streamId: `fundbatch-${b.batchId}`,
                type: 'funds-allocated.v1',
                data: { ...a, allocatedOn: '2021-06-10', allocatedTotal: a.amount },
              }
            : {
                streamId: `fundbatch-${b.batchId}`,
                type: 'allocation-reversed.v1',
                data: {
                  ...a,
                  reversalId: `AR${i}`,
                  full: false,
                  reason: 'r',
                  reversedOn: '2021-08-01',
                  allocatedTotal: '0.00',
                },
              },
        );
        return;
      }
      case 'record': {
        const b = BATCHES[s.batch];
        const projectId = PROJECTS[s.project];
        const a = { ...b, ...allocationOf(s.batch, projectId), projectId, amount: yuan(s.amount) };
        project(
          s.released
            ? allocationReleased({ ...a, reversalId: `AR${i}`, full: false, reason: 'r', releasedOn: '2021-08-01' })
            : allocationRecorded({ ...a, allocatedOn: '2021-06-10', docNo: `文${s.batch}` }),
        );
        return;
      }
      case 'approve':
        project(approved(yuan(s.amount), { projectId: PROJECTS[s.project] }));
        return;
      case 'budget':
        project(
          budgetLine({
            projectId: PROJECTS[s.project],
            lineId: `L${i}`,
            estimatedCost: yuan(s.amount),
            budgetTotal: yuan(s.amount),
          }),
        );
        return;
    }
  });
  return out;
}

/** readSourceSums computed from the rows themselves: their figures and plans summed, their projects counted. */
function sumSourceRows(db: Database.Database, fiscalYear?: number): SourceSumRow[] {
  const rowsOf = new Map<string, SourceLedgerRow[]>();
  for (const row of readSourceLedger(db, fiscalYear)) rowsOf.set(row.source, [...(rowsOf.get(row.source) ?? []), row]);
  return [...rowsOf].map(([source, rows]) => ({
    source,
    ...sumLedger(rows.map(withPlanned)),
    projects: new Set(rows.map((r) => r.projectId)).size,
  }));
}

/** readIssuedFlowSums computed from the flows themselves (each joined to its allocation), not the kept sums. */
function sumIssuedFlows(db: Database.Database, fiscalYear?: number) {
  const rows = db
    .prepare(
      `SELECT a.source, f.kind, SUM(f.amount_fen) AS amount
      FROM source_ledger_flows f JOIN source_ledger_allocations a ON a.batch_id = f.batch_id AND a.allocation_id = f.allocation_id
      WHERE @fiscalYear IS NULL OR a.fiscal_year = @fiscalYear GROUP BY a.source, f.kind ORDER BY a.source, f.kind`,
    )
    .all({ fiscalYear: fiscalYear ?? null }) as { source: string; kind: string; amount: bigint }[];
  return rows.map((r) => ({ source: r.source, kind: r.kind, amountFen: BigInt(r.amount) }));
}

const bySource = (rows: SourceSumRow[]) => [...rows].sort((a, b) => (a.source < b.source ? -1 : 1));

/** Every kept sum against the same sum computed from the rows it sums. */
function expectSumsHold(db: Database.Database, issuedAt: Map<string, bigint>): void {
  for (const fy of [undefined, ...YEARS]) {
    expect(bySource(readSourceSums(db, fy))).toEqual(bySource(sumSourceRows(db, fy)));
    const issued = new Map<string, bigint>();
    for (const b of readFundBatches(db, { fiscalYear: fy }))
      issued.set(b.source, (issued.get(b.source) ?? 0n) + b.amountFen);
    expect(readIssuedBySource(db, fy)).toEqual(
      [...issued].sort(([a], [b]) => (a < b ? -1 : 1)).map(([source, amountFen]) => ({ source, amountFen })),
    );
    expect(readIssuedFlowSums(db, fy)).toEqual(sumIssuedFlows(db, fy));
  }
  const versions = db
    .prepare(
      `SELECT b.batch_id, b.version,
        (SELECT max(last_position) FROM source_ledger_allocations a WHERE a.batch_id = b.batch_id) AS allocation,
        (SELECT max(position) FROM source_ledger_flows f WHERE f.batch_id = b.batch_id) AS flow
      FROM source_ledger_batches b ORDER BY b.batch_id`,
    )
    .all() as { batch_id: string; version: bigint; allocation: bigint | null; flow: bigint | null }[];
  for (const v of versions) {
    const latest = [issuedAt.get(v.batch_id)!, v.allocation ?? 0n, v.flow ?? 0n].reduce((a, b) => (a > b ? a : b));
    expect([v.batch_id, v.version]).toEqual([v.batch_id, latest]);
  }
  expect(
    readBatchesChangedSince(db, null)
      .batches.map((b) => b.batchId)
      .sort(),
  ).toEqual(versions.map((v) => v.batch_id));
  const towns = new Map<string, ReturnType<typeof readTowns>['towns'][number]>();
  const add = (a: string, b: string) => formatFen(fenOfStored(a) + fenOfStored(b));
  for (const p of readProjectList(db)) {
    const t = towns.get(p.town) ?? {
      town: p.town,
      projects: 0,
      approvedProjects: 0,
      approvedInvestment: '0.00',
      budgetTotal: '0.00',
      pledged: '0.00',
      received: '0.00',
      disbursed: '0.00',
    };
    towns.set(p.town, {
      town: p.town,
      projects: t.projects + 1,
      approvedProjects: t.approvedProjects + (p.approvedInvestment === null ? 0 : 1),
      approvedInvestment: add(t.approvedInvestment, p.approvedInvestment ?? '0.00'),
      budgetTotal: add(t.budgetTotal, p.budgetTotal),
      pledged: add(t.pledged, p.pledged),
      received: add(t.received, p.received),
      disbursed: add(t.disbursed, p.disbursed),
    });
  }
  expect(readTowns(db).towns).toEqual([...towns.values()].sort((a, b) => (a.town < b.town ? -1 : 1)));
}

/** Applies `events` in order (each `twice` ones a second time, as a page delivered again), checking the sums after each. */
function applyChecking(events: { streamId: string; type: string; data: object }[], twice: ReadonlySet<number>): void {
  const db = new Database(':memory:');
  db.defaultSafeIntegers(true);
  const projections: readonly ProjectionDefinition<LedgerRecord>[] = [sourceLedgerProjection, projectListProjection];
  for (const p of projections) db.exec(p.schema);
  const issuedAt = new Map<string, bigint>();
  const stored: RecordedEvent[] = events.map((e, i) => storedAt(BigInt(i + 1), e.streamId, e.type, e.data));
  stored.forEach((e, i) => {
    const record = parseRecord(ledgerEvents, e);
    const apply = () => {
      for (const p of projections) if (p.handles.includes(record.type)) p.apply(db, record);
    };
    apply();
    if (e.type === 'fund-batch-issued.v1') {
      const batchId = (e.data as { batchId: string }).batchId;
      if (!issuedAt.has(batchId)) issuedAt.set(batchId, e.position);
    }
    if (twice.has(i)) apply();
    expectSumsHold(db, issuedAt);
  });
}

describe('the sums the projections keep for the totals views', () => {
  it('are the sums of their rows after every event of any history, reversals and events delivered twice included', () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(60), { maxLength: 8 }),
        (steps, twice) => applyChecking(eventsOf(steps), new Set(twice)),
      ),
      { numRuns: 150, seed: 19 },
    );
  });

  it('a source whose rows all come back to zero leaves the totals, and its projects are counted again when it returns', () => {
    const steps: Step[] = [
      { op: 'entry', kind: 'receipt', project: 0, source: 2, year: 0, amount: 100, batch: null },
      { op: 'entry', kind: 'receipt', project: 0, source: 2, year: 1, amount: 100, batch: null },
      { op: 'reverse', entry: 0, amount: 'whole' },
      { op: 'reverse', entry: 1, amount: 'whole' },
      { op: 'undo', reversal: 1, restores: true },
      { op: 'entry', kind: 'receipt', project: 1, source: 2, year: 0, amount: 50, batch: null },
      { op: 'reverse', entry: 1, amount: 'whole' },
    ];
    const events = eventsOf(steps);
    const db = new Database(':memory:');
    db.defaultSafeIntegers(true);
    db.exec(sourceLedgerProjection.schema);
    const ledger: ProjectionDefinition<LedgerRecord> = sourceLedgerProjection;
    const records = events.map((e, i) =>
      parseRecord(ledgerEvents, storedAt(BigInt(i + 1), e.streamId, e.type, e.data)),
    );
    const sums = () => readSourceSums(db).map((s) => [s.source, s.receivedFen, s.projects]);
    const upTo = (n: number) => {
      for (const r of records.slice(0, n)) if (ledger.handles.includes(r.type)) ledger.apply(db, r);
    };
    upTo(PROJECTS.length + 2);
    expect(sums()).toEqual([['resident_direct', 200n, 1]]);
    upTo(PROJECTS.length + 4);
    expect(sums()).toEqual([]);
    upTo(PROJECTS.length + 5);
    expect(sums()).toEqual([['resident_direct', 100n, 1]]);
    expect(readSourceSums(db, 2021)).toEqual([]);
    upTo(PROJECTS.length + 6);
    expect(sums()).toEqual([['resident_direct', 150n, 2]]);
    // TN-1's last row of the source back to zero: TN-2 alone counts.
    upTo(PROJECTS.length + 7);
    expect(sums()).toEqual([['resident_direct', 50n, 1]]);
  });
});

/** A step of a targets history: a registration (communities shared between projects, either basis), a start, an acceptance. */
type TargetStep =
  | { op: 'register'; project: number; town: number; community: number; old: boolean; area: number; households: number }
  | { op: 'start'; project: number; day: number }
  | { op: 'accept'; project: number; day: number; passed: boolean };

/** Days on both sides of the periods' bounds (DISTRICT_TARGETS: 2021, 2022, to 2023 and to 2025). */
const DAYS = [
  '2020-06-01',
  '2021-01-01',
  '2021-06-30',
  '2021-12-31',
  '2022-01-01',
  '2022-07-01',
  '2023-12-31',
  '2024-03-01',
  '2025-12-31',
  '2026-01-02',
];
/** Reference dates the totals are compared at: before, inside and after each period. */
const REFERENCE_DATES = [
  '2020-12-31',
  '2021-06-30',
  '2021-12-31',
  '2022-06-30',
  '2023-12-31',
  '2024-06-01',
  '2026-12-07',
];

const targetStep: fc.Arbitrary<TargetStep> = fc.oneof(
  fc.record({
    op: fc.constant('register' as const),
    project: fc.nat(5),
    town: fc.nat(1),
    community: fc.nat(2),
    old: fc.boolean(),
    area: fc.integer({ min: 1, max: 5_000_000 }),
    households: fc.integer({ min: 1, max: 800 }),
  }),
  fc.record({ op: fc.constant('start' as const), project: fc.nat(5), day: fc.nat(DAYS.length - 1) }),
  fc.record({
    op: fc.constant('accept' as const),
    project: fc.nat(5),
    day: fc.nat(DAYS.length - 1),
    passed: fc.boolean(),
  }),
);

/** The events of a targets history; areas in hundredths of a m² as numbers with two decimals. */
function targetEventsOf(steps: readonly TargetStep[]): ProjectEvent[] {
  return steps.map((s, i) => {
    const projectId = `TP-${s.project}`;
    if (s.op === 'register')
      return registered({
        projectId,
        name: projectId,
        town: ['梓潼街道', '桂林街道'][s.town],
        community: `小区${s.community}`,
        builtYear: s.old ? 1995 : 2003,
        ...(s.old ? {} : { conditionJustification: '管网老化，无物业管理，居住条件较差' }),
        buildingArea: s.area / 100,
        households: s.households,
      });
    if (s.op === 'start') return started({ projectId, milestoneId: `S${i}`, startedOn: DAYS[s.day] });
    return accepted({
      projectId,
      milestoneId: `A${i}`,
      acceptedOn: DAYS[s.day],
      result: s.passed ? 'passed' : 'failed',
    });
  });
}

/** Applies a targets history, each `twice` event a second time, and compares the totals from the kept sums with the rows' after each. */
function applyTargetsChecking(events: readonly ProjectEvent[], twice: ReadonlySet<number>): void {
  const db = new Database(':memory:');
  db.defaultSafeIntegers(true);
  db.exec(targetsProjection.schema);
  const projection: ProjectionDefinition<LedgerRecord> = targetsProjection;
  events.forEach((event, i) => {
    const record = parseRecord(
      ledgerEvents,
      storedAt(BigInt(i + 1), `project-${event.data.projectId}`, event.type, event.data),
    );
    const apply = () => {
      if (projection.handles.includes(record.type)) projection.apply(db, record);
    };
    apply();
    if (twice.has(i)) apply();
    const rows = readTargetRows(db);
    for (const date of REFERENCE_DATES)
      expect([date, targetsTotalsOfSums(readTargetTallies(db), date)]).toEqual([
        date,
        targetsTotals(targetsReport(rows, date)),
      ]);
  });
}

describe('the sums the targets projection keeps', () => {
  it('give the totals of the rows at any reference date after every event: communities shared, either basis, failed acceptances, events twice', () => {
    fc.assert(
      fc.property(
        // Long histories ('max': up to 30 steps, not fast-check's short default), so that
        // communities gather several projects whose dates come in any order.
        fc.array(targetStep, { minLength: 8, maxLength: 30, size: 'max' }),
        fc.array(fc.nat(30), { maxLength: 6 }),
        (steps, twice) => applyTargetsChecking(targetEventsOf(steps), new Set(twice)),
      ),
      { numRuns: 100, seed: 19 },
    );
  });

  it('a community counts once, at its largest project’s size, on its first start', () => {
    const events = targetEventsOf([
      { op: 'register', project: 0, town: 0, community: 0, old: true, area: 100_00, households: 10 },
      { op: 'register', project: 1, town: 0, community: 0, old: true, area: 300_00, households: 5 },
      { op: 'start', project: 0, day: 2 },
      { op: 'start', project: 1, day: 4 },
    ]);
    applyTargetsChecking(events, new Set());
    const db = new Database(':memory:');
    db.defaultSafeIntegers(true);
    db.exec(targetsProjection.schema);
    for (const [i, e] of events.entries())
      targetsProjection.apply(
        db,
        parseRecord(ledgerEvents, storedAt(BigInt(i + 1), `project-${e.data.projectId}`, e.type, e.data)) as never,
      );
    const tally = readTargetTallies(db);
    expect(tally('all', 'started', '2021-01-01', '2021-12-31')).toEqual({
      communities: 1,
      areaH: 30_000n,
      households: 10,
    });
    expect(tally('all', 'started', '2022-01-01', '2022-12-31')).toEqual({ communities: 0, areaH: 0n, households: 0 });
    expect(tally('pre2000', 'registered', null, '')).toEqual({ communities: 1, areaH: 30_000n, households: 10 });
  });
});
