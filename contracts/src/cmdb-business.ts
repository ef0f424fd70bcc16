import { Type, type Static, type TSchema } from '@sinclair/typebox';
import {
  AlertBusiness,
  BusinessContact,
  BusinessProvenance,
  CMDB_ALERTING_GROUP,
  Silence,
  SilenceCreated,
} from './cmdb-alerting.js';
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

const Enriched = <T extends TSchema>(value: T) => Type.Object({ value, provenance: BusinessProvenance });

/** A workload of a business system: a top-level object no controller owns, and the rule that put it there. */
export const BusinessWorkload = Type.Object({
  kind: Type.String(),
  namespace: Type.String(),
  name: Type.String(),
  provenance: BusinessProvenance,
});

/** An open alert of a business system: an escalation still running, as the alert's list names it. */
export const BusinessOpenAlert = Type.Object({
  alertKey: Type.String(),
  alertname: Type.String(),
  severity: Type.Optional(Type.String()),
  namespace: Type.Optional(Type.String()),
  state: Type.String(),
  startsAt: Type.String(),
});

export const BusinessSystem = Type.Object({
  name: Type.String(),
  /** The bucket of workloads no source maps. */
  unowned: Type.Boolean(),
  importance: Type.Optional(Enriched(Type.String())),
  owners: Enriched(Type.Array(BusinessContact)),
  workloads: Type.Array(BusinessWorkload),
  openAlerts: Type.Array(BusinessOpenAlert),
});
export type BusinessSystem = Static<typeof BusinessSystem>;

export const BusinessSystemList = Type.Object({
  items: Type.Array(BusinessSystem),
  /** Some kind had more workloads than one page: the list shows the first of each. */
  truncated: Type.Boolean(),
});
export type BusinessSystemList = Static<typeof BusinessSystemList>;

/**
 * A business system's name as a silence takes it: no `]` nor `#` (the tag in Alertmanager's comment uses them) and no
 * control or line-separator characters (no CMDB names a system so, and a line break would split the tag).
 */
export const BusinessSystemName = Type.String({
  minLength: 1,
  maxLength: 253,
  pattern: '^[^\\]#\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]+$',
});

export const BusinessSilenceInput = Type.Object(
  {
    system: BusinessSystemName,
    /** The silence starts now and lasts this long (at most 30 days). */
    durationMinutes: Type.Integer({ minimum: 1, maximum: 43_200 }),
    comment: Type.String({ minLength: 1, maxLength: 900 }),
  },
  { additionalProperties: false },
);
export type BusinessSilenceInput = Static<typeof BusinessSilenceInput>;

/**
 * A silence of a business system: the Alertmanager silences it expanded to (one per label set: a namespace the
 * system owns whole, or a namespace and the system's pods in it), kept in step as the mapping changes.
 */
export const BusinessSilence = Type.Object({
  /** Its id (the tag every Alertmanager silence of it carries in its comment). */
  group: Type.String(),
  system: Type.String(),
  comment: Type.String(),
  createdBy: Type.String(),
  startsAt: Type.String(),
  endsAt: Type.String(),
  silences: Type.Array(Silence),
});
export type BusinessSilence = Static<typeof BusinessSilence>;
export const BusinessSilenceList = Type.Object({ items: Type.Array(BusinessSilence) });
export type BusinessSilenceList = Static<typeof BusinessSilenceList>;

/** The unowned bucket as the daily report gives it: workloads no source maps, and the open alerts that landed there. */
export const UnownedReport = Type.Object({
  generatedAt: Type.String(),
  truncated: Type.Boolean(),
  workloads: Type.Array(Type.Object({ kind: Type.String(), namespace: Type.String(), name: Type.String() })),
  openAlerts: Type.Array(BusinessOpenAlert),
});
export type UnownedReport = Static<typeof UnownedReport>;

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
  listBusinessSystems: defineRoute({
    ...clusterAdmin,
    id: 'cmdb-alerting.listBusinessSystems',
    method: 'GET',
    resource: 'businesssystems',
    named: false,
    summary:
      "The business systems the cluster's workloads resolve to: importance, owners, workloads and open alerts",
    schemas: { response: { 200: BusinessSystemList } },
  }),
  getUnownedReport: defineRoute({
    ...clusterAdmin,
    id: 'cmdb-alerting.getUnownedReport',
    method: 'GET',
    resource: 'unownedreport',
    named: false,
    summary: 'The unowned bucket now: workloads no source maps to a business system, and their open alerts',
    schemas: { response: { 200: UnownedReport } },
  }),
  listBusinessSilences: defineRoute({
    ...clusterAdmin,
    id: 'cmdb-alerting.listBusinessSilences',
    method: 'GET',
    resource: 'businesssilences',
    named: false,
    summary: 'Silences by business system, each with the Alertmanager silences it expanded to',
    schemas: { response: { 200: BusinessSilenceList } },
  }),
  createBusinessSilence: defineRoute({
    ...clusterAdmin,
    id: 'cmdb-alerting.createBusinessSilence',
    method: 'POST',
    resource: 'businesssilences',
    named: false,
    summary:
      'Silences a business system: Alertmanager silences for the label sets of its workloads, kept in step after',
    schemas: { body: BusinessSilenceInput, response: { 200: BusinessSilence } },
  }),
  expireBusinessSilence: defineRoute({
    ...clusterAdmin,
    id: 'cmdb-alerting.expireBusinessSilence',
    method: 'DELETE',
    resource: 'businesssilences',
    named: true,
    summary: 'Expires every Alertmanager silence of a business silence at once',
    schemas: { response: { 200: SilenceCreated } },
  }),
};
