import { forgetToken, storedToken } from './session';

/** An answer other than 2xx: the ledger's error code and message, as its JSON errors carry them. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Called when the token is refused (401): the app goes back to sign-in. */
let onUnauthenticated: () => void = () => undefined;
export function whenUnauthenticated(handler: () => void): void {
  onUnauthenticated = handler;
}

function headers(token: string | null): Record<string, string> {
  return token ? { Authorization: `Bearer ${token}`, Accept: 'application/json' } : { Accept: 'application/json' };
}

async function errorOf(res: Response): Promise<ApiError> {
  let code = `http-${res.status}`;
  let message = res.statusText;
  try {
    const body = (await res.json()) as { error?: string; code?: string; message?: string };
    code = body.error ?? body.code ?? code;
    message = body.message ?? message;
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(res.status, code, message);
}

/** GET a JSON read of the API with the session's token; `query` values left undefined are not sent. */
export async function getJson<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T> {
  const res = await fetch(withQuery(path, query), { headers: headers(storedToken()) });
  if (res.status === 401) {
    forgetToken();
    onUnauthenticated();
  }
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as T;
}

/** POST JSON with the session's token (the live ticket; the pages themselves write nothing else). */
export async function postJson<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(path, {
    method: 'POST',
    headers: { ...headers(storedToken()), 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as T;
}

export function withQuery(path: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, v);
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/**
 * Downloads a report (csv or xlsx) with the token: a plain link cannot send the Authorization
 * header, so the file is fetched and handed to the browser as a blob under the server's file name.
 */
export async function download(path: string, query: Record<string, string | undefined>): Promise<void> {
  const res = await fetch(withQuery(path, query), { headers: { Authorization: `Bearer ${storedToken() ?? ''}` } });
  if (!res.ok) throw await errorOf(res);
  const disposition = res.headers.get('Content-Disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  const name = star ? decodeURIComponent(star[1]) : plain ? plain[1] : (path.split('/').pop() ?? 'report');
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
