/**
 * The red-flag report as tables for CSV and XLSX (src/reports/export): Chinese headers, the
 * evidence as event ids. CSV carries the flags; XLSX the flags and the totals by code and severity.
 */
import { BoundsUsed } from '../audit/time-bounds';
import { ReportFileName } from '../reports/export/report-download';
import { ReportColumn, ReportTable } from '../reports/export/report-table';
import {
  RED_FLAG_CODES,
  RED_FLAG_CODE_LIST,
  SEVERITIES,
  SEVERITY_ZH,
} from '../../projections/red-flags/red-flag-codes';
import { RedFlagList } from './red-flag-report';

const text = (key: string, header: string): ReportColumn => ({ key, header, kind: 'text' });
const integer = (key: string, header: string): ReportColumn => ({ key, header, kind: 'integer' });
const date = (key: string, header: string): ReportColumn => ({ key, header, kind: 'date' });

function titleOf(r: RedFlagList & { bounds: BoundsUsed }): string {
  const parts = [`参考日 ${r.referenceDate}`];
  if (r.bounds.asOf !== null) parts.push(`截至 ${r.bounds.asOf}`);
  if (r.bounds.knownAt !== null) parts.push(`记录截至 ${r.bounds.knownAt}`);
  return `问题线索清单（${parts.join('，')}）`;
}

export function redFlagFileName(r: { bounds: BoundsUsed }, projectId?: string): ReportFileName {
  const project = projectId === undefined ? '' : `-${projectId}`;
  const asOf = r.bounds.asOf === null ? '' : `-asof-${r.bounds.asOf}`;
  return {
    title: `问题线索清单${project}${r.bounds.asOf === null ? '' : `-截至${r.bounds.asOf}`}`,
    ascii: `red-flags${project}${asOf}`,
  };
}

export function redFlagTables(r: RedFlagList & { bounds: BoundsUsed }): ReportTable[] {
  const flags: ReportTable = {
    sheetName: '问题线索',
    title: titleOf(r),
    columns: [
      text('flagId', '线索编号'),
      text('code', '代码'),
      text('titleZh', '问题类型'),
      text('severityZh', '严重程度'),
      text('projectId', '项目编号'),
      text('projectName', '项目名称'),
      text('town', '镇街'),
      text('batchId', '指标编号'),
      text('lineId', '预算项'),
      text('householdId', '户号'),
      date('raisedAt', '发生日期'),
      date('clearedAt', '消除日期'),
      text('state', '状态'),
      text('messageZh', '情况说明'),
      text('ruleId', '规则编号'),
      text('citation', '依据'),
      text('quote', '依据原文'),
      text('evidence', '证据事件'),
      integer('evidenceCount', '证据事件数'),
    ],
    rows: r.flags.map((f) => ({
      flagId: f.flagId,
      code: f.code,
      titleZh: f.title.zh,
      severityZh: SEVERITY_ZH[f.severity],
      projectId: f.projectId,
      projectName: f.projectName,
      town: f.town,
      batchId: f.batchId,
      lineId: f.lineId,
      householdId: f.householdId,
      raisedAt: f.raisedAt,
      clearedAt: f.clearedAt,
      state: f.open ? '未消除' : '已消除',
      messageZh: f.message.zh,
      ruleId: f.rule.ruleId,
      citation: f.rule.citation,
      quote: f.rule.quote === '' ? null : f.rule.quote,
      evidence: f.evidence.map((e) => e.eventId).join(' '),
      evidenceCount: f.evidenceCount,
    })),
  };
  const counts = [integer('open', '未消除'), integer('cleared', '已消除'), integer('total', '合计')];
  const byCode: ReportTable = {
    sheetName: '按问题类型',
    title: titleOf(r),
    columns: [text('code', '代码'), text('titleZh', '问题类型'), ...counts],
    rows: RED_FLAG_CODE_LIST.map((code) => ({ code, titleZh: RED_FLAG_CODES[code].zh, ...r.totals.byCode[code] })),
    totals: { sumColumns: ['open', 'cleared', 'total'] },
  };
  const bySeverity: ReportTable = {
    sheetName: '按严重程度',
    title: titleOf(r),
    columns: [text('severityZh', '严重程度'), ...counts],
    rows: SEVERITIES.map((s) => ({ severityZh: SEVERITY_ZH[s], ...r.totals.bySeverity[s] })),
    totals: { sumColumns: ['open', 'cleared', 'total'] },
  };
  return [flags, byCode, bySeverity];
}
