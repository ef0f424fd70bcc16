import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { Channel } from '../../clients/channels/channel.js';
import type { OutboxStore } from '../../clients/store/outbox.js';
import type { FeatureDeps } from '../feature.js';
import { startCallResultPoller } from './call-results.js';
import { createDispatchMetrics } from './dispatch-metrics.js';
import { defaultDispatchSettings, startDispatcher, type DispatchSettings } from './dispatch.js';

/**
 * Runs the outbox dispatcher for this replica until the server closes (docs/adr/0034). Every replica runs one: row
 * claims with leases keep them from sending the same row. `channelFor` maps a receiver reference to its channel;
 * a receiver it does not know becomes a dead letter that names it (visible and retryable), never a silent drop.
 */
export function startOutboxDispatch(
  app: FastifyInstance,
  deps: Pick<FeatureDeps, 'metrics' | 'settings'>,
  outbox: OutboxStore,
  channelFor: (receiver: string) => Channel | undefined | Promise<Channel | undefined>,
  // The retry limit and backoff are the operator's (ALERT_OUTBOX_*); the rest are the dispatcher's defaults.
  settings: DispatchSettings = { ...defaultDispatchSettings, ...deps.settings.cmdbAlertingOutbox },
): void {
  const dispatcher = startDispatcher({
    outbox,
    channelFor,
    metrics: createDispatchMetrics(deps.metrics.registry, () => outbox.depth()),
    // The pod's name plus a random part: a restarted pod must not inherit the claims of the one that died.
    owner: `${hostname()}-${randomUUID().slice(0, 8)}`,
    settings,
    onError: (what, message) => app.log.warn({ what, error: message }, 'cmdb-alerting outbox'),
  });
  app.addHook('onClose', async () => dispatcher.stop());
  // Placed phone calls' results (answered, not answered, failed) read back into the delivery trail.
  const calls = startCallResultPoller({
    outbox,
    channelFor,
    onError: (what, err) =>
      app.log.warn(
        { what, error: (err instanceof Error ? err.message : String(err)).slice(0, 500) },
        'cmdb-alerting call results',
      ),
  });
  app.addHook('onClose', async () => calls.stop());
}
