import { AppError, type Message } from '../shared/errors.js';

/**
 * How clients report their calls to the metrics layer without importing it: app.ts passes `observe`, clients wrap
 * each call with `timed`. Outcome is `ok`, `error` (the upstream answered with a failure) or `timeout`.
 */
export type UpstreamOutcome = 'ok' | 'error' | 'timeout';
export type ObserveUpstream = (client: string, outcome: UpstreamOutcome, seconds: number) => void;

export const noObserve: ObserveUpstream = () => undefined;

export function isTimeout(err: unknown): boolean {
  const e = err as { name?: string; code?: string; cause?: { name?: string } } | undefined;
  return (
    e?.name === 'TimeoutError' ||
    e?.name === 'AbortError' ||
    e?.code === 'ECONNABORTED' ||
    e?.code === 'ETIMEDOUT' ||
    e?.cause?.name === 'TimeoutError'
  );
}

export async function timed<T>(observe: ObserveUpstream, client: string, call: () => Promise<T>): Promise<T> {
  const start = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - start) / 1e9;
  try {
    const result = await call();
    observe(client, 'ok', seconds());
    return result;
  } catch (err) {
    observe(client, isTimeout(err) ? 'timeout' : 'error', seconds());
    throw err;
  }
}

/**
 * An upstream (kube-apiserver, Prometheus, ks-apiserver, …) failed; the cause is logged (reduced), never returned.
 * A feature that knows more passes its own message; what only operators may read (an internal URL, what to check)
 * goes in `forAdmins`, answered to platform admins only (docs/adr/0012). Every 5xx answer carries the request id.
 * It lives with the clients, which raise it, so they need nothing from the platform (docs/adr/0023).
 */
export class UpstreamError extends AppError {
  constructor(
    readonly upstream: string,
    override readonly cause: unknown,
    message: Message = { key: 'BACKEND_UPSTREAM', params: {} },
    readonly forAdmins?: Message,
  ) {
    super(
      502,
      'UpstreamError',
      message.key,
      { upstream, ...message.params },
      { upstream, ...message.params },
    );
  }
}
