import type { FastifyInstance } from 'fastify';
import {
  cmdbBusinessRoutes as spec,
  type BusinessSystemList,
  type PodMapping,
  type RoutingPolicyInput,
} from '@ks-gpu-ml/contracts';
import { createAlertmanagerClient, type AlertmanagerClient } from '../../clients/alertmanager.js';
import type { CachedCmdb } from '../../clients/cmdb/cached.js';
import { createKubeOwners } from '../../clients/cmdb/kube-owners.js';
import { createKubeWorkloads, listPodNames } from '../../clients/cmdb/kube-workloads.js';
import type { KubeClient } from '../../clients/kube.js';
import { createConfigStore } from '../../clients/store/alert-config.js';
import { createEscalationStore } from '../../clients/store/alert-escalation.js';
import { createOutboxStore } from '../../clients/store/outbox.js';
import { AppError } from '../../core/errors.js';
import { mountRoute } from '../../core/mount.js';
import { runEvery } from '../../core/run-every.js';
import type { FeatureDeps } from '../feature.js';
import {
  defaultBusinessMapping,
  resolveBusiness,
  type BusinessLookupPort,
  type ImpactTranslate,
} from './business-resolve.js';
import { expandSystem } from './business-silence-expand.js';
import {
  createBusinessSilenceService,
  type BusinessSilenceService,
  type LabelSet,
} from './business-silences.js';
import { listBusinessSystems, type OpenAlert } from './business-systems.js';
import { businessPort } from './enrich.js';
import { explainPodMapping } from './mapping-explain.js';
import { sendReport, unownedReport } from './unowned-report.js';

/** Open escalations read for the business systems page (the oldest first; more are rare and not listed). */
const OPEN_ALERTS_READ = 1000;
/** How often business silences are re-expanded to the mapping as it is now (docs/adr/0042). */
export const BUSINESS_SILENCE_RESYNC_MS = 60_000;

export interface BusinessViews {
  explain(namespace: string, pod: string): Promise<PodMapping>;
  systems(openAlerts: () => Promise<OpenAlert[]>): Promise<BusinessSystemList>;
  /** A system's alerts as label sets for Alertmanager's silences. */
  expand(system: string): Promise<LabelSet[]>;
}

/**
 * The business views over the cluster's own facts, read through their own owner-chain cache (the escalation keeps
 * its own, so a page being browsed never evicts what an alert storm needs), with the same mapping configuration
 * and the CMDB the connection settings name now (they can change while the backend runs: asked per call).
 */
export function createBusinessViews(deps: {
  kube: KubeClient;
  translate: ImpactTranslate;
  cmdb?: () => CachedCmdb | undefined;
}): BusinessViews {
  const owners = createKubeOwners(deps.kube);
  const workloads = createKubeWorkloads(deps.kube);
  const port = (): BusinessLookupPort => businessPort({ owners, ...(deps.cmdb ? { cmdb: deps.cmdb } : {}) });
  const config = defaultBusinessMapping;
  const systems = (openAlerts: () => Promise<OpenAlert[]>) =>
    listBusinessSystems({
      port: port(),
      config,
      translate: deps.translate,
      workloads: () => workloads.list(),
      openAlerts,
    });
  return {
    explain: (namespace, pod) =>
      explainPodMapping({ port: port(), config, translate: deps.translate }, namespace, pod),
    systems,
    expand: (system) =>
      expandSystem(
        {
          systems: () => systems(async () => []),
          pods: (namespace) => listPodNames(deps.kube, namespace),
          systemOf: async (labels) =>
            (await resolveBusiness(labels, port(), config, deps.translate)).system.value,
        },
        system,
      ),
  };
}

/** Business silences over Alertmanager's API v2, expanded by the views; a 503 when no Alertmanager is configured. */
export function createBusinessSilences(
  views: BusinessViews,
  client: AlertmanagerClient | undefined,
): BusinessSilenceService {
  return createBusinessSilenceService({
    alertmanager: () => {
      if (!client) throw new AppError(503, 'ServiceUnavailable', 'CMDB_ALERTING_ALERTMANAGER_UNCONFIGURED');
      return client;
    },
    expand: (system) => views.expand(system),
  });
}

/**
 * The business views' routes (docs/adr/0042): the mapping page's explanation of any pod, the business systems page
 * and silences by business system, re-expanded every BUSINESS_SILENCE_RESYNC_MS; the unowned bucket's report, sent
 * every ALERT_UNOWNED_REPORT_EVERY_MS (daily) to the platform default's receivers.
 */
export async function setUpBusinessViews(
  app: FastifyInstance,
  deps: FeatureDeps,
  cmdb?: () => CachedCmdb | undefined,
): Promise<void> {
  const views = createBusinessViews({
    kube: deps.kube,
    translate: deps.translate,
    ...(cmdb ? { cmdb } : {}),
  });
  const escalations = createEscalationStore<unknown>(deps.store);
  const settings = deps.settings.cmdbAlertingEscalation;
  const client = settings.alertmanagerUrl
    ? createAlertmanagerClient({
        baseUrl: settings.alertmanagerUrl,
        timeoutMs: settings.alertmanagerTimeoutMs,
      })
    : undefined;
  const silences = createBusinessSilences(views, client);
  mountRoute(app, spec.explainPodMapping, async (ctx) => views.explain(ctx.query.namespace, ctx.params.name));
  const openAlerts = async () =>
    (await escalations.escalating(OPEN_ALERTS_READ)).map((row) => ({
      alertKey: row.alertKey,
      state: row.state,
      labels: row.alert.labels,
      startsAt: row.alert.startsAt,
      ...(row.alert.business ? { business: row.alert.business } : {}),
    }));
  mountRoute(app, spec.listBusinessSystems, async () => views.systems(openAlerts));
  const report = async () => unownedReport(await views.systems(openAlerts), Date.now());
  mountRoute(app, spec.getUnownedReport, async () => report());
  // The report goes to the platform default routing policy's receivers, through the outbox (docs/adr/0042).
  const routing = createConfigStore<RoutingPolicyInput>(deps.store, 'alert_route');
  const outbox = createOutboxStore(deps.store);
  const periodMs = settings.unownedReportEveryMs;
  every(app, periodMs, 'unowned report', async () => {
    const result = await sendReport({
      report,
      defaultReceivers: async () =>
        (await routing.list('')).find((r) => r.spec.default)?.spec.receivers ?? [],
      enqueue: (entries, now) => outbox.enqueue(entries, now),
      translate: deps.translate,
      periodMs,
    });
    app.log.info(result, 'cmdb-alerting: unowned report');
  });
  mountRoute(app, spec.listBusinessSilences, async () => silences.list());
  mountRoute(app, spec.createBusinessSilence, async (ctx) => silences.create(ctx.body, ctx.user.name));
  mountRoute(app, spec.expireBusinessSilence, async (ctx) => silences.expire(ctx.params.name));
  if (client)
    every(app, BUSINESS_SILENCE_RESYNC_MS, 'business silences re-expansion', async () => {
      const { added, expired } = await silences.resync();
      if (added || expired)
        app.log.info({ added, expired }, 'cmdb-alerting: business silences re-expanded to the mapping');
    });
}

/** Runs `job` every `everyMs` (the first after one period), one run at a time, until the server closes. */
function every(app: FastifyInstance, everyMs: number, what: string, job: () => Promise<void>): void {
  runEvery(app, everyMs, job, (err) =>
    app.log.warn({ err }, `cmdb-alerting: ${what} failed; retrying at the next run`),
  );
}
