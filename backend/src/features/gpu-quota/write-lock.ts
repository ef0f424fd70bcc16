// Every quota write, project or workspace, runs alone (docs/adr/0013): the cluster's Σbase spans every project,
// so two writers anywhere could otherwise both pass the check. In this process the writes queue one behind the
// other; between processes each write claims the cluster's write generation (claim.ts) and is run again when
// another writer claimed it first.
import { withClaim } from './claim.js';
import type { GpuQuotaKube } from './kube-io.js';

/** Runs the functions it is given one at a time, in order; a failure does not stop the ones behind it. */
export function serialQueue() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** A quota write: its checks and writes, with `claim` to call once it is ready to win (claim.ts). */
export type QuotaWriteAttempt<T> = (claim: () => Promise<void>) => Promise<T>;

export type QuotaWriteLock = <T>(attempt: QuotaWriteAttempt<T>) => Promise<T>;

/** The one lock every quota write of this process takes, with the claim that spans processes. */
export function quotaWriteLock(kube: GpuQuotaKube): QuotaWriteLock {
  const queue = serialQueue();
  return (attempt) => queue(() => withClaim(kube, attempt));
}
