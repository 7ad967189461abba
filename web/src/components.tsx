import type { ComponentChildren } from 'preact';
import { ApiError } from './api';
import { Loaded } from './load';

/**
 * A read's failure in the reader's words, by its HTTP status: the ledger's own message is in
 * English (for operators and logs), so the page says what it means and keeps the error code beside
 * it, and the message in the title, for whoever is asked to look.
 */
function readFailure(error: Error): string {
  if (!(error instanceof ApiError)) return '网络连接失败或页面出错，请稍后刷新重试';
  if (error.status === 400) return '请求的条件有误';
  if (error.status === 403) return '当前账号无权查看';
  if (error.status === 404) return '没有找到要读取的记录';
  if (error.status === 409) return '台账校验未通过，请联系系统管理员';
  if (error.status === 429) return '读取过于频繁，请稍后再试';
  if (error.status >= 500) return '服务器出错，请稍后再试';
  return '读取失败';
}

/** A page's data: a loading line, the error said in Chinese (with the ledger's code), or the content. */
export function Loading<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ComponentChildren }) {
  if (loaded.error) {
    const code = loaded.error instanceof ApiError ? `（${loaded.error.code}）` : '';
    return (
      <p class="error" role="alert" title={loaded.error.message}>
        无法读取：{readFailure(loaded.error)}
        {code}
      </p>
    );
  }
  if (loaded.data === undefined)
    return (
      <p class="loading" aria-busy="true">
        正在读取……
      </p>
    );
  return <>{children(loaded.data)}</>;
}

/** A section with a heading, for the pages' blocks (an <h2>, so a screen reader can jump between them). */
export function Section({
  title,
  children,
  actions,
}: {
  title: string;
  children: ComponentChildren;
  actions?: ComponentChildren;
}) {
  return (
    <section class="card" aria-label={title}>
      <header class="card-head">
        <h2>{title}</h2>
        {actions ? <div class="card-actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}
