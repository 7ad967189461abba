/**
 * The life of each demo project (domain.md §2; seed 三): consultation, publicity, joint review
 * (the district's own code adds it, see demo-district.ts), approval, the four permit
 * determinations, tender, contract, start, completion, joint acceptance with resident
 * representatives, the filing of its report, handover and the management model, in that order and
 * at plausible intervals, each dated within the project's own window.
 *
 * Judged by the rule of its date like any client's: before 2021-11-25 the seed's exemptions did
 * not exist, so every determination then is a permit (or certificate) with its number; from then
 * on a project without elevators claims the exemptions its facts allow (no new land, roof
 * beautification, low-risk commitment, no structure or area change), and one with elevators the
 * added-area exemption for its drawings and permits for the rest.
 *
 * Two milestones go wrong on purpose, for the red flags (demo-irregularities.ts): one project
 * files its acceptance report after the deadline, one starts its works before its construction
 * permit is determined. A generator of its own per project (the district's seed and the project's
 * index), so the money of the district is what it was without the milestones.
 */
import type { MilestoneInput } from '../project/project.commands';
import { CONSULTATION_METHODS, PermitFacts } from '../project/project.events';
import { filingDeadline } from '../policy/filing-deadline';
import { creditCodeCheck, formatArea } from '../shared/domain/input-rules';
import { formatFen } from '../shared/money/money';
import type { CommunityScale } from './demo-communities';
import { dayOf, isoOf, yearOf } from './demo-units';
import { SeededRandom } from './seeded-random';

/** 潼南府办发〔2021〕71号 took effect: the seed's exemptions from then on. */
const SEED_FROM = dayOf('2021-11-25');
/** Tongnan's administrative division code, the 3rd to 8th characters of a local 统一社会信用代码. */
const TONGNAN_DIVISION = '500152';
/** An open tender is compulsory for works from this amount (发改委令第16号, [K]); below it, a competitive consultation. */
const OPEN_TENDER_FROM_FEN = 4_000_000_00n;

/** A party the project pays, under one contract, and the lines its works cover. */
export interface DemoPayee {
  name: string;
  /** What its lines are estimated to cost: the tender's and the contract's amount. */
  amountFen: bigint;
  kind: 'general' | 'elevator' | 'utility';
}

export interface LifecycleInput {
  projectId: string;
  index: number;
  town: string;
  community: string;
  scale: CommunityScale;
  households: number;
  /** The approval's day; null for a project not approved (its consultation and publicity only). */
  approvalDay: number | null;
  /** The day the project's preparation is dated around when it has no approval. */
  preparedDay: number;
  /** How far its life goes: to the publicity, to the determinations, or the whole way. */
  reach: 'consultation' | 'publicity' | 'determinations' | 'whole';
  payees: DemoPayee[];
  elevators: number;
  /** The utilities whose pipelines the works renew (their assets are handed over to them). */
  utilities: { utility: string; receivingParty: string }[];
  ownHome: boolean;
  /** The first and last days a milestone may bear. */
  first: number;
  last: number;
  /** Works that finish in a given year (the 2021 batch in 2022): completion no earlier than this day. */
  completeFrom?: number;
  /** Planted: the acceptance report filed after its deadline. */
  lateFiling?: boolean;
  /** Planted: works started before the construction permit was determined. */
  startBeforePermit?: boolean;
  seed: number;
}

/** What a contract lets be paid before the works are completed (进度款支付比例), in percent: the money follows it (demo-district.ts). */
export const PROGRESS_PAYMENT_CAP_PERCENT = 80;

export interface DatedMilestone {
  day: number;
  body: MilestoneInput;
}

export interface DemoLifecycle {
  milestones: DatedMilestone[];
  /** Each payee's contract day: no payment to it before (RF-01). */
  contractDays: Map<string, number>;
}

export function planLifecycle(p: LifecycleInput): DemoLifecycle {
  const rng = new SeededRandom(p.seed * 7_793 + p.index * 101 + 17);
  const out: DatedMilestone[] = [];
  const contractDays = new Map<string, number>();
  const within = (day: number) => day >= p.first && day <= p.last;
  const add = (day: number, body: MilestoneInput): boolean => {
    if (!within(day)) return false;
    out.push({ day, body });
    return true;
  };
  const anchor = p.approvalDay ?? p.preparedDay;
  const docYear = (day: number) => yearOf(day);

  // Before the approval: the residents asked, the content publicized (the review is the district's).
  const consulted = Math.max(p.first, anchor - rng.int(50, 75));
  const reached = Math.max(1, Math.floor((p.households * rng.int(85, 98)) / 100));
  add(consulted, {
    kind: 'consultation',
    milestoneId: 'CON-1',
    docRefs: [`${p.community}居民意愿征询记录（${isoOf(consulted).slice(0, 7)}）`],
    heldOn: isoOf(consulted),
    method: CONSULTATION_METHODS[p.index % CONSULTATION_METHODS.length],
    householdsReached: reached,
    householdsSupporting: Math.floor((reached * rng.int(86, 97)) / 100),
    organiser: `${p.town}${p.town.endsWith('街道') ? '办事处' : '人民政府'}`,
  });
  if (p.reach === 'consultation') return { milestones: out, contractDays };
  const posted = consulted + rng.int(5, 10);
  const takenDown = posted + rng.int(7, 10);
  add(posted, {
    kind: 'publicity',
    milestoneId: 'PUB-1',
    docRefs: [`${p.community}改造内容公示照片（${isoOf(posted)}）`],
    subject: `${p.community}改造内容`,
    startDate: isoOf(posted),
    endDate: isoOf(takenDown),
    channels: ['小区公示栏', '社区居委会公告栏', '社区微信群'],
    objections: rng.chance(60)
      ? { received: 0 }
      : { received: rng.int(1, 3), summary: '个别住户对停车位、晾衣架布置提出意见，已在方案中调整' },
  });
  if (p.reach === 'publicity' || p.approvalDay === null) return { milestones: out, contractDays };
  const approved = p.approvalDay;
  const underSeed = (day: number) => day >= SEED_FROM;
  const elevators = p.elevators > 0;

  // Land, planning and drawings: determined in the weeks after the approval.
  const land = approved + rng.int(5, 12);
  add(land, determination('land_procedure', land, underSeed(land), p, { newConstructionLand: false }));
  const planning = land + rng.int(1, 6);
  add(
    planning,
    determination('planning_permit', planning, underSeed(planning) && !elevators, p, {
      affectsEvacuation: false,
      addedArea: '0',
    }),
  );
  const drawings = planning + rng.int(2, 8);
  add(drawings, drawingReview(drawings, underSeed(drawings), p));
  if (p.reach === 'determinations') return { milestones: out, contractDays };

  // Tender and contract, one per party paid (the general contractor, the elevators, each utility's works).
  const tendered = approved + rng.int(20, 32);
  const signed = tendered + rng.int(5, 10);
  p.payees.forEach((payee, i) => {
    const n = i + 1;
    const amount = formatFen(payee.amountFen);
    const awarded = add(tendered, {
      kind: 'tender',
      milestoneId: `TEN-${n}`,
      docRefs: [`中标通知书 ${p.projectId}-ZB-${n}`],
      awardedOn: isoOf(tendered),
      method:
        payee.kind === 'utility'
          ? 'direct_award'
          : payee.amountFen >= OPEN_TENDER_FROM_FEN
            ? 'open_tender'
            : 'competitive_consultation',
      winner: payee.name,
      amount,
    });
    if (!awarded) return;
    const contractId = `HT-${p.projectId}-${n}`;
    if (
      add(signed, {
        kind: 'contract',
        milestoneId: `CTR-${n}`,
        docRefs: [contractId],
        signedOn: isoOf(signed),
        contractId,
        payee: { name: payee.name, creditCode: creditCodeOf(payee.name) },
        amount,
        paymentTerms: { progressPaymentCapPercent: `${PROGRESS_PAYMENT_CAP_PERCENT}.00`, retentionPercent: '3.00' },
        smallOrMediumEnterprise: payee.kind === 'general',
      })
    )
      contractDays.set(payee.name, signed);
  });

  // The construction permit, then the works; or, planted, the works before the permit.
  let permitDay = signed + rng.int(3, 10);
  let startDay = permitDay + rng.int(3, 12);
  if (p.startBeforePermit) {
    startDay = signed + 2;
    permitDay = startDay + rng.int(8, 15);
  }
  add(permitDay, constructionPermit(permitDay, underSeed(permitDay) && !elevators, p));
  if (!add(startDay, started(startDay))) return { milestones: out, contractDays };
  let completeDay = startDay + rng.int(210, 330);
  if (p.completeFrom !== undefined && completeDay < p.completeFrom) completeDay = p.completeFrom + rng.int(0, 40);
  if (
    !add(completeDay, {
      kind: 'construction_completed',
      ...doc('DONE-1', `竣工报告 ${isoOf(completeDay)}`),
      completedOn: isoOf(completeDay),
    })
  )
    return { milestones: out, contractDays };
  const acceptDay = completeDay + rng.int(10, 25);
  const accepted = add(acceptDay, {
    kind: 'joint_acceptance',
    milestoneId: 'ACC-1',
    docRefs: [`竣工验收报告 ${p.projectId} ${isoOf(acceptDay)}`],
    acceptedOn: isoOf(acceptDay),
    lead: 'housing_commission',
    participants: [
      'construction_unit',
      'town_office',
      'contractor',
      'supervisor',
      'community',
      'resident_representative',
    ],
    result: 'passed',
    opinionRef: `潼南住建验〔${docYear(acceptDay)}〕${p.index + 1}号`,
  });
  if (!accepted) return { milestones: out, contractDays };
  // 竣工验收合格 15 日内备案 (三(四)3), by the filing rule of the day (every demo day has one): a few
  // days after, or, planted, a week past the deadline.
  const deadline = dayOf(filingDeadline(isoOf(acceptDay))!.deadline);
  const filedDay = p.lateFiling ? deadline + rng.int(5, 9) : acceptDay + rng.int(2, 9);
  add(filedDay, {
    kind: 'acceptance_report_filed',
    ...doc('FILE-1', `竣工验收备案表 潼南住建备〔${docYear(filedDay)}〕${p.index + 1}号`),
    filedOn: isoOf(filedDay),
  });
  const handedOver = acceptDay + rng.int(15, 35);
  add(handedOver, {
    kind: 'handover',
    ...doc('HAND-1', `移交清单 ${p.projectId} ${isoOf(handedOver)}`),
    handedOverOn: isoOf(handedOver),
    parts: [
      ...p.utilities.map((u) => ({
        part: 'municipal_public' as const,
        receivingParty: u.receivingParty,
        scope: '改造后的专营管线及设施',
      })),
      ...(p.ownHome
        ? [{ part: 'owner_exclusive' as const, receivingParty: '自住住房改造业主', scope: '户内适老化设施' }]
        : []),
      { part: 'owner_common' as const, receivingParty: `${p.community}业主委员会`, scope: '小区公共部位及共用设施' },
    ],
  });
  const agreed = handedOver + rng.int(5, 25);
  add(agreed, managementModel(agreed, p));
  return { milestones: out, contractDays };
}

function doc(milestoneId: string, ref: string): { milestoneId: string; docRefs: string[] } {
  return { milestoneId, docRefs: [ref] };
}

function started(day: number): MilestoneInput {
  return { kind: 'construction_started', ...doc('START-1', `开工报告 ${isoOf(day)}`), startedOn: isoOf(day) };
}

/** A permit (before the seed, or where the facts call for one) or the seed's exemption its facts allow. */
function determination(
  kind: 'land_procedure' | 'planning_permit',
  day: number,
  exempt: boolean,
  p: LifecycleInput,
  facts: PermitFacts,
): MilestoneInput {
  const base = { kind, milestoneId: `DET-${kind}`, determinedOn: isoOf(day) };
  const year = yearOf(day);
  if (kind === 'land_procedure')
    return exempt
      ? { ...base, docRefs: [`用地情况说明 ${p.projectId}`], exemption: 'no_new_construction_land', facts }
      : {
          ...base,
          docRefs: [`潼南规资地〔${year}〕${p.index + 11}号`],
          permitNo: `潼南规资地〔${year}〕${p.index + 11}号`,
          facts: {},
        };
  return exempt
    ? { ...base, docRefs: [`屋顶美化方案 ${p.projectId}`], exemption: 'roof_beautification', facts }
    : {
        ...base,
        docRefs: [`建设工程规划许可证 建字第${TONGNAN_DIVISION}${year}${String(p.index + 1).padStart(5, '0')}号`],
        permitNo: `建字第${TONGNAN_DIVISION}${year}${String(p.index + 1).padStart(5, '0')}号`,
        facts: {},
      };
}

/** Drawings: a certificate before the seed; then the low-risk commitment, or the added-area exemption for elevators. */
function drawingReview(day: number, underSeed: boolean, p: LifecycleInput): MilestoneInput {
  const base = { kind: 'drawing_review' as const, milestoneId: 'DET-drawing_review', determinedOn: isoOf(day) };
  if (!underSeed) {
    const cert = `施工图审查合格书 渝审${yearOf(day)}-${String(p.index + 101).padStart(4, '0')}`;
    return { ...base, docRefs: [cert], permitNo: cert, facts: {} };
  }
  if (p.elevators > 0)
    // An elevator shaft beside a stairwell adds about 18.5 m² a lift; no high slope, deep pit or fill.
    return {
      ...base,
      docRefs: [`加装电梯设计说明 ${p.projectId}`],
      exemption: 'added_area_below_1000m2',
      facts: { addedArea: formatArea(BigInt(p.elevators) * 18_50n), hazards: [] },
    };
  return {
    ...base,
    docRefs: [`告知承诺书 ${p.projectId}`],
    exemption: 'low_risk_commitment',
    facts: { commitmentMade: true, structureChanged: false, addedArea: '0' },
  };
}

/** A construction permit (before the seed, or with elevators: heavy lifting), else no structure or area change. */
function constructionPermit(day: number, exempt: boolean, p: LifecycleInput): MilestoneInput {
  const base = {
    kind: 'construction_permit' as const,
    milestoneId: 'DET-construction_permit',
    determinedOn: isoOf(day),
  };
  if (exempt)
    return {
      ...base,
      docRefs: [`免于办理施工许可说明 ${p.projectId}`],
      exemption: 'no_structure_or_area_change',
      facts: { structureChanged: false, addedArea: '0', hazards: [] },
    };
  const permitNo = `${TONGNAN_DIVISION}${isoOf(day).replace(/-/g, '')}${String(p.index + 1).padStart(2, '0')}01`;
  return { ...base, docRefs: [`建筑工程施工许可证 ${permitNo}`], permitNo, facts: {} };
}

function managementModel(day: number, p: LifecycleInput): MilestoneInput {
  const base = {
    kind: 'management_model' as const,
    ...doc('MGMT-1', `管理模式协议 ${p.projectId}`),
    agreedOn: isoOf(day),
  };
  const scope = '公共区域保洁、绿化养护、共用设施设备管护';
  switch (p.scale) {
    case 'large':
      return {
        ...base,
        model: 'property_company',
        unit: '重庆潼南宜居物业服务有限公司',
        scope,
        standard: '二级',
        fee: { amount: '0.80', basis: 'per_m2_month' },
      };
    case 'street':
      return {
        ...base,
        model: 'community_property_centre',
        unit: `${p.town}社区物业服务中心`,
        scope,
        standard: '三级',
        fee: { amount: '15.00', basis: 'per_household_month' },
      };
    default:
      return {
        ...base,
        model: 'resident_self_governance',
        unit: `${p.community}居民自治管理小组`,
        scope,
        standard: '基本',
      };
  }
}

/** A 统一社会信用代码 for a demo company: Tongnan's division, a number from its name, the check character computed. */
export function creditCodeOf(name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + (ch.codePointAt(0) ?? 0)) % 100_000;
  const first17 = `91${TONGNAN_DIVISION}MA5U${String(h).padStart(5, '0')}`;
  return first17 + creditCodeCheck(first17);
}
