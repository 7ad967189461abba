import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routes (`#/projects/P1?asOf=2023-06-30`): the service serves one page at `/` and no route
 * of the SPA can collide with the API's paths. The query holds what a reader may bookmark: the
 * as-of date, a filter.
 */
export interface Route {
  /** The path after `#`, e.g. `/projects/P1`; `/` for the overview. */
  path: string;
  query: URLSearchParams;
}

export function currentRoute(): Route {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, qs = ''] = hash.split('?');
  return { path: path || '/', query: new URLSearchParams(qs) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const changed = () => setRoute(currentRoute());
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}

/** The href of a route, keeping the as-of date unless told otherwise. */
export function href(path: string, query: Record<string, string | undefined> = {}, keepAsOf = true): string {
  const params = new URLSearchParams();
  const asOf = keepAsOf ? currentRoute().query.get('asOf') : null;
  if (asOf && !('asOf' in query)) params.set('asOf', asOf);
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  const qs = params.toString();
  return `#${path}${qs ? `?${qs}` : ''}`;
}

export function navigate(path: string, query: Record<string, string | undefined> = {}): void {
  location.hash = href(path, query).slice(1);
}

/** The as-of date the reader picked (YYYY-MM-DD), or undefined for now. */
export function asOfOf(route: Route): string | undefined {
  return route.query.get('asOf') ?? undefined;
}
