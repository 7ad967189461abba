import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { onLiveStatus } from './live';
import { Route, asOfOf, href, navigate } from './router';
import { Actor, ROLE_LABELS, seesBureauPages } from './session';
import { DateField, calendarProblem } from './date-field';
import { today } from './format';

/**
 * Every signed-in page: the title, the navigation the role may use, the as-of date picker (the
 * district as of any past date: every read of the page takes `asOf`), who is signed in, and
 * whether live updates are connected.
 */
export function Layout({
  actor,
  route,
  onSignOut,
  children,
}: {
  actor: Actor;
  route: Route;
  onSignOut: () => void;
  children: ComponentChildren;
}) {
  const [live, setLive] = useState(false);
  onLiveStatus(setLive);
  const asOf = asOfOf(route);
  // A date in the address that is not one (typed, or an old bookmark): said once here, and the
  // page's reads are not sent with it (each would answer 400 invalid-date in English).
  const asOfWrong = asOf === undefined ? null : calendarProblem(asOf, 'day');
  const nav = [
    { path: '/', label: '全区概览' },
    ...(seesBureauPages(actor.role)
      ? [
          { path: '/batches', label: '资金下达台账' },
          { path: '/reconciliation', label: '银行对账' },
        ]
      : []),
  ];
  const setAsOf = (value: string) => {
    const query: Record<string, string | undefined> = {};
    route.query.forEach((v, k) => (query[k] = v));
    query.asOf = value || undefined;
    navigate(route.path, query);
  };
  return (
    <div class="shell">
      <a class="skip" href="#main">
        跳到正文
      </a>
      <header class="top">
        <p class="brand">老旧小区改造资金台账</p>
        <nav aria-label="主导航">
          <ul>
            {nav.map((item) => (
              <li key={item.path}>
                <a
                  href={href(item.path)}
                  aria-current={
                    route.path === item.path || (route.path.startsWith(`${item.path}/`) && item.path !== '/')
                      ? 'page'
                      : undefined
                  }
                >
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="as-of">
          <DateField key={route.path} id="as-of" label="截至日期" value={asOf ?? ''} max={today()} onCommit={setAsOf} />
          {asOf ? (
            <button type="button" onClick={() => setAsOf('')}>
              回到今天
            </button>
          ) : null}
        </div>
        <div class="who">
          <span class={live ? 'live on' : 'live'} title={live ? '实时更新已连接' : '实时更新未连接'}>
            {live ? '● 实时' : '○ 离线'}
          </span>
          <span>
            {actor.org} · {ROLE_LABELS[actor.role]}
          </span>
          <button type="button" onClick={onSignOut}>
            退出
          </button>
        </div>
      </header>
      {asOf && !asOfWrong ? (
        <p class="as-of-banner" role="status">
          正在查看 {asOf} 当日的历史数据（不含之后的记录）
        </p>
      ) : null}
      <main id="main" tabIndex={-1}>
        {asOfWrong ? (
          <p class="error" role="alert" data-problem="as-of">
            地址中的截至日期“{asOf}”有误：{asOfWrong}。请在上方重新填写截至日期，或点“回到今天”。
          </p>
        ) : (
          children
        )}
      </main>
    </div>
  );
}
