/**
 * The rules the events alone decide (domain.md §6), each judging one subject from the facts
 * (red-flag-facts.ts) and answering when its condition held, in business dates: a finding per
 * interval. The projection asks again whenever an event changes what a subject's rule reads; the
 * rules that depend on the day they are read as of are src/red-flags/time-flags.ts's.
 *
 * A rule whose subject is large (a source's receipts and payments, a line's money) first checks
 * the running totals, and walks the subject's dated history only when the condition holds now or
 * a flag of it is already on record: through the deciders those conditions are rare (they refuse
 * most of them), so the walk is the exception, and an event costs a few lookups.
 */
import { groupBy } from '../../src/shared/group-by';
import type Database from 'better-sqlite3';
import { FUNDING_SOURCES, fundingSource } from '../../src/project/funding-sources';
import { ITEM_LABELS, labelOf } from '../../src/policy/labels';
import { pipelinePayerRule } from '../../src/policy/pipeline-payers';
import { CommonParts, FUNDING_FAMILIES, ItemEarmark, ProgrammePurposes } from '../../src/policy/rules/funding.rules';
import {
  CentralCategorySettings,
  CentralEligibleSettings,
  RED_FLAG_FAMILIES as F,
  ThresholdSettings,
} from '../../src/policy/rules/red-flags.rules';
import { RESIDENTS_FAMILIES, VoteRequirement } from '../../src/policy/rules/residents.rules';
import { EligibilitySettings } from '../../src/policy/rules/eligibility.rules';
import { Fen, fenOfStored, formatFen, readableFen, sumFen, withThousands } from '../../src/shared/money/money';
import { prepared } from '../../src/shared/projection/prepared';
import {
  Evidence,
  FLAG_RULES,
  Finding,
  MAX_EVIDENCE,
  RedFlagCode,
  comparePositions,
  redFlagRule,
} from './red-flag-codes';
import {
  EntryFact,
  FlowTotal,
  LineFact,
  MONEY_KINDS,
  RECEIVING_KINDS,
  Row,
  centralHistory,
  flowHistory,
  readApprovals,
  readEntry,
  readFlows,
  readLine,
  readLines,
  readProject,
  readVote,
  pays,
  receives,
} from './red-flag-facts';
import { intervalsWhere, maxFen, sumUntil } from './red-flag-timeline';

/** What one rule found on one subject: its findings (an interval each), replacing what was on record. */
export interface Evaluation {
  code: RedFlagCode;
  /** The project, or the batch. */
  scope: string;
  subject: string;
  findings: Finding[];
  /**
   * The rule stopped early: its answer is what is on record already (it holds nowhere now and no
   * flag of its subject is on record, or the event changed nothing it reads), so nothing is written or cleared.
   */
  unchanged?: true;
}

/** A rule's answer when it stops before reading its history (see Evaluation.unchanged). */
export function unchanged(evaluation: Evaluation): Evaluation {
  return { ...evaluation, unchanged: true };
}

/** The central channels (the sources of tier central): RF-05, RF-13 and RF-21 judge their money together. */
export const CENTRAL_SOURCES: readonly string[] = FUNDING_SOURCES.filter((s) => s.tier === 'central').map(
  (s) => s.code,
);
/** A placeholder per central channel: `source IN ${CENTRAL_IN}`, bound to ...CENTRAL_SOURCES. */
const CENTRAL_IN = `(${CENTRAL_SOURCES.map(() => '?').join(', ')})`;

const labelZh = (source: string) => fundingSource(source)?.labelZh ?? source;
const money = formatFen;
/** An item's name as users read it (the seed's words), in Chinese messages. */
const itemZh = (item: string) => labelOf(ITEM_LABELS, item).zh;

/** Whether a flag of this subject is on record (open or cleared). */
export function onRecord(db: Database.Database, code: RedFlagCode, scope: string, subject: string): boolean {
  return (
    prepared(db, 'SELECT 1 FROM red_flags WHERE scope = ? AND code = ? AND subject = ? LIMIT 1').get(
      scope,
      code,
      subject,
    ) !== undefined
  );
}

// ---------------------------------------------------------------------------------------------
// RF-01 money before approval

/**
 * Receipts and payments dated before the project's first approval (or with no approval at all).
 * Raised on the first such date; cleared by the approval, or, with none, on the day the last of
 * that money was taken back by a reversal. The ledger refuses payments before approval, so what
 * appears is money received: a receipt names no approval.
 */
export function moneyBeforeApproval(db: Database.Database, projectId: string): Evaluation {
  const first = readApprovals(db, projectId)[0];
  const before = first?.approvedOn ?? '9999-12-31';
  const where = `e.project_id = ? AND e.kind IN ${MONEY_KINDS} AND e.on_date < ?`;
  const agg = prepared(
    db,
    `SELECT COUNT(*) AS n, MIN(e.on_date) AS first_on, COALESCE(SUM(e.amount_fen - e.reversed_fen), 0) AS net,
            COALESCE(SUM(e.amount_fen > e.reversed_fen), 0) AS live
     FROM red_flag_entries e WHERE ${where}`,
  ).get(projectId, before) as Row;
  const evaluation: Evaluation = { code: 'RF-01', scope: projectId, subject: 'project', findings: [] };
  if (Number(agg.n) === 0) return evaluation;
  const evidence = prepared(
    db,
    `SELECT e.event_id, e.position FROM red_flag_entries e WHERE ${where} ORDER BY LENGTH(e.position), e.position LIMIT ${MAX_EVIDENCE}`,
  )
    .all(projectId, before)
    .map((r) => evidenceOf(r as Row));
  const evidenceLeftOut = Number(agg.n) - evidence.length;
  let clearedAt: string | null = null;
  if (first) {
    clearedAt = first.approvedOn;
    evidence.push(first.evidence);
  } else if (Number(agg.live) === 0) {
    const last = prepared(
      db,
      `SELECT f.on_date, f.event_id, f.position FROM red_flag_flows f JOIN red_flag_entries e
         ON e.project_id = f.project_id AND e.entry_id = f.entry_id
       WHERE ${where} AND f.kind LIKE '%-reversal' ORDER BY f.on_date DESC LIMIT 1`,
    ).get(projectId, before) as Row | undefined;
    if (last) {
      clearedAt = last.on_date;
      evidence.push(evidenceOf(last));
    }
  }
  const n = Number(agg.n);
  const amount = money(BigInt(agg.net));
  const beforeZh = first ? `于 ${first.approvedOn} 批复，此前` : '尚未批复即';
  const approvedEn = first ? `approved on ${first.approvedOn}` : 'approved';
  evaluation.findings.push({
    code: 'RF-01',
    family: F.moneyBeforeApproval,
    severity: 'high',
    projectId,
    subject: 'project',
    raisedAt: agg.first_on,
    clearedAt,
    message: {
      zh: `项目${beforeZh}收到或支付资金 ${n} 笔，净额 ${withThousands(amount)} 元，最早一笔 ${agg.first_on}`,
      en: `${n} receipt(s) or payment(s), ${withThousands(amount)} net, dated before the project was ${approvedEn}; the first on ${agg.first_on}`,
    },
    figures: { entries: String(n), amount, ...(first ? { approvedOn: first.approvedOn } : {}) },
    evidence,
    evidenceLeftOut,
  });
  return evaluation;
}

// ---------------------------------------------------------------------------------------------
// RF-02 payments beyond receipts, or beyond the allocated indicator

/** A source's payments above its receipts, on some day (the ledger refuses it: found in older or imported history). */
export function paymentsBeyondReceipts(
  db: Database.Database,
  projectId: string,
  source: string,
  balance = readBalance(db, projectId, `source:${source}`),
): Evaluation {
  const subject = `source:${source}`;
  const evaluation: Evaluation = { code: 'RF-02', scope: projectId, subject, findings: [] };
  if (balance.outFen <= balance.inFen && !onRecord(db, 'RF-02', projectId, subject)) return unchanged(evaluation);
  const history = flowHistory(
    db,
    projectId,
    "f.source = ? AND f.kind IN ('receipt', 'receipt-reversal', 'payment', 'payment-reversal')",
    [source],
  );
  const receipts = history.totals.filter((f) => f.kind.startsWith('receipt'));
  const payments = history.totals.filter((f) => f.kind.startsWith('payment'));
  const beyond = (day: string) => sumUntil(payments, day) > sumUntil(receipts, day);
  for (const i of intervalsWhere(
    history.totals.map((f) => f.onDate),
    beyond,
  )) {
    const at = i.to === null ? '9999-12-31' : i.to;
    const peak = peakOf(history.totals, (day) => sumUntil(payments, day) - sumUntil(receipts, day), i.from, at);
    evaluation.findings.push({
      code: 'RF-02',
      family: F.paymentsBeyondMoney,
      severity: 'high',
      projectId,
      subject,
      raisedAt: i.from,
      clearedAt: i.to,
      message: {
        zh: `${labelZh(source)}支出超过到位资金 ${readableFen(peak)} 元（自 ${i.from}）`,
        en: `${source}: ${readableFen(peak)} paid beyond what was received (from ${i.from})`,
      },
      figures: { source, excess: money(peak) },
      ...history.evidenceBefore(at),
    });
  }
  return evaluation;
}

const ALLOCATION_FLOWS =
  "f.allocation_id = ? AND f.kind IN ('allocation', 'allocation-release', 'payment', 'payment-reversal')";

/** An allocation's payments above what it allocates (the indicator), on some day. */
export function paymentsBeyondAllocation(
  db: Database.Database,
  projectId: string,
  allocationId: string,
  balance = readBalance(db, projectId, `allocation:${allocationId}`),
): Evaluation {
  const subject = `allocation:${allocationId}`;
  const evaluation: Evaluation = { code: 'RF-02', scope: projectId, subject, findings: [] };
  if (balance.outFen <= balance.inFen && !onRecord(db, 'RF-02', projectId, subject)) return unchanged(evaluation);
  const history = flowHistory(db, projectId, ALLOCATION_FLOWS, [allocationId]);
  const allocated = history.totals.filter((f) => f.kind.startsWith('allocation'));
  const payments = history.totals.filter((f) => f.kind.startsWith('payment'));
  // The source of its oldest flow, as the message names it.
  const oldest = prepared(
    db,
    `SELECT f.source FROM red_flag_flows f WHERE f.project_id = ? AND (${ALLOCATION_FLOWS})
     ORDER BY f.on_date, LENGTH(f.position), f.position LIMIT 1`,
  ).get(projectId, allocationId) as Row | undefined;
  const source: string = oldest?.source ?? '';
  const batchId = batchOf(db, projectId, allocationId);
  for (const i of intervalsWhere(
    history.totals.map((f) => f.onDate),
    (day) => sumUntil(payments, day) > sumUntil(allocated, day),
  )) {
    const at = i.to ?? '9999-12-31';
    const peak = peakOf(history.totals, (day) => sumUntil(payments, day) - sumUntil(allocated, day), i.from, at);
    evaluation.findings.push({
      code: 'RF-02',
      family: F.paymentsBeyondMoney,
      severity: 'high',
      projectId,
      ...(batchId ? { batchId } : {}),
      allocationId,
      subject,
      raisedAt: i.from,
      clearedAt: i.to,
      message: {
        zh: `指标 ${allocationId} 的支出超过已分配指标 ${readableFen(peak)} 元（自 ${i.from}）`,
        en: `allocation ${allocationId} (${source}): ${readableFen(peak)} paid beyond the allocated indicator (from ${i.from})`,
      },
      figures: { source, excess: money(peak) },
      ...history.evidenceBefore(at),
    });
  }
  return evaluation;
}

// ---------------------------------------------------------------------------------------------
// RF-04 cost overrun; the 10,000,000 crossing without re-approval

/**
 * The budget (Σ lines) above the investment of the approval in force, until an approval covers it
 * again; and, from the seed, a budget at or above the threshold while the approval in force is
 * below it (approved on the plan, not the merged feasibility study). The ledger records such a
 * budget line and holds payments until the project is approved again: what appears is the wait.
 */
export function costOverrun(db: Database.Database, projectId: string): Evaluation[] {
  const approvals = readApprovals(db, projectId);
  const lines = readLines(db, projectId);
  const overrun: Evaluation = { code: 'RF-04', scope: projectId, subject: 'budget', findings: [] };
  const crossing: Evaluation = { code: 'RF-04', scope: projectId, subject: 'threshold', findings: [] };
  if (approvals.length === 0 || lines.length === 0) return [overrun, crossing];
  const days = [...approvals.map((a) => a.approvedOn), ...lines.map((l) => l.countsFrom)];
  const approvalOn = (day: string) => approvals.filter((a) => a.approvedOn <= day).at(-1);
  const budgetOn = (day: string) => lines.reduce((t, l) => (l.countsFrom <= day ? t + l.estimatedFen : t), 0n);
  // The lines recorded after the approval in force: the revisions that took the budget above it.
  const linesAfter = (day: string, a: { evidence: Evidence }) =>
    lines
      .filter((l) => l.countsFrom <= day && comparePositions(l.evidence.position, a.evidence.position) > 0)
      .map((l) => l.evidence);
  const clearedBy = (day: string | null): Evidence[] => {
    const a = day === null ? undefined : approvalOn(day);
    return a ? [a.evidence] : [];
  };
  for (const i of intervalsWhere(days, (day) => {
    const a = approvalOn(day);
    return a !== undefined && budgetOn(day) > a.investmentFen;
  })) {
    const a = approvalOn(i.from)!;
    const budget = budgetOn(i.from);
    overrun.findings.push({
      code: 'RF-04',
      family: F.costOverrun,
      severity: 'medium',
      projectId,
      subject: 'budget',
      raisedAt: i.from,
      clearedAt: i.to,
      message: {
        zh: `概算合计 ${readableFen(budget)} 元超过批复投资 ${readableFen(a.investmentFen)} 元，未重新报批（自 ${i.from}）`,
        en: `the budget, ${readableFen(budget)}, is above the approved investment of ${readableFen(a.investmentFen)} with no new approval (from ${i.from})`,
      },
      figures: { budget: money(budget), approvedInvestment: money(a.investmentFen) },
      evidence: [a.evidence, ...linesAfter(i.from, a), ...clearedBy(i.to)],
    });
  }
  const threshold = (day: string) =>
    redFlagRule<ThresholdSettings>(F.thresholdCrossing, day)?.settings.thresholdAmount ?? null;
  for (const i of intervalsWhere(days, (day) => {
    const a = approvalOn(day);
    const t = threshold(day);
    if (a === undefined || t === null) return false;
    const fen = fenOfStored(t);
    return a.investmentFen < fen && budgetOn(day) >= fen;
  })) {
    const a = approvalOn(i.from)!;
    const budget = budgetOn(i.from);
    const t = threshold(i.from)!;
    crossing.findings.push({
      code: 'RF-04',
      family: F.thresholdCrossing,
      severity: 'high',
      projectId,
      subject: 'threshold',
      raisedAt: i.from,
      clearedAt: i.to,
      message: {
        zh: `概算合计 ${readableFen(budget)} 元达到 ${withThousands(t)} 元，项目仍按改造方案审批（批复投资 ${readableFen(a.investmentFen)} 元），未按合并可研重新审批`,
        en: `the budget, ${readableFen(budget)}, reaches ${withThousands(t)} while the project stands approved on its plan (${readableFen(a.investmentFen)}): not approved again on the merged feasibility study`,
      },
      figures: { budget: money(budget), approvedInvestment: money(a.investmentFen), threshold: t },
      evidence: [a.evidence, ...linesAfter(i.from, a), ...clearedBy(i.to)],
    });
  }
  return [overrun, crossing];
}

// ---------------------------------------------------------------------------------------------
// RF-05 sources beyond a line's cost; central money beyond the cost of the lines it may pay

/**
 * The money put on a line: pledges earmarked to it, and money received on it (receipts, treasury
 * payments) that no pledge on it already counts.
 */
const COMMITTED_ON_LINE = `e.line_id = ? AND (e.kind = 'pledge' OR (e.kind IN ${RECEIVING_KINDS} AND (e.pledge_id IS NULL OR NOT EXISTS (
  SELECT 1 FROM red_flag_entries p WHERE p.project_id = e.project_id AND p.entry_id = e.pledge_id AND p.line_id = e.line_id))))`;

export function lineOverfunded(db: Database.Database, projectId: string, lineId: string): Evaluation {
  const subject = `line:${lineId}`;
  const evaluation: Evaluation = { code: 'RF-05', scope: projectId, subject, findings: [] };
  const line = readLine(db, projectId, lineId);
  if (!line) return evaluation;
  const now = prepared(
    db,
    `SELECT COALESCE(SUM(e.amount_fen - e.reversed_fen), 0) AS net FROM red_flag_entries e WHERE e.project_id = ? AND ${COMMITTED_ON_LINE}`,
  ).get(projectId, lineId) as Row;
  if (BigInt(now.net) <= line.estimatedFen && !onRecord(db, 'RF-05', projectId, subject)) return unchanged(evaluation);
  const history = flowHistory(
    db,
    projectId,
    // A treasury payment's payment flow is what it spends, not more put on the line.
    `f.line_id = ? AND f.kind NOT IN ('payment', 'payment-reversal')
     AND f.entry_id IN (SELECT e.entry_id FROM red_flag_entries e WHERE e.project_id = ? AND ${COMMITTED_ON_LINE})`,
    [lineId, projectId, lineId],
  );
  const flows = history.totals;
  for (const i of intervalsWhere(
    flows.map((f) => f.onDate),
    (day) => sumUntil(flows, day) > line.estimatedFen,
  )) {
    const at = i.to ?? '9999-12-31';
    const peak = peakOf(flows, (day) => sumUntil(flows, day), i.from, at);
    const { evidence, evidenceLeftOut } = history.evidenceBefore(at);
    evaluation.findings.push({
      code: 'RF-05',
      family: F.lineOverfunded,
      severity: 'medium',
      projectId,
      lineId,
      subject,
      raisedAt: i.from,
      clearedAt: i.to,
      message: {
        zh: `预算项 ${lineId}（${itemZh(line.item)}）的资金来源合计 ${readableFen(peak)} 元超过其概算 ${readableFen(line.estimatedFen)} 元`,
        en: `line ${lineId} (${line.item}): sources of ${readableFen(peak)} on it, above its estimated cost of ${readableFen(line.estimatedFen)}`,
      },
      figures: {
        committed: money(peak),
        estimatedCost: money(line.estimatedFen),
        excess: money(peak - line.estimatedFen),
      },
      evidence: [line.evidence, ...evidence],
      evidenceLeftOut,
    });
  }
  return evaluation;
}

/** Central money received (both channels) above the estimated cost of the lines central money may pay for. */
export function centralBeyondEligible(db: Database.Database, projectId: string): Evaluation {
  const subject = 'central-eligible';
  const evaluation: Evaluation = { code: 'RF-05', scope: projectId, subject, findings: [] };
  const received = prepared(
    db,
    `SELECT COALESCE(SUM(in_fen), 0) AS fen FROM red_flag_balances WHERE project_id = ? AND account IN ${CENTRAL_IN}`,
  ).get(projectId, ...CENTRAL_SOURCES.map((s) => `source:${s}`)) as Row;
  const receivedNow = BigInt(received.fen);
  if (receivedNow <= eligibleCostNow(db, projectId) && !onRecord(db, 'RF-05', projectId, subject))
    return unchanged(evaluation);
  const lines = readLines(db, projectId);
  const eligibleOn = (day: string | null) => {
    const s = redFlagRule<CentralEligibleSettings>(F.centralBeyondEligible, day)?.settings;
    if (!s) return null;
    const fits = (l: LineFact) => s.categories.includes(l.category) || s.items.includes(l.item);
    return lines.filter((l) => fits(l) && (day === null || l.countsFrom <= day));
  };
  // The central money received (its flows: receipts and their reversals), kept per day by the projection.
  const history = centralHistory(db, projectId);
  const flows = history.totals;
  const days = [...flows.map((f) => f.onDate), ...lines.map((l) => l.countsFrom)];
  const excessOn = (day: string) => {
    const eligible = eligibleOn(day);
    return eligible === null ? 0n : sumUntil(flows, day) - sumFen(eligible.map((l) => l.estimatedFen));
  };
  for (const i of intervalsWhere(days, (day) => excessOn(day) > 0n)) {
    const at = i.to ?? '9999-12-31';
    const peak = peakOf(flows, excessOn, i.from, at);
    const eligible = eligibleOn(i.from) ?? [];
    const eligibleFen = sumFen(eligible.map((l) => l.estimatedFen));
    const { evidence, evidenceLeftOut } = history.evidenceBefore(at);
    evaluation.findings.push({
      code: 'RF-05',
      family: F.centralBeyondEligible,
      severity: 'high',
      projectId,
      subject,
      raisedAt: i.from,
      clearedAt: i.to,
      message: {
        zh: `中央补助资金到位超过可支持内容（基础类等）的概算 ${readableFen(eligibleFen)} 元，超出 ${readableFen(peak)} 元`,
        en: `central money received exceeds the ${readableFen(eligibleFen)} estimated cost of the lines it may pay for by ${readableFen(peak)}`,
      },
      figures: { eligibleCost: money(eligibleFen), excess: money(peak) },
      evidence: [...evidence, ...eligible.map((l) => l.evidence)],
      evidenceLeftOut,
    });
  }
  return evaluation;
}

/**
 * The estimated cost of the project's lines central money may pay for under the rule in force
 * (as eligibleOn(null) above sums it), summed in SQL: every central receipt asks it, and the
 * lines are read only when it is exceeded.
 */
function eligibleCostNow(db: Database.Database, projectId: string): Fen {
  const s = redFlagRule<CentralEligibleSettings>(F.centralBeyondEligible, null)?.settings;
  if (!s) return 0n;
  const list = (values: readonly string[]) => `(${values.map(() => '?').join(', ')})`;
  const r = prepared(
    db,
    `SELECT COALESCE(SUM(estimated_fen), 0) AS fen FROM red_flag_lines
     WHERE project_id = ? AND (category IN ${list(s.categories)} OR item IN ${list(s.items)})`,
  ).get(projectId, ...s.categories, ...s.items) as Row;
  return BigInt(r.fen);
}

// ---------------------------------------------------------------------------------------------
// RF-06 source and item mismatches; RF-07 maintenance fund without a valid vote

/**
 * An entry of a restricted source on a line it may not pay for, judged by the earmark the
 * deciders apply (funding.rules.ts), in force on the entry's date. The ledger refuses these when
 * they are recorded; what appears is history from before a check, or an import. Cleared when the
 * entry is taken back whole.
 */
export function sourcePurpose(db: Database.Database, projectId: string, entryId: string): Evaluation {
  const entry = readEntry(db, projectId, entryId);
  const subject = `${entry?.kind ?? 'entry'}:${entryId}`;
  const evaluation: Evaluation = { code: 'RF-06', scope: projectId, subject, findings: [] };
  if (!entry) return evaluation;
  const line = entry.lineId === null ? undefined : readLine(db, projectId, entry.lineId);
  const problem = mismatchOf(entry, line, programOf(db, projectId, entry));
  if (!problem) return evaluation;
  const live = liveInterval(db, projectId, entry);
  evaluation.findings.push({
    code: 'RF-06',
    family: problem.family,
    severity: 'high',
    projectId,
    ...(entry.lineId !== null ? { lineId: entry.lineId } : {}),
    subject,
    raisedAt: entry.onDate,
    clearedAt: live.to,
    message: {
      zh: `${labelZh(entry.source)}${kindZh(entry.kind)} ${entryId}（${readableFen(entry.amountFen)} 元）${problem.zh}`,
      en: `${entry.kind} ${entryId} of ${entry.source} (${readableFen(entry.amountFen)}): ${problem.en}`,
    },
    figures: { source: entry.source, amount: money(entry.amountFen), ...(line ? { item: line.item } : {}) },
    evidence: [entry.evidence, ...(line ? [line.evidence] : []), ...live.evidence],
  });
  return evaluation;
}

/**
 * A municipal entry's programme: its own (a receipt names it), else its allocation's batch's (a
 * treasury payment names none: the batch it is paid from does).
 */
function programOf(db: Database.Database, projectId: string, e: EntryFact): string | undefined {
  if (e.details.program !== undefined || e.allocationId === null) return e.details.program;
  const r = prepared(
    db,
    `SELECT b.program FROM red_flag_allocations a JOIN red_flag_batches b ON b.batch_id = a.batch_id
     WHERE a.project_id = ? AND a.allocation_id = ?`,
  ).get(projectId, e.allocationId) as Row | undefined;
  return r?.program ?? undefined;
}

/** What is wrong with an entry's line for its source, and the family of the earmark it breaks; null: nothing. */
function mismatchOf(
  e: EntryFact,
  line: LineFact | undefined,
  program: string | undefined,
): { family: string; zh: string; en: string } | null {
  const item = line?.item ?? '';
  const rule = <S>(family: string) => redFlagRule<S>(family, e.onDate)?.settings;
  const unearmarked = (family: string) =>
    rule(family) === undefined
      ? null
      : { family, zh: '未指定预算项', en: 'names no budget line, and the source pays only for its own purpose' };
  switch (e.source) {
    case 'provident_fund': {
      const family = FUNDING_FAMILIES.providentEarmark;
      const items = rule<ItemEarmark>(family)?.items;
      if (!line) return unearmarked(family);
      return items && !items.includes(item)
        ? {
            family,
            zh: `用于${itemZh(item)}，公积金仅用于加装电梯等自住住房改造`,
            en: `pays for ${item}: the provident fund pays only for elevators and own-home renovation`,
          }
        : null;
    }
    case 'maintenance_fund': {
      const family = FUNDING_FAMILIES.maintenanceFundParts;
      const parts = rule<CommonParts>(family);
      if (!line || !parts) return null;
      if (line.utility !== null && !parts.pipelineWork)
        return {
          family,
          zh: `用于${line.utility}管线工程，维修资金不承担管线单位的费用`,
          en: `pays for ${line.utility} pipeline work, which the maintenance fund never bears`,
        };
      return parts.items.includes(item)
        ? null
        : {
            family,
            zh: `用于${itemZh(item)}，维修资金仅用于房屋公用部位、公用设施设备`,
            en: `pays for ${item}: the maintenance fund pays only for common parts and facilities`,
          };
    }
    case 'pipeline_unit': {
      const family = FUNDING_FAMILIES.pipelineEarmark;
      if (!line) return unearmarked(family);
      if (line.utility === null)
        return rule(family)
          ? { family, zh: `用于非管线项目${itemZh(item)}`, en: `pays for ${item}, which is no utility's pipeline work` }
          : null;
      // A payment (a treasury payment too) names no utility paying: its receipts are judged.
      if (pays(e.kind)) return null;
      const utility = e.details.utility;
      const payer = pipelinePayerRule(utility, e.onDate, FLAG_RULES);
      if (!payer)
        return rule(family)
          ? {
              family,
              zh: `${utility} 不是管线出资单位`,
              en: `${utility} is not a pipeline payer under the rule in force`,
            }
          : null;
      return utility !== line.utility
        ? {
            family: payer.family,
            zh: `${utility} 单位资金用于 ${line.utility} 管线`,
            en: `${utility} money on ${line.utility} pipeline work`,
          }
        : null;
    }
    case 'municipal_subsidy': {
      const family = FUNDING_FAMILIES.municipalPurpose;
      if (!line) return unearmarked(family);
      // What brings the money in (a pledge, a receipt, a treasury payment) is judged by its
      // programme; a payment spends money already judged.
      const judged = receives(e.kind) || !pays(e.kind);
      const items =
        judged && program !== undefined ? rule<ProgrammePurposes>(family)?.programmeItems[program] : undefined;
      return items && !items.includes(item)
        ? {
            family,
            zh: `${program} 专项资金用于${itemZh(item)}`,
            en: `the ${program} programme pays for ${item}, outside its purpose`,
          }
        : null;
    }
    default:
      return null;
  }
}

/**
 * A maintenance-fund receipt: on the emergency exception (for auditors to look at: low), with no
 * vote, no vote reference and no emergency (a project without a register, where the ledger cannot
 * check one: medium), or naming a vote that is not a passed fund_use vote held by then (high).
 */
export function maintenanceFundVote(db: Database.Database, projectId: string, entryId: string): Evaluation {
  const subject = `receipt:${entryId}`;
  const evaluation: Evaluation = { code: 'RF-07', scope: projectId, subject, findings: [] };
  const entry = readEntry(db, projectId, entryId);
  if (!entry || entry.kind !== 'receipt' || entry.source !== 'maintenance_fund') return evaluation;
  const vote = entry.voteId === null ? undefined : readVote(db, projectId, entry.voteId);
  let finding: Pick<Finding, 'severity' | 'message'> & { evidence: Evidence[] };
  const amount = money(entry.amountFen);
  if (entry.emergency !== null) {
    finding = {
      severity: 'low',
      message: {
        zh: `维修资金 ${withThousands(amount)} 元按紧急情况使用，未经业主表决（理由：${entry.emergency}）`,
        en: `${withThousands(amount)} of the maintenance fund used on the emergency exception, without a vote (reason: ${entry.emergency})`,
      },
      evidence: [],
    };
  } else if (entry.voteId === null && entry.details.voteRef !== undefined) {
    // A project without a household register: the vote is referenced (voteRef), and the ledger
    // has no register to check it against. It stands as recorded.
    return evaluation;
  } else if (entry.voteId === null) {
    finding = {
      severity: 'medium',
      message: {
        zh: `维修资金 ${withThousands(amount)} 元未记录业主表决，也未注明紧急情况`,
        en: `${withThousands(amount)} of the maintenance fund with no owners' vote recorded and no emergency`,
      },
      evidence: [],
    };
  } else {
    const problem = !vote
      ? { zh: `表决 ${entry.voteId} 未记录`, en: `vote ${entry.voteId} is not recorded` }
      : vote.matter !== 'fund_use'
        ? {
            zh: `表决 ${entry.voteId} 事项为 ${vote.matter}`,
            en: `vote ${entry.voteId} decided ${vote.matter}, not fund_use`,
          }
        : Number(vote.passed) !== 1
          ? { zh: `表决 ${entry.voteId} 未通过`, en: `vote ${entry.voteId} did not pass` }
          : vote.held_on > entry.onDate
            ? {
                zh: `表决 ${entry.voteId} 在到账后（${vote.held_on}）才举行`,
                en: `vote ${entry.voteId} was held after the money came (${vote.held_on})`,
              }
            : null;
    if (!problem) return evaluation;
    finding = {
      severity: 'high',
      message: {
        zh: `维修资金 ${withThousands(amount)} 元：${problem.zh}`,
        en: `${withThousands(amount)} of the maintenance fund: ${problem.en}`,
      },
      evidence: vote ? [evidenceOf(vote)] : [],
    };
  }
  const live = liveInterval(db, projectId, entry);
  evaluation.findings.push({
    code: 'RF-07',
    family: RESIDENTS_FAMILIES.maintenanceFundVote,
    projectId,
    ...(entry.lineId !== null ? { lineId: entry.lineId } : {}),
    subject,
    raisedAt: entry.onDate,
    clearedAt: live.to,
    figures: { amount, ...(entry.voteId !== null ? { voteId: entry.voteId } : {}) },
    ...finding,
    evidence: [entry.evidence, ...finding.evidence, ...live.evidence],
  });
  return evaluation;
}

// ---------------------------------------------------------------------------------------------
// RF-12 ineligible community

/**
 * The registration's eligibility (eligibility.ts, recorded under the scope rule as it stands):
 * outside the scope (built after its last year: high), or built in its extension (after the main
 * scope) with no poor-condition justification recorded (medium). A registration that records the
 * justification (basis pre2005_poor_condition) raises nothing: the basis is on record for an
 * auditor to read. Never cleared: a registration does not change.
 */
export function ineligibleCommunity(db: Database.Database, projectId: string): Evaluation {
  const evaluation: Evaluation = { code: 'RF-12', scope: projectId, subject: 'community', findings: [] };
  const p = readProject(db, projectId);
  const s = redFlagRule<EligibilitySettings>(ELIGIBILITY_FAMILY, null)?.settings;
  if (!p || !s || p.withinScope === true || p.builtYear <= s.mainScopeUntilYear) return evaluation;
  const outside = p.builtYear > s.poorConditionUntilYear;
  evaluation.findings.push({
    code: 'RF-12',
    family: ELIGIBILITY_FAMILY,
    severity: outside ? 'high' : 'medium',
    projectId,
    subject: 'community',
    raisedAt: p.countsFrom,
    clearedAt: null,
    ruleOn: null,
    message: outside
      ? {
          zh: `小区建成于 ${p.builtYear} 年，不在改造范围（${s.poorConditionUntilYear} 年底前建成）`,
          en: `the community was built in ${p.builtYear}, outside the programme (built by the end of ${s.poorConditionUntilYear})`,
        }
      : {
          zh: `小区建成于 ${p.builtYear} 年（${s.mainScopeUntilYear} 年以后），登记未记录居住条件较差的依据`,
          en: `the community was built in ${p.builtYear}, after ${s.mainScopeUntilYear}: its registration records no poor-condition justification`,
        },
    figures: { builtYear: String(p.builtYear), eligibility: p.eligibility ?? '' },
    evidence: [p.evidence],
  });
  return evaluation;
}

/** The registry's scope rule (eligibility.rules.ts), which the registration records and RF-12 cites. */
const ELIGIBILITY_FAMILY = 'eligibility-scope';

// ---------------------------------------------------------------------------------------------
// RF-13 both central channels on one line; RF-21 central money on enhancement lines

/**
 * Both central channels supporting one line at once (an entry of each not taken back whole). The
 * ledger refuses a second channel on a supported line; a reversal undone can still bring one back.
 */
export function centralDoubleSupport(db: Database.Database, projectId: string, lineId: string): Evaluation {
  const subject = `line:${lineId}`;
  const evaluation: Evaluation = { code: 'RF-13', scope: projectId, subject, findings: [] };
  const live = prepared(
    db,
    `SELECT COUNT(DISTINCT source) AS channels FROM red_flag_entries
     WHERE project_id = ? AND line_id = ? AND source IN ${CENTRAL_IN} AND amount_fen > reversed_fen`,
  ).get(projectId, lineId, ...CENTRAL_SOURCES) as Row;
  if (Number(live.channels) < 2 && !onRecord(db, 'RF-13', projectId, subject)) return unchanged(evaluation);
  const history = flowHistory(
    db,
    projectId,
    `f.line_id = ? AND f.source IN ${CENTRAL_IN}`,
    [lineId, ...CENTRAL_SOURCES],
    'entry',
  );
  const byEntry = groupBy(history.totals, (f) => f.entryId!);
  const supports = (source: string, day: string) =>
    [...byEntry.values()].some((fs) => fs[0].source === source && sumUntil(fs, day) > 0n);
  for (const i of intervalsWhere(
    history.totals.map((f) => f.onDate),
    (day) => CENTRAL_SOURCES.every((s) => supports(s, day)),
  )) {
    const at = i.to ?? '9999-12-31';
    evaluation.findings.push({
      code: 'RF-13',
      family: FUNDING_FAMILIES.centralDoubleSupport,
      severity: 'high',
      projectId,
      lineId,
      subject,
      raisedAt: i.from,
      clearedAt: i.to,
      message: {
        zh: `预算项 ${lineId} 同时使用中央预算内投资和中央财政补助资金（重复支持）`,
        en: `line ${lineId} is supported by both central channels at once (central budget investment and the central fiscal subsidy)`,
      },
      figures: {},
      ...history.evidenceBefore(at),
    });
  }
  return evaluation;
}

/** The categories some version of the RF-21 rule names. */
const ENHANCEMENT_CATEGORIES: ReadonlySet<string> = new Set(
  FLAG_RULES.filter((r) => r.family === F.centralOnEnhancement).flatMap(
    (r) => (r.settings as CentralCategorySettings).categories,
  ),
);

/** Central money received on, or paid from, a line of a category central money should not pay (保基本). */
export function centralOnEnhancement(db: Database.Database, projectId: string, lineId: string): Evaluation {
  const subject = `line:${lineId}`;
  const evaluation: Evaluation = { code: 'RF-21', scope: projectId, subject, findings: [] };
  const line = readLine(db, projectId, lineId);
  if (!line) return evaluation;
  // A category no version of the rule names is never judged (categoryOn below is false on every
  // day): with nothing on record, there is no history to read.
  if (!ENHANCEMENT_CATEGORIES.has(line.category) && !onRecord(db, 'RF-21', projectId, subject))
    return unchanged(evaluation);
  const history = flowHistory(
    db,
    projectId,
    `f.line_id = ? AND f.source IN ${CENTRAL_IN} AND f.kind NOT IN ('pledge', 'pledge-reversal')`,
    [lineId, ...CENTRAL_SOURCES],
  );
  const flows = history.totals;
  if (flows.length === 0) return evaluation;
  const receipts = flows.filter((f) => f.kind.startsWith('receipt'));
  const payments = flows.filter((f) => f.kind.startsWith('payment'));
  const categoryOn = (day: string) =>
    redFlagRule<CentralCategorySettings>(F.centralOnEnhancement, day)?.settings.categories.includes(line.category) ??
    false;
  for (const i of intervalsWhere(
    flows.map((f) => f.onDate),
    (day) => categoryOn(day) && (sumUntil(receipts, day) > 0n || sumUntil(payments, day) > 0n),
  )) {
    const at = i.to ?? '9999-12-31';
    const last = i.to === null ? '9999-12-31' : previousDay(flows, i.to);
    const received = money(sumUntil(receipts, last));
    const paid = money(sumUntil(payments, last));
    const { evidence, evidenceLeftOut } = history.evidenceBefore(at);
    evaluation.findings.push({
      code: 'RF-21',
      family: F.centralOnEnhancement,
      severity: 'medium',
      projectId,
      lineId,
      subject,
      raisedAt: i.from,
      clearedAt: i.to,
      message: {
        zh: `中央补助资金用于提升类预算项 ${lineId}（${itemZh(line.item)}）：到位 ${withThousands(received)} 元，支出 ${withThousands(paid)} 元`,
        en: `central money on enhancement line ${lineId} (${line.item}): ${withThousands(received)} received, ${withThousands(paid)} paid`,
      },
      figures: { received, paid, item: line.item },
      evidence: [line.evidence, ...evidence],
      evidenceLeftOut,
    });
  }
  return evaluation;
}

// ---------------------------------------------------------------------------------------------
// RF-18 cost-sharing integrity

/** What RF-18 found in a plan when it was adopted (kept with the plan: the plan never changes). */
export interface PlanProblems {
  /** What does not hold in its arithmetic or its scope (民法典 第二百八十三条, domain.md §4). */
  problems: { zh: string; en: string }[];
  /** The owners' alteration vote it lacks, when it shares an alteration line (an elevator). */
  vote: { zh: string; en: string } | null;
  /** The first household at fault, where one is. */
  householdId: string | null;
  /** The vote's event, when one is named and recorded. */
  evidence: Evidence[];
}

/** A plan's problems as recorded, dated when the plan counts from: its split and scope, and its vote. */
export function costShareIntegrity(db: Database.Database, projectId: string, planId: string): Evaluation[] {
  const split: Evaluation = { code: 'RF-18', scope: projectId, subject: `plan:${planId}`, findings: [] };
  const vote: Evaluation = { code: 'RF-18', scope: projectId, subject: `plan-vote:${planId}`, findings: [] };
  const plan = prepared(db, 'SELECT * FROM red_flag_plans WHERE project_id = ? AND plan_id = ?').get(
    projectId,
    planId,
  ) as Row | undefined;
  if (!plan) return [split, vote];
  const found = JSON.parse(plan.problems) as PlanProblems;
  const amount = money(BigInt(plan.amount_fen));
  const base = {
    code: 'RF-18' as const,
    severity: 'high' as const,
    projectId,
    planId,
    raisedAt: plan.counts_from,
    clearedAt: null,
  };
  if (found.problems.length > 0)
    split.findings.push({
      ...base,
      family: F.costShareIntegrity,
      ...(found.householdId !== null ? { householdId: found.householdId } : {}),
      subject: split.subject,
      message: {
        zh: `费用分摊方案 ${planId}：${found.problems.map((p) => p.zh).join('；')}`,
        en: `cost-sharing plan ${planId}: ${found.problems.map((p) => p.en).join('; ')}`,
      },
      figures: { amount, problems: String(found.problems.length) },
      evidence: [evidenceOf(plan)],
    });
  if (found.vote)
    vote.findings.push({
      ...base,
      family: RESIDENTS_FAMILIES.alterationVote,
      subject: vote.subject,
      message: { zh: `费用分摊方案 ${planId}：${found.vote.zh}`, en: `cost-sharing plan ${planId}: ${found.vote.en}` },
      figures: { amount },
      evidence: [evidenceOf(plan), ...found.evidence],
    });
  return [split, vote];
}

/** The items whose plan needs the owners' alteration vote, by the rule in force on `day`. */
export function alterationItemsOn(day: string): readonly string[] {
  return redFlagRule<VoteRequirement>(RESIDENTS_FAMILIES.alterationVote, day)?.settings.items ?? [];
}

// ---------------------------------------------------------------------------------------------
// shared

/** An account's running totals (red_flag_balances): in (received, allocated) and out (paid). */
export interface Balance {
  inFen: Fen;
  outFen: Fen;
  /** The date of the account's latest flow (null: none yet). */
  lastOn: string | null;
}

function readBalance(db: Database.Database, projectId: string, account: string): Balance {
  const r = prepared(
    db,
    'SELECT in_fen, out_fen, last_on FROM red_flag_balances WHERE project_id = ? AND account = ?',
  ).get(projectId, account) as Row | undefined;
  return { inFen: r ? BigInt(r.in_fen) : 0n, outFen: r ? BigInt(r.out_fen) : 0n, lastOn: r ? r.last_on : null };
}

export function evidenceOf(r: Row): Evidence {
  return { eventId: r.event_id, position: r.position };
}

/** When an entry stopped counting: the day its flows brought it to nothing (null: it still counts), and those flows. */
function liveInterval(
  db: Database.Database,
  projectId: string,
  entry: EntryFact,
): { to: string | null; evidence: Evidence[] } {
  const flows = readFlows(db, projectId, 'f.entry_id = ?', entry.entryId);
  const [first] = intervalsWhere(
    flows.map((f) => f.onDate),
    (day) => sumUntil(flows, day) > 0n,
  );
  const to = first?.to ?? null;
  return {
    to,
    evidence:
      to === null ? [] : flows.filter((f) => f.kind.endsWith('-reversal') && f.onDate <= to).map((f) => f.evidence),
  };
}

/** The largest value of `f` over the flow days in [from, until), and at `from`. */
function peakOf(flows: readonly FlowTotal[], f: (day: string) => Fen, from: string, until: string): Fen {
  let peak = f(from);
  for (const x of flows) if (x.onDate > from && x.onDate < until) peak = maxFen(peak, f(x.onDate));
  return peak;
}

/** The last flow day before `day` (the interval's last day with a change), or `day` itself. */
function previousDay(flows: readonly FlowTotal[], day: string): string {
  let last = day;
  for (const f of flows) if (f.onDate < day && (last === day || f.onDate > last)) last = f.onDate;
  return last;
}

function batchOf(db: Database.Database, projectId: string, allocationId: string): string | undefined {
  const r = prepared(db, 'SELECT batch_id FROM red_flag_allocations WHERE project_id = ? AND allocation_id = ?').get(
    projectId,
    allocationId,
  ) as Row | undefined;
  return r?.batch_id;
}

const KIND_ZH: Readonly<Record<EntryFact['kind'], string>> = {
  pledge: '承诺',
  receipt: '到位',
  payment: '支出',
  treasury_payment: '国库集中支付（直接支付）',
};

function kindZh(kind: EntryFact['kind']): string {
  return KIND_ZH[kind];
}
