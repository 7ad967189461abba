import { count, day, yuan } from '../../format';
import { Labels, STATUS_LABELS } from './labels';
import type { ProjectView } from './types';

/**
 * The project's name and facts. As of a past date, its status, approved investment, path,
 * approval and budget are the project's as of that date (`then`, null when not registered by
 * then); the rest is as registered.
 */
export function ProjectHeader({
  project,
  then,
  asOf,
  labels,
}: {
  project: ProjectView;
  then: ProjectView | null;
  asOf: string | undefined;
  labels: Labels;
}) {
  const approval = then?.approval ?? null;
  return (
    <section class="card project-head" aria-labelledby="project-name">
      <h1 id="project-name">{project.name}</h1>
      {asOf && then === null ? (
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
          {then ? (STATUS_LABELS[then.status] ?? then.status) : '—'}
        </Fact>
        <Fact label="批复投资（元）" figure="project.approvedInvestment" num>
          {then ? yuan(approval?.approvedInvestment ?? null) : '—'}
        </Fact>
        <Fact label="审批路径" figure="project.approvalPath">
          {then ? labels.approvalPath(approval?.approvalPath ?? null) : '—'}
        </Fact>
        <Fact label="概算合计（元）" figure="project.budgetTotal" num>
          {then ? yuan(then.budgetTotal) : '—'}
        </Fact>
        {approval ? (
          <>
            <Fact label="批复文号">{approval.docNo}</Fact>
            <Fact label="批复日期">{day(approval.approvedOn)}</Fact>
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
