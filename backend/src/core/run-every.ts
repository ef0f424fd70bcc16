import type { FastifyInstance } from 'fastify';

/**
 * Runs `job` every `everyMs` while the server is open: the first run one period after it is ready, one run at a
 * time (a slow run delays the next, never overlaps it), none after it closes. A failed run goes to `onFailure`
 * and the next run comes all the same, so a periodic job outlives a passing upstream failure.
 */
export function runEvery(
  app: FastifyInstance,
  everyMs: number,
  job: () => Promise<void>,
  onFailure: (err: unknown) => void,
): void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const loop = async () => {
    try {
      await job();
    } catch (err) {
      onFailure(err);
    }
    if (!stopped) timer = setTimeout(() => void loop(), everyMs);
  };
  app.addHook('onReady', async () => {
    timer = setTimeout(() => void loop(), everyMs);
  });
  app.addHook('onClose', async () => {
    stopped = true;
    clearTimeout(timer);
  });
}
