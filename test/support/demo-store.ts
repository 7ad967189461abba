/** The demo district loaded straight through the write path (as the HTTP API would), and its read models. */
import { CommandWriter } from '../../src/event-store/handle-command';
import { EventStore } from '../../src/event-store/event-store.port';
import { generateDemoDistrict, routeOf } from '../../src/demo/demo-district';
import { projectCommandOf } from '../../src/funding/project-command-of';
import { projectDecider } from '../../src/project/project.decider';
import { projectStreamId } from '../../src/project/project.events';
import { ProjectionRunner } from '../../src/projection-runner/projection-runner';
import { PROJECTIONS } from '../../src/projection-runner/projection-runner.module';
import { readFundingMix } from '../../projections/funding-mix/funding-mix.query';
import { readProjectList } from '../../projections/project-list/project-list.projection';

export const demoDistrict = generateDemoDistrict();

export async function loadDemo(store: EventStore, requests = demoDistrict.requests): Promise<void> {
  const writer = new CommandWriter(store, projectDecider);
  for (const [i, r] of requests.entries()) {
    await writer.execute(projectStreamId(r.projectId), projectCommandOf(routeOf(r), r.body as Record<string, unknown>, '2024-01-01'), {
      commandId: r.idempotencyKey, requestHash: `demo-${i}`, actor: { id: `demo-${r.role}`, role: r.role, org: 'demo' },
      correlationId: r.idempotencyKey, causationId: r.idempotencyKey, recordedAt: '2024-01-01T00:00:00.000Z',
    });
  }
}

/** The project list and every demo project's funding mix, from live read models caught up with `store`. */
export async function readModelsOf(file: string, store: EventStore) {
  const runner = new ProjectionRunner(store, PROJECTIONS, file);
  runner.start();
  try {
    expect(await runner.waitFor(await store.headPosition(), 30_000)).toBe(true);
    return { list: readProjectList(runner.db), mixes: demoDistrict.projects.map((p) => readFundingMix(runner.db, p.projectId)) };
  } finally {
    await runner.close();
  }
}
