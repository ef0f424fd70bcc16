// Loading JSON from the console's API proxy, with loading / error / data states for a page. Uses the console's
// own request client (cluster URL rewriting, auth by the BFF) but turns off its global error toast: pages show
// the server's message themselves.
import { useCallback, useEffect, useRef, useState } from 'react';
import { request } from '@ks-console/shared';
import { toApiError, type ApiError } from './api-error.js';

export const QUIET_HEADERS = { 'x-ignore-error-notify': 'true' } as const;

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  try {
    // The console's axios instance resolves with the response body (its response interceptor unwraps it).
    return (await request.get(path, {
      headers: QUIET_HEADERS,
      ...(signal ? { signal } : {}),
    })) as unknown as T;
  } catch (error) {
    throw toApiError(error);
  }
}

export interface ApiState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  /** Loads again, keeping the current data on screen meanwhile. */
  reload: () => void;
}

/** GETs `path` (nothing while it is null) and again whenever it changes or `reload` is called. */
export function useApi<T>(path: string | null): ApiState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(path !== null);
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    if (path === null) return;
    const call = ++latest.current;
    const controller = new AbortController();
    setLoading(true);
    getJson<T>(path, controller.signal).then(
      (body) => {
        if (call !== latest.current) return;
        setData(body);
        setError(undefined);
        setLoading(false);
      },
      (e: ApiError) => {
        if (call !== latest.current) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [path, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, loading, reload };
}
