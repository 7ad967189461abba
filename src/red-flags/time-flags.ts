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
import { Fen, formatFen, readableFen, withThousands } from '../shared/money/money';
import { IdleFlow, IdleSpell, idleMoney, idleSpells, undrawnFlows, unallocatedFlows } from '../reports/idle-money';
import { PolicyRule } from '../policy/policy-rule';
import {
  Evidence,
  FLAG_RULES,
  Finding,
  MAX_EVIDENCE,
  RedFlag,
  redFlagRule,
  toFlag,
  uniqueEvidence,
} from '../../projections/red-flags/red-flag-codes';
import { CENTRAL_SOURCES } from '../../projections/red-flags/red-flag-findings';
import { pays, receives } from '../../projections/red-flags/red-flag-facts';
import { Interval, intervalsWhere, maxFen, sumUntil } from '../../projections/red-flags/red-flag-timeline';
import { BatchFlow, ProjectFlow, RedFlagData } from '../../projections/red-flags/red-flags.query';

const money = formatFen;
const labelZh = (source: string) => fundingSource(source)?.labelZh ?? source;

/** Every flag of these rules as of `referenceDate`, from the facts the projection holds (`rules`: the settings to judge by). */
export function timeFlags(
  data: RedFlagData,
  referenceDate: string,
  rules: readonly PolicyRule[] = FLAG_RULES,
): RedFlag[] {
  return numbered(spellsOf(data, referenceDate, rules, [...PROJECT_RULES, ...BATCH_RULES]), rules).map(
    ({ spell, flag }) => flag(spell.readAsOf(referenceDate)),
  );
}

/**
 * The end of time as a reference date: every spell the facts hold, each ended only by a later
 * event (storedTimeFlags). A business date of the ledger is never this late.
 */
export const END_OF_TIME = '9999-12-30';

/**
 * A time flag as the read model stores it, computed once per change of its facts against the end
 * of time, and read as of any day D by cutTimeFlag: the flags timeFlags(data, D) lists are those
 * of storedTimeFlags(data) cut at D (test/unit/red-flags/time-flags-cut.spec.ts proves it). A
 * spell's raisedAt and clearedAt depend on the facts alone; what depends on D is only how an open
 * spell reads: its figures (the most idle so far, the shares paid so far) and its evidence (the
 * events dated by D), kept here as readings and dated evidence.
 */
export interface StoredTimeFlag {
  /** The flag once its spell ended (clearedAt set), or as it reads at the end of time (still open). */
  flag: RedFlag;
  /** While open: from each day on (the first is raisedAt), its message and figures. */
  open: { from: string; message: RedFlag['message']; figures: RedFlag['figures'] }[];
  /** While open: every event its evidence may name, with the business date from which it does ('' always). */
  openEvidence: { onDate: string; evidence: Evidence }[];
}

/** Which rules storedTimeFlags computes: a project's (its flows, plans, acceptances, its side of allocations) or a batch's (money not allocated). */
export type TimeFlagPart = 'project' | 'batch';

/** The time flags of `data`'s facts, stored form: `part` says which rules (a project's data holds no batch's whole flows). */
export function storedTimeFlags(
  data: RedFlagData,
  parts: readonly TimeFlagPart[] = ['project', 'batch'],
  rules: readonly PolicyRule[] = FLAG_RULES,
): StoredTimeFlag[] {
  const producers = parts.flatMap((p) => (p === 'project' ? PROJECT_RULES : BATCH_RULES));
  const dateOf = new Map<string, string>();
  for (const f of [...data.flows, ...data.batchFlows]) dateOf.set(evidenceKey(f.evidence), f.onDate);
  return numbered(spellsOf(data, END_OF_TIME, rules, producers), rules).map(({ spell, flag }) => {
    const readings: StoredTimeFlag['open'] = [];
    const until = spell.to ?? END_OF_TIME;
    for (const day of [...new Set([spell.from, ...spell.changes])].filter((d) => d >= spell.from && d < until).sort()) {
      const reading = spell.readAsOf(day);
      const previous = readings.at(-1);
      if (!previous || !sameReading(previous, reading))
        readings.push({ from: day, message: reading.message, figures: reading.figures });
    }
    // Open, it reads its evidence as of the day: the last day before its end names all it may.
    const open = spell.readAsOf(spell.to === null ? END_OF_TIME : lastDayOf(spell, until));
    return {
      flag: flag(spell.readAsOf(until)),
      open: readings,
      openEvidence: open.evidence.map((evidence) => ({ onDate: dateOf.get(evidenceKey(evidence)) ?? '', evidence })),
    };
  });
}

/** The flag as of `day`, or null when it was not raised by then (see StoredTimeFlag). */
export function cutTimeFlag(stored: StoredTimeFlag, day: string): RedFlag | null {
  const { flag } = stored;
  if (flag.raisedAt > day) return null;
  if (flag.clearedAt !== null && flag.clearedAt <= day) return flag;
  let reading = stored.open[0];
  for (const r of stored.open) if (r.from <= day) reading = r;
  const evidence = uniqueEvidence(stored.openEvidence.filter((e) => e.onDate <= day).map((e) => e.evidence));
  return {
    ...flag,
    clearedAt: null,
    message: reading.message,
    figures: reading.figures,
    evidence: evidence.slice(0, MAX_EVIDENCE),
    evidenceCount: evidence.length,
  };
}

const evidenceKey = (e: Evidence) => `${e.eventId}\u0000${e.position}`;

const sameReading = (a: StoredTimeFlag['open'][number], b: Finding) =>
  JSON.stringify([a.message, a.figures]) === JSON.stringify([b.message, b.figures]);

/** The last day of a spell ended on `until` on which its reading may have changed (its evidence is the whole spell's). */
function lastDayOf(spell: Spell, until: string): string {
  let last = spell.from;
  for (const d of spell.changes) if (d < until && d > last) last = d;
  return last;
}

/**
 * A spell a rule found (when it held: from, and to, the first day it no longer did, null if it
 * still holds at the reference date) and how it reads as of a day D on or after its start:
 * cleared if it ended by D, else open with its figures and evidence as of D.
 */
interface Spell {
  from: string;
  to: string | null;
  /** The days after `from` on which its reading as of the day may change (the dates of its facts). */
  changes: readonly string[];
  readAsOf(day: string): Finding;
}

type Rule = (data: RedFlagData, referenceDate: string, settingsOn: SettingsOn, rules: readonly PolicyRule[]) => Spell[];

function spellsOf(
  data: RedFlagData,
  referenceDate: string,
  rules: readonly PolicyRule[],
  producers: readonly Rule[],
): Spell[] {
  const settingsOn = <S>(family: string, day: string): S | undefined => redFlagRule<S>(family, day, rules)?.settings;
  return producers.flatMap((rule) => rule(data, referenceDate, settingsOn, rules));
}

/**
 * Each spell with its flag maker: the occurrence counts the spells of one code, scope and subject
 * in order, and a spell whose rule was not in force on its first day is no flag. Neither depends
 * on the day read as of, beyond the spells it cuts.
 */
function numbered(
  spells: readonly Spell[],
  rules: readonly PolicyRule[],
): { spell: Spell; flag: (f: Finding) => RedFlag }[] {
  const occurrences = new Map<string, number>();
  const out: { spell: Spell; flag: (f: Finding) => RedFlag }[] = [];
  for (const spell of spells) {
    const f = spell.readAsOf(spell.from);
    const key = `${f.code}/${f.projectId ?? f.batchId}/${f.subject}`;
    const occurrence = (occurrences.get(key) ?? 0) + 1;
    if (!toFlag(f, occurrence, rules)) continue;
    occurrences.set(key, occurrence);
    out.push({ spell, flag: (finding) => toFlag(finding, occurrence, rules) as RedFlag });
  }
  return out;
}

/** A project's rules read its own facts alone (its side of an allocation included); a batch's rule, the batch's. */
const PROJECT_RULES: readonly Rule[] = [
  idleReceived,
  allocatedNotReceived,
  districtMatching,
  matchingRatio,
  residentsShares,
  filingMissing,
];
const BATCH_RULES: readonly Rule[] = [idleUnallocated];

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
function filingMissing(
  data: RedFlagData,
  referenceDate: string,
  _settingsOn: SettingsOn,
  rules: readonly PolicyRule[],
): Spell[] {
  const out: Spell[] = [];
  for (const a of data.acceptances) {
    if (a.filedOn !== null) continue;
    const due = filingDeadline(a.acceptedOn, rules);
    if (due === undefined) continue;
    const { deadline, provisional } = due;
    if (referenceDate <= deadline) continue;
    const finding: Finding = {
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
    };
    out.push({ from: finding.raisedAt, to: null, changes: [], readAsOf: () => finding });
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
function idleReceived(data: RedFlagData, referenceDate: string, settingsOn: SettingsOn): Spell[] {
  const days = settingsOn<IdleMoneySettings>(F.idleMoney, referenceDate)?.receivedUnpaidDays;
  if (days === undefined) return [];
  const atOnce = (f: ProjectFlow) => f.entryKind !== null && receives(f.entryKind) && pays(f.entryKind);
  const bySubject = groupBy(
    data.flows.filter((f) => !f.inKind && !atOnce(f) && (f.kind.startsWith('receipt') || f.kind.startsWith('payment'))),
    (f) => `${f.projectId}\u0000${f.source}`,
  );
  const out: Spell[] = [];
  for (const flows of bySubject.values()) {
    const { projectId, source } = flows[0];
    const idle: IdleFlow[] = flows.map((f) => ({
      kind: f.kind as IdleFlow['kind'],
      flowId: f.flowId,
      entryId: f.netsId,
      rootId: f.entryId,
      onDate: f.onDate,
      amountFen: f.amountFen,
    }));
    const aged = agedIdle(idle, days);
    for (const spell of idleSpells(idle, referenceDate, days))
      out.push({
        ...aged.spell(spell),
        readAsOf: (day) => {
          const amount = money(aged.peak(spell, day));
          return {
            code: 'RF-14',
            family: F.idleMoney,
            severity: 'medium',
            projectId,
            subject: `source:${source}`,
            ...aged.dates(spell, day),
            message: {
              zh: `${labelZh(source)} ${withThousands(amount)} 元到位满 ${days} 天未支出（最早未支出资金到位日期 ${spell.oldestUnpaidOn}）`,
              en: `${source}: ${withThousands(amount)} received and unpaid for ${days} days or more (the oldest unpaid money received on ${spell.oldestUnpaidOn})`,
            },
            figures: { source, idleAmount: amount, idleDays: String(days), oldestUnpaidOn: spell.oldestUnpaidOn ?? '' },
            evidence: evidenceUntil(flows, aged.until(spell, day)),
          };
        },
      });
  }
  return out;
}

/** Money issued to a fund batch and not allocated to a project for `batchUnallocatedDays`. */
function idleUnallocated(data: RedFlagData, referenceDate: string, settingsOn: SettingsOn): Spell[] {
  const days = settingsOn<IdleMoneySettings>(F.idleMoney, referenceDate)?.batchUnallocatedDays;
  if (days === undefined) return [];
  const flowsOf = groupBy(data.batchFlows, (f) => f.batchId);
  const out: Spell[] = [];
  for (const batch of data.batches) {
    const batchFlows = flowsOf.get(batch.batchId) ?? [];
    // Aged as the fund-batch report ages it (one definition, in idle-money.ts).
    const idle = unallocatedFlows(batch, batchFlows);
    const aged = agedIdle(idle, days);
    for (const spell of idleSpells(idle, referenceDate, days))
      out.push({
        ...aged.spell(spell),
        readAsOf: (day) => {
          const amount = money(aged.peak(spell, day));
          const until = aged.until(spell, day);
          return {
            code: 'RF-14',
            family: F.idleMoney,
            severity: 'medium',
            projectId: null,
            batchId: batch.batchId,
            subject: 'unallocated',
            ...aged.dates(spell, day),
            message: {
              zh: `资金批次 ${batch.batchId}（${batch.docNo}）有 ${withThousands(amount)} 元下达满 ${days} 天未分配到项目`,
              en: `fund batch ${batch.batchId} (${batch.docNo}): ${withThousands(amount)} issued and not allocated to a project for ${days} days or more`,
            },
            figures: { source: batch.source, idleAmount: amount, idleDays: String(days), issuedOn: batch.issuedOn },
            evidence: [batch.evidence, ...batchFlows.filter((f) => f.onDate <= until).map((f) => f.evidence)],
          };
        },
      });
  }
  return out;
}

/**
 * An allocation to a project whose money, or what remains of it undrawn, was not received for
 * `allocatedNotReceivedDays` (aged as the fund-batch report ages it: undrawnFlows, idle-money.ts).
 */
function allocatedNotReceived(data: RedFlagData, referenceDate: string, settingsOn: SettingsOn): Spell[] {
  const days = settingsOn<IdleMoneySettings>(F.idleMoney, referenceDate)?.allocatedNotReceivedDays;
  if (days === undefined) return [];
  const receiptsOf = groupBy(
    data.flows.filter((f) => f.allocationId !== null && f.kind.startsWith('receipt')),
    (f) => `${f.projectId}\u0000${f.allocationId}`,
  );
  const out: Spell[] = [];
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
        rootId: f.entryId,
        onDate: f.onDate,
        amountFen: f.amountFen,
      })),
    );
    const aged = agedIdle(undrawn, days);
    const evidence = [...flows, ...receipts];
    for (const spell of idleSpells(undrawn, referenceDate, days)) {
      const amount = money(sumUntil(allocated, spell.from));
      out.push({
        ...aged.spell(spell, evidence),
        readAsOf: (day) => {
          const idle = money(aged.peak(spell, day));
          const until = aged.until(spell, day);
          return {
            code: 'RF-14',
            family: F.idleMoney,
            severity: 'medium',
            projectId,
            batchId,
            allocationId,
            subject: `allocation:${allocationId}`,
            ...aged.dates(spell, day),
            message: {
              zh: `资金批次 ${batchId} 分配给项目的指标 ${allocationId}（${withThousands(amount)} 元）有 ${withThousands(idle)} 元满 ${days} 天未到位`,
              en: `allocation ${allocationId} of batch ${batchId} (${withThousands(amount)}): ${withThousands(idle)} allocated ${days} days or more ago and not received`,
            },
            figures: { allocated: amount, idleAmount: idle, idleDays: String(days), allocatedOn: flows[0].onDate },
            evidence: evidence.filter((f) => f.onDate <= until).map((f) => f.evidence),
          };
        },
      });
    }
  }
  return out;
}

/**
 * One subject's idle money aged as idleSpells ages it (idle-money.ts), to read a spell as of a day:
 * ended by then, as idleSpells gives it; still open, the most idle on a day from its start to the
 * day read as of (idleSpells' peak when that day is its reference date).
 */
function agedIdle(flows: readonly IdleFlow[], idleDays: number) {
  // The days idleSpells evaluates: every flow's date, and a receipt's once it turns idle.
  const candidates = [
    ...new Set(flows.flatMap((f) => (f.kind === 'receipt' ? [f.onDate, addDays(f.onDate, idleDays)] : [f.onDate]))),
  ].sort();
  const idleOn = new Map<string, Fen>();
  const idleFenOn = (day: string) => {
    let fen = idleOn.get(day);
    if (fen === undefined) idleOn.set(day, (fen = idleMoney(flows, day, idleDays).idleFen));
    return fen;
  };
  const ended = (spell: IdleSpell, day: string) => spell.to !== null && spell.to <= day;
  return {
    spell: (spell: IdleSpell, evidence: readonly { onDate: string }[] = []) => ({
      from: spell.from,
      to: spell.to,
      changes: [...candidates, ...evidence.map((f) => f.onDate)],
    }),
    peak(spell: IdleSpell, day: string): Fen {
      if (ended(spell, day)) return spell.peakIdleFen;
      let peak = 0n;
      for (const d of candidates) if (d >= spell.from && d <= day) peak = maxFen(peak, idleFenOn(d));
      return peak;
    },
    /** The last day its evidence counts: its end, or the day read as of. */
    until: (spell: IdleSpell, day: string) => (ended(spell, day) ? (spell.to as string) : day),
    dates: (spell: IdleSpell, day: string) => ({
      raisedAt: spell.from,
      clearedAt: ended(spell, day) ? spell.to : null,
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// RF-15 district matching

/**
 * A fiscal year's district matching committed to a project (pledged, or allocated from a batch:
 * the larger, since both may describe the same money) and not received by the end of that year
 * (plus `graceDays`).
 */
function districtMatching(data: RedFlagData, referenceDate: string, settingsOn: SettingsOn): Spell[] {
  const fiscalYearOf = new Map(data.allocations.map((a) => [`${a.projectId}\u0000${a.allocationId}`, a.fiscalYear]));
  const matching = data.flows
    .filter((f) => f.source === 'district_matching' && !f.kind.startsWith('payment'))
    .map((f) => ({
      ...f,
      year: f.fiscalYear ?? fiscalYearOf.get(`${f.projectId}\u0000${f.allocationId}`) ?? null,
    }))
    .filter((f) => f.year !== null);
  const out: Spell[] = [];
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
      out.push(
        spellOf(spell, flows, (until) => ({
          code: 'RF-15',
          family: F.districtMatching,
          severity: 'high',
          projectId,
          subject: `matching:${year}`,
          message: {
            zh: `${year} 年度区级配套资金承诺 ${withThousands(committed)} 元，到 ${due} 仅到位 ${withThousands(got)} 元，差 ${withThousands(gap)} 元`,
            en: `district matching of fiscal year ${year}: ${withThousands(committed)} committed, ${withThousands(got)} received by ${due}, ${withThousands(gap)} short`,
          },
          figures: { fiscalYear: String(year), committed, received: got, shortfall: gap },
          evidence: evidenceUntil(flows, until),
        })),
      );
    }
  }
  return out;
}

/** District matching received below `minimumRatio` of the central money received (off unless the district sets one). */
function matchingRatio(data: RedFlagData, referenceDate: string, settingsOn: SettingsOn): Spell[] {
  const ratio = settingsOn<DistrictMatchingSettings>(F.districtMatching, referenceDate)?.minimumRatio ?? null;
  if (ratio === null) return [];
  const [whole, fraction = ''] = ratio.split('.');
  const num = BigInt(whole + fraction);
  const den = 10n ** BigInt(fraction.length);
  const receipts = data.flows.filter(
    (f) => f.kind.startsWith('receipt') && (f.source === 'district_matching' || CENTRAL_SOURCES.includes(f.source)),
  );
  const out: Spell[] = [];
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
      out.push(
        spellOf(spell, flows, (until) => ({
          code: 'RF-15',
          family: F.districtMatching,
          severity: 'medium',
          projectId: flows[0].projectId,
          subject: 'matching-ratio',
          message: {
            zh: `区级配套资金到位 ${withThousands(m)} 元，低于中央补助资金 ${withThousands(c)} 元的 ${ratio} 倍`,
            en: `district matching received, ${withThousands(m)}, is below ${ratio} of the central money received (${withThousands(c)})`,
          },
          figures: { districtMatching: m, central: c, minimumRatio: ratio },
          evidence: evidenceUntil(flows, until),
        })),
      );
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
function residentsShares(data: RedFlagData, referenceDate: string, settingsOn: SettingsOn): Spell[] {
  const paymentsOf = groupBy(
    data.flows.filter((f) => f.planId !== null && f.kind.startsWith('receipt')),
    (f) => `${f.projectId}\u0000${f.planId}`,
  );
  const out: Spell[] = [];
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
      for (const spell of intervalsWhere(dates, kind.holds, referenceDate))
        out.push(
          spellOf(spell, paid, (until, ended) => {
            // Open, it reads the shares paid by the day read as of; ended, by its last day.
            const day = ended ? lastBefore(dates, until) : until;
            const got = paidOn(day);
            const unpaidHouseholds = plan.payingHouseholds - householdsPaying(paid, day);
            const notApplied = kind.subject.startsWith('plan-not-applied');
            return {
              code: 'RF-16',
              family: F.residentsShare,
              severity: notApplied ? 'medium' : 'low',
              projectId: plan.projectId,
              planId: plan.planId,
              subject: kind.subject,
              message: notApplied
                ? {
                    zh: `费用分摊方案 ${plan.planId}（居民分摊 ${readableFen(plan.amountFen)} 元）通过 ${settings.shareDueDays} 天后仍无一户缴纳：共担机制未落实`,
                    en: `cost-sharing plan ${plan.planId} (${readableFen(plan.amountFen)} shared): nothing paid ${settings.shareDueDays} days after it was adopted, the cost sharing not applied`,
                  }
                : {
                    zh: `费用分摊方案 ${plan.planId} 通过 ${settings.shareDueDays} 天后，居民已缴 ${readableFen(got)} 元，未缴 ${readableFen(plan.amountFen - got)} 元，${unpaidHouseholds} 户未缴`,
                    en: `cost-sharing plan ${plan.planId}, ${settings.shareDueDays} days after it was adopted: ${readableFen(got)} paid, ${readableFen(plan.amountFen - got)} unpaid, ${unpaidHouseholds} household(s) paid nothing`,
                  },
              figures: {
                amount: money(plan.amountFen),
                paid: money(got),
                unpaid: money(plan.amountFen - got),
                unpaidHouseholds: String(unpaidHouseholds),
                dueOn: due,
              },
              evidence: [plan.evidence, ...paid.filter((f) => f.onDate <= day).map((f) => f.evidence)],
            };
          }),
        );
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

/**
 * A spell whose reading as of a day differs only by its evidence (and, for `read`, what it counts
 * by `until`): the events dated by its end once ended, else by the day read as of.
 */
function spellOf(
  spell: Interval,
  flows: readonly { onDate: string }[],
  read: (until: string, ended: boolean) => Omit<Finding, 'raisedAt' | 'clearedAt'>,
): Spell {
  return {
    from: spell.from,
    to: spell.to,
    changes: flows.map((f) => f.onDate),
    readAsOf: (day) => {
      const ended = spell.to !== null && spell.to <= day;
      return {
        ...read(ended ? (spell.to as string) : day, ended),
        raisedAt: spell.from,
        clearedAt: ended ? spell.to : null,
      };
    },
  };
}

function evidenceUntil(flows: readonly (ProjectFlow | BatchFlow)[], day: string): Evidence[] {
  return flows.filter((f) => f.onDate <= day).map((f) => f.evidence);
}

/** The last of `dates` before `day` (the spell's last day with a change), or `day`. */
function lastBefore(dates: readonly string[], day: string): string {
  let last: string | null = null;
  for (const d of dates) if (d < day && (last === null || d > last)) last = d;
  return last ?? day;
}
