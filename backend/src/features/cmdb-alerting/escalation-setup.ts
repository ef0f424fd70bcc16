import type { FastifyInstance } from 'fastify';
import type { EscalationPolicyInput, ReceiverInput } from '@ks-gpu-ml/contracts';
import { createAlertmanagerClient } from '../../clients/alertmanager.js';
import type { CachedCmdb } from '../../clients/cmdb/cached.js';
import { createKubeOwners } from '../../clients/cmdb/kube-owners.js';
import { secretFileReader } from '../../clients/secret-file.js';
import type { ConfigStore } from '../../clients/store/alert-config.js';
import { createEscalationStore } from '../../clients/store/alert-escalation.js';
import type { ReplyCodeStore } from '../../clients/store/alert-reply.js';
import type { OutboxStore } from '../../clients/store/outbox.js';
import { runEvery } from '../../core/run-every.js';
import type { FeatureDeps } from '../feature.js';
import { MIN_ACK_KEY_BYTES, ackUrl } from './ack-link.js';
import { defaultBusinessMapping } from './business-resolve.js';
import { createDeliveryAudit } from './delivery-audit.js';
import { createEnricher } from './enrich.js';
import { createEscalationEngine, type EscalationOutbox } from './escalation.js';
import { createEscalationService } from './escalation-service.js';
import { ackLinkRoutes, cmdbAlertingDeliveryRoutes, cmdbAlertingEscalationRoutes } from './routes.js';
import type { RouteAlert } from './routing-setup.js';
import { replyCode } from './reply-code.js';
import { createSilenceService } from './silences.js';
import { grantingReplyCodes } from './wecom-reply-setup.js';

/**
 * Builds the escalation engine, its routes, the ack link and the silences from the feature's settings, and runs the
 * engine's tick until the server closes (docs/adr/0031). WeCom app messages carry a reply code when the ack key is
 * set and their receiver has callback secrets; whom each was sent to is recorded in `replyCodes` (docs/adr/0047).
 * Returns the engine's acknowledgement, for the WeCom reply callback.
 */
export async function setUpEscalation(
  app: FastifyInstance,
  deps: FeatureDeps,
  config: { receivers: ConfigStore<ReceiverInput>; policies: ConfigStore<EscalationPolicyInput> },
  outbox: (EscalationOutbox & Pick<OutboxStore, 'trail' | 'deadLetters' | 'retryDead'>) | undefined,
  business: { cmdb?: () => CachedCmdb | undefined; route?: RouteAlert } = {},
  replyCodes?: ReplyCodeStore,
): Promise<ReturnType<typeof createEscalationEngine>['acknowledge']> {
  const settings = deps.settings.cmdbAlertingEscalation;
  const readKey = settings.ackKeyFile ? secretFileReader(settings.ackKeyFile) : () => undefined;
  const ackKey = () => {
    const key = readKey();
    return key && Buffer.byteLength(key) >= MIN_ACK_KEY_BYTES ? Buffer.from(key) : undefined;
  };
  if (!ackKey())
    app.log.warn('cmdb-alerting: no ack-link key of ≥ 32 bytes (ALERT_ACK_KEY_FILE); messages carry no link');
  const owners = createKubeOwners(deps.kube);
  // The first read pays for the connection and the API discovery (~0.3 s): paid at start, not by the first alert.
  app.addHook('onReady', async () => {
    void owners
      .ownerChain({ kind: 'Pod', namespace: 'default', name: 'cmdb-alerting-warm-up' })
      .catch(() => []);
    void owners.namespace('default').catch(() => undefined);
  });
  const engine = createEscalationEngine({
    store: createEscalationStore<EscalationPolicyInput>(deps.store),
    receivers: config.receivers,
    policies: config.policies,
    workspaceOf: async (namespace) => (await deps.membership.workspaceOf()).get(namespace),
    // Until the outbox is wired, nothing is enqueued and the engine does not tick (see the loop below).
    outbox:
      outbox && replyCodes
        ? grantingReplyCodes(outbox, replyCodes, settings.ackTtlSeconds * 1000)
        : (outbox ?? { enqueue: async () => 0, cancelPending: async () => 0 }),
    // Business mapping from the cluster's own facts (owner chain, namespace, workspace) and the CMDB its connection
    // settings name (docs/adr/0039, 0043); then routing by business, when routing policies take the alert.
    enrich: createEnricher({
      owners,
      ...(business.cmdb ? { cmdb: business.cmdb } : {}),
      config: defaultBusinessMapping,
      translate: deps.translate,
    }),
    ...(business.route ? { route: business.route } : {}),
    ackUrl: (alertKey, person) => {
      const key = ackKey();
      if (!key || !settings.ackBaseUrl) return undefined;
      const expiresAt = Math.floor(Date.now() / 1000) + settings.ackTtlSeconds;
      return ackUrl(settings.ackBaseUrl, key, { alertKey, person, expiresAt });
    },
    ...(replyCodes
      ? {
          replyCode: (alertKey: string) => {
            const key = ackKey();
            return key ? replyCode(key, alertKey) : undefined;
          },
        }
      : {}),
    translate: (language, key) => deps.translate(language, key),
    secondMs: settings.secondMs,
    now: Date.now,
  });
  const escalation = createEscalationService({ engine, translate: deps.translate, ackKey });
  const alertmanager = settings.alertmanagerUrl
    ? createAlertmanagerClient({
        baseUrl: settings.alertmanagerUrl,
        timeoutMs: settings.alertmanagerTimeoutMs,
      })
    : undefined;
  await app.register(cmdbAlertingEscalationRoutes, {
    escalation,
    silences: createSilenceService(alertmanager),
  });
  await app.register(ackLinkRoutes, { ackPage: escalation.ackPage });
  // The delivery trail and dead letters read the outbox; a workspace's trail needs the escalation's owner.
  const audit = createDeliveryAudit({
    outbox: outbox ?? { trail: async () => [], deadLetters: async () => [], retryDead: async () => false },
    escalationOwner: async (alertKey) => (await engine.view(alertKey))?.workspace,
    onStoreError: (err) => app.log.error({ err }, 'cmdb-alerting: store unreadable, answered 503'),
    translate: deps.translate,
  });
  await app.register(cmdbAlertingDeliveryRoutes, { audit });
  if (outbox)
    runEvery(app, settings.tickMs, engine.tick, (err) =>
      app.log.error({ err }, 'cmdb-alerting: escalation tick failed; retrying at the next'),
    );
  return engine.acknowledge;
}
