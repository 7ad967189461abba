import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore, RecordedEvent } from '../event-store/event-store.port';
import { brokenStreamsOf, readVerifiedStream } from '../event-store/integrity';
import { PersonalDataView } from '../events/personal-fields';
import { ProjectState, projectDecider } from '../project/project.decider';
import { ProjectErrors } from '../project/project.errors';
import { CostSharePlanAdopted, projectStreamId } from '../project/project.events';
import { Household, shareKey } from '../project/residents';
import { readProjectAtBounds } from '../audit/bounded-reads';
import { TimeBounds, checkTimeBounds, isBounded } from '../audit/time-bounds';
import { ReadModels } from '../projection-runner/read-models';
import { foldStored } from '../shared/domain/decider';
import { formatArea } from '../shared/domain/input-rules';
import { formatFen } from '../shared/money/money';
import { readCostShareAccounts, readCostSharePlan } from '../../projections/cost-shares/cost-shares.query';
import {
  PlanRecords,
  accountOf,
  figures,
  householdView,
  planRecordsOf,
  planView,
  totalsOf,
  voteView,
} from './project-views';

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
  async vote(projectId: string, voteId: string, view: PersonalDataView, raw: TimeBounds = {}) {
    const bounds = checkTimeBounds(raw);
    if (isBounded(bounds)) return readProjectAtBounds(this.store, projectId, bounds, 'vote', { voteId, view });
    const { events } = await this.folded(projectId);
    return voteView({ stored: events }, voteId, view);
  }

  /**
   * A plan and every household of it: weight, share, paid by channel, outstanding. From the
   * cost-shares read model (after it caught up with the writes acknowledged when the read began):
   * a 5,000-household plan is one indexed SELECT, not a fold of the stream and a parse of its
   * plan event (bench (i) measures both).
   */
  async plan(projectId: string, planId: string, view: PersonalDataView, raw: TimeBounds = {}) {
    const bounds = checkTimeBounds(raw);
    // At past bounds: the stream cut and folded in a replay worker, each account as paid by then.
    if (isBounded(bounds)) return readProjectAtBounds(this.store, projectId, bounds, 'plan', { planId, view });
    return planView(await this.planFromReadModel(projectId, planId), view);
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
  return planRecordsOf(state, { stored: events }, planId);
}

export type PlanNotice = Awaited<ReturnType<ResidentQueries['notice']>>;

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
