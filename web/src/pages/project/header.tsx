import { count, day, yuan } from '../../format';
import { Labels, STATUS_LABELS } from './labels';
import type { ProjectListItem, ProjectView } from './types';

/**
 * The project's name and facts. As of a past date, its status, approved investment, path and
 * budget are the project list's row as of that date (`listed`); the rest is as registered.
 */
export function ProjectHeader({
  project,
  listed,
  asOf,
  labels,
}: {
  project: ProjectView;
  listed: ProjectListItem | null | undefined;
  asOf: string | undefined;
  labels: Labels;
}) {
  const now = {
    status: project.status,
    approvedInvestment: project.approval?.approvedInvestment ?? null,
    approvalPath: project.approval?.approvalPath ?? null,
    budgetTotal: project.budgetTotal,
  };
  const then = asOf ? listed : now;
  const pending = asOf && listed === undefined ? '…' : '—';
  return (
    <section class="card project-head" aria-labelledby="project-name">
      <h1 id="project-name">{project.name}</h1>
      {asOf && listed === null ? (
        <p class="error" role="status">
          截至 {asOf}，本项目尚未登记。
        </p>
      ) : null}
      <dl class="facts">
        <Fact label="项目编号">{project.projectId}</Fact>
        <Fact label="镇街">{project.town}</Fact>
        <Fact label="小区">{project.community}</Fact>
        <Fact label="建成年份">{String(project.builtYear)}</Fact>
        <Fact label="户数">{count(project.households)}</Fact>
        <Fact label={asOf ? `项目状态（截至 ${asOf}）` : '项目状态'} figure="project.status">
          {then ? (STATUS_LABELS[then.status] ?? then.status) : pending}
        </Fact>
        <Fact label="批复投资（元）" figure="project.approvedInvestment" num>
          {then ? yuan(then.approvedInvestment) : pending}
        </Fact>
        <Fact label="审批路径" figure="project.approvalPath">
          {then ? labels.approvalPath(then.approvalPath) : pending}
        </Fact>
        <Fact label="概算合计（元）" figure="project.budgetTotal" num>
          {then ? yuan(then.budgetTotal) : pending}
        </Fact>
        {project.approval && then?.approvedInvestment ? (
          <>
            <Fact label="批复文号">{project.approval.docNo}</Fact>
            <Fact label="批复日期">{day(project.approval.approvedOn)}</Fact>
          </>
        ) : null}
      </dl>
    </section>
  );
}

function Fact({ label, figure, num, children }: { label: string; figure?: string; num?: boolean; children: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd class={num ? 'num' : undefined} data-figure={figure}>
        {children}
      </dd>
    </div>
  );
}
