import {
  cmdbAlertingRoutes as routeSpecs,
  cmdbBusinessRoutes,
  cmdbRoutingRoutes,
  type EscalationPolicyInput,
} from '@ks-gpu-ml/contracts';
import { createSecretReader } from '../../clients/kube-secrets.js';
import { secretFileReader } from '../../clients/secret-file.js';
import { createEscalationStore } from '../../clients/store/alert-escalation.js';
import { createAlertIntakeStore } from '../../clients/store/alert-intake.js';
import { createOutboxStore } from '../../clients/store/outbox.js';
import { createReplyCodeStore } from '../../clients/store/alert-reply.js';
import type { FeatureModule } from '../feature.js';
import { setUpBusinessViews } from './business-setup.js';
import { channelProviders } from './channel-providers.js';
import { setUpEscalation } from './escalation-setup.js';
import { setUpCmdbRouting } from './routing-setup.js';
import { createIntakeMetrics } from './intake-metrics.js';
import { startOutboxDispatch } from './outbox-setup.js';
import { createReceiverChannels, secretScopeChecker } from './receiver-channels.js';
import { createConfigServices } from './receivers-config.js';
import { createReceiverTester } from './receiver-test.js';
import { setUpWecomReplies } from './wecom-reply-setup.js';
import { createWorkspaceAlerts } from './workspace-alerts.js';
import {
  cmdbAlertingApiRoutes,
  cmdbAlertingConfigRoutes,
  cmdbAlertingReceiverTestRoutes,
  cmdbAlertingWorkspaceAlertRoutes,
  intakeRoutes,
} from './routes.js';
import { createIntakeService } from './service.js';

/**
 * The cmdb-alerting feature: Alertmanager's webhook, committed to the store before the 2xx and deduplicated across
 * an HA pair (docs/adr/0022); escalation (0031) into the durable outbox (0034), whose dispatcher sends through each
 * receiver's channel, built from the receiver and its Secrets (0037).
 */
export const cmdbAlertingFeature: FeatureModule = {
  name: 'cmdb-alerting',
  routes: [
    ...Object.values(routeSpecs),
    ...Object.values(cmdbBusinessRoutes),
    ...Object.values(cmdbRoutingRoutes),
  ],
  async plugin(app, deps) {
    const settings = deps.settings.cmdbAlertingIntake;
    const expectedToken = settings.tokenFile ? secretFileReader(settings.tokenFile) : () => undefined;
    if (!settings.tokenFile) {
      app.log.warn('cmdb-alerting: ALERT_INTAKE_TOKEN_FILE is not set; the intake refuses every batch');
    }
    const metrics = createIntakeMetrics(deps.metrics.registry);
    const service = createIntakeService({
      store: createAlertIntakeStore(deps.store),
      metrics,
      onStoreError: (err) => app.log.error({ err }, 'cmdb-alerting: store unavailable, answered 503'),
    });
    const { maxBytes, maxAlerts } = settings;
    await app.register(intakeRoutes, { service, metrics, expectedToken, maxBytes, maxAlerts });
    await app.register(cmdbAlertingApiRoutes, { service });
    // A workspace's receiver naming a Secret outside its scope is refused when it is saved (docs/adr/0044).
    const secrets = createSecretReader(deps.kube);
    const config = createConfigServices(
      deps.store,
      Date.now,
      secretScopeChecker({ secrets, workspaceOf: () => deps.membership.workspaceOf() }),
    );
    await app.register(cmdbAlertingConfigRoutes, { receivers: config.receivers, policies: config.policies });
    // Due steps go to the durable outbox, which the dispatcher sends through the channels.
    const outbox = createOutboxStore(deps.store);
    // The CMDB connection settings and routing by business (docs/adr/0043) feed the escalation's start.
    const stores = { receivers: config.receiverStore, policies: config.policyStore };
    const business = await setUpCmdbRouting(app, deps, stores);
    const replyCodes = createReplyCodeStore(deps.store);
    const acknowledge = await setUpEscalation(app, deps, stores, outbox, business, replyCodes);
    const log = { warn: (fields: object, message: string) => app.log.warn(fields, message) };
    const providers = channelProviders(deps.settings.cmdbAlertingChannels, log);
    // Acknowledging by replying "ACK <code>" to a WeCom app message, through each app's callback (docs/adr/0047);
    // a reply that acknowledges nothing is answered through the same app.
    await setUpWecomReplies(app, deps, {
      receivers: config.receiverStore,
      secrets,
      codes: replyCodes,
      acknowledge,
      providers,
    });
    // Each receiver's channel is built from its row and the Secrets it references (docs/adr/0037); a receiver
    // deleted since its notification was queued has none, and the notification becomes a dead letter naming it.
    const channels = createReceiverChannels({
      receivers: config.receiverStore,
      secrets,
      workspaceOf: () => deps.membership.workspaceOf(),
      providers,
    });
    startOutboxDispatch(app, deps, outbox, channels.channelFor);
    // "Send test" goes through the same channels, so it shows the provider's answer to the real configuration.
    const tester = createReceiverTester({
      receivers: config.receiverStore,
      channelFor: channels.channelFor,
      translate: deps.translate,
      onError: (err) => app.log.warn({ err }, 'cmdb-alerting: receiver test failed'),
    });
    await app.register(cmdbAlertingReceiverTestRoutes, { tester });
    // A workspace's members list the alerts its policies escalate (docs/adr/0044).
    const alerts = createWorkspaceAlerts({
      store: createEscalationStore<EscalationPolicyInput>(deps.store),
      onStoreError: (err) => app.log.error({ err }, 'cmdb-alerting: store unreadable, answered 503'),
    });
    await app.register(cmdbAlertingWorkspaceAlertRoutes, { alerts });
    await setUpBusinessViews(app, deps, business.cmdb);
  },
};
