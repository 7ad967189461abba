import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore, RecordedEvent } from '../event-store/event-store.port';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import { fold } from '../shared/domain/decider';
import { DomainError } from '../shared/domain/domain-error';
import { formatFen } from '../shared/money/money';
import { isCalendarDate } from '../shared/time/clock';
import { ProjectState, projectDecider } from '../project/project.decider';
import { ProjectErrors } from '../project/project.errors';
import { ProjectEvent, ProjectEventType as T, projectStreamId } from '../project/project.events';
import { FundingMix, fundingMixFromEvents, readFundingMix } from '../../projections/funding-mix/funding-mix.query';
import { ProjectListItem, readProjectList } from '../../projections/project-list/project-list.projection';

/** How long a read waits for the projections to catch up with writes already acknowledged. */
const READ_YOUR_WRITES_MS = 2_000;

export interface TimeBounds {
  asOf?: string;
  knownAt?: string;
}

/** Reads: live ones from the read models (after they caught up), past ones from the log. */
@Injectable()
export class ProjectQueries {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
  ) {}

  async listProjects(filter: { town?: string }): Promise<ProjectListItem[]> {
    await this.catchUp();
    return readProjectList(this.runner.db, filter);
  }

  async project(projectId: string): Promise<{ revision: bigint; view: ReturnType<typeof projectView> }> {
    const events = await this.store.readStream(projectStreamId(projectId));
    if (events.length === 0) throw ProjectErrors.projectNotFound(projectId);
    const state = fold(projectDecider, events.map(toDomain));
    return { revision: events[events.length - 1].revision, view: projectView(state, events[events.length - 1].revision) };
  }

  async fundingMix(projectId: string, bounds: TimeBounds): Promise<FundingMix & { bounds: { asOf: string | null; knownAt: string | null; position: string } }> {
    const asOf = bounds.asOf;
    const knownAt = bounds.knownAt === undefined ? undefined : parseKnownAt(bounds.knownAt);
    if (asOf !== undefined && !isCalendarDate(asOf)) throw new DomainError('invalid-date', `asOf must be a date written YYYY-MM-DD (got ${asOf})`, 400, 'asOf');
    if (asOf === undefined && knownAt === undefined) {
      const position = await this.catchUp();
      const mix = readFundingMix(this.runner.db, projectId);
      if (mix.sources.length === 0) await this.project(projectId); // 404 for an unknown project
      return { ...mix, bounds: { asOf: null, knownAt: null, position: position.toString() } };
    }
    const events = await this.store.readStream(projectStreamId(projectId));
    if (events.length === 0) throw ProjectErrors.projectNotFound(projectId);
    const kept = events.filter((e) => (knownAt === undefined || e.metadata.recordedAt <= knownAt) && (asOf === undefined || effectiveDate(e) <= asOf));
    const last = kept.length ? kept[kept.length - 1].position : 0n;
    return { ...fundingMixFromEvents(projectId, kept), bounds: { asOf: asOf ?? null, knownAt: knownAt ?? null, position: last.toString() } };
  }

  async events(projectId: string, fromRevision: bigint, limit: number) {
    const events = await this.store.readStream(projectStreamId(projectId), fromRevision);
    if (events.length === 0 && fromRevision === 0n) throw ProjectErrors.projectNotFound(projectId);
    return events.slice(0, limit).map(eventView);
  }

  /** Waits until the read models include every event stored when the read began. */
  private async catchUp(): Promise<bigint> {
    const head = await this.store.headPosition();
    await this.runner.waitFor(head, READ_YOUR_WRITES_MS);
    return this.runner.position();
  }
}

function toDomain(e: RecordedEvent): ProjectEvent {
  return { type: e.type, data: e.data } as unknown as ProjectEvent;
}

/** The business date an event takes effect on (the `asOf` axis); registration and budget take their recording day. */
function effectiveDate(e: RecordedEvent): string {
  const d = e.data as Record<string, string>;
  switch (e.type) {
    case T.pledged: return d.pledgedOn;
    case T.received: return d.receivedOn;
    case T.disbursed: return d.paidOn;
    case T.reversed: return d.reversedOn;
    case T.approved: return d.approvedOn;
    default: return e.metadata.recordedAt.slice(0, 10);
  }
}

function parseKnownAt(value: string): string {
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(value) || Number.isNaN(t)) {
    throw new DomainError('invalid-time', `knownAt must be an ISO-8601 time such as 2022-03-01T12:00:00Z (got ${value})`, 400, 'knownAt');
  }
  return new Date(t).toISOString();
}

export function eventView(e: RecordedEvent) {
  const m = e.metadata;
  return {
    streamId: e.streamId, revision: Number(e.revision), position: e.position.toString(), eventId: e.eventId, type: e.type, data: e.data,
    actor: m.actor, commandId: m.commandId, correlationId: m.correlationId, causationId: m.causationId, recordedAt: m.recordedAt,
    prevHash: m.prevHash, hash: m.hash,
  };
}

function projectView(s: ProjectState, revision: bigint) {
  const entries = [...s.entries.values()];
  const remaining = (e: (typeof entries)[number]) => e.amountFen - e.reversedFen - (e.kind === 'pledge' ? e.receivedFen : 0n);
  const list = (kind: string) => entries.filter((e) => e.kind === kind).map((e) => ({
    id: e.id, source: e.source, amount: formatFen(e.amountFen), reversed: formatFen(e.reversedFen),
    ...(e.kind === 'pledge' ? { received: formatFen(e.receivedFen) } : {}), remaining: formatFen(remaining(e)),
    ...(e.lineId !== undefined ? { lineId: e.lineId } : {}), ...(e.pledgeId !== undefined ? { pledgeId: e.pledgeId } : {}),
  }));
  return {
    projectId: s.projectId, name: s.name, community: s.community, town: s.town, builtYear: s.builtYear, buildingArea: s.buildingArea, households: s.households,
    status: s.reapprovalRequired ? 'reapproval_required' : s.approval ? 'approved' : 'registered',
    approval: s.approval && { approvedInvestment: formatFen(s.approval.approvedInvestmentFen), approvalPath: s.approval.path, docNo: s.approval.docNo, approvedOn: s.approval.approvedOn },
    budgetTotal: formatFen(s.budgetTotalFen),
    budgetLines: [...s.lines.values()].map((l) => ({ lineId: l.lineId, category: l.category, item: l.item, ...(l.utility ? { utility: l.utility } : {}), estimatedCost: formatFen(l.estimatedCostFen) })),
    pledges: list('pledge'), receipts: list('receipt'), payments: list('payment'),
    sources: [...s.sources.entries()].map(([source, p]) => ({
      source, pledged: formatFen(p.pledgedFen), received: formatFen(p.receivedFen), disbursed: formatFen(p.disbursedFen), available: formatFen(p.receivedFen - p.disbursedFen),
    })),
    revision: Number(revision),
  };
}
