import { Type, type Static } from '@sinclair/typebox';
import { AlertBusiness, CMDB_ALERTING_GROUP } from './cmdb-alerting.js';
import { DnsLabel, defineRoute } from './routes.js';

/**
 * cmdb-alerting's business views (issue 15, docs/adr/0039 and 0042): how any pod resolves to a business system,
 * step by step, with the source and rule behind every field. Platform admins' routes, like the alert list.
 */

/** A Kubernetes object of the resolution: a pod, one of its controllers, or the pod's namespace. */
export const MappingObject = Type.Object({
  kind: Type.String(),
  namespace: Type.Optional(Type.String()),
  name: Type.String(),
  /** The labels and annotations the mapping reads (its configured keys) that are set on the object. */
  keys: Type.Array(
    Type.Object({
      key: Type.String(),
      where: Type.Union([Type.Literal('label'), Type.Literal('annotation')]),
      value: Type.String(),
    }),
  ),
});
export type MappingObject = Static<typeof MappingObject>;

export const PodMapping = Type.Object({
  namespace: Type.String(),
  pod: Type.String(),
  /** The sources in the order they are tried. */
  order: Type.Array(Type.String()),
  /** The owner chain, pod first (pod → ReplicaSet → Deployment …), then the namespace when it exists. */
  objects: Type.Array(MappingObject),
  /** What the pod resolves to, every field with its provenance, and each step tried. */
  business: AlertBusiness,
});
export type PodMapping = Static<typeof PodMapping>;

export const PodMappingQuery = Type.Object({ namespace: DnsLabel }, { additionalProperties: false });
export type PodMappingQuery = Static<typeof PodMappingQuery>;

const clusterAdmin = { group: CMDB_ALERTING_GROUP, scope: 'cluster', grant: 'admin' } as const;

export const cmdbBusinessRoutes = {
  explainPodMapping: defineRoute({
    ...clusterAdmin,
    id: 'cmdb-alerting.explainPodMapping',
    method: 'GET',
    resource: 'podmappings',
    named: true,
    summary:
      'Which business system a pod (name in the path, its namespace in the query) resolves to, and why: each step',
    schemas: { querystring: PodMappingQuery, response: { 200: PodMapping } },
  }),
};
