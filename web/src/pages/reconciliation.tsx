import { Route } from '../router';
import { Actor } from '../session';

/** 银行对账: to be built (issue 19 point 4). */
export function ReconciliationPage({ accountId }: { accountId?: string; route: Route; actor: Actor }) {
  return <p>银行对账 {accountId ?? ''}（建设中）</p>;
}
