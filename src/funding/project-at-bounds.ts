/**
 * One project as it stood at past bounds (`asOf` / `knownAt`, time-bounds.ts): its stream, read and
 * verified, cut at the bounds as a replay cuts it (cutAtBounds), then shown as the live reads show
 * it (project-views.ts). Run in a replay worker on the embedded store (bounded-reads.ts,
 * readProjectAtBounds): a fold of a large project takes the time of a replay of a small log.
 */
import type { RecordedEvent } from '../event-store/event-store.port';
import type { PersonalDataView } from '../events/personal-fields';
import { fold } from '../shared/domain/decider';
import { DomainError } from '../shared/domain/domain-error';
import { ParsedRecordWithMetadata, parseRecord } from '../shared/events/parsed-record';
import { ProjectState, projectDecider } from '../project/project.decider';
import { ProjectEvent, isMilestoneEvent, projectEvents } from '../project/project.events';
import { BoundsUsed, CheckedBounds, cutAtBounds } from '../audit/time-bounds';
import { milestoneView, planRecordsOf, planView, projectView, voteView } from './project-views';

/** A project's stream (verified, oldest first) cut at the bounds, folded when a read needs its state. */
class ProjectAtBounds {
  readonly kept: ParsedRecordWithMetadata<ProjectEvent>[];
  readonly bounds: BoundsUsed;
  private folded: ProjectState | undefined;

  constructor(
    readonly projectId: string,
    stored: readonly RecordedEvent[],
    bounds: CheckedBounds,
  ) {
    const cut = cutAtBounds(
      stored.map((e) => parseRecord(projectEvents, e)),
      bounds,
    );
    this.kept = cut.kept;
    this.bounds = cut.used;
  }

  get state(): ProjectState {
    this.folded ??= fold(projectDecider, this.kept);
    return this.folded;
  }

  /** The state, or 404 when the project was not registered by the bounds. */
  registered(): ProjectState {
    if (!this.state.registered) throw notRegisteredBy(this.projectId, this.bounds);
    return this.state;
  }
}

function notRegisteredBy(projectId: string, bounds: BoundsUsed): DomainError {
  const by = [bounds.asOf && `asOf ${bounds.asOf}`, bounds.knownAt && `knownAt ${bounds.knownAt}`].filter(Boolean);
  return new DomainError('project-not-found', `project ${projectId} was not registered by ${by.join(' and ')}`, 404);
}

/**
 * What a read of one project at past bounds may answer, by name (so that a worker can run it):
 * plain data, which crosses to the main thread as a structured clone.
 */
export const PROJECT_READERS = {
  /** GET /api/projects/:id: the state as the live read shows it (its revision the last kept), with the bounds. */
  view: (p: ProjectAtBounds, _none: null) => {
    const state = p.registered();
    const revision = p.kept.reduce((max, e) => (e.revision > max ? e.revision : max), 0n);
    return { ...projectView(state, revision), bounds: p.bounds };
  },
  /** GET /api/projects/:id/milestones: the milestones kept, in the order they were recorded. */
  milestones: (p: ProjectAtBounds, _none: null) => {
    p.registered(); // 404 when not registered by then, as GET /api/projects/:id at the same bounds
    return p.kept.flatMap((e) => (isMilestoneEvent(e) ? [milestoneView(e, e)] : []));
  },
  /** GET /api/projects/:id/cost-shares/:planId: the plan adopted by then, each household's account as paid by then. */
  plan: (p: ProjectAtBounds, args: { planId: string; view: PersonalDataView }) => ({
    ...planView(planRecordsOf(p.registered(), { parsed: p.kept }, args.planId), args.view),
    bounds: p.bounds,
  }),
  /** GET /api/projects/:id/votes/:voteId: the vote, if held by then. */
  vote: (p: ProjectAtBounds, args: { voteId: string; view: PersonalDataView }) => ({
    ...voteView({ parsed: p.kept }, args.voteId, args.view),
    bounds: p.bounds,
  }),
};
export type ProjectReader = keyof typeof PROJECT_READERS;
export type ProjectReaderArgs<K extends ProjectReader> = Parameters<(typeof PROJECT_READERS)[K]>[1];
export type ProjectReaderResult<K extends ProjectReader> = ReturnType<(typeof PROJECT_READERS)[K]>;

/** `reader` on one project's verified stream (not empty) cut at `bounds`. */
export function runProjectReader<K extends ProjectReader>(
  projectId: string,
  stored: readonly RecordedEvent[],
  bounds: CheckedBounds,
  reader: K,
  args: ProjectReaderArgs<K>,
): ProjectReaderResult<K> {
  const read = PROJECT_READERS[reader] as (p: ProjectAtBounds, args: ProjectReaderArgs<K>) => ProjectReaderResult<K>;
  return read(new ProjectAtBounds(projectId, stored, bounds), args);
}
