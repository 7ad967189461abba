/**
 * The targets are reproducible by replaying the log as of a date (issue 16, point 4): on the demo
 * district, the report at asOf=2021-12-31 and 2022-12-31 from a replay of today's whole log (in
 * the replay worker, as the service reads it) equals the report the live read model gives of a
 * ledger holding only what had happened by that date. And the figures are the seed's sequence:
 * by the end of 2021 the earlier batch done and the 2021 batch started, in 2022 the 2021 batch done
 * and the 2022 batch started.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replayAtBounds } from '../../src/audit/bounded-reads';
import { DemoRequest, routeOf } from '../../src/demo/demo-district';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { MILESTONE_DATE_FIELDS, MilestoneKind } from '../../src/project/project.events';
import { ProjectionRunner } from '../../src/projection-runner/projection-runner';
import { PROJECTIONS } from '../../src/projection-runner/read-models';
import { TargetsReport, targetsReport } from '../../src/reports/targets-report';
import { targetsProjection } from '../../projections/targets/targets.projection';
import { readTargetRows } from '../../projections/targets/targets.query';
import { demoDistrict, loadDemo } from '../support/demo-store';

const MONEY_DATES = ['pledgedOn', 'receivedOn', 'paidOn', 'reversedOn', 'approvedOn', 'heldOn'] as const;

/** The business date of what a demo request writes; null for a registration, budget line, register or plan. */
function dateOf(r: DemoRequest): string | null {
  if (routeOf(r) === 'milestones') return r.body[MILESTONE_DATE_FIELDS[r.body.kind as MilestoneKind]] as string;
  for (const field of MONEY_DATES) if (typeof r.body[field] === 'string') return r.body[field] as string;
  return null;
}

/**
 * The district's requests as the ledger would have held them on `day`: what had happened by then,
 * and what has no date of its own once a later request of its project had (every demo request is
 * recorded in 2024, so that is when an undated one would count otherwise).
 */
function asStoodOn(day: string, requests: readonly DemoRequest[]): DemoRequest[] {
  const held = new Map<string, DemoRequest[]>();
  const kept: DemoRequest[] = [];
  for (const r of requests) {
    const date = dateOf(r);
    if (date === null) held.set(r.projectId, [...(held.get(r.projectId) ?? []), r]);
    else if (date <= day) {
      kept.push(...(held.get(r.projectId) ?? []), r);
      held.delete(r.projectId);
    }
  }
  return kept;
}

describe('targets as of a date, on the demo district', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'targets-replay-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
    await loadDemo(store);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function replayed(asOf: string): Promise<TargetsReport> {
    const { result } = await replayAtBounds(store, { asOf, knownAt: null }, [targetsProjection], 'targets', null);
    return targetsReport(result, asOf);
  }

  async function liveOfTheLedgerThen(asOf: string): Promise<TargetsReport> {
    const then = new SqliteEventStore(join(dir, `then-${asOf}.sqlite`));
    await loadDemo(then, asStoodOn(asOf, demoDistrict.requests));
    const runner = new ProjectionRunner(then, PROJECTIONS, join(dir, `rm-${asOf}.sqlite`));
    runner.start();
    try {
      expect(await runner.waitFor(await then.headPosition(), 30_000)).toBe(true);
      return targetsReport(readTargetRows(runner.db), asOf);
    } finally {
      await runner.close();
      await then.close();
    }
  }

  const figures = (r: TargetsReport) =>
    Object.fromEntries(r.periods.map((p) => [p.periodId, [p.status, p.actual.communities, p.register?.communities]]));

  it('at 2021-12-31: the replay equals the live read model of the ledger as it stood; the earlier batch done, the 2021 batch started', async () => {
    const report = await replayed('2021-12-31');
    expect(report).toEqual(await liveOfTheLedgerThen('2021-12-31'));
    expect(figures(report)).toEqual({
      '2021-completed': ['closed', 10, undefined],
      '2021-started': ['closed', 24, undefined],
      '2022-started': ['not_started', 0, undefined],
      '2022-completed': ['not_started', 0, undefined],
      '2023-pre2000': ['in_progress', 10, 34],
      '2025-pre2005': ['in_progress', 0, 0],
    });
    const done = report.periods[0];
    expect(new Set(done.projects.map((p) => p.projectId.slice(0, 6)))).toEqual(new Set(['TN2020']));
    expect(done.target).toMatchObject({ communities: 77, areaWanM2: '66.70' });
  });

  it('at 2022-12-31: the same; the 2021 batch done in 2022 and the 2022 batch started', async () => {
    const report = await replayed('2022-12-31');
    expect(report).toEqual(await liveOfTheLedgerThen('2022-12-31'));
    expect(figures(report)).toMatchObject({
      '2021-completed': ['closed', 10, undefined],
      '2022-started': ['closed', 6, undefined],
      '2022-completed': ['closed', 24, undefined],
    });
    const started = report.periods.find((p) => p.periodId === '2022-started')!;
    expect(new Set(started.projects.map((p) => p.projectId.slice(0, 6)))).toEqual(new Set(['TN2022']));
  });
});
