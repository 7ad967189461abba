/**
 * The red flags that depend on the day they are read as of (issue 17): idle money (RF-14), district
 * matching not in place when due (RF-15), residents' shares not paid when due (RF-16) and a passed
 * joint acceptance whose report is not filed by its deadline (RF-08). An event
 * cannot raise them: a year passing can. They are computed from the red-flag projection's dated
 * facts against the reference date (`asOf`, else today by the clock), like the fund-batch report's
 * idle money (src/reports/idle-money.ts, whose aging they reuse), and dated like every flag: raised
 * on the day the condition first held, cleared on the day a later event ended it.
 */
import { groupBy } from '../shared/group-by';
import { addDays } from '../policy/rest-days';
import { filingDeadline } from '../policy/filing-deadline';
import { LIFECYCLE_FAMILIES } from '../policy/rules/lifecycle.rules';
import {
  DistrictMatchingSettings,
  IdleMoneySettings,
  RED_FLAG_FAMILIES as F,
  ResidentsShareSettings,
} from '../policy/rules/red-flags.rules';
import { fundingSource } from '../project/funding-sources';
import { Fen, formatFen } from '../shared/money/money';
import { IdleFlow, idleSpells, undrawnFlows, unallocatedFlows } from '../reports/idle-money';
import { PolicyRule } from '../policy/policy-rule';
import {
  Evidence,
  FLAG_RULES,
  Finding,
  RedFlag,
  redFlagRule,
  toFlag,
} from '../../projections/red-flags/red-flag-codes';
import { CENTRAL_SOURCES } from '../../projections/red-flags/red-flag-findings';
import { pays, receives } from '../../projections/red-flags/red-flag-facts';
import { intervalsWhere, maxFen, sumUntil } from '../../projections/red-flags/red-flag-timeline';
import { BatchFlow, ProjectFlow, RedFlagData } from '../../projections/red-flags/red-flags.query';

const money = formatFen;
const labelZh = (source: string) => fundingSource(source)?.labelZh ?? source;

/** Every flag of these rules as of `referenceDate`, from the facts the projection holds (`rules`: the settings to judge by). */
export function timeFlags(
  data: RedFlagData,
  referenceDate: string,
  rules: readonly PolicyRule[] = FLAG_RULES,
): RedFlag[] {
  const settingsOn = <S>(family: string, day: string): S | undefined => redFlagRule<S>(family, day, rules)?.settings;
  const findings = [
    ...idleReceived(data, referenceDate, settingsOn),
    ...idleUnallocated(data, referenceDate, settingsOn),
    ...allocatedNotReceived(data, referenceDate, settingsOn),
    ...districtMatching(data, referenceDate, settingsOn),
    ...matchingRatio(data, referenceDate, settingsOn),
    ...residentsShares(data, referenceDate, settingsOn),
    ...filingMissing(data, referenceDate, rules),
  ];
  const occurrences = new Map<string, number>();
  const flags: RedFlag[] = [];
  for (const f of findings) {
    const key = `${f.code}/${f.projectId ?? f.batchId}/${f.subject}`;
    const flag = toFlag(f, (occurrences.get(key) ?? 0) + 1, rules);
    if (!flag) continue;
    occurrences.set(key, (occurrences.get(key) ?? 0) + 1);
    flags.push(flag);
  }
  return flags;
}

/** The settings of `family` in force on `day` (a setting judges the wait; a flag cites the version of its raisedAt). */
type SettingsOn = <S>(family: string, day: string) => S | undefined;

// ---------------------------------------------------------------------------------------------
// RF-08 an acceptance report not filed by its deadline

/**
 * A passed joint acceptance with no filing by the reference date, past the deadline the filing
 * rule of its date gives (filing-deadline.ts, the decider's count: provisional, not refused, for
 * a year the rest-day calendar lacks): raised the day after the deadline, open. Once filed, the
 * filing's own flag (the projection's, when it says `late`) takes the same subject and is cleared
 * on the day it was filed.
 */
function filingMissing(data: RedFlagData, referenceDate: string, rules: readonly PolicyRule[]): Finding[] {
  const out: Finding[] = [];
  for (const a of data.acceptances) {
    if (a.filedOn !== null) continue;
    const due = filingDeadline(a.acceptedOn, rules);
    if (due === undefined) continue;
    const { deadline, provisional } = due;
    if (referenceDate <= deadline) continue;
    out.push({
      code: 'RF-08',
      family: LIFECYCLE_FAMILIES.acceptanceFiling,
      severity: 'medium',
      projectId: a.projectId,
      subject: `acceptance:${a.milestoneId}`,
      raisedAt: addDays(deadline, 1),
      clearedAt: null,
      ruleOn: a.acceptedOn,
      message: {
        zh: `竣工验收（${a.acceptedOn}）合格后，报告逾期未备案（期限 ${deadline}）`,
        en: `the report of the joint acceptance of ${a.acceptedOn} is not filed; its deadline was ${deadline}`,
      },
      figures: { acceptedOn: a.acceptedOn, deadline, ...(provisional ? { deadlineProvisional: 'true' } : {}) },
      evidence: [a.evidence],
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// RF-14 idle money

/**
 * Money received on a project and unpaid for `receivedUnpaidDays`, per source (cash only: in kind
 * is never idle). An entry received and paid at once (a treasury payment) is never unpaid, nor is
 * its reversal, and it spends no other receipt's money (as idle-money.ts ages it): left out.
 */
function idleReceived(data: RedFlagData, referenceDate: string, settingsOn: SettingsOn): Finding[] {
  const days = settingsOn<IdleMoneySettings>(F.idleMoney, referenceDate)?.receivedUnpaidDays;
  if (days === undefined) return [];
  const atOnce = (f: ProjectFlow) => f.entryKind !== null && receives(f.entryKind) && pays(f.entryKind);
  const bySubject = groupBy(
    data.flows.filter((f) => !f.inKind && !atOnce(f) && (f.kind.startsWith('receipt') || f.kind.startsWith('payment'))),
    (f) => `${f.projectId}\u0000${f.source}`,
  );
  const out: Finding[] = [];
  for (const flows of bySubject.values()) {
    const { projectId, source } = flows[0];
    const idle: IdleFlow[] = flows.map((f) => ({
      kind: f.kind as IdleFlow['kind'],
      flowId: f.flowId,
      entryId: f.netsId,
      onDate: f.onDate,
      amountFen: f.amountFen,
    }));
    for (const spell of idleSpells(idle, referenceDate, days)) {
      const amount = money(spell.peakIdleFen);
      out.push({
        code: 'RF-14',
        family: F.idleMoney,
        severity: 'medium',
        projectId,
        subject: `source:${source}`,
        raisedAt: spell.from,
        clearedAt: spell.to,
        message: {
          zh: `${labelZh(source)} ${amount} 元到位满 ${days} 天未支出（最早未支出资金到位日期 ${spell.oldestUnpaidOn}）`,
          en: `${source}: ${amount} received and unpaid for ${days} days or more (the oldest unpaid money received on ${spell.oldestUnpaidOn})`,
        },
        figures: { source, idleAmount: amount, idleDays: String(days), oldestUnpaidOn: spell.oldestUnpaidOn ?? '' },
        evidence: evidenceUntil(flows, spell.to ?? referenceDate),
      });
    }
  }
  return out;
}

/** Money issued to a fund batch and not allocated to a project for `batchUnallocatedDays`. */
function idleUnallocated(data: RedFlagData, referenceDate: string, settingsOn: SettingsOn): Finding[] {
  const days = settingsOn<IdleMoneySettings>(F.idleMoney, referenceDate)?.batchUnallocatedDays;
  if (days === undefined) return [];
  const flowsOf = groupBy(data.batchFlows, (f) => f.batchId);
  const out: Finding[] = [];
  for (const batch of data.batches) {
    const batchFlows = flowsOf.get(batch.batchId) ?? [];
    // Aged as the fund-batch report ages it (one definition, in idle-money.ts).
    const idle = unallocatedFlows(batch, batchFlows);
    for (const spell of idleSpells(idle, referenceDate, days)) {
      const amount = money(spell.peakIdleFen);
      const until = spell.to ?? referenceDate;
      out.push({
        code: 'RF-14',
        family: F.idleMoney,
        severity: 'medium',
        projectId: null,
        batchId: batch.batchId,
        subject: 'unallocated',
        raisedAt: spell.from,
        clearedAt: spell.to,
        message: {
          zh: `资金批次 ${batch.batchId}（${batch.docNo}）有 ${amount} 元下达满 ${days} 天未分配到项目`,
          en: `fund batch ${batch.batchId} (${batch.docNo}): ${amount} issued and not allocated to a project for ${days} days or more`,
        },
        figures: { source: batch.source, idleAmount: amount, idleDays: String(days), issuedOn: batch.issuedOn },
        evidence: [batch.evidence, ...batchFlows.filter((f) => f.onDate <= until).map((f) => f.evidence)],
      });
    }
  }
  return out;
}

/**
 * An allocation to a project whose money, or what remains of it undrawn, was not received for
 * `allocatedNotReceivedDays` (aged as the fund-batch report ages it: undrawnFlows, idle-money.ts).
 */
function allocatedNotReceived(data: RedFlagData, referenceDate: string, settingsOn: SettingsOn): Finding[] {
  const days = settingsOn<IdleMoneySettings>(F.idleMoney, referenceDate)?.allocatedNotReceivedDays;
  if (days === undefined) return [];
  const receiptsOf = groupBy(
    data.flows.filter((f) => f.allocationId !== null && f.kind.startsWith('receipt')),
    (f) => `${f.projectId}\u0000${f.allocationId}`,
  );
  const out: Finding[] = [];
  for (const flows of groupBy(data.batchFlows, (f) => `${f.batchId}\u0000${f.allocationId}`).values()) {
    const { batchId, allocationId, projectId } = flows[0];
    const receipts = receiptsOf.get(`${projectId}\u0000${allocationId}`) ?? [];
    const allocated = flows.map((f) => ({
      onDate: f.onDate,
      deltaFen: f.kind === 'allocated' ? f.amountFen : -f.amountFen,
    }));
    // A treasury payment books a receipt flow here: it draws on the allocation as a receipt does.
    const undrawn = undrawnFlows(
      flows,
      receipts.map((f) => ({
        kind: f.kind === 'receipt' ? ('receipt' as const) : ('receipt-reversal' as const),
        flowId: f.flowId,
        entryId: f.netsId,
        onDate: f.onDate,
        amountFen: f.amountFen,
      })),
    );
    for (const spell of idleSpells(undrawn, referenceDate, days)) {
      const amount = money(sumUntil(allocated, spell.from));
      const idle = money(spell.peakIdleFen);
      out.push({
        code: 'RF-14',
        family: F.idleMoney,
        severity: 'medium',
        projectId,
        batchId,
        allocationId,
        subject: `allocation:${allocationId}`,
        raisedAt: spell.from,
        clearedAt: spell.to,
        message: {
          zh: `资金批次 ${batchId} 分配给项目的指标 ${allocationId}（${amount} 元）有 ${idle} 元满 ${days} 天未到位`,
          en: `allocation ${allocationId} of batch ${batchId} (${amount}): ${idle} allocated ${days} days or more ago and not received`,
        },
        figures: { allocated: amount, idleAmount: idle, idleDays: String(days), allocatedOn: flows[0].onDate },
        evidence: [...flows, ...receipts].filter((f) => f.onDate <= (spell.to ?? referenceDate)).map((f) => f.evidence),
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// RF-15 district matching

/**
 * A fiscal year's district matching committed to a project (pledged, or allocated from a batch:
 * the larger, since both may describe the same money) and not received by the end of that year
 * (plus `graceDays`).
 */
function districtMatching(data: RedFlagData, referenceDate: string, settingsOn: SettingsOn): Finding[] {
  const fiscalYearOf = new Map(data.allocations.map((a) => [`${a.projectId}\u0000${a.allocationId}`, a.fiscalYear]));
  const matching = data.flows
    .filter((f) => f.source === 'district_matching' && !f.kind.startsWith('payment'))
    .map((f) => ({
      ...f,
      year: f.fiscalYear ?? fiscalYearOf.get(`${f.projectId}\u0000${f.allocationId}`) ?? null,
    }))
    .filter((f) => f.year !== null);
  const out: Finding[] = [];
  for (const flows of groupBy(matching, (f) => `${f.projectId}\u0000${f.year}`).values()) {
    const { projectId, year } = flows[0];
    const endOfYear = `${year}-12-31`;
    const settings = settingsOn<DistrictMatchingSettings>(F.districtMatching, addDays(endOfYear, 1));
    if (!settings) continue;
    const due = addDays(endOfYear, settings.graceDays);
    const pledged = flows.filter((f) => f.kind.startsWith('pledge'));
    const allocated = flows.filter((f) => f.kind.startsWith('allocation'));
    const received = flows.filter((f) => f.kind.startsWith('receipt'));
    const committedOn = (day: string) => maxFen(sumUntil(pledged, day), sumUntil(allocated, day));
    const short = (day: string) => day > due && sumUntil(received, day) < committedOn(day);
    const dates = [addDays(due, 1), ...flows.map((f) => f.onDate)];
    for (const spell of intervalsWhere(dates, short, referenceDate)) {
      const day = spell.from;
      const committed = money(committedOn(day));
      const got = money(sumUntil(received, day));
      const gap = money(committedOn(day) - sumUntil(received, day));
      out.push({
        code: 'RF-15',
        family: F.districtMatching,
        severity: 'high',
        projectId,
        subject: `matching:${year}`,
        raisedAt: spell.from,
        clearedAt: spell.to,
        message: {
          zh: `${year} 年度区级配套资金承诺 ${committed} 元，到 ${due} 仅到位 ${got} 元，差 ${gap} 元`,
          en: `district matching of fiscal year ${year}: ${committed} committed, ${got} received by ${due}, ${gap} short`,
        },
        figures: { fiscalYear: String(year), committed, received: got, shortfall: gap },
        evidence: evidenceUntil(flows, spell.to ?? referenceDate),
      });
    }
  }
  return out;
}

/** District matching received below `minimumRatio` of the central money received (off unless the district sets one). */
function matchingRatio(data: RedFlagData, referenceDate: string, settingsOn: SettingsOn): Finding[] {
  const ratio = settingsOn<DistrictMatchingSettings>(F.districtMatching, referenceDate)?.minimumRatio ?? null;
  if (ratio === null) return [];
  const [whole, fraction = ''] = ratio.split('.');
  const num = BigInt(whole + fraction);
  const den = 10n ** BigInt(fraction.length);
  const receipts = data.flows.filter(
    (f) => f.kind.startsWith('receipt') && (f.source === 'district_matching' || CENTRAL_SOURCES.includes(f.source)),
  );
  const out: Finding[] = [];
  for (const flows of groupBy(receipts, (f) => f.projectId).values()) {
    const central = flows.filter((f) => CENTRAL_SOURCES.includes(f.source));
    const matching = flows.filter((f) => f.source === 'district_matching');
    const below = (day: string) => {
      const c = sumUntil(central, day);
      return c > 0n && sumUntil(matching, day) * den < num * c;
    };
    for (const spell of intervalsWhere(
      flows.map((f) => f.onDate),
      below,
      referenceDate,
    )) {
      const c = money(sumUntil(central, spell.from));
      const m = money(sumUntil(matching, spell.from));
      out.push({
        code: 'RF-15',
        family: F.districtMatching,
        severity: 'medium',
        projectId: flows[0].projectId,
        subject: 'matching-ratio',
        raisedAt: spell.from,
        clearedAt: spell.to,
        message: {
          zh: `区级配套资金到位 ${m} 元，低于中央补助资金 ${c} 元的 ${ratio} 倍`,
          en: `district matching received, ${m}, is below ${ratio} of the central money received (${c})`,
        },
        figures: { districtMatching: m, central: c, minimumRatio: ratio },
        evidence: evidenceUntil(flows, spell.to ?? referenceDate),
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// RF-16 residents' shares

/**
 * A plan whose shares are not paid `shareDueDays` after it was adopted: nothing at all paid (the
 * cost sharing not applied, medium), or part of it (low), with how many households paid nothing.
 */
function residentsShares(data: RedFlagData, referenceDate: string, settingsOn: SettingsOn): Finding[] {
  const paymentsOf = groupBy(
    data.flows.filter((f) => f.planId !== null && f.kind.startsWith('receipt')),
    (f) => `${f.projectId}\u0000${f.planId}`,
  );
  const out: Finding[] = [];
  for (const plan of data.plans) {
    const settings = settingsOn<ResidentsShareSettings>(F.residentsShare, plan.countsFrom);
    if (!settings) continue;
    const due = addDays(plan.countsFrom, settings.shareDueDays);
    const paid = paymentsOf.get(`${plan.projectId}\u0000${plan.planId}`) ?? [];
    const paidOn = (day: string) => sumUntil(paid, day);
    const dates = [due, ...paid.map((f) => f.onDate)];
    const kinds = [
      { subject: `plan-not-applied:${plan.planId}`, holds: (day: string) => day >= due && paidOn(day) <= 0n },
      {
        subject: `plan-shares:${plan.planId}`,
        holds: (day: string) => day >= due && paidOn(day) > 0n && paidOn(day) < plan.amountFen,
      },
    ];
    for (const kind of kinds)
      for (const spell of intervalsWhere(dates, kind.holds, referenceDate)) {
        const day = spell.to === null ? referenceDate : lastBefore(dates, spell.to);
        const got = paidOn(day);
        const unpaidHouseholds = plan.payingHouseholds - householdsPaying(paid, day);
        const notApplied = kind.subject.startsWith('plan-not-applied');
        out.push({
          code: 'RF-16',
          family: F.residentsShare,
          severity: notApplied ? 'medium' : 'low',
          projectId: plan.projectId,
          planId: plan.planId,
          subject: kind.subject,
          raisedAt: spell.from,
          clearedAt: spell.to,
          message: notApplied
            ? {
                zh: `费用分摊方案 ${plan.planId}（居民分摊 ${money(plan.amountFen)} 元）通过 ${settings.shareDueDays} 天后仍无一户缴纳：共担机制未落实`,
                en: `cost-sharing plan ${plan.planId} (${money(plan.amountFen)} shared): nothing paid ${settings.shareDueDays} days after it was adopted, the cost sharing not applied`,
              }
            : {
                zh: `费用分摊方案 ${plan.planId} 通过 ${settings.shareDueDays} 天后，居民已缴 ${money(got)} 元，未缴 ${money(plan.amountFen - got)} 元，${unpaidHouseholds} 户未缴`,
                en: `cost-sharing plan ${plan.planId}, ${settings.shareDueDays} days after it was adopted: ${money(got)} paid, ${money(plan.amountFen - got)} unpaid, ${unpaidHouseholds} household(s) paid nothing`,
              },
          figures: {
            amount: money(plan.amountFen),
            paid: money(got),
            unpaid: money(plan.amountFen - got),
            unpaidHouseholds: String(unpaidHouseholds),
            dueOn: due,
          },
          evidence: [plan.evidence, ...paid.filter((f) => f.onDate <= day).map((f) => f.evidence)],
        });
      }
  }
  return out;
}

/** Households that paid something into the plan by `day`, net of reversals. */
function householdsPaying(paid: readonly ProjectFlow[], day: string): number {
  const net = new Map<string, Fen>();
  for (const f of paid)
    if (f.onDate <= day && f.householdId !== null) net.set(f.householdId, (net.get(f.householdId) ?? 0n) + f.deltaFen);
  return [...net.values()].filter((fen) => fen > 0n).length;
}

// ---------------------------------------------------------------------------------------------

function evidenceUntil(flows: readonly (ProjectFlow | BatchFlow)[], day: string): Evidence[] {
  return flows.filter((f) => f.onDate <= day).map((f) => f.evidence);
}

/** The last of `dates` before `day` (the spell's last day with a change), or `day`. */
function lastBefore(dates: readonly string[], day: string): string {
  let last: string | null = null;
  for (const d of dates) if (d < day && (last === null || d > last)) last = d;
  return last ?? day;
}
