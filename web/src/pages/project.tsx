import { Route } from '../router';
import { Actor } from '../session';

/** 项目详情: to be built (issue 19 point 3). */
export function ProjectPage({ projectId }: { projectId: string; route: Route; actor: Actor }) {
  return <p>项目 {projectId}（建设中）</p>;
}
