import { useState } from 'preact/hooks';
import { ApiError, getJson } from '../api';
import { Actor, forgetToken, storeToken } from '../session';

/** Sign-in with a token (as the tokens file or the demo prints it), kept for this browser session only. */
export function SignInPage({ onSignedIn }: { onSignedIn: (actor: Actor) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    storeToken(token.trim());
    try {
      onSignedIn(await getJson<Actor>('/api/session'));
    } catch (err) {
      forgetToken();
      setError(
        err instanceof ApiError && err.status === 401
          ? '令牌无效，请检查后重新输入。'
          : `登录失败：${(err as Error).message}`,
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in" id="main">
      <h1>老旧小区改造资金台账</h1>
      <form onSubmit={submit}>
        <label for="token">访问令牌</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          required
          value={token}
          onInput={(e) => setToken((e.target as HTMLInputElement).value)}
        />
        <p class="hint">令牌仅保存在本浏览器标签页中，关闭后需重新登录。</p>
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          登录
        </button>
      </form>
      <p class="hint">
        居民查看项目公示无需登录：<code>/gongshi/项目编号</code>
      </p>
    </main>
  );
}
