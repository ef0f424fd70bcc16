import { CmdbFailure, type CmdbAdapter, type CmdbRecord } from './adapter.js';

/**
 * One lookup against a CMDB under a hard deadline, for "test connection": what it answered (the record, or the
 * failure's key and reason) and, through the adapter's answer hook, the status and first bytes of its last answer.
 * Never throws.
 */
export interface ProbeResult {
  ok: boolean;
  latencyMs: number;
  record?: CmdbRecord;
  error?: { key: string; detail: string };
}

export async function probeCmdb(
  adapter: CmdbAdapter,
  query: { namespace: string } | { system: string },
  deadlineMs: number,
  now: () => number = () => performance.now(),
): Promise<ProbeResult> {
  const controller = new AbortController();
  const started = now();
  let timer: NodeJS.Timeout | undefined;
  // The adapters honour the signal; the race makes the deadline hold even for one that would not.
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new CmdbFailure('CMDB_UNREACHABLE', `no answer within ${deadlineMs} ms`));
    }, deadlineMs);
  });
  try {
    const lookup =
      'system' in query
        ? adapter.business(query.system, controller.signal)
        : adapter.forNamespace({ namespace: query.namespace }, controller.signal);
    const record = await Promise.race([lookup, deadline]);
    return { ok: true, latencyMs: Math.round(now() - started), ...(record ? { record } : {}) };
  } catch (err) {
    const failure =
      err instanceof CmdbFailure
        ? err
        : new CmdbFailure('CMDB_MALFORMED', String((err as Error)?.message ?? err).slice(0, 200));
    return {
      ok: false,
      latencyMs: Math.round(now() - started),
      error: { key: failure.key, detail: failure.detail },
    };
  } finally {
    clearTimeout(timer);
  }
}
