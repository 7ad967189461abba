/**
 * (d) Funding-mix query latency, p50 and p99, in process, with 10,000 projects in the read model.
 *
 * The read model is built by a ProjectionRunner (applyPage, the runner's own transactions) from
 * funds-received events: 10,000 projects × 5 of 8 sources. Then 10,000 readFundingMix calls on
 * random projects (seeded), each timed alone, interleaved call by call with the baseline, a raw
 * prepared `SELECT * FROM funding_mix WHERE project_id = ?` with no formatting, on the same
 * connection: both see the same noise.
 */
import { join } from 'node:path';
import { EventStore, RecordedEvent } from '../../src/event-store/event-store.port';
import { ProjectionRunner } from '../../src/projection-runner/projection-runner';
import { ProjectEventType } from '../../src/project/project.events';
import { readFundingMix } from '../../projections/funding-mix/funding-mix.query';
import { fundingMixProjection } from '../../projections/funding-mix/funding-mix.projection';
import { ACTOR, PLACEHOLDER_HASH, RECEIPT_SOURCES, amountOf, projectIdOf } from '../lib/fixtures';
import { ScenarioResult, compare } from '../lib/report';
import { nowMs, percentile, seededRandom, tempDir } from '../lib/util';

const PROJECTS = 10_000;
const SOURCES_PER_PROJECT = 5;

function receivedEvent(position: number, p: number, s: number): RecordedEvent {
  const projectId = projectIdOf(p);
  const { source, details } = RECEIPT_SOURCES[(p + s) % RECEIPT_SOURCES.length];
  const id = `e-${position}`;
  return {
    streamId: `project-${projectId}`,
    revision: BigInt(s),
    position: BigInt(position),
    eventId: id,
    type: ProjectEventType.received,
    data: {
      projectId,
      receiptId: `R-${s}`,
      source,
      amount: amountOf(position),
      payer: '潼南区财政局',
      reference: `凭证 ${position}`,
      receivedOn: '2022-03-01',
      fiscalYear: 2022,
      details,
    },
    metadata: {
      eventId: id,
      commandId: id,
      requestHash: PLACEHOLDER_HASH,
      actor: ACTOR,
      correlationId: id,
      causationId: id,
      recordedAt: '2022-03-01T08:00:00.000Z',
      prevHash: PLACEHOLDER_HASH,
      hash: PLACEHOLDER_HASH,
    },
  };
}

export async function queryScenario(quick: boolean): Promise<Omit<ScenarioResult, 'seconds'>> {
  const calls = 10_000;
  const warm = quick ? 1_000 : 2_000;
  const { dir, cleanup } = tempDir('query');
  // The runner reads no events here: pages are handed to applyPage directly.
  const runner = new ProjectionRunner(
    null as unknown as EventStore,
    [fundingMixProjection],
    join(dir, 'read-model.sqlite'),
  );
  try {
    const t0 = nowMs();
    let position = 0;
    let page: RecordedEvent[] = [];
    for (let s = 0; s < SOURCES_PER_PROJECT; s++) {
      for (let p = 0; p < PROJECTS; p++) {
        page.push(receivedEvent(++position, p, s));
        if (page.length === 1000) {
          runner.applyPage(page);
          page = [];
        }
      }
    }
    if (page.length) runner.applyPage(page);
    const buildMs = nowMs() - t0;
    const rows = Number(runner.db.prepare('SELECT count(*) FROM funding_mix').pluck().get() as bigint);
    if (rows !== PROJECTS * SOURCES_PER_PROJECT) throw new Error(`read model has ${rows} rows`);

    const raw = runner.db.prepare('SELECT * FROM funding_mix WHERE project_id = ?');
    const random = seededRandom(20210617);
    const pick = () => projectIdOf(Math.floor(random() * PROJECTS));
    let sink = 0;
    for (let i = 0; i < warm; i++) {
      sink += readFundingMix(runner.db, pick()).sources.length;
      sink += (raw.all(pick()) as unknown[]).length;
    }
    const ours: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < calls; i++) {
      const id = pick();
      // Alternate which goes first, so neither always runs on a cache the other just warmed.
      if (i % 2 === 0) {
        let t = nowMs();
        sink += readFundingMix(runner.db, id).sources.length;
        ours.push(nowMs() - t);
        t = nowMs();
        sink += (raw.all(id) as unknown[]).length;
        base.push(nowMs() - t);
      } else {
        let t = nowMs();
        sink += (raw.all(id) as unknown[]).length;
        base.push(nowMs() - t);
        t = nowMs();
        sink += readFundingMix(runner.db, id).sources.length;
        ours.push(nowMs() - t);
      }
    }
    if (sink !== (warm + calls) * 2 * SOURCES_PER_PROJECT) throw new Error(`unexpected row count ${sink}`);
    const figure = (key: string, label: string, value: number) => ({ key, label, value, unit: 'ms' });
    return {
      id: 'd',
      title: `Funding-mix query latency with ${PROJECTS.toLocaleString('en-US')} projects, in process`,
      comparisons: [
        compare(
          'query_p50',
          'funding-mix query p50, ms',
          figure('ours_p50_ms', 'readFundingMix', percentile(ours, 50)),
          figure('raw_select_p50_ms', 'raw SELECT, no formatting', percentile(base, 50)),
          'ratio_p50_ours_over_raw',
        ),
        compare(
          'query_p99',
          'funding-mix query p99, ms',
          figure('ours_p99_ms', 'readFundingMix', percentile(ours, 99)),
          figure('raw_select_p99_ms', 'raw SELECT, no formatting', percentile(base, 99)),
          'ratio_p99_ours_over_raw',
          ({ ours: v }) => ({ text: 'p99 < 5 ms', met: v < 5 }),
        ),
      ],
      details: {
        projects: PROJECTS,
        sources_per_project: SOURCES_PER_PROJECT,
        read_model_rows: rows,
        calls,
        warmup_calls: warm,
        build_read_model_s: buildMs / 1000,
        ours_max_ms: Math.max(...ours),
        raw_max_ms: Math.max(...base),
      },
      notes: [
        `${calls.toLocaleString('en-US')} calls on random projects after ${warm.toLocaleString('en-US')} warm-up calls, each timed alone, interleaved with the raw SELECT.`,
      ],
    };
  } finally {
    await runner.close();
    cleanup();
  }
}
