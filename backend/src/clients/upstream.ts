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
