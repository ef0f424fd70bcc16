import type { FastifyInstance } from 'fastify';
import { cmdbBusinessRoutes as spec } from '@ks-gpu-ml/contracts';
import type { CachedCmdb } from '../../clients/cmdb/cached.js';
import { createKubeOwners } from '../../clients/cmdb/kube-owners.js';
import { createKubeWorkloads } from '../../clients/cmdb/kube-workloads.js';
import { createEscalationStore } from '../../clients/store/alert-escalation.js';
import { mountRoute } from '../../platform/mount.js';
import type { FeatureDeps } from '../feature.js';
import { defaultBusinessMapping, type BusinessLookupPort } from './business-resolve.js';
import { listBusinessSystems } from './business-systems.js';
import { businessPort } from './enrich.js';
import { explainPodMapping, type MappingExplainDeps } from './mapping-explain.js';

/** Open escalations read for the business systems page (the oldest first; more are rare and not listed). */
const OPEN_ALERTS_READ = 1000;

/**
 * The business views' routes (docs/adr/0042): the mapping page's explanation of any pod and the business systems
 * page. They read the cluster's own facts through their own owner-chain cache (the escalation keeps its own, so a
 * page being browsed never evicts what an alert storm needs) with the same mapping configuration and CMDB
 * as the escalation's enrichment.
 */
export async function setUpBusinessViews(
  app: FastifyInstance,
  deps: FeatureDeps,
  cmdb?: () => CachedCmdb | undefined,
): Promise<void> {
  const owners = createKubeOwners(deps.kube);
  const workloads = createKubeWorkloads(deps.kube);
  const escalations = createEscalationStore<unknown>(deps.store);
  // The CMDB the connection settings name now (they can change while the backend runs): asked per request.
  const port = (): BusinessLookupPort => businessPort({ owners, ...(cmdb ? { cmdb } : {}) });
  const views = (): MappingExplainDeps => ({
    port: port(),
    config: defaultBusinessMapping,
    translate: deps.translate,
  });
  mountRoute(app, spec.explainPodMapping, async (ctx) =>
    explainPodMapping(views(), ctx.query.namespace, ctx.params.name),
  );
  mountRoute(app, spec.listBusinessSystems, async () =>
    listBusinessSystems({
      ...views(),
      workloads: () => workloads.list(),
      openAlerts: async () =>
        (await escalations.escalating(OPEN_ALERTS_READ)).map((row) => ({
          alertKey: row.alertKey,
          state: row.state,
          labels: row.alert.labels,
          startsAt: row.alert.startsAt,
          ...(row.alert.business ? { business: row.alert.business } : {}),
        })),
    }),
  );
}
