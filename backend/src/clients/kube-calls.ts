// How a kube-apiserver call fails, in one place for the clients: any failure is an UpstreamError (the cause is
// reduced when logged, never answered), and a 404 where "absent" is an answer becomes undefined.
import { UpstreamError } from './upstream.js';

/** The HTTP status of a client-node ApiException, if the apiserver answered. */
export const statusOf = (err: unknown): number | undefined => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
};

export async function kubeCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new UpstreamError('kube-apiserver', err);
  }
}

export async function orUndefinedOn404<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw new UpstreamError('kube-apiserver', err);
  }
}
