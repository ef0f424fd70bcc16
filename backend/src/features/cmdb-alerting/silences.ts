import type { Silence, SilenceInput, SilenceList } from '@ks-gpu-ml/contracts';
import type { AlertmanagerClient, GettableSilence } from '../../clients/alertmanager.js';
import { HttpStatusError } from '../../clients/reduced-error.js';
import { UpstreamError } from '../../clients/upstream.js';
import { AppError } from '../../core/errors.js';

/**
 * Silences through Alertmanager's API v2 (docs/adr/0031): Alertmanager stays the one place silences live, so its
 * own UI, amtool and this API see the same ones, and its gossip carries them to the HA peer.
 */
export interface SilenceService {
  list(): Promise<SilenceList>;
  create(input: SilenceInput, createdBy: string): Promise<{ id: string }>;
  expire(id: string): Promise<{ id: string }>;
}

export const toSilence = (s: GettableSilence): Silence => ({
  id: s.id,
  matchers: s.matchers.map((m) => ({
    name: m.name,
    value: m.value,
    isRegex: m.isRegex,
    ...(m.isEqual === undefined ? {} : { isEqual: m.isEqual }),
  })),
  startsAt: s.startsAt,
  endsAt: s.endsAt,
  createdBy: s.createdBy,
  comment: s.comment,
  state: s.status.state,
});

/** Alertmanager's 400 (a matcher it cannot parse, say) is the caller's to fix; anything else is a 502. */
function upstreamFailure(err: unknown): AppError {
  if (err instanceof HttpStatusError && err.status === 400)
    return new AppError(400, 'Invalid', 'CMDB_ALERTING_ALERTMANAGER_REFUSED', { problem: err.message });
  const problem = err instanceof HttpStatusError ? `HTTP ${err.status}` : 'no answer';
  return new UpstreamError('alertmanager', err, {
    key: 'CMDB_ALERTING_ALERTMANAGER_UNAVAILABLE',
    params: { problem },
  });
}

export async function upstream<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw upstreamFailure(err);
  }
}

export function createSilenceService(
  client: AlertmanagerClient | undefined,
  now: () => number = Date.now,
): SilenceService {
  const alertmanager = () => {
    if (!client) throw new AppError(503, 'ServiceUnavailable', 'CMDB_ALERTING_ALERTMANAGER_UNCONFIGURED');
    return client;
  };
  return {
    async list() {
      const silences = await upstream(() => alertmanager().listSilences());
      return { items: silences.map(toSilence) };
    },
    async create(input, createdBy) {
      const startsAt = now();
      const id = await upstream(() =>
        alertmanager().createSilence({
          matchers: input.matchers,
          startsAt: new Date(startsAt).toISOString(),
          endsAt: new Date(startsAt + input.durationMinutes * 60_000).toISOString(),
          createdBy,
          comment: input.comment,
        }),
      );
      return { id };
    },
    async expire(id) {
      if (!(await upstream(() => alertmanager().expireSilence(id))))
        throw new AppError(404, 'NotFound', 'CMDB_ALERTING_SILENCE_NOT_FOUND', { id });
      return { id };
    },
  };
}
