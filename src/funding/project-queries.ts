import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore, RecordedEvent } from '../event-store/event-store.port';
import { PersonalDataView, maskPersonalData } from '../events/personal-fields';
import { ReadModels } from '../projection-runner/read-models';
import { foldStored } from '../shared/domain/decider';
import { formatFen } from '../shared/money/money';
import { ProjectState, projectDecider } from '../project/project.decider';
import { ProjectErrors } from '../project/project.errors';
import {
  MilestoneEvent,
  ProjectEventType,
  isMilestoneEvent,
  milestoneOf,
  projectEvents,
  projectStreamId,
} from '../project/project.events';
import { filingDeadline } from '../policy/filing-deadline';
import { FundingMix, readFundingMix } from '../../projections/funding-mix/funding-mix.query';
import {
  ProjectListItem,
  projectListProjection,
  readProjectList,
} from '../../projections/project-list/project-list.projection';
import { BoundsUsed, TimeBounds, checkTimeBounds, isBounded, projectMixAtBounds } from '../audit/time-bounds';
import { brokenStreamsOf, readVerifiedStream } from '../event-store/integrity';
import { replayAtBounds } from '../audit/bounded-reads';

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
  async milestones(projectId: string) {
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
      if (!isMilestoneEvent(e)) return [];
      const { kind, on } = milestoneOf(e);
      const { projectId: _project, milestoneId, docRefs, ...details } = e.data as typeof e.data & { ruleId?: unknown };
      const ruleId = typeof details.ruleId === 'string' ? details.ruleId : null;
      return [
        {
          milestoneId,
          kind,
          date: on,
          docRefs,
          ruleId,
          ...filingFigures(e),
          details: details as Record<string, unknown>,
          type: e.type,
          revision: Number(stored.revision),
          actor: stored.metadata.actor,
          recordedAt: stored.metadata.recordedAt,
        },
      ];
    });
  }

  async events(projectId: string, fromRevision: bigint, limit: number, view: PersonalDataView) {
    const events = (await readVerifiedStream(this.store, projectStreamId(projectId))).filter(
      (e) => e.revision >= fromRevision,
    );
    if (events.length === 0 && fromRevision === 0n) throw ProjectErrors.projectNotFound(projectId);
    return events.slice(0, limit).map((e) => eventView(e, view));
  }

  /** Waits until the read models include every event stored when the read began. */
  private async catchUp(): Promise<void> {
    const head = await this.store.headPosition();
    await this.readModels.waitFor(head, READ_YOUR_WRITES_MS);
  }
}

/** An event as the history routes show it, its personal data masked for a `masked` view. */
export function eventView(e: RecordedEvent, view: PersonalDataView) {
  const m = e.metadata;
  return {
    streamId: e.streamId,
    revision: Number(e.revision),
    position: e.position.toString(),
    eventId: e.eventId,
    type: e.type,
    data: maskPersonalData(e.type, e.data, view),
    actor: m.actor,
    commandId: m.commandId,
    correlationId: m.correlationId,
    causationId: m.causationId,
    recordedAt: m.recordedAt,
    prevHash: m.prevHash,
    hash: m.hash,
  };
}

/** A filing's deadline and lateness as recorded; a passed acceptance's deadline by the filing rule of its date (none before any was in force). */
function filingFigures(e: MilestoneEvent): { filingDeadline?: string; deadlineProvisional?: boolean; late?: boolean } {
  if (e.type === ProjectEventType.acceptanceReportFiled)
    return {
      filingDeadline: e.data.deadline,
      ...(e.data.deadlineProvisional ? { deadlineProvisional: true } : {}),
      late: e.data.late,
    };
  if (e.type === ProjectEventType.jointAcceptanceHeld && e.data.result === 'passed') {
    const due = filingDeadline(e.data.acceptedOn);
    if (due === undefined) return {};
    return { filingDeadline: due.deadline, ...(due.provisional ? { deadlineProvisional: true } : {}) };
  }
  return {};
}

function projectView(s: ProjectState, revision: bigint) {
  const entries = [...s.entries.values()];
  const remaining = (e: (typeof entries)[number]) =>
    e.amountFen - e.reversedFen - (e.kind === 'pledge' ? e.receivedFen : 0n);
  const list = (kind: string) =>
    entries
      .filter((e) => e.kind === kind)
      .map((e) => ({
        id: e.id,
        source: e.source,
        amount: formatFen(e.amountFen),
        reversed: formatFen(e.reversedFen),
        ...(e.kind === 'pledge' ? { received: formatFen(e.receivedFen) } : {}),
        remaining: formatFen(remaining(e)),
        ...(e.lineId !== undefined ? { lineId: e.lineId } : {}),
        ...(e.pledgeId !== undefined ? { pledgeId: e.pledgeId } : {}),
        ...(e.allocationId !== undefined ? { allocationId: e.allocationId } : {}),
      }));
  return {
    projectId: s.projectId,
    name: s.name,
    community: s.community,
    town: s.town,
    builtYear: s.builtYear,
    buildingArea: s.buildingArea,
    households: s.households,
    eligibility: s.eligibility!,
    ...(s.conditionJustification !== undefined ? { conditionJustification: s.conditionJustification } : {}),
    status: s.reapprovalRequired ? 'reapproval_required' : s.approval ? 'approved' : 'registered',
    approval: s.approval && {
      approvedInvestment: formatFen(s.approval.approvedInvestmentFen),
      approvalPath: s.approval.path,
      ruleId: s.approval.ruleId,
      involvesIndependentInfrastructure: s.approval.involvesIndependentInfrastructure,
      ...(s.approval.jointReviewId !== undefined ? { jointReviewId: s.approval.jointReviewId } : {}),
      docNo: s.approval.docNo,
      approvedOn: s.approval.approvedOn,
    },
    budgetTotal: formatFen(s.budgetTotalFen),
    budgetLines: [...s.lines.values()].map((l) => ({
      lineId: l.lineId,
      category: l.category,
      item: l.item,
      ...(l.utility ? { utility: l.utility } : {}),
      estimatedCost: formatFen(l.estimatedCostFen),
    })),
    pledges: list('pledge'),
    receipts: list('receipt'),
    payments: list('payment'),
    treasuryPayments: list('treasury_payment'),
    allocations: [...s.allocations.values()].map((a) => ({
      allocationId: a.allocationId,
      batchId: a.batchId,
      source: a.source,
      ...(a.program !== undefined ? { program: a.program } : {}),
      docNo: a.docNo,
      fiscalYear: a.fiscalYear,
      amount: formatFen(a.amountFen),
      released: formatFen(a.releasedFen),
      received: formatFen(a.receivedFen),
      disbursed: formatFen(a.disbursedFen),
      undrawn: formatFen(a.amountFen - a.releasedFen - a.receivedFen),
    })),
    sources: [...s.sources.entries()].map(([source, p]) => ({
      source,
      pledged: formatFen(p.pledgedFen),
      received: formatFen(p.receivedFen),
      disbursed: formatFen(p.disbursedFen),
      available: formatFen(p.receivedFen - p.disbursedFen),
    })),
    revision: Number(revision),
  };
}
