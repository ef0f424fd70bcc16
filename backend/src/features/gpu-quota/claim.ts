// Quota writes across backend replicas (docs/adr/0013). The in-process lock serialises writers of one process;
// between processes, every write claims the cluster's write generation, a ConfigMap in our namespace, by
// bumping it with the resourceVersion it read before its checks. Of two writers that read the same generation,
// only the first bump succeeds; the other undoes what it wrote (its record) and runs its checks again, now
// seeing the winner's record. A writer claims only after its record holds the larger rows, so whoever reads
// the generation after a claim also reads that record.
import { AppError } from '../../core/errors.js';
import type { GpuQuotaKube } from './kube-io.js';

/** Another writer claimed the generation first: undo and check again. */
export class ClaimLost extends Error {
  constructor() {
    super('another quota write claimed the write generation first');
  }
}

/** Runs `attempt` until its claim holds (at most `attempts` times); `claim` throws ClaimLost when beaten. */
export async function withClaim<T>(
  kube: GpuQuotaKube,
  attempt: (claim: () => Promise<void>) => Promise<T>,
  attempts = 5,
): Promise<T> {
  for (let tried = 1; ; tried++) {
    const seen = await kube.readWriteGeneration();
    const claim = async () => {
      if (!(await kube.bumpWriteGeneration(seen))) throw new ClaimLost();
    };
    try {
      return await attempt(claim);
    } catch (err) {
      if (!(err instanceof ClaimLost)) throw err;
      if (tried >= attempts)
        throw new AppError(409, 'Conflict', 'GPU_QUOTA_WRITE_CONTENDED', { attempts }, { attempts });
    }
  }
}
