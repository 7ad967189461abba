import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore, RecordedEvent } from '../event-store/event-store.port';
import { PersonalDataView } from '../events/personal-fields';
import { ReadModels } from '../projection-runner/read-models';
import { foldStored } from '../shared/domain/decider';
import { projectDecider } from '../project/project.decider';
import { ProjectErrors } from '../project/project.errors';
import { isMilestoneEvent, projectEvents, projectStreamId } from '../project/project.events';
import { FundingMix, readFundingMix } from '../../projections/funding-mix/funding-mix.query';
import {
  ProjectListItem,
  projectListProjection,
  readProjectList,
} from '../../projections/project-list/project-list.projection';
import {
  BoundsUsed,
  CheckedBounds,
  TimeBounds,
  checkTimeBounds,
  isBounded,
  projectMixAtBounds,
} from '../audit/time-bounds';
import { brokenStreamsOf, readVerifiedStream } from '../event-store/integrity';
import { readProjectAtBounds, replayAtBounds } from '../audit/bounded-reads';
import { eventView, milestoneView, projectView } from './project-views';

/** How long a read waits for the projections to catch up with writes already acknowledged. */
const READ_YOUR_WRITES_MS = 2_000;

/** Reads: live ones from the read models (after they caught up), past ones from the log. */
@Injectable()
export class ProjectQueries {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModels: ReadModels,
  ) {}

  /**
   * Every project from the live read model; with `asOf` / `knownAt`, from a replay of the log cut
   * at those bounds through the same projection in memory, answered with the bounds it used.
   */
  async listProjects(
    filter: { town?: string },
    raw: TimeBounds = {},
  ): Promise<ProjectListItem[] | { bounds: BoundsUsed; projects: ProjectListItem[] }> {
    const bounds = checkTimeBounds(raw);
    if (isBounded(bounds)) {
      const { result, bounds: used } = await replayAtBounds(
        this.store,
        bounds,
        [projectListProjection],
        'projectList',
        filter,
      );
      return { bounds: used, projects: result };
    }
    await this.catchUp();
    return this.readModels.read((db) => readProjectList(db, filter)).result;
  }

  async project(projectId: string): Promise<{ revision: bigint; view: ReturnType<typeof projectView> }> {
    const events = await readVerifiedStream(this.store, projectStreamId(projectId));
    if (events.length === 0) throw ProjectErrors.projectNotFound(projectId);
    const state = foldStored(projectDecider, events);
    return {
      revision: events[events.length - 1].revision,
      view: projectView(state, events[events.length - 1].revision),
    };
  }

  /** The project as it stood at past bounds (project-at-bounds.ts), in a replay worker; 404 when not registered by then. */
  projectAtBounds(projectId: string, bounds: CheckedBounds) {
    return readProjectAtBounds(this.store, projectId, bounds, 'view', null);
  }

  async fundingMix(projectId: string, raw: TimeBounds): Promise<FundingMix & { bounds: BoundsUsed }> {
    const bounds = checkTimeBounds(raw);
    if (!isBounded(bounds)) {
      await this.catchUp();
      const { result: mix, position } = this.readModels.read((db) => readFundingMix(db, projectId));
      // 404 for an unknown project; 409 for one whose stream does not verify.
      if (mix.sources.length === 0) await this.project(projectId);
      else brokenStreamsOf(this.store).refuseBroken(projectStreamId(projectId));
      return { ...mix, bounds: { ...bounds, position: position.toString() } };
    }
    return projectMixAtBounds(this.store, projectId, bounds);
  }

  /**
   * The project's milestones in the order they were recorded, each with its kind, business date,
   * documents, the rule it was held to, who recorded it and when; a filing with its deadline and
   * whether it was late, and a passed acceptance with the deadline its filing has.
   */
  async milestones(projectId: string, raw: TimeBounds = {}) {
    const bounds = checkTimeBounds(raw);
    if (isBounded(bounds)) return readProjectAtBounds(this.store, projectId, bounds, 'milestones', null);
    const events = await readVerifiedStream(this.store, projectStreamId(projectId));
    if (events.length === 0) throw ProjectErrors.projectNotFound(projectId);
    // Only the milestones are parsed: a stream's money, votes and registers are not this read's.
    // A type the registry does not know is parsed too, so that it is refused as every read refuses it.
    const wanted = events.filter((stored) => {
      const type = projectEvents.currentTypeOf(stored.type);
      return type === undefined || isMilestoneEvent({ type });
    });
    return wanted.flatMap((stored) => {
      const e = projectEvents.parse(stored);
      return isMilestoneEvent(e) ? [milestoneView(e, stored)] : [];
    });
  }

  /**
   * The project's history from `fromRevision`. With `asOf` / `knownAt`, only the events the ledger
   * had recorded by then: by recorded time (`recordedAt`, UTC), `asOf` the end of that UTC day
   * (as an event without a business date counts from its recorded day), `knownAt` that instant. A
   * history so cut is a prefix of the stream's hash chain; a project recorded later answers [].
   */
  async events(projectId: string, fromRevision: bigint, limit: number, view: PersonalDataView, raw: TimeBounds = {}) {
    const bounds = checkTimeBounds(raw);
    const stream = await readVerifiedStream(this.store, projectStreamId(projectId));
    if (stream.length === 0) throw ProjectErrors.projectNotFound(projectId);
    const events = stream.filter((e) => e.revision >= fromRevision && recordedBy(e, bounds));
    return events.slice(0, limit).map((e) => eventView(e, view));
  }

  /** Waits until the read models include every event stored when the read began. */
  private async catchUp(): Promise<void> {
    const head = await this.store.headPosition();
    await this.readModels.waitFor(head, READ_YOUR_WRITES_MS);
  }
}

/** Whether the ledger had recorded `e` by the bounds (recorded time; see ProjectQueries.events). */
function recordedBy(e: RecordedEvent, bounds: CheckedBounds): boolean {
  const at = e.metadata.recordedAt;
  return (bounds.asOf === null || at.slice(0, 10) <= bounds.asOf) && (bounds.knownAt === null || at <= bounds.knownAt);
}
