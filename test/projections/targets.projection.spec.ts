/**
 * Progress against the seed's targets (projections/targets, src/reports/targets-report.ts), the
 * rules it counts by: started is the start of works and completed a joint acceptance that passed
 * (a failed one does not count); a community (town + name) counts once however many projects it
 * has, in the period of its first start or acceptance, its other projects listed as not counted;
 * 完成 by 2021 is cumulative and 新开工 in 2021 within the year; areas sum exactly in hundredths of
 * a m²; the qualitative goals count against the ledger's own register of their scope; `asOf`
 * counts what had happened by then and `knownAt` what had been recorded; and the read model is
 * idempotent by position.
 */
import Database from 'better-sqlite3';
import { LedgerRecord, ledgerEvents } from '../../src/events/ledger-events';
import { BoundsCut } from '../../src/audit/time-bounds';
import { ProjectEvent } from '../../src/project/project.events';
import { parseRecord } from '../../src/shared/events/parsed-record';
import { areaHundredthsOfNumber } from '../../src/shared/domain/input-rules';
import { takes } from '../../src/shared/projection/projection-definition';
import { targetsProjection } from '../../projections/targets/targets.projection';
import { readTargetRows, targetRowsFromEvents } from '../../projections/targets/targets.query';
import { TargetPeriodView, targetsReport } from '../../src/reports/targets-report';
import { accepted, started } from '../support/lifecycle-fixtures';
import { registered } from '../support/project-fixtures';
import { storedAt } from '../support/recorded-events';

type At = { event: ProjectEvent; recordedAt?: string };

function project(projectId: string, town: string, community: string, builtYear: number, area: number, hh: number) {
  return registered({
    projectId,
    name: `${town}${community}城镇老旧小区改造项目`,
    town,
    community,
    builtYear,
    buildingArea: area,
    households: hh,
    ...(builtYear > 2000 ? { conditionJustification: '管网老化，无物业管理，居住条件较差' } : {}),
  });
}
const start = (projectId: string, startedOn: string) => started({ projectId, milestoneId: 'START-1', startedOn });
const accept = (projectId: string, acceptedOn: string, result: 'passed' | 'failed' = 'passed', milestoneId = 'ACC-1') =>
  accepted({ projectId, milestoneId, acceptedOn, result });

/**
 * Two projects of one community (建设路片区: TN-A done in 2021, TN-B after it), a community started
 * in 2021 whose first acceptance failed (TN-C), one started on 2021-12-31 and accepted in 2023
 * (TN-D), one built in 2003 with its poor condition justified (TN-E), one registered only (TN-F).
 */
function history(): At[] {
  return [
    { event: project('TN-A', '梓潼街道', '建设路片区', 1991, 7812.5, 100), recordedAt: EARLY },
    { event: project('TN-B', '梓潼街道', '建设路片区', 1991, 7000.25, 90), recordedAt: EARLY },
    { event: project('TN-C', '桂林街道', '桂林路小区', 1994, 10000.1, 150), recordedAt: EARLY },
    { event: project('TN-D', '大佛街道', '大佛路小区', 1995, 20000.2, 300), recordedAt: EARLY },
    { event: project('TN-E', '小渡镇', '滨江楼', 2003, 5000, 60), recordedAt: '2022-01-05T00:00:00.000Z' },
    { event: project('TN-F', '寿桥镇', '场镇居民楼', 1996, 6000, 80), recordedAt: '2022-01-05T00:00:00.000Z' },
    { event: start('TN-A', '2020-06-01') },
    { event: accept('TN-A', '2021-06-30'), recordedAt: '2022-01-10T02:00:00.000Z' },
    { event: start('TN-B', '2021-03-01') },
    { event: accept('TN-B', '2021-11-30') },
    { event: start('TN-C', '2021-05-01') },
    { event: accept('TN-C', '2022-03-01', 'failed') },
    { event: accept('TN-C', '2022-04-01', 'passed', 'ACC-2') },
    { event: start('TN-D', '2021-12-31') },
    { event: accept('TN-D', '2023-01-05') },
    { event: start('TN-E', '2022-02-01') },
  ];
}

/** Registered in 2020; a milestone is recorded on its own day unless said otherwise. */
const EARLY = '2020-05-01T00:00:00.000Z';

function records(items = history()): LedgerRecord[] {
  return items.map(({ event, recordedAt }, i) => {
    const d = event.data as { startedOn?: string; acceptedOn?: string };
    const at = recordedAt ?? `${d.startedOn ?? d.acceptedOn}T12:00:00.000Z`;
    return parseRecord(
      ledgerEvents,
      storedAt(BigInt(i + 1), `project-${event.data.projectId}`, event.type, event.data, at),
    );
  });
}

/** The log cut at the bounds, as a replay cuts it. */
function cut(events: LedgerRecord[], asOf: string | null, knownAt: string | null = null): LedgerRecord[] {
  const c = new BoundsCut({ asOf, knownAt });
  return events.flatMap((e) => c.take(e as never) as LedgerRecord[]);
}

const period = (periods: TargetPeriodView[], id: string) => periods.find((p) => p.periodId === id)!;
const counted = (p: TargetPeriodView) => p.projects.filter((x) => x.counted).map((x) => x.projectId);
const listed = (p: TargetPeriodView) => p.projects.map((x) => x.projectId);

describe('targets read model and report', () => {
  const report = (referenceDate: string, events = records()) =>
    targetsReport(targetRowsFromEvents(events), referenceDate).periods;

  it('counts 完成 by 2021 cumulatively, each community once, with its largest registered area and households', () => {
    const p = period(report('2023-12-31'), '2021-completed');
    expect(p.actual).toEqual({ communities: 1, areaM2: '7812.50', areaWanM2: '0.78', households: 100 });
    expect(listed(p)).toEqual(['TN-A', 'TN-B']);
    expect(counted(p)).toEqual(['TN-A']);
    expect(p.projects[1].note?.en).toBe('the community counts once, accepted on 2021-06-30 (TN-A)');
    expect(p.target).toEqual({ communities: 77, areaWanM2: '66.70', areaM2: '667000.00', words: expect.any(String) });
    expect(p.progress).toEqual({ communities: '1.30', area: '1.17' });
    expect([p.status, p.countedThrough, p.register]).toEqual(['closed', '2021-12-31', null]);
  });

  it('counts 新开工 in 2021 within the year: a community first started in 2020 is not new in 2021, a start on 2021-12-31 is', () => {
    const p = period(report('2023-12-31'), '2021-started');
    expect(listed(p)).toEqual(['TN-B', 'TN-C', 'TN-D']);
    expect(counted(p)).toEqual(['TN-C', 'TN-D']);
    // 10000.1 + 20000.2 as doubles is 30000.300000000003; in hundredths it is exact.
    expect(p.actual).toEqual({ communities: 2, areaM2: '30000.30', areaWanM2: '3.00', households: 450 });
    expect(p.projects[0].note?.zh).toBe('小区已计入：2020-06-01 开工（TN-A）');
  });

  it('counts 2022 within the year, and only an acceptance that passed', () => {
    const periods = report('2023-12-31');
    expect(counted(period(periods, '2022-started'))).toEqual(['TN-E']);
    const done = period(periods, '2022-completed');
    expect(done.projects).toEqual([
      expect.objectContaining({ projectId: 'TN-C', on: '2022-04-01', milestoneId: 'ACC-2' }),
    ]);
    expect(done.target).toEqual({ communities: 99, areaWanM2: null, areaM2: null, words: expect.any(String) });
    expect(done.progress).toEqual({ communities: '1.01', area: null });
  });

  it("counts the qualitative goals against the ledger's register of their scope, saying so", () => {
    const periods = report('2023-12-31');
    const pre2000 = period(periods, '2023-pre2000');
    expect(counted(pre2000)).toEqual(['TN-A', 'TN-C', 'TN-D']);
    expect(pre2000.register).toMatchObject({ communities: 4, areaM2: '43812.80', households: 630 });
    expect(pre2000.register!.note.en).toContain('not an inventory');
    expect(pre2000.target.communities).toBeNull();
    const pre2005 = period(periods, '2025-pre2005');
    expect([counted(pre2005), pre2005.register?.communities, pre2005.status]).toEqual([['TN-E'], 1, 'in_progress']);
  });

  it('counts at the reference date: a period not begun shows nothing, one under way counts up to that day', () => {
    const periods = report('2021-12-31');
    expect(period(periods, '2022-started')).toMatchObject({
      status: 'not_started',
      countedThrough: null,
      actual: { communities: 0, areaM2: '0.00', areaWanM2: '0.00', households: 0 },
      projects: [],
    });
    expect(period(periods, '2023-pre2000')).toMatchObject({ status: 'in_progress', countedThrough: '2021-12-31' });
    expect(counted(period(periods, '2023-pre2000'))).toEqual(['TN-A']);
  });

  it('asOf keeps what had happened by then, knownAt what had been recorded: the same figures as the dates say', () => {
    const all = records();
    const asOf2021 = targetsReport(targetRowsFromEvents(cut(all, '2021-12-31')), '2021-12-31').periods;
    const dated = (periods: TargetPeriodView[]) => periods.map((p) => [p.periodId, p.status, p.actual, p.projects]);
    expect(dated(asOf2021)).toEqual(dated(report('2021-12-31')));
    expect(counted(period(asOf2021, '2021-started'))).toEqual(['TN-C', 'TN-D']);
    // The register, though, is what had been registered by then: TN-E and TN-F came in 2022.
    expect(period(asOf2021, '2023-pre2000').register?.communities).toBe(3);
    expect(period(asOf2021, '2025-pre2005').register?.communities).toBe(0);
    // TN-A's acceptance of 2021-06-30 was recorded on 2022-01-10: at the end of 2021 the ledger did not know it.
    const known2021 = targetsReport(targetRowsFromEvents(cut(all, null, '2021-12-31T23:59:59.999Z')), '2021-12-31');
    expect(counted(period(known2021.periods, '2021-completed'))).toEqual(['TN-B']);
  });

  it('is idempotent by global position: the log applied twice, or an event again, changes nothing', () => {
    const db = new Database(':memory:');
    db.defaultSafeIntegers(true);
    db.exec(targetsProjection.schema);
    const apply = (events: LedgerRecord[]) => {
      for (const e of events) if (takes(targetsProjection, e)) targetsProjection.apply(db, e);
    };
    apply(records());
    const once = readTargetRows(db);
    apply(records());
    expect(readTargetRows(db)).toEqual(once);
    expect(once.find((r) => r.projectId === 'TN-C')).toMatchObject({ acceptedOn: '2022-04-01', acceptedId: 'ACC-2' });
    db.close();
  });

  it("reads a registration's area from its decimal text, never by multiplying the double", () => {
    expect(areaHundredthsOfNumber(7812.5)).toBe(781250n);
    expect(areaHundredthsOfNumber(10000.1)).toBe(1000010n);
    expect(areaHundredthsOfNumber(1.005)).toBe(101n); // 1.005 × 100 is 100.49999999999999 as a double
    expect(areaHundredthsOfNumber(1e-7)).toBe(0n);
    expect(() => areaHundredthsOfNumber(Number.NaN)).toThrow(RangeError);
  });
});
