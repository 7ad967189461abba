import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';
import { LiveChange, useLive } from './live';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | Error | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads a page's data and loads it again when `deps` change. Where `liveWhen` is given, a change
 * on the live feed that it accepts loads it again too, which is how a page stays current within a
 * second of a write: at once for the first change (the ledger's reads wait for its read models to
 * reach what was written), then at most once per LIVE_RELOAD_GAP_MS, so a burst of writes is one
 * more read after the first.
 */
const LIVE_RELOAD_GAP_MS = 300;

export function useLoad<T>(
  load: () => Promise<T>,
  deps: unknown[],
  liveWhen?: (change: LiveChange) => boolean,
): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | Error | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const lastRun = useRef(0);

  const run = useCallback(() => {
    const mine = ++generation.current;
    lastRun.current = Date.now();
    setLoading(true);
    load().then(
      (value) => {
        if (mine !== generation.current) return;
        setData(value);
        setError(undefined);
        setLoading(false);
      },
      (err: Error) => {
        if (mine !== generation.current) return;
        setError(err);
        setLoading(false);
      },
    );
  }, deps);

  useEffect(() => {
    // Other deps (another date, another project): what was read for the old ones is not shown
    // under the new ones while they load. A live change reloads the same deps and keeps it.
    setData(undefined);
    setError(undefined);
    run();
    return () => clearTimeout(pending.current);
  }, [run]);

  useLive((change) => {
    if (!liveWhen || !liveWhen(change)) return;
    if (pending.current !== undefined) return;
    pending.current = setTimeout(
      () => {
        pending.current = undefined;
        run();
      },
      Math.max(0, lastRun.current + LIVE_RELOAD_GAP_MS - Date.now()),
    );
  });

  return { data, error, loading, reload: run };
}
