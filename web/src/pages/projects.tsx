/**
 * 项目清单 (#/projects?…): the projects behind a figure of the overview, filtered by the query.
 *
 * The API's project list (GET /api/projects) filters by `town` only (and takes `asOf`); every
 * other filter is the set of projects another read of the API names, intersected in the browser:
 * - `period=<periodId>`: the projects the targets report lists for that period (GET /api/reports/targets);
 * - `source=<code>` or `tier=<tier>` (with `fiscalYear=`), or `fiscalYear=` alone: the projects
 *   with a row of that source or tier (of any source) in the sources report (GET /api/reports/sources);
 * - `flags=open|cleared|all` (with `severity=`, `code=`): the projects of the red flags the API
 *   answers with those filters (GET /api/red-flags: `open`, `severity`, `code`, `town`);
 * - `idle=received|notReceived`: the projects holding idle money of that kind at the page's date
 *   (GET /api/reports/idle-money, the batch list's idle money by project), each shown with its
 *   idle amount and their sum, the overview's figure;
 * - `status=`: the list's own status, chosen in the browser (the API has no such filter).
 *
 * data-figure keys: `projects.count` (rows shown); each row is `tr[data-project-id]`, with
 * `project.<id>.approvedInvestment`, `.received`, `.disbursed`; with `idle=`, `project.<id>.idle`
 * and `projects.idleTotal` (the rows' sum).
 */
import { Loading, Section } from '../components';
import { count, day, yuan } from '../format';
import { useLoad } from '../load';
import {
  IDLE_KINDS,
  PROJECT_STATUS_LABELS,
  ProjectListItem,
  SEVERITY_LABELS,
  Severity,
  getIdleMoney,
  getProjects,
  getRedFlags,
  getSources,
  getTargets,
  movesDistrict,
} from '../reports';
import { Route, asOfOf, href } from '../router';
import { Actor } from '../session';
import { Heads, num } from './bureau-parts';
import { sumOf } from './project/fen';

interface Filtered {
  projects: ProjectListItem[];
  /** What each filter is, in words, for the heading. */
  described: string[];
  /** Flags of the filter that name no project (a batch's money never allocated). */
  flagsWithoutProject: number;
  /** With `idle=`: the kind's label and each project's idle amount of it. */
  idle?: { label: string; byProject: Map<string, string> };
}

const FLAG_STATES: Record<string, { label: string; open?: string }> = {
  open: { label: '未解除', open: 'true' },
  cleared: { label: '已解除', open: 'false' },
  all: { label: '全部' },
};

async function loadFiltered(query: URLSearchParams, asOf?: string): Promise<Filtered> {
  const q = (name: string) => query.get(name) ?? undefined;
  const town = q('town');
  const described: string[] = [];
  let flagsWithoutProject = 0;
  const sets: Set<string>[] = [];
  if (town) described.push(`镇街：${town}`);

  const period = q('period');
  if (period) {
    const targets = await getTargets(asOf);
    const p = targets.periods.find((x) => x.periodId === period);
    described.push(`目标期间：${p ? p.title.zh : period}`);
    sets.push(new Set((p?.projects ?? []).map((x) => x.projectId)));
  }

  const source = q('source');
  const tier = q('tier');
  const fiscalYear = q('fiscalYear');
  if (source || tier || fiscalYear) {
    const report = await getSources(asOf, fiscalYear);
    const rows = report.rows.filter((r) => (!source || r.source === source) && (!tier || r.tier === tier));
    const label = source
      ? (report.sources.find((s) => s.source === source)?.labelZh ?? source)
      : tier
        ? (report.tiers.find((t) => t.tier === tier)?.tierZh ?? tier)
        : '全部来源';
    described.push(`资金来源：${label}${fiscalYear ? `（${fiscalYear} 年度）` : ''}`);
    sets.push(new Set(rows.map((r) => r.projectId)));
  }

  const flags = q('flags');
  if (flags) {
    const severity = q('severity') as Severity | undefined;
    const code = q('code');
    const state = FLAG_STATES[flags] ?? FLAG_STATES.all;
    const report = await getRedFlags({ asOf, town, severity, code, open: state.open });
    flagsWithoutProject = report.flags.filter((f) => !f.projectId).length;
    described.push(
      `红色预警：${state.label}${severity ? `，严重程度${SEVERITY_LABELS[severity] ?? severity}` : ''}${code ? `，${code}` : ''}`,
    );
    sets.push(new Set(report.flags.flatMap((f) => (f.projectId ? [f.projectId] : []))));
  }

  // Idle money as the overview counts it at the same date (the batch list's), not the RF-14 flags
  // raised by then: each project with its amount of that kind.
  const idleKind = q('idle');
  const kind = idleKind === 'received' || idleKind === 'notReceived' ? IDLE_KINDS[idleKind] : undefined;
  let idle: Filtered['idle'];
  if (kind) {
    const report = await getIdleMoney(asOf);
    const byProject = new Map(
      report.projects.filter((p) => p[kind.field] !== '0.00').map((p) => [p.projectId, p[kind.field]]),
    );
    described.push(`闲置资金：${kind.label}`);
    sets.push(new Set(byProject.keys()));
    idle = { label: kind.label, byProject };
  }

  const status = q('status');
  if (status) described.push(`状态：${PROJECT_STATUS_LABELS[status] ?? status}`);
  const projects = (await getProjects(asOf, town)).filter(
    (p) => (!status || p.status === status) && sets.every((s) => s.has(p.projectId)),
  );
  return { projects, described, flagsWithoutProject, idle };
}

export function ProjectsPage({ route }: { route: Route; actor: Actor }) {
  const asOf = asOfOf(route);
  const key = route.query.toString();
  const loaded = useLoad(() => loadFiltered(route.query, asOf), [key], movesDistrict);
  return (
    <>
      <h1>项目清单</h1>
      <p>
        <a href={href('/')}>← 返回全区概览</a>
      </p>
      <Section title="项目">
        <Loading loaded={loaded}>
          {(f) => (
            <>
              <p class="muted">
                {f.described.length ? `筛选：${f.described.join('；')}。` : '全部项目。'}
                {asOf ? `截至 ${day(asOf)}。` : ''}共{' '}
                <span data-figure="projects.count">{count(f.projects.length)}</span> 个项目。
                {f.flagsWithoutProject
                  ? ` 另有 ${count(f.flagsWithoutProject)} 条预警属下达未分配的资金，不涉及项目。`
                  : ''}
              </p>
              <div class="table-wrap">
                <table>
                  <caption class="muted">项目及其资金（元）</caption>
                  <Heads
                    cols={[
                      '项目编号',
                      '项目名称',
                      '镇街',
                      '状态',
                      num('批复投资'),
                      num('到位'),
                      num('支付'),
                      ...(f.idle ? [num(`闲置资金（${f.idle.label}）`)] : []),
                    ]}
                  />
                  <tbody>
                    {f.projects.map((p) => (
                      <tr key={p.projectId} data-project-id={p.projectId}>
                        <th scope="row">
                          <a href={href(`/projects/${encodeURIComponent(p.projectId)}`)}>{p.projectId}</a>
                        </th>
                        <td>{p.name}</td>
                        <td>{p.town}</td>
                        <td>{PROJECT_STATUS_LABELS[p.status] ?? p.status}</td>
                        <td class="num" data-figure={`project.${p.projectId}.approvedInvestment`}>
                          {yuan(p.approvedInvestment)}
                        </td>
                        <td class="num" data-figure={`project.${p.projectId}.received`}>
                          {yuan(p.received)}
                        </td>
                        <td class="num" data-figure={`project.${p.projectId}.disbursed`}>
                          {yuan(p.disbursed)}
                        </td>
                        {f.idle ? (
                          <td class="num" data-figure={`project.${p.projectId}.idle`}>
                            {yuan(f.idle.byProject.get(p.projectId))}
                          </td>
                        ) : null}
                      </tr>
                    ))}
                  </tbody>
                  {f.idle ? (
                    <tfoot>
                      <tr>
                        <td colSpan={7}>合计</td>
                        <td class="num" data-figure="projects.idleTotal">
                          {yuan(sumOf(f.projects.map((p) => f.idle!.byProject.get(p.projectId) ?? '0.00')))}
                        </td>
                      </tr>
                    </tfoot>
                  ) : null}
                </table>
              </div>
            </>
          )}
        </Loading>
      </Section>
    </>
  );
}
