/** The demo district loaded straight through the write path (as the HTTP API would), and its read models. */
import { OptimisticWriter } from '../../src/event-store/write-path';
import { EventStore } from '../../src/event-store/event-store.port';
import { DemoDistrict, generateDemoDistrict } from '../../src/demo/demo-district';
import { projectDecider } from '../../src/project/project.decider';
import { projectStreamId } from '../../src/project/project.events';
import { ProjectionRunner } from '../../src/projection-runner/projection-runner';
import { PROJECTIONS } from '../../src/projection-runner/read-models';
import { readFundingMix } from '../../projections/funding-mix/funding-mix.query';
import { readProjectList } from '../../projections/project-list/project-list.projection';
import { demoCommandOf } from './demo-commands';

/**
 * The district's project streams alone: no fund batches, receipts and payments that name no
 * allocation (every one of them is still within its project's rules), and no treasury direct
 * payments (which spend an allocation; leaving a payment out never breaks a rule). The specs that load it
 * (audit, copy, export, drift) load any subset of its projects on its own and count one stream per
 * project; the whole district, batches included, goes over HTTP in test/e2e/demo.e2e.spec.ts.
 */
export function withoutFundBatches(district: DemoDistrict): DemoDistrict {
  const requests = district.requests
    .filter((r) => r.batchId === undefined && !r.path.endsWith('/treasury-payments'))
    .map((r) => {
      if (!('allocationId' in r.body)) return r;
      const { allocationId: _named, ...body } = r.body;
      return { ...r, body };
    });
  return { ...district, batches: [], requests };
}

export const demoDistrict = withoutFundBatches(generateDemoDistrict());

export async function loadDemo(store: EventStore, requests = demoDistrict.requests): Promise<void> {
  const writer = new OptimisticWriter(store, projectDecider);
  for (const [i, r] of requests.entries()) {
    await writer.execute(projectStreamId(r.projectId), demoCommandOf(r, '2024-01-01'), {
      commandId: r.idempotencyKey,
      requestHash: `demo-${i}`,
      actor: { id: `demo-${r.role}`, role: r.role, org: 'demo' },
      correlationId: r.idempotencyKey,
      causationId: r.idempotencyKey,
      recordedAt: '2024-01-01T00:00:00.000Z',
    });
  }
}

/** The project list and every demo project's funding mix, from live read models caught up with `store`. */
export async function readModelsOf(file: string, store: EventStore) {
  const runner = new ProjectionRunner(store, PROJECTIONS, file);
  runner.start();
  try {
    expect(await runner.waitFor(await store.headPosition(), 30_000)).toBe(true);
    return {
      list: readProjectList(runner.db),
      mixes: demoDistrict.projects.map((p) => readFundingMix(runner.db, p.projectId)),
    };
  } finally {
    await runner.close();
  }
}
