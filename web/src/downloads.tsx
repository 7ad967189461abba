import { useState } from 'preact/hooks';
import { ApiError, download } from './api';

/**
 * A report's downloads as the API gives them (`?format=xlsx|csv`, and `encoding=gb18030` for the
 * CSV that Chinese Windows' Excel opens without a BOM): buttons, since the file is fetched with
 * the token (api.ts `download`), named by the server's Content-Disposition.
 */
export function Downloads({
  path,
  query,
  label,
  csv = true,
  gbk = true,
}: {
  path: string;
  query: Record<string, string | undefined>;
  /** What the file is, for the buttons' accessible names (e.g. 上级资金（指标）下达台账). */
  label: string;
  csv?: boolean;
  gbk?: boolean;
}) {
  const [busy, setBusy] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const get = (kind: string, extra: Record<string, string>) => {
    setBusy(kind);
    setError(undefined);
    download(path, { ...query, ...extra }).then(
      () => setBusy(undefined),
      (err: Error) => {
        setBusy(undefined);
        setError(err instanceof ApiError ? `${err.code}：${err.message}` : err.message);
      },
    );
  };
  const button = (kind: string, text: string, extra: Record<string, string>) => (
    <button
      type="button"
      class="download"
      aria-label={`下载${label}（${text}）`}
      disabled={busy !== undefined}
      onClick={() => get(kind, extra)}
    >
      {busy === kind ? '正在下载……' : text}
    </button>
  );
  return (
    <span class="downloads" role="group" aria-label={`下载${label}`}>
      {button('xlsx', 'Excel（xlsx）', { format: 'xlsx' })}
      {csv ? button('csv', 'CSV（UTF-8）', { format: 'csv' }) : null}
      {csv && gbk ? button('gbk', 'CSV（GBK）', { format: 'csv', encoding: 'gb18030' }) : null}
      {error ? (
        <span class="error" role="alert">
          下载失败：{error}
        </span>
      ) : null}
    </span>
  );
}
