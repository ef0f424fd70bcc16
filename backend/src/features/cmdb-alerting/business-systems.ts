import type { AlertBusiness, BusinessSystem, BusinessSystemList } from '@ks-gpu-ml/contracts';
import {
  UNOWNED,
  resolveBusiness,
  type BusinessLookupPort,
  type ObjectMeta,
  type ResolverDeps,
} from './business-resolve.js';

/**
 * The business systems page: every top-level workload of the cluster resolved by the same resolver as an alert on
 * it (its own labels, its namespace, the CMDB, the workspace; unowned else), grouped by system, with the importance
 * and owners of the first workload that gave them (with their provenance), and the open alerts whose escalation
 * named the system when it started. Workloads are resolved a few at a time so a large cluster does not flood the
 * CMDB adapter (whose cache answers repeated namespaces anyway).
 */
export interface BusinessSystemsDeps extends ResolverDeps {
  /** The top-level workloads and whether the list was cut. */
  workloads: () => Promise<{ items: ObjectMeta[]; truncated: boolean }>;
  // `port` is asked for namespaces and the CMDB only: the owner chain is the workload itself here.
  /** Escalations still open, with the business each named when it started. */
  openAlerts: () => Promise<OpenAlert[]>;
  concurrency?: number;
}

export interface OpenAlert {
  alertKey: string;
  state: string;
  labels: Record<string, string>;
  startsAt: string;
  business?: Pick<AlertBusiness, 'system'>;
}

/** The label an alert on this kind of workload would carry (kube-state-metrics' names; alertTarget reads them). */
const TARGET_LABEL: Record<string, string> = {
  Deployment: 'deployment',
  StatefulSet: 'statefulset',
  DaemonSet: 'daemonset',
  Job: 'job_name',
};

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export async function listBusinessSystems(deps: BusinessSystemsDeps): Promise<BusinessSystemList> {
  const [{ items, truncated }, open] = await Promise.all([deps.workloads(), deps.openAlerts()]);
  const systems = new Map<string, BusinessSystem>();
  const systemOf = (name: string): BusinessSystem => {
    let s = systems.get(name);
    if (!s) {
      s = {
        name,
        unowned: name === UNOWNED,
        owners: {
          value: [],
          provenance: { source: name === UNOWNED ? 'unowned' : 'template', rule: 'no owners recorded' },
        },
        workloads: [],
        openAlerts: [],
      };
      systems.set(name, s);
    }
    return s;
  };
  const resolved = await mapLimited(items, deps.concurrency ?? 8, async (w) => {
    const namespace = w.namespace ?? '';
    // The workload is its own owner chain: it was read with the list, nothing above it controls it.
    const port: BusinessLookupPort = { ...deps.port, ownerChain: async () => [w] };
    // Kinds kube-state-metrics has no label for (a Notebook, an InferenceService) borrow one: the port answers the
    // workload itself whatever the label says, so only which object is read matters, and that is `w`.
    const label = TARGET_LABEL[w.kind] ?? 'deployment';
    const business = await resolveBusiness({ namespace, [label]: w.name }, port, deps.config, deps.translate);
    return { w, namespace, business };
  });
  for (const { w, namespace, business } of resolved) {
    const s = systemOf(business.system.value);
    s.workloads.push({ kind: w.kind, namespace, name: w.name, provenance: business.system.provenance });
    if (!s.importance && business.importance) s.importance = business.importance;
    if (s.owners.value.length === 0 && business.owners.value.length > 0) s.owners = business.owners;
  }
  for (const a of open) {
    const s = systemOf(a.business?.system.value ?? UNOWNED);
    s.openAlerts.push({
      alertKey: a.alertKey,
      alertname: a.labels.alertname ?? '',
      ...(a.labels.severity ? { severity: a.labels.severity } : {}),
      ...(a.labels.namespace ? { namespace: a.labels.namespace } : {}),
      state: a.state,
      startsAt: a.startsAt,
    });
  }
  const list = [...systems.values()].sort((a, b) =>
    a.unowned !== b.unowned ? (a.unowned ? 1 : -1) : a.name.localeCompare(b.name),
  );
  for (const s of list)
    s.workloads.sort((a, b) =>
      `${a.namespace}/${a.kind}/${a.name}`.localeCompare(`${b.namespace}/${b.kind}/${b.name}`),
    );
  return { items: list, truncated };
}
