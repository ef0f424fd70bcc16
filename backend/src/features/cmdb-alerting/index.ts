import { cmdbAlertingRoutes as routeSpecs } from '@ks-gpu-ml/contracts';
import { secretFileReader } from '../../clients/secret-file.js';
import { createAlertIntakeStore } from '../../clients/store/alert-intake.js';
import { createOutboxStore } from '../../clients/store/outbox.js';
import type { FeatureModule } from '../feature.js';
import { setUpEscalation } from './escalation-setup.js';
import { createIntakeMetrics } from './intake-metrics.js';
import { startOutboxDispatch } from './outbox-setup.js';
import { createConfigServices } from './receivers-config.js';
import { cmdbAlertingApiRoutes, cmdbAlertingConfigRoutes, intakeRoutes } from './routes.js';
import { createIntakeService } from './service.js';

/**
 * The cmdb-alerting feature. This slice is the intake: Alertmanager's webhook, committed to the store before the
 * 2xx and deduplicated across an HA pair (docs/adr/0022). Delivery, escalation and the pages plug in behind it.
 */
export const cmdbAlertingFeature: FeatureModule = {
  name: 'cmdb-alerting',
  routes: Object.values(routeSpecs),
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
    const config = createConfigServices(deps.store);
    await app.register(cmdbAlertingConfigRoutes, { receivers: config.receivers, policies: config.policies });
    // Due steps go to the durable outbox, which the dispatcher sends through the channels.
    const outbox = createOutboxStore(deps.store);
    await setUpEscalation(
      app,
      deps,
      { receivers: config.receiverStore, policies: config.policyStore },
      outbox,
    );
    // Channels are built from receivers as they land (WeCom, email, voice, webhook); until then a notification
    // for a receiver without one becomes a dead letter naming it, retryable once its channel exists.
    startOutboxDispatch(app, deps, outbox, () => undefined);
  },
};
