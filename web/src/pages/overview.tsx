import { Route } from '../router';
import { Actor } from '../session';

/** 全区概览: to be built (issue 19 point 2). */
export function OverviewPage(_: { route: Route; actor: Actor }) {
  return <p>全区概览（建设中）</p>;
}
