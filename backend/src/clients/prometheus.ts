import axios, { isAxiosError, type AxiosInstance } from 'axios';
import { keepAliveAgents } from './keep-alive.js';
import { UpstreamError } from './upstream.js';
import { HttpStatusError } from './reduced-error.js';
import { TtlCache } from '../shared/ttl-cache.js';
import { noObserve, timed, type ObserveUpstream } from './upstream.js';

/**
 * Prometheus' HTTP API (`/api/v1/query`, `/api/v1/query_range`). Dashboards ask the same questions many times
 * at once (every panel, every user looking at the same project), so identical concurrent queries share one
 * upstream call and answers are reused for a few seconds.
 */
export interface PromSample {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}
export interface PromData {
  resultType: 'vector' | 'matrix' | 'scalar' | 'string';
  result: PromSample[] | [number, string];
}

export interface RangeParams {
  /** Unix seconds or RFC 3339. */
  start: number | string;
  end: number | string;
  /** Seconds, or a Prometheus duration such as `30s`. */
  step: number | string;
}

export interface PrometheusClient {
  /** Where this client sends its queries, for messages that must tell the admin which Prometheus failed. */
  readonly baseUrl: string;
  query(promql: string, time?: number | string): Promise<PromData>;
  queryRange(promql: string, range: RangeParams): Promise<PromData>;
}

export interface PrometheusClientOptions {
  baseUrl: string;
  timeoutMs: number;
  cacheTtlMs: number;
  maxEntries?: number;
  /** Bound of the answer cache in (estimated heap) bytes; default 64 MiB. */
  cacheMaxBytes?: number;
  /** Larger answers (long range queries) are shared with concurrent callers but not kept; default 2 MiB. */
  cacheMaxEntryBytes?: number;
  observe?: ObserveUpstream;
  http?: AxiosInstance;
}

interface PromResponse {
  status: 'success' | 'error';
  data?: PromData;
  errorType?: string;
  error?: string;
}

export function createPrometheusClient(options: PrometheusClientOptions): PrometheusClient {
  const http =
    options.http ??
    axios.create({
      baseURL: options.baseUrl,
      timeout: options.timeoutMs,
      ...keepAliveAgents(),
    });
  const observe = options.observe ?? noObserve;
  // Bounded by bytes, not only count: one range answer over many series weighs megabytes, and a viewer choosing
  // a new maxPoints each time makes every answer new (ADR 0016).
  const cache = new TtlCache<PromData>({
    ttlMs: options.cacheTtlMs,
    maxEntries: options.maxEntries ?? 1000,
    maxBytes: options.cacheMaxBytes ?? 64 * 1024 * 1024,
    maxEntryBytes: options.cacheMaxEntryBytes ?? 2 * 1024 * 1024,
  });
  const inFlight = new Map<string, Promise<PromData>>();

  async function fetchData(path: string, params: Record<string, string>): Promise<PromData> {
    // POST with a form body: long PromQL does not fit in a URL, and Prometheus accepts both.
    const response = await timed(observe, 'prometheus', () =>
      http.post<PromResponse>(path, new URLSearchParams(params), { validateStatus: () => true }),
    ).catch((err: unknown) => {
      throw new UpstreamError('Prometheus', err);
    });
    const body = response.data;
    if (response.status !== 200 || body?.status !== 'success' || !body.data) {
      const reason = `${body?.errorType ?? ''} ${body?.error ?? ''}`.trim();
      const url = options.baseUrl.replace(/\/$/, '') + path;
      throw new UpstreamError('Prometheus', new HttpStatusError('POST', url, response.status, reason));
    }
    return body.data;
  }

  function cached(path: string, params: Record<string, string>): Promise<PromData> {
    const key = `${path}?${new URLSearchParams(Object.entries(params).sort()).toString()}`;
    const hit = cache.get(key);
    if (hit) return Promise.resolve(hit);
    let pending = inFlight.get(key);
    if (!pending) {
      pending = fetchData(path, params).then((data) => {
        cache.set(key, data);
        return data;
      });
      pending.finally(() => inFlight.delete(key)).catch(() => undefined);
      inFlight.set(key, pending);
    }
    return pending;
  }

  return {
    baseUrl: options.baseUrl,
    query(promql, time) {
      return cached('/api/v1/query', {
        query: promql,
        ...(time !== undefined ? { time: String(time) } : {}),
      });
    },
    queryRange(promql, range) {
      return cached('/api/v1/query_range', {
        query: promql,
        start: String(range.start),
        end: String(range.end),
        step: String(range.step),
      });
    },
  };
}

/**
 * Whether Prometheus answered at all when a call failed: the client resolves every HTTP answer and rejects only
 * when none came (refused, DNS, timeout). A caller says "unreachable" or "answered with an error" from this.
 */
export function prometheusAnswered(err: unknown): boolean {
  const cause = err instanceof UpstreamError ? err.cause : err;
  return !isAxiosError(cause) || cause.response !== undefined;
}
