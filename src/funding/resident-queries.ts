import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore, RecordedEvent } from '../event-store/event-store.port';
import { readVerifiedStream } from '../event-store/integrity';
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
import { foldStored } from '../shared/domain/decider';
import { formatArea } from '../shared/domain/input-rules';
import { Fen, fenOfStored, formatFen } from '../shared/money/money';

/**
 * The residents' reads: the register, a vote, a plan with every household's account, a
 * household's statement and a plan's public notice (公示). Each folds the project stream (as
 * `GET /api/projects/:id` does): the same state the decisions were made on. Household ids and
 * owner keys are personal (src/events/personal-fields.ts): masked for a reader who may not see
 * them; the notice shows rooms, never either.
 */
@Injectable()
export class ResidentQueries {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

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

  /** A plan and every household of it: weight, share, paid by channel, outstanding. */
  async plan(projectId: string, planId: string, view: PersonalDataView) {
    const { state, events } = await this.folded(projectId);
    const adopted = planOf(events, planId);
    const rows = adopted.shares.map((r) => {
      const account = accountOf(state, planId, r.householdId);
      const h = state.register.get(r.householdId)!;
      return {
        householdId: personal(r.householdId, view),
        building: h.building,
        unit: h.unit,
        floor: h.floor,
        room: h.room,
        weight: r.weight,
        ...figures(account),
      };
    });
    const accounts = adopted.shares.map((r) => accountOf(state, planId, r.householdId));
    const masked = maskPersonalData(T.costSharePlanAdopted, adopted, view) as CostSharePlanAdopted;
    return {
      planId,
      lineIds: adopted.lineIds,
      amount: adopted.amount,
      scope: masked.scope,
      key: adopted.key,
      ...(masked.exempt !== undefined ? { exempt: masked.exempt } : {}),
      ...(adopted.voteId !== undefined ? { voteId: adopted.voteId } : {}),
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
   */
  async notice(projectId: string, planId: string) {
    const { state, events } = await this.folded(projectId);
    const adopted = planOf(events, planId);
    const basis = areaBasisOf(adopted.key);
    const rows = adopted.shares
      .map((r) => {
        const h = state.register.get(r.householdId)!;
        const areaH = basis === 'exclusive_area' ? h.exclusiveAreaH : h.buildingAreaH;
        return {
          building: h.building,
          unit: h.unit,
          floor: h.floor,
          room: h.room,
          area: areaH === undefined ? null : formatArea(areaH),
          coefficient: adopted.key.coefficients?.[String(h.floor)] ?? null,
          weight: r.weight,
          share: r.share,
        };
      })
      .sort(byRoom);
    return {
      projectId,
      planId,
      lineIds: adopted.lineIds,
      amount: adopted.amount,
      key: adopted.key,
      ...(adopted.voteId !== undefined ? { voteId: adopted.voteId } : {}),
      rooms: rows,
      total: formatFen(adopted.shares.reduce((sum, r) => sum + fenOfStored(r.share), 0n)),
    };
  }

  private async folded(projectId: string): Promise<{ state: ProjectState; events: RecordedEvent[] }> {
    const events = await readVerifiedStream(this.store, projectStreamId(projectId));
    if (events.length === 0) throw ProjectErrors.projectNotFound(projectId);
    return { state: foldStored(projectDecider, events), events };
  }
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
function figures(a: Readonly<ShareAccount>) {
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

function totalsOf(accounts: readonly Readonly<ShareAccount>[]) {
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
