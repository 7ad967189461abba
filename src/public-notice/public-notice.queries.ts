/**
 * The public notice (公示) of one project, for a reader without a token: "将小区改造内容全部进行
 * 公示，接受社区居民、业主委员会、产权单位、物业服务企业等社会监督" (seed, 三(一)). Every field is
 * copied here one by one from the service's own reads, never spread from them: a field added to
 * those reads stays out of the notice until it is added here. Nothing personal is copied (no
 * household id, owner key, ballot, payer or payee, account: src/events/personal-fields.ts): the
 * cost-sharing plans are listed by room, as their notice already is.
 */
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK } from '../config/clock.provider';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { readVerifiedStream } from '../event-store/integrity';
import { ProjectQueries } from '../funding/project-queries';
import { ResidentQueries } from '../funding/resident-queries';
import {
  APPROVAL_PATH_LABELS,
  CATEGORY_LABELS,
  ITEM_LABELS,
  MILESTONE_LABELS,
  UTILITY_LABELS,
  labelOf,
} from '../policy/labels';
import {
  ContractSigned,
  CostSharePlanAdopted,
  FundsDisbursed,
  OwnerVoteRecorded,
  TenderAwarded,
  ProjectEventType as T,
  VoteCountRecord,
  entryMoveOf,
  projectEvents,
  projectStreamId,
} from '../project/project.events';
import { Fen, fenOfStored } from '../shared/money/money';
import { Clock } from '../shared/time/clock';
import { LatestSeal } from './latest-seal';

/** The day the notice is printed, in the district's time zone. */
const NOTICE_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' });

const VOTE_MATTER_ZH: Readonly<Record<string, string>> = {
  fund_use: '使用维修资金',
  fund_raise: '筹集维修资金',
  alteration: '改建、重建建筑物及其附属设施',
  common_parts: '利用共有部分从事经营活动',
  other: '其他共同决定事项',
};

export type PublicNotice = Awaited<ReturnType<PublicNoticeQueries['notice']>>;

@Injectable()
export class PublicNoticeQueries {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly projects: ProjectQueries,
    private readonly residents: ResidentQueries,
    private readonly latestSeal: LatestSeal,
  ) {}

  /** 404 `project-not-found` for a project never registered; a project not yet approved shows what it has. */
  async notice(projectId: string) {
    const { view } = await this.projects.project(projectId);
    const [mix, milestones, streamFacts, seal] = await Promise.all([
      this.projects.fundingMix(projectId, {}),
      this.projects.milestones(projectId),
      this.streamFacts(projectId),
      this.latestSeal.read(),
    ]);
    const plans = await Promise.all(streamFacts.planIds.map((planId) => this.residents.notice(projectId, planId)));
    const started = milestones.find((m) => m.kind === 'construction_started');
    const completed = milestones.find((m) => m.kind === 'construction_completed');
    const sealedStream = seal?.streams.find((s) => s.streamId === projectStreamId(projectId));
    return {
      projectId: view.projectId,
      name: view.name,
      community: view.community,
      town: view.town,
      status: view.status,
      noticeDate: NOTICE_DAY.format(this.clock.now()),
      approval: view.approval
        ? {
            approvedInvestment: view.approval.approvedInvestment,
            approvedOn: view.approval.approvedOn,
            docNo: view.approval.docNo,
            approvalPath: view.approval.approvalPath,
            approvalPathZh: labelOf(APPROVAL_PATH_LABELS, view.approval.approvalPath).zh,
          }
        : null,
      renovationContent: view.budgetLines.map((l) => ({
        lineId: l.lineId,
        category: l.category,
        categoryZh: labelOf(CATEGORY_LABELS, l.category).zh,
        item: l.item,
        itemZh: labelOf(ITEM_LABELS, l.item).zh,
        utility: l.utility ?? null,
        utilityZh: l.utility ? labelOf(UTILITY_LABELS, l.utility).zh : null,
        estimatedCost: l.estimatedCost,
      })),
      budgetTotal: view.budgetTotal,
      funding: {
        sources: mix.sources.map((s) => ({
          source: s.source,
          labelZh: s.labelZh,
          tier: s.tier,
          pledged: s.pledged,
          received: s.received,
          disbursed: s.disbursed,
          available: s.available,
          share: s.share,
        })),
        totals: {
          pledged: mix.totals.pledged,
          received: mix.totals.received,
          disbursed: mix.totals.disbursed,
          available: mix.totals.available,
          share: mix.totals.share,
        },
      },
      costSharePlans: plans.map((p) => ({
        planId: p.planId,
        lineIds: [...p.lineIds],
        amount: p.amount,
        keyKind: p.key.kind,
        voteId: p.voteId ?? null,
        rooms: p.rooms.map((r) => ({
          building: r.building,
          unit: r.unit,
          floor: r.floor,
          room: r.room,
          area: r.area,
          coefficient: r.coefficient,
          weight: r.weight,
          share: r.share,
        })),
        total: p.total,
      })),
      votes: streamFacts.votes.map(voteResult),
      milestones: milestones.map((m) => ({
        kind: m.kind,
        labelZh: labelOf(MILESTONE_LABELS, m.kind).zh,
        date: m.date,
        party:
          streamFacts.contracts.get(m.milestoneId)?.payee.name ??
          streamFacts.tenders.get(m.milestoneId)?.winner ??
          null,
      })),
      contractors: contractorsOf(milestones, streamFacts, view.budgetLines),
      constructionPeriod: {
        startedOn: started?.date ?? null,
        completedOn: completed?.date ?? null,
      },
      seal: seal && {
        sealId: seal.sealId,
        sealedAt: seal.sealedAt,
        headPosition: seal.headPosition,
        digest: seal.digest,
        keyFingerprint: seal.keyFingerprint,
        publicKey: seal.publicKey,
        signature: seal.signature,
        projectStream: sealedStream ? { revision: sealedStream.revision, hash: sealedStream.hash } : null,
      },
    };
  }

  /**
   * What the notice reads from the project's stream itself, parsing only these event types: its
   * votes, its plans' ids, and the lines each payee was paid on (the payee is never copied out:
   * contractorsOf only looks up the names of contractors, which are organisations, in it).
   */
  private async streamFacts(projectId: string) {
    const events = await readVerifiedStream(this.store, projectStreamId(projectId));
    const votes: OwnerVoteRecorded[] = [];
    const planIds: string[] = [];
    // Each tender award and contract by milestone id: its other party is an organisation, not personal data.
    const contracts = new Map<string, ContractSigned>();
    const tenders = new Map<string, TenderAwarded>();
    // Each payment with what its reversals left of it: a payment reversed in full (the wrong firm
    // paid, corrected the house way) says nothing about who does the line.
    const payments = new Map<string, { payee: string; lineId: string; fen: Fen }>();
    for (const stored of events) {
      if (stored.type === T.ownerVoteRecorded) votes.push(projectEvents.parse(stored).data as OwnerVoteRecorded);
      if (stored.type === T.costSharePlanAdopted)
        planIds.push((projectEvents.parse(stored).data as CostSharePlanAdopted).planId);
      if (stored.type === T.contractSigned || stored.type === T.tenderAwarded) {
        const e = projectEvents.parse(stored);
        if (e.type === T.contractSigned) contracts.set(e.data.milestoneId, e.data);
        if (e.type === T.tenderAwarded) tenders.set(e.data.milestoneId, e.data);
      }
      if (stored.type === T.disbursed || stored.type === T.treasuryPaid) {
        const { paymentId, payee, lineId, amount } = projectEvents.parse(stored).data as FundsDisbursed;
        payments.set(paymentId, { payee, lineId, fen: fenOfStored(amount) });
      }
      if (stored.type === T.reversed || stored.type === T.reversalReversed) {
        const e = projectEvents.parse(stored);
        if (e.type !== T.reversed && e.type !== T.reversalReversed) continue;
        const payment = payments.get(e.data.entryId);
        const { kind, sign } = entryMoveOf(e);
        if (payment && (kind === 'payment' || kind === 'treasury_payment'))
          payment.fen += sign * fenOfStored(e.data.amount);
      }
    }
    const paidLines = new Map<string, Set<string>>();
    for (const { payee, lineId, fen } of payments.values())
      if (fen > 0n) paidLines.set(payee, (paidLines.get(payee) ?? new Set<string>()).add(lineId));
    return {
      votes,
      planIds,
      contracts,
      tenders,
      paidLines: paidLines as ReadonlyMap<string, ReadonlySet<string>>,
    };
  }
}

/** A vote's result: its counts and whether each bound was met; never its ballots or scope's households. */
function voteResult(v: OwnerVoteRecorded) {
  const counts = (c: VoteCountRecord) => ({ units: c.units, owners: c.owners, area: c.area });
  return {
    voteId: v.voteId,
    matter: v.matter,
    matterZh: VOTE_MATTER_ZH[v.matter] ?? v.matter,
    heldOn: v.heldOn,
    scope: counts(v.tally.scope),
    participating: counts(v.tally.participating),
    agreeing: counts(v.tally.agreeing),
    quorumMet: v.tally.quorum.met,
    approvalMet: v.tally.approval.met,
    passed: v.tally.passed,
    citation: v.tally.rule.citation,
  };
}

/**
 * Every contract in the order signed (its contractor, an organisation with its 统一社会信用代码;
 * amount; day), then each tender winner with no contract yet (`signedOn` null). A contract does
 * not record the lines it covers: they are the lines paid to its contractor, matched by name as
 * the red flags match payments to contracts (RF-01, RF-03); none before its first payment.
 */
function contractorsOf(
  milestones: readonly { kind: string; milestoneId: string }[],
  facts: {
    contracts: ReadonlyMap<string, ContractSigned>;
    tenders: ReadonlyMap<string, TenderAwarded>;
    paidLines: ReadonlyMap<string, ReadonlySet<string>>;
  },
  budgetLines: readonly { lineId: string }[],
) {
  const { paidLines } = facts;
  // In the budget's order.
  const linesPaidTo = (name: string) => {
    const paid = paidLines.get(name) ?? new Set<string>();
    return budgetLines.map((l) => l.lineId).filter((id) => paid.has(id));
  };
  // In the milestones' order, each from its typed event (the two reads may straddle a write: one
  // the stream read has not seen is left for the next notice).
  const typed = <V>(kind: string, of: ReadonlyMap<string, V>) =>
    milestones.flatMap((m) => {
      const v = m.kind === kind ? of.get(m.milestoneId) : undefined;
      return v ? [v] : [];
    });
  const contracts = typed('contract', facts.contracts);
  const signed = new Set(contracts.map((c) => c.payee.name));
  const awarded = typed('tender', facts.tenders).filter((t) => !signed.has(t.winner));
  return [
    ...contracts.map((c) => ({ name: c.payee.name, amount: c.amount, signedOn: c.signedOn as string | null })),
    ...awarded.map((t) => ({ name: t.winner, amount: t.amount, signedOn: null })),
  ].map((c) => ({ ...c, lineIds: linesPaidTo(c.name) }));
}
