import type { FastifyInstance } from 'fastify';
import { cmdbBusinessRoutes as spec } from '@ks-gpu-ml/contracts';
import { createKubeOwners } from '../../clients/cmdb/kube-owners.js';
import { mountRoute } from '../../platform/mount.js';
import type { FeatureDeps } from '../feature.js';
import { defaultBusinessMapping } from './business-resolve.js';
import { businessPort } from './enrich.js';
import { explainPodMapping, type MappingExplainDeps } from './mapping-explain.js';

/**
 * The business views' routes (docs/adr/0042): the mapping page's explanation of any pod. They read the cluster's
 * own facts through their own owner-chain cache (the escalation keeps its own, so a page being browsed never
 * evicts what an alert storm needs) with the same mapping configuration as the escalation's enrichment.
 */
export async function setUpBusinessViews(app: FastifyInstance, deps: FeatureDeps): Promise<void> {
  const owners = createKubeOwners(deps.kube);
  const explain: MappingExplainDeps = {
    port: businessPort({ owners }),
    config: defaultBusinessMapping,
    translate: deps.translate,
  };
  await app.register(async (scoped) => {
    mountRoute(scoped, spec.explainPodMapping, async (ctx) =>
      explainPodMapping(explain, ctx.query.namespace, ctx.params.name),
    );
  });
}
