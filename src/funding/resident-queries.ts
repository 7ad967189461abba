import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore, RecordedEvent } from '../event-store/event-store.port';
import { brokenStreamsOf, readVerifiedStream } from '../event-store/integrity';
import { MASKED, PersonalDataView, maskPersonalData } from '../events/personal-fields';
import { SHARE_CHANNELS, ShareChannel } from '../project/funding-sources';
import { ProjectState, projectDecider } from '../project/project.decider';
import { ProjectErrors } from '../project/project.errors';
import {
  CostSharePlanAdopted,
  OwnerVoteRecorded,
  ProjectEventType as T,
  projectEvents,
  projectStreamId,
} from '../project/project.events';
import { Household, ShareAccount, entryOf, paidOf, shareKey } from '../project/residents';
import { ReadModels } from '../projection-runner/read-models';
import { foldStored } from '../shared/domain/decider';
import { formatArea } from '../shared/domain/input-rules';
import { Fen, fenOfStored, formatFen } from '../shared/money/money';
import {
  CostShareAccountRecord,
  CostSharePlanRecord,
  readCostShareAccounts,
  readCostSharePlan,
} from '../../projections/cost-shares/cost-shares.query';

/** How long a read waits for the read models to catch up with writes already acknowledged. */
const READ_YOUR_WRITES_MS = 2_000;

/**
 * The residents' reads: the register, a vote, a plan with every household's account, a
 * household's statement and a plan's public notice (公示). The register, a vote and a statement
 * fold the project stream (as `GET /api/projects/:id` does): the same state the decisions were
 * made on; a plan's list and its notice read the cost-shares read model. Household ids and
 * owner keys are personal (src/events/personal-fields.ts): masked for a reader who may not see
 * them; the notice shows rooms, never either.
 */
@Injectable()
export class ResidentQueries {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModels: ReadModels,
  ) {}

  async households(projectId: string, view: PersonalDataView) {
    const { state } = await this.folded(projectId);
    const households = [...state.register.values()];
    const sum = (area: (h: Household) => bigint | undefined) =>
      households.reduce((total, h) => total + (area(h) ?? 0n), 0n);
    return {
      projectId,
      households: households.map((h) => householdView(h, view)),
      totals: {
        households: households.length,
        owners: new Set(households.map((h) => h.ownerKey)).size,
        buildingArea: formatArea(sum((h) => h.buildingAreaH)),
        exclusiveArea: formatArea(sum((h) => h.exclusiveAreaH)),
      },
    };
  }

  /** A vote as recorded: its scope, ballots and every figure of its tally. */
  async vote(projectId: string, voteId: string, view: PersonalDataView) {
    const { events } = await this.folded(projectId);
    const found = eventData<OwnerVoteRecorded>(events, T.ownerVoteRecorded, (d) => d.voteId === voteId);
    if (!found) throw ProjectErrors.voteNotFound(voteId, 404);
    const data = maskPersonalData(T.ownerVoteRecorded, found, view) as OwnerVoteRecorded;
    return { ...data, passed: data.tally.passed };
  }

  /**
   * A plan and every household of it: weight, share, paid by channel, outstanding. From the
   * cost-shares read model (after it caught up with the writes acknowledged when the read began):
   * a 5,000-household plan is one indexed SELECT, not a fold of the stream and a parse of its
   * plan event (bench (i) measures both).
   */
  async plan(projectId: string, planId: string, view: PersonalDataView) {
    const { plan, accounts } = await this.planFromReadModel(projectId, planId);
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
      planId,
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

  /** A household's statement: per plan its share, what each channel paid, what it still owes, and the votes that bind it. */
  async statement(projectId: string, householdId: string, view: PersonalDataView) {
    const { state } = await this.folded(projectId);
    const h = state.register.get(householdId);
    if (!h) throw ProjectErrors.householdNotFound(householdId, 'householdId', 404);
    const receipts = [...state.entries.values()].filter(
      (e) => e.kind === 'receipt' && e.householdId === householdId && e.planId !== undefined,
    );
    const plans = [...state.plans.values()]
      .filter((p) => state.shares.has(shareKey(p.planId, householdId)))
      .map((p) => {
        const account = accountOf(state, p.planId, householdId);
        const paying = receipts.filter((e) => e.planId === p.planId);
        const voteIds = [p.voteId, ...paying.map((e) => e.voteId)].filter((id): id is string => id !== undefined);
        return {
          planId: p.planId,
          lineIds: p.lineIds,
          ...figures(account),
          receipts: paying.map((e) => ({
            receiptId: e.id,
            source: e.source,
            amount: formatFen(e.amountFen),
            reversed: formatFen(e.reversedFen),
            receivedOn: e.on,
            ...(e.voteId !== undefined ? { voteId: e.voteId } : {}),
          })),
          votes: [...new Set(voteIds)].map((voteId) => {
            const v = state.votes.get(voteId)!;
            return { voteId, matter: v.matter, heldOn: v.heldOn, passed: v.passed };
          }),
        };
      });
    const accounts = plans.map((p) => accountOf(state, p.planId, householdId));
    return { projectId, household: householdView(h, view), plans, totals: totalsOf(accounts) };
  }

  /**
   * A plan's public list (公示): each room with its area, coefficient, weight and share, ordered
   * by building, unit, floor and room. No household id, no owner key: any reader may print it.
   * From the cost-shares read model, as the plan's list.
   */
  async notice(projectId: string, planId: string) {
    const { plan, accounts } = await this.planFromReadModel(projectId, planId);
    const basis = areaBasisOf(plan.key);
    const rows = accounts
      .map((a) => ({
        building: a.building,
        unit: a.unit,
        floor: a.floor,
        room: a.room,
        area: basis === 'exclusive_area' ? a.exclusiveArea : a.buildingArea,
        coefficient: plan.key.coefficients?.[String(a.floor)] ?? null,
        weight: a.weight,
        share: formatFen(a.shareFen),
      }))
      .sort(byRoom);
    return {
      projectId,
      planId,
      lineIds: plan.lineIds,
      amount: formatFen(plan.amountFen),
      key: plan.key,
      ...(plan.voteId !== undefined ? { voteId: plan.voteId } : {}),
      rooms: rows,
      total: formatFen(accounts.reduce((sum, a) => sum + a.shareFen, 0n)),
    };
  }

  /**
   * A plan and its accounts from the read model, once it has caught up with every write stored
   * when the read began (a plan is refused when its stream is known not to verify). A plan it
   * does not hold (an unknown one, or one adopted while it lags by more than the wait) is read
   * from the stream, which answers 404 for an unknown project or plan and 409 for a broken stream.
   */
  private async planFromReadModel(projectId: string, planId: string): Promise<PlanRecords> {
    await this.readModels.waitFor(await this.store.headPosition(), READ_YOUR_WRITES_MS);
    const { result } = this.readModels.read((db) => {
      const plan = readCostSharePlan(db, projectId, planId);
      return plan === null ? null : { plan, accounts: readCostShareAccounts(db, projectId, planId) };
    });
    if (result === null) return planFromStream(this.store, projectId, planId);
    brokenStreamsOf(this.store).refuseBroken(projectStreamId(projectId));
    return result;
  }

  private folded(projectId: string): Promise<{ state: ProjectState; events: RecordedEvent[] }> {
    return foldedProject(this.store, projectId);
  }
}

/** A plan and every household's account in it, as the plan's list and notice show them. */
export interface PlanRecords {
  plan: CostSharePlanRecord;
  accounts: CostShareAccountRecord[];
}

async function foldedProject(
  store: EventStore,
  projectId: string,
): Promise<{ state: ProjectState; events: RecordedEvent[] }> {
  const events = await readVerifiedStream(store, projectStreamId(projectId));
  if (events.length === 0) throw ProjectErrors.projectNotFound(projectId);
  return { state: foldStored(projectDecider, events), events };
}

/**
 * The same records from the project stream: the stream folded (the register as corrected, each
 * account as paid) and the plan's event parsed. What the plan's list read before the read model,
 * kept for a plan the read model does not hold yet, and beside it in bench (i).
 */
export async function planFromStream(store: EventStore, projectId: string, planId: string): Promise<PlanRecords> {
  const { state, events } = await foldedProject(store, projectId);
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

export type PlanNotice = Awaited<ReturnType<ResidentQueries['notice']>>;

function personal(value: string, view: PersonalDataView): string {
  return view === 'shown' ? value : MASKED;
}

function householdView(h: Readonly<Household>, view: PersonalDataView) {
  const entry = entryOf(h);
  return { ...entry, householdId: personal(h.householdId, view), ownerKey: personal(h.ownerKey, view) };
}

/** The data of the first event of `type` that `match` takes, parsed by the registry. */
function eventData<D>(events: readonly RecordedEvent[], type: string, match: (data: D) => boolean): D | undefined {
  for (const e of events) {
    if (e.type !== type) continue;
    const data = projectEvents.parse(e).data as D;
    if (match(data)) return data;
  }
  return undefined;
}

function planOf(events: readonly RecordedEvent[], planId: string): CostSharePlanAdopted {
  const adopted = eventData<CostSharePlanAdopted>(events, T.costSharePlanAdopted, (d) => d.planId === planId);
  if (!adopted) throw ProjectErrors.planNotFound(planId, 404);
  return adopted;
}

function accountOf(state: ProjectState, planId: string, householdId: string): Readonly<ShareAccount> {
  return state.shares.get(shareKey(planId, householdId))!;
}

/** A household's figures in a plan: share, paid by channel, paid in all, outstanding. */
function figures(a: Readonly<Pick<ShareAccount, 'shareFen' | 'paidFen'>>) {
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

function totalsOf(accounts: readonly Readonly<Pick<ShareAccount, 'shareFen' | 'paidFen'>>[]) {
  const share = accounts.reduce((sum, a) => sum + a.shareFen, 0n);
  const paid = accounts.reduce((sum, a) => sum + paidOf(a), 0n);
  return {
    share: formatFen(share),
    paid: channels((channel) => accounts.reduce((sum, a) => sum + a.paidFen[channel], 0n)),
    paidTotal: formatFen(paid),
    outstanding: formatFen(share - paid),
  };
}

/** The area a key weighs by: its basis, or the building area for keys that weigh no area. */
function areaBasisOf(key: CostSharePlanAdopted['key']): 'building_area' | 'exclusive_area' {
  if (key.kind === 'exclusive_area' || key.basis === 'exclusive_area') return 'exclusive_area';
  return 'building_area';
}

const ROOM_ORDER = new Intl.Collator('zh-CN', { numeric: true });
function byRoom(
  a: { building: string; unit: string; floor: number; room: string },
  b: { building: string; unit: string; floor: number; room: string },
): number {
  return (
    ROOM_ORDER.compare(a.building, b.building) ||
    ROOM_ORDER.compare(a.unit, b.unit) ||
    a.floor - b.floor ||
    ROOM_ORDER.compare(a.room, b.room)
  );
}
