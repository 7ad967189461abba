/**
 * The red flags of the project's life (domain.md §6; issue 17), read from its milestones
 * (lifecycle.ts) beside its money: the filing recorded late (RF-08), the approval path the amount
 * or the infrastructure did not allow (RF-10), a step taken before the one it follows (RF-11), a
 * contractor paid before its contract or beyond its terms (RF-01, RF-03), a community counted as
 * completed twice (RF-13), a pipeline utility that had put nothing in by the acceptance (RF-17).
 * Each judges one subject from the facts (red-flag-facts.ts), as red-flag-findings.ts's rules do.
 *
 * An order broken stays broken: RF-11 and RF-13 are never cleared by a later event (only a fact
 * recorded later but dated earlier can show there was no breach, and then the flag is cleared).
 */
import type Database from 'better-sqlite3';
import { addDays } from '../../src/policy/rest-days';
import { ApprovalPathSettings } from '../../src/policy/rules/approval.rules';
import { MilestoneOrderSettings } from '../../src/policy/rules/lifecycle.rules';
import { RED_FLAG_FAMILIES as F } from '../../src/policy/rules/red-flags.rules';
import { fenOfStored, formatFen, readableFen } from '../../src/shared/money/money';
import { prepared } from '../../src/shared/projection/prepared';
import { Evidence, Finding, redFlagRule } from './red-flag-codes';
import {
  ApprovalFact,
  FlowHistory,
  MilestoneFact,
  Row,
  flowHistory,
  milestoneOfRow,
  readApprovals,
  readLine,
  readMilestones,
  readProject,
} from './red-flag-facts';
import { Balance, Evaluation, onRecord, unchanged } from './red-flag-findings';
import { intervalsWhere, sumUntil } from './red-flag-timeline';

const money = formatFen;
const NEVER = '9999-12-31';

// ---------------------------------------------------------------------------------------------
// RF-08 an acceptance report filed late

/**
 * A filing recorded late (its `late`, against the deadline the filing rule of the acceptance's
 * date gave): raised the day after the deadline, cleared the day it was filed, so that the
 * history shows how long it was missing. A passed acceptance not yet filed is read-time
 * (src/red-flags/time-flags.ts), with the same subject.
 */
export function lateFiling(db: Database.Database, projectId: string, filing: MilestoneFact): Evaluation {
  const d = filing.data;
  const subject = `acceptance:${d.acceptanceId}`;
  const evaluation: Evaluation = { code: 'RF-08', scope: projectId, subject, findings: [] };
  if (d.late !== true) return evaluation;
  const acceptance = readMilestones(db, projectId, 'joint_acceptance').find((m) => m.milestoneId === d.acceptanceId);
  evaluation.findings.push({
    code: 'RF-08',
    family: 'acceptance-filing',
    severity: 'medium',
    projectId,
    subject,
    raisedAt: addDays(d.deadline, 1),
    clearedAt: filing.onDate,
    ruleOn: d.acceptedOn,
    message: {
      zh: `竣工验收（${d.acceptedOn}）报告于 ${filing.onDate} 备案，晚于期限 ${d.deadline}`,
      en: `the report of the joint acceptance of ${d.acceptedOn} was filed on ${filing.onDate}, after its deadline of ${d.deadline}`,
    },
    figures: { acceptedOn: d.acceptedOn, deadline: d.deadline, filedOn: filing.onDate },
    evidence: [...(acceptance ? [acceptance.evidence] : []), filing.evidence],
  });
  return evaluation;
}

// ---------------------------------------------------------------------------------------------
// RF-10 the wrong approval path

/**
 * An approval on the jointly reviewed plan (`plan_review`) for an investment at or above the
 * merged-study threshold, or any path but the one for independent infrastructure when the
 * approval says it involves some, by the approval-path rule of its date. Before the seed no
 * simplified path existed: the path of an approval written then (`project-approved.v1`) is the
 * ledger's reading of its amount, not a decision, so only independent infrastructure is judged.
 * Raised on the approval's date; cleared by a later approval on a right path.
 */
export function approvalPath(db: Database.Database, projectId: string): Evaluation {
  const evaluation: Evaluation = { code: 'RF-10', scope: projectId, subject: 'approval-path', findings: [] };
  const approvals = readApprovals(db, projectId);
  /** The path the rule of its date asked for, and why; null when the approval took it. */
  const wrong = (a: (typeof approvals)[number]): { path: string; why: string } | null => {
    const rule = redFlagRule<ApprovalPathSettings>('approval-path', a.approvedOn);
    if (!rule) return null;
    const s = rule.settings;
    if (a.independent === true && a.path !== s.independentInfrastructurePath)
      return { path: s.independentInfrastructurePath, why: 'it involves independent infrastructure' };
    if (s.mergedFsrFrom !== null && a.path === 'plan_review' && a.investmentFen >= fenOfStored(s.mergedFsrFrom))
      return { path: 'merged_fsr', why: `the investment is at or above ${s.mergedFsrFrom}` };
    return null;
  };
  const inForce = (day: string) => approvals.filter((a) => a.approvedOn <= day).at(-1);
  for (const i of intervalsWhere(
    approvals.map((a) => a.approvedOn),
    (day) => {
      const a = inForce(day);
      return a !== undefined && wrong(a) !== null;
    },
  )) {
    const a = inForce(i.from)!;
    const should = wrong(a)!;
    const right = i.to === null ? undefined : inForce(i.to);
    evaluation.findings.push({
      code: 'RF-10',
      family: 'approval-path',
      severity: 'high',
      projectId,
      subject: 'approval-path',
      raisedAt: i.from,
      clearedAt: i.to,
      message: {
        zh: `项目按 ${a.path} 审批（投资 ${readableFen(a.investmentFen)} 元${a.independent ? '，涉及功能独立配套基础设施' : ''}），应按 ${should.path} 审批`,
        en: `approved on ${a.path} (${readableFen(a.investmentFen)}): the path should have been ${should.path}, as ${should.why}`,
      },
      figures: { approvalPath: a.path, requiredPath: should.path, approvedInvestment: money(a.investmentFen) },
      evidence: [a.evidence, ...(right ? [right.evidence] : [])],
    });
  }
  return evaluation;
}

// ---------------------------------------------------------------------------------------------
// RF-11 procedure out of order

/** The stage a milestone-order prerequisite names, as a date it was first reached on (or null). */
function reachedOn(
  milestones: readonly MilestoneFact[],
  approval: ApprovalFact | undefined,
  stage: string,
): { on: string; evidence: Evidence } | null {
  if (stage === 'approval') return approval ? { on: approval.approvedOn, evidence: approval.evidence } : null;
  const passed = stage === 'joint_acceptance_passed';
  const kind = passed ? 'joint_acceptance' : stage;
  const m = milestones.find((x) => x.kind === kind && (!passed || x.data.result === 'passed'));
  return m ? { on: m.onDate, evidence: m.evidence } : null;
}

/**
 * Each milestone dated before a stage the milestone-order rule of its date puts first (a tender or
 * contract before the approval, from the seed; a filing before a passed acceptance...), the
 * approval without a consultation and a publicity before it (from the seed), and the works
 * started with no construction-permit determination (a permit or an exemption) dated on or before.
 * The deciders refuse most of these when recorded in order: what appears is imported or older
 * history, and the start without a determination, which the ledger records.
 */
export function procedureOrder(db: Database.Database, projectId: string): Evaluation {
  const evaluation: Evaluation = { code: 'RF-11', scope: projectId, subject: 'procedure', findings: [] };
  const push = (
    family: string,
    severity: Finding['severity'],
    raisedAt: string,
    key: string,
    zh: string,
    en: string,
    evidence: Evidence[],
  ): void => {
    evaluation.findings.push({
      code: 'RF-11',
      family,
      severity,
      projectId,
      subject: 'procedure',
      raisedAt,
      clearedAt: null,
      message: { zh, en },
      figures: { step: key },
      evidence,
    });
  };
  // The project's milestones (oldest first) and first approval, read once: every check below filters them.
  const milestones = readMilestones(db, projectId);
  const approval = readApprovals(db, projectId)[0];
  const ofKind = (kind: string) => milestones.filter((m) => m.kind === kind);
  for (const m of milestones) {
    const rule = redFlagRule<MilestoneOrderSettings>('milestone-order', m.onDate);
    for (const stage of rule?.settings.prerequisites[m.kind] ?? []) {
      const r = reachedOn(milestones, approval, stage);
      if (r !== null && r.on <= m.onDate) continue;
      push(
        'milestone-order',
        'high',
        m.onDate,
        `${m.kind} before ${stage}`,
        `${m.kind}（${m.onDate}）早于 ${stage}${r ? `（${r.on}）` : '（未记录）'}`,
        `${m.kind} on ${m.onDate} came before ${stage}${r ? ` (${r.on})` : ' (none recorded)'}`,
        [m.evidence, ...(r ? [r.evidence] : [])],
      );
    }
  }
  // Judged where the project's life is recorded (some milestone): the money of a project imported
  // without its milestones says nothing of its procedure.
  const lifeRecorded = milestones.length > 0;
  if (approval && lifeRecorded && redFlagRule(F.consultationBeforeApproval, approval.approvedOn)) {
    const before = (kind: string) => ofKind(kind).filter((m) => m.onDate <= approval.approvedOn)[0];
    const missing = ['consultation', 'publicity'].filter((k) => before(k) === undefined);
    if (missing.length > 0)
      push(
        F.consultationBeforeApproval,
        'medium',
        approval.approvedOn,
        `approval without ${missing.join(' and ')}`,
        `项目于 ${approval.approvedOn} 批复，此前未记录${missing.map((k) => (k === 'consultation' ? '征求居民意见' : '改造内容公示')).join('和')}`,
        `approved on ${approval.approvedOn} with no ${missing.join(' and no ')} recorded before`,
        [approval.evidence],
      );
  }
  const start = ofKind('construction_started')[0];
  if (start) {
    const contract = ofKind('contract')[0];
    const missing = [
      ...(approval && approval.approvedOn <= start.onDate ? [] : [{ zh: '项目批复', en: 'approval', at: approval }]),
      ...(contract && contract.onDate <= start.onDate ? [] : [{ zh: '施工合同', en: 'contract', at: contract }]),
    ];
    if (missing.length > 0)
      push(
        F.worksWithoutPermit,
        'high',
        start.onDate,
        `works before ${missing.map((m) => m.en).join(' and ')}`,
        `${start.onDate} 开工，此前未记录${missing.map((m) => m.zh).join('和')}`,
        `works started on ${start.onDate} with no ${missing.map((m) => m.en).join(' and no ')} before`,
        [start.evidence, ...missing.flatMap((m) => (m.at ? [m.at.evidence] : []))],
      );
    const permit = ofKind('construction_permit')[0];
    if (!permit || permit.onDate > start.onDate)
      push(
        F.worksWithoutPermit,
        'high',
        start.onDate,
        'works before construction permit',
        `${start.onDate} 开工，此前未记录施工许可或免于施工许可的认定${permit ? `（${permit.onDate} 才认定）` : ''}`,
        `works started on ${start.onDate} with no construction permit or exemption determined before${permit ? ` (determined on ${permit.onDate})` : ''}`,
        [start.evidence, ...(permit ? [permit.evidence] : [])],
      );
  }
  evaluation.findings.sort((a, b) => (a.raisedAt < b.raisedAt ? -1 : a.raisedAt > b.raisedAt ? 1 : 0));
  return evaluation;
}

// ---------------------------------------------------------------------------------------------
// RF-01 a contractor paid before its contract; RF-03 paid beyond its contract's terms

/** The payees the project has contracts with. */
export function contractPayees(db: Database.Database, projectId: string): string[] {
  return [...new Set(readMilestones(db, projectId, 'contract').map((c) => c.data.payee.name as string))];
}

/**
 * RF-01 and RF-03 of one payee, asked together (a payment to it, a contract, the completion), from
 * one read of its contracts and of its payments' history. None when the project has no contract
 * with it: a payment names its payee, not a contract, so fees and other parties are not judged;
 * contracts are never taken back, so no flag of such a payee is on record either.
 *
 * `paid`: asked for a payment (or its reversal) dated `on`, the payee's running totals after it
 * (red_flag_balances, `payee:<name>`). Such a flow on or after the first contract is not among
 * RF-01's early payments; when it is also the payee's latest, what was paid stands at the total
 * from its day on, and if that is within the contracts' limit on every day the limit changes from
 * then, and no RF-03 of the payee is on record, RF-03 still finds nothing: neither rule reads the
 * payee's history (most payments, as a log is written in date order).
 */
export function payeeRules(
  db: Database.Database,
  projectId: string,
  payee: string,
  paid?: { on: string; balance: Balance },
): Evaluation[] {
  // One read for the contracts and the completion, which every payment asks.
  const milestones = readMilestones(db, projectId, 'contract', 'construction_completed');
  const contracts = milestones.filter((c) => c.kind === 'contract' && c.data.payee?.name === payee);
  if (contracts.length === 0) return [];
  const completedOn = milestones.find((m) => m.kind === 'construction_completed')?.onDate ?? NEVER;
  const subject = `payee:${payee}`;
  if (paid !== undefined && paid.on >= contracts[0].onDate) {
    const before = unchanged({ code: 'RF-01', scope: projectId, subject, findings: [] });
    const limits = contractLimits(contracts, completedOn);
    const within = () =>
      [paid.on, ...limits.days]
        .filter((day) => day >= paid.on)
        .every((day) => {
          const limit = limits.on(day);
          return limit === null || paid.balance.outFen <= limit;
        });
    if (paid.balance.lastOn === paid.on && !onRecord(db, 'RF-03', projectId, subject) && within())
      return [before, unchanged({ code: 'RF-03', scope: projectId, subject, findings: [] })];
  }
  const payments = flowHistory(
    db,
    projectId,
    // Not correlated (project_id = ?, not f.project_id): SQLite lists the payee's entries once, not per flow.
    "f.kind IN ('payment', 'payment-reversal') AND f.entry_id IN (SELECT entry_id FROM red_flag_entries WHERE project_id = ? AND payee = ?)",
    [projectId, payee],
  );
  return [
    paymentBeforeContract(projectId, payee, contracts[0], payments),
    paymentsBeyondContract(projectId, payee, contracts, completedOn, payments),
  ];
}

/** Payments to a payee dated before its first contract with the project was signed: raised on the first, cleared by the signing. */
function paymentBeforeContract(
  projectId: string,
  payee: string,
  first: MilestoneFact,
  payments: FlowHistory,
): Evaluation {
  const subject = `payee:${payee}`;
  const evaluation: Evaluation = { code: 'RF-01', scope: projectId, subject, findings: [] };
  const early = payments.totals.filter((f) => f.onDate < first.onDate);
  const net = sumUntil(early, NEVER);
  if (early.length === 0 || net <= 0n) return evaluation;
  const { evidence, evidenceLeftOut } = payments.evidenceBefore(first.onDate);
  evaluation.findings.push({
    code: 'RF-01',
    family: F.paymentBeforeContract,
    severity: 'medium',
    projectId,
    subject,
    raisedAt: early[0].onDate,
    clearedAt: first.onDate,
    message: {
      zh: `向 ${payee} 付款 ${readableFen(net)} 元早于合同 ${first.data.contractId} 签订（${first.onDate}），最早一笔 ${early[0].onDate}`,
      en: `${readableFen(net)} paid to ${payee} before contract ${first.data.contractId} was signed on ${first.onDate}; the first on ${early[0].onDate}`,
    },
    figures: { payee, amount: money(net), contractId: first.data.contractId, signedOn: first.onDate },
    evidence: [...evidence, first.evidence],
    evidenceLeftOut,
  });
  return evaluation;
}

/**
 * Σ paid to a payee above what its contracts allow on the day: before the works are completed,
 * each contract signed by then up to its progress-payment cap; from the completion, up to its
 * amount. Raised the day a payment took it over, cleared when a reversal or the completion brought
 * the limit back above what was paid.
 */
function paymentsBeyondContract(
  projectId: string,
  payee: string,
  contracts: readonly MilestoneFact[],
  completedOn: string,
  payments: FlowHistory,
): Evaluation {
  const subject = `payee:${payee}`;
  const evaluation: Evaluation = { code: 'RF-03', scope: projectId, subject, findings: [] };
  const flows = payments.totals;
  const { on: limitOn, days: limitDays } = contractLimits(contracts, completedOn);
  const days = [...flows.map((f) => f.onDate), ...limitDays];
  for (const i of intervalsWhere(days, (day) => {
    const limit = limitOn(day);
    return limit !== null && sumUntil(flows, day) > limit;
  })) {
    const paid = sumUntil(flows, i.from);
    const limit = limitOn(i.from)!;
    const { evidence, evidenceLeftOut } = payments.evidenceBefore(i.to ?? NEVER);
    evaluation.findings.push({
      code: 'RF-03',
      family: F.paymentsBeyondContract,
      severity: 'high',
      projectId,
      subject,
      raisedAt: i.from,
      clearedAt: i.to,
      message: {
        zh: `向 ${payee} 累计付款 ${readableFen(paid)} 元，超过合同约定可付 ${readableFen(limit)} 元（${i.from < completedOn ? '完工前按进度款比例' : '合同价款'}）`,
        en: `${readableFen(paid)} paid to ${payee}, above the ${readableFen(limit)} its contracts allow (${i.from < completedOn ? 'the progress-payment cap before completion' : 'the contract amount'})`,
      },
      figures: { payee, paid: money(paid), limit: money(limit) },
      evidence: [...contracts.map((c) => c.evidence), ...evidence],
      evidenceLeftOut,
    });
  }
  return evaluation;
}

/**
 * What a payee's contracts allow paid on a day (null: none signed by then), and the days it
 * changes (each signing, the completion: NEVER when the works are not completed).
 */
function contractLimits(
  contracts: readonly MilestoneFact[],
  completedOn: string,
): { on: (day: string) => bigint | null; days: string[] } {
  const on = (day: string): bigint | null => {
    const signed = contracts.filter((c) => c.onDate <= day);
    if (signed.length === 0) return null;
    let limit = 0n;
    for (const c of signed) {
      const amount = fenOfStored(c.data.amount);
      limit += day >= completedOn ? amount : capOf(amount, c.data.paymentTerms.progressPaymentCapPercent);
    }
    return limit;
  };
  // NEVER is no day the limit changes: counting it as one cleared an open flag at 9999-12-31.
  return { on, days: [...contracts.map((c) => c.onDate), ...(completedOn === NEVER ? [] : [completedOn])] };
}

/**
 * `percent` (a decimal string, at most two decimals) of `amountFen`, rounded down to the fen. The
 * percent in hundredths is read as a stored amount is (fenOfStored: yuan and two decimals to fen).
 */
function capOf(amountFen: bigint, percent: string): bigint {
  return (amountFen * fenOfStored(percent)) / 10000n;
}

// ---------------------------------------------------------------------------------------------
// RF-13 one community counted as completed twice

/** The projects registered for the community (town and name) of `projectId`, itself included. */
export function projectsOfCommunity(db: Database.Database, projectId: string): string[] {
  const p = readProject(db, projectId);
  if (!p) return [projectId];
  return (
    prepared(db, 'SELECT project_id FROM red_flag_projects WHERE town = ? AND community = ? ORDER BY project_id').all(
      p.town,
      p.community,
    ) as Row[]
  ).map((r) => r.project_id as string);
}

/**
 * A passed joint acceptance of a community that an earlier one (of this project or another of the
 * same town and community name) already completed: raised on its date, on the project it counts
 * for again; never cleared.
 */
export function communityCompletedTwice(db: Database.Database, projectId: string): Evaluation {
  const evaluation: Evaluation = { code: 'RF-13', scope: projectId, subject: 'community-completed', findings: [] };
  const p = readProject(db, projectId);
  if (!p) return evaluation;
  const passed = (
    prepared(
      db,
      `SELECT m.* FROM red_flag_milestones m JOIN red_flag_projects p ON p.project_id = m.project_id
       WHERE m.kind = 'joint_acceptance' AND p.town = ? AND p.community = ? AND json_extract(m.data, '$.result') = 'passed'
       ORDER BY m.on_date, LENGTH(m.position), m.position`,
    ).all(p.town, p.community) as Row[]
  ).map((r) => ({ ...milestoneOfRow(r), projectId: r.project_id as string }));
  passed.slice(1).forEach((m) => {
    if (m.projectId !== projectId) return;
    const first = passed[0];
    evaluation.findings.push({
      code: 'RF-13',
      family: F.communityCompletedTwice,
      severity: 'high',
      projectId,
      subject: 'community-completed',
      raisedAt: m.onDate,
      clearedAt: null,
      message: {
        zh: `小区 ${p.town} ${p.community} 已于 ${first.onDate} 通过竣工验收（项目 ${first.projectId}），${m.onDate} 再次计为完成`,
        en: `${p.community} (${p.town}) passed its joint acceptance on ${first.onDate} (project ${first.projectId}) and is counted as completed again on ${m.onDate}`,
      },
      figures: { community: p.community, town: p.town, firstProjectId: first.projectId, firstAcceptedOn: first.onDate },
      evidence: [first.evidence, m.evidence],
    });
  });
  return evaluation;
}

// ---------------------------------------------------------------------------------------------
// RF-17 a pipeline obligation unmet at the acceptance

/**
 * A line of pipeline work (a budget line naming its utility) with no pledge or receipt from that
 * utility (pipeline_unit money whose `details.utility` is it) dated on or before the project's
 * first passed joint acceptance: raised on the acceptance, cleared on the day such money came.
 */
export function pipelineUnmet(db: Database.Database, projectId: string, lineId: string): Evaluation {
  const subject = `pipeline:${lineId}`;
  const evaluation: Evaluation = { code: 'RF-17', scope: projectId, subject, findings: [] };
  const line = readLine(db, projectId, lineId);
  if (!line || line.utility === null) return evaluation;
  const acceptance = readMilestones(db, projectId, 'joint_acceptance').find((m) => m.data.result === 'passed');
  if (!acceptance) return evaluation;
  const pledged = (
    prepared(
      db,
      `SELECT e.entry_id, e.on_date, e.event_id, e.position FROM red_flag_entries e
       WHERE e.project_id = ? AND e.source = 'pipeline_unit' AND e.kind IN ('pledge', 'receipt')
         AND json_extract(e.details, '$.utility') = ? AND e.amount_fen > e.reversed_fen
       ORDER BY e.on_date, LENGTH(e.position), e.position`,
    ).all(projectId, line.utility) as Row[]
  ).map((r) => ({ onDate: r.on_date as string, evidence: { eventId: r.event_id, position: r.position } }));
  if (pledged.some((m) => m.onDate <= acceptance.onDate)) return evaluation;
  const late = pledged[0];
  const finding: Finding = {
    code: 'RF-17',
    family: F.pipelineUnmet,
    severity: 'medium',
    projectId,
    lineId,
    subject,
    raisedAt: acceptance.onDate,
    clearedAt: late?.onDate ?? null,
    message: {
      zh: `管线预算项 ${lineId}（${line.utility}）至竣工验收（${acceptance.onDate}）未有管线单位承诺或出资`,
      en: `pipeline line ${lineId} (${line.utility}): no pledge or money from the utility by the joint acceptance on ${acceptance.onDate}`,
    },
    figures: { utility: line.utility, acceptedOn: acceptance.onDate },
    evidence: [line.evidence, acceptance.evidence, ...(late ? [late.evidence] : [])],
  };
  evaluation.findings.push(finding);
  return evaluation;
}
