/**
 * How the project reads show a project: its state, its history's events, a milestone, a plan with
 * its households' accounts, a vote. Pure: the live reads (project-queries.ts, resident-queries.ts)
 * and the reads at past bounds (project-at-bounds.ts, run in a replay worker) show the same shapes.
 */
import type { RecordedEvent } from '../event-store/event-store.port';
import { MASKED, PersonalDataView, maskPersonalData } from '../events/personal-fields';
import { filingDeadline } from '../policy/filing-deadline';
import { SHARE_CHANNELS, ShareChannel } from '../project/funding-sources';
import type { ProjectState } from '../project/project.decider';
import { ProjectErrors } from '../project/project.errors';
import {
  CostSharePlanAdopted,
  MilestoneEvent,
  OwnerVoteRecorded,
  ProjectEventType,
  ProjectEventType as T,
  milestoneOf,
  projectEvents,
} from '../project/project.events';
import { Household, ShareAccount, entryOf, paidOf, shareKey } from '../project/residents';
import { formatArea } from '../shared/domain/input-rules';
import { Fen, fenOfStored, formatFen } from '../shared/money/money';
import type { CostShareAccountRecord, CostSharePlanRecord } from '../../projections/cost-shares/cost-shares.query';

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
export function filingFigures(e: MilestoneEvent): {
  filingDeadline?: string;
  deadlineProvisional?: boolean;
  late?: boolean;
} {
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

export function projectView(s: ProjectState, revision: bigint) {
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
    planIds: [...s.plans].map(([planId]) => planId),
    voteIds: [...s.votes].map(([voteId]) => voteId),
    revision: Number(revision),
  };
}

/** A milestone as GET /api/projects/:id/milestones shows it: kind, date, documents, rule, who and when. */
export function milestoneView(
  e: MilestoneEvent,
  stored: { revision: bigint; metadata: Pick<RecordedEvent['metadata'], 'actor' | 'recordedAt'> },
) {
  const { kind, on } = milestoneOf(e);
  const { projectId: _project, milestoneId, docRefs, ...details } = e.data as typeof e.data & { ruleId?: unknown };
  const ruleId = typeof details.ruleId === 'string' ? details.ruleId : null;
  return {
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
  };
}

/** A plan and every household's account in it, as the plan's list and notice show them. */
export interface PlanRecords {
  plan: CostSharePlanRecord;
  accounts: CostShareAccountRecord[];
}

/**
 * The same records from the project stream: the stream folded (the register as corrected, each
 * account as paid) and the plan's event parsed. What the plan's list read before the read model,
 * kept for a plan the read model does not hold yet, and beside it in bench (i).
 */
export function planRecordsOf(state: ProjectState, events: ProjectEvents, planId: string): PlanRecords {
  const projectId = state.projectId;
  const adopted = planOf(events, planId);
  return {
    plan: {
      projectId,
      planId,
      lineIds: adopted.lineIds,
      amountFen: fenOfStored(adopted.amount),
      scope: adopted.scope,
      key: adopted.key,
      ...(adopted.exempt !== undefined ? { exempt: adopted.exempt } : {}),
      ...(adopted.voteId !== undefined ? { voteId: adopted.voteId } : {}),
    },
    accounts: adopted.shares.map((r) => {
      const h = state.register.get(r.householdId)!;
      const account = accountOf(state, planId, r.householdId);
      return {
        householdId: r.householdId,
        building: h.building,
        unit: h.unit,
        floor: h.floor,
        room: h.room,
        buildingArea: formatArea(h.buildingAreaH),
        exclusiveArea: h.exclusiveAreaH === undefined ? null : formatArea(h.exclusiveAreaH),
        weight: r.weight,
        shareFen: account.shareFen,
        paidFen: account.paidFen,
      };
    }),
  };
}

export function personal(value: string, view: PersonalDataView): string {
  return view === 'shown' ? value : MASKED;
}

export function householdView(h: Readonly<Household>, view: PersonalDataView) {
  const entry = entryOf(h);
  return { ...entry, householdId: personal(h.householdId, view), ownerKey: personal(h.ownerKey, view) };
}

/** Stored events (parsed here by the registry) or events already parsed (a cut at bounds: time-bounds.ts). */
export type ProjectEvents =
  { stored: readonly RecordedEvent[] } | { parsed: readonly { type: string; data: unknown }[] };

/** The data of the first event of `type` that `match` takes, parsed by the registry. */
function eventData<D>(events: ProjectEvents, type: string, match: (data: D) => boolean): D | undefined {
  const list = 'stored' in events ? events.stored : events.parsed;
  for (const e of list) {
    if (e.type !== type) continue;
    const data = ('stored' in events ? projectEvents.parse(e as RecordedEvent).data : e.data) as D;
    if (match(data)) return data;
  }
  return undefined;
}

function planOf(events: ProjectEvents, planId: string): CostSharePlanAdopted {
  const adopted = eventData<CostSharePlanAdopted>(events, T.costSharePlanAdopted, (d) => d.planId === planId);
  if (!adopted) throw ProjectErrors.planNotFound(planId, 404);
  return adopted;
}

/** A vote as recorded: its scope, ballots and every figure of its tally. */
export function voteView(events: ProjectEvents, voteId: string, view: PersonalDataView) {
  const found = eventData<OwnerVoteRecorded>(events, T.ownerVoteRecorded, (d) => d.voteId === voteId);
  if (!found) throw ProjectErrors.voteNotFound(voteId, 404);
  const data = maskPersonalData(T.ownerVoteRecorded, found, view) as OwnerVoteRecorded;
  return { ...data, passed: data.tally.passed };
}

/** A plan and every household of it: weight, share, paid by channel, outstanding. */
export function planView({ plan, accounts }: PlanRecords, view: PersonalDataView) {
  const rows = accounts.map((a) => ({
    householdId: personal(a.householdId, view),
    building: a.building,
    unit: a.unit,
    floor: a.floor,
    room: a.room,
    weight: a.weight,
    ...figures(a),
  }));
  const masked = maskPersonalData(T.costSharePlanAdopted, { scope: plan.scope, exempt: plan.exempt }, view) as Pick<
    CostSharePlanAdopted,
    'scope' | 'exempt'
  >;
  return {
    planId: plan.planId,
    lineIds: plan.lineIds,
    amount: formatFen(plan.amountFen),
    scope: masked.scope,
    key: plan.key,
    ...(masked.exempt !== undefined ? { exempt: masked.exempt } : {}),
    ...(plan.voteId !== undefined ? { voteId: plan.voteId } : {}),
    households: rows,
    totals: totalsOf(accounts),
  };
}

export function accountOf(state: ProjectState, planId: string, householdId: string): Readonly<ShareAccount> {
  return state.shares.get(shareKey(planId, householdId))!;
}

/** A household's figures in a plan: share, paid by channel, paid in all, outstanding. */
export function figures(a: Readonly<Pick<ShareAccount, 'shareFen' | 'paidFen'>>) {
  const paid = paidOf(a);
  return {
    share: formatFen(a.shareFen),
    paid: channels((channel) => a.paidFen[channel]),
    paidTotal: formatFen(paid),
    outstanding: formatFen(a.shareFen - paid),
  };
}

function channels(fen: (channel: ShareChannel) => Fen): Record<ShareChannel, string> {
  return Object.fromEntries(SHARE_CHANNELS.map((c) => [c, formatFen(fen(c))])) as Record<ShareChannel, string>;
}

export function totalsOf(accounts: readonly Readonly<Pick<ShareAccount, 'shareFen' | 'paidFen'>>[]) {
  const share = accounts.reduce((sum, a) => sum + a.shareFen, 0n);
  const paid = accounts.reduce((sum, a) => sum + paidOf(a), 0n);
  return {
    share: formatFen(share),
    paid: channels((channel) => accounts.reduce((sum, a) => sum + a.paidFen[channel], 0n)),
    paidTotal: formatFen(paid),
    outstanding: formatFen(share - paid),
  };
}
