import type { ComponentChildren } from 'preact';
import { ApiError } from './api';
import { Loaded } from './load';

/** A page's data: a loading line, the error named as the ledger names it, or the content. */
export function Loading<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ComponentChildren }) {
  if (loaded.error) {
    const code = loaded.error instanceof ApiError ? `${loaded.error.code}：` : '';
    return (
      <p class="error" role="alert">
        无法读取：{code}
        {loaded.error.message}
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
