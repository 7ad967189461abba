import { Route } from '../router';
import { Actor } from '../session';

/** 资金下达台账: to be built (issue 19 point 4). */
export function BatchesPage(_: { route: Route; actor: Actor }) {
  return <p>资金下达台账（建设中）</p>;
}
