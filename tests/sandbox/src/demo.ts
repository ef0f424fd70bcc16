// Applies and removes the demo of demo-plan.ts on the running sandbox. Quotas go through the backend's HTTP API
// as the platform admin (logged in at the ks-apiserver stand-in, as the console would), so the demo stays right
// whatever gpu-quota stores underneath; workloads and namespaces go straight to kube-apiserver. Idempotent:
// what exists is left as it is, quotas are PUT (a replace).
import { gpuQuotaRoutes, urlFor, type GpuQuotaRowInput } from '@ks-gpu-ml/contracts';
import { BatchV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { readSandboxEnv } from './env.js';
import { ksLogin } from './ks-login.js';
import { loadKubeConfig } from './kube.js';
import { step } from './log.js';
import {
  DEMO_LABEL,
  namespaceObject,
  podObject,
  jobObject,
  type DemoPlan,
  type DemoWorkload,
} from './demo-plan.js';
import { waitFor } from './wait.js';

const UPSTREAM_TIMEOUT_MS = 15_000;
const DEMO_SELECTOR = `${DEMO_LABEL}=true`;

export interface DemoApi {
  backendUrl: string;
  /** The platform admin's bearer token for the backend. */
  token: string;
}

/** Logs the sandbox's `admin` in at the ks-apiserver stand-in, whose tokens the sandbox backend accepts. */
export async function adminApi(): Promise<DemoApi> {
  const env = readSandboxEnv();
  if (!env.KS_APISERVER_URL || !env.BACKEND_URL)
    throw new Error('.sandbox/env names no KS_APISERVER_URL or BACKEND_URL: is the sandbox up?');
  const token = await ksLogin(env.KS_APISERVER_URL, 'admin');
  return { backendUrl: env.BACKEND_URL, token };
}

async function putQuota(api: DemoApi, path: string, rows: GpuQuotaRowInput[]): Promise<void> {
  const res = await fetch(api.backendUrl + path, {
    method: 'PUT',
    headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ resources: rows }),
    signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
  });
  if (res.ok) return;
  const reply = (await res.json().catch(() => ({}))) as { message?: string };
  throw new Error(`PUT ${path} answered ${res.status}: ${reply.message ?? 'no message'}`);
}

const workspaceQuotaPath = (workspace: string) => urlFor(gpuQuotaRoutes.updateWorkspaceQuota, { workspace });
const projectQuotaPath = (namespace: string) => urlFor(gpuQuotaRoutes.updateProjectQuota, { namespace });

const statusOf = (error: unknown): number | undefined =>
  (error as { code?: number }).code ?? (error as { statusCode?: number }).statusCode;

/** Creates the object; true when it was made now, false when it already existed. */
async function createOnce(create: () => Promise<unknown>): Promise<boolean> {
  try {
    await create();
    return true;
  } catch (error) {
    if (statusOf(error) === 409) return false;
    throw error;
  }
}

/** Whether the object exists already (read first: quota admission answers 403 before a create could say 409). */
async function exists(read: () => Promise<unknown>): Promise<boolean> {
  return read().then(
    () => true,
    (error: unknown) => {
      if (statusOf(error) === 404) return false;
      throw error;
    },
  );
}

async function createWorkload(kc: KubeConfig, wl: DemoWorkload): Promise<boolean> {
  const { namespace, name } = wl;
  if (wl.kind === 'Job') {
    const batch = kc.makeApiClient(BatchV1Api);
    if (await exists(() => batch.readNamespacedJob({ name, namespace }))) return false;
    return createOnce(() => batch.createNamespacedJob({ namespace, body: jobObject(wl) }));
  }
  const core = kc.makeApiClient(CoreV1Api);
  if (await exists(() => core.readNamespacedPod({ name, namespace }))) return false;
  // Quota admission refuses pods until the quota controller has filled in the new ResourceQuota's status.
  const created = await waitFor(
    `pod ${namespace}/${name} admitted`,
    async () => ({
      made: await createOnce(() => core.createNamespacedPod({ namespace, body: podObject(wl) })),
    }),
    { timeoutMs: 30_000, intervalMs: 500 },
  );
  return created.made;
}

async function waitForRunning(kc: KubeConfig, plan: DemoPlan): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  for (const wl of plan.workloads.filter((w) => w.kind === 'Pod')) {
    await waitFor(`pod ${wl.namespace}/${wl.name} running`, async () => {
      const pod = await core.readNamespacedPod({ name: wl.name, namespace: wl.namespace });
      return pod.status?.phase === 'Running';
    });
  }
}

/** The quota refusal the blocked job's controller reported (a FailedCreate event), once it is there. */
async function waitForQuotaRefusal(kc: KubeConfig, wl: DemoWorkload): Promise<string> {
  const core = kc.makeApiClient(CoreV1Api);
  return waitFor(`quota refusal of job ${wl.namespace}/${wl.name}`, async () => {
    const events = await core.listNamespacedEvent({
      namespace: wl.namespace,
      fieldSelector: `involvedObject.kind=Job,involvedObject.name=${wl.name},reason=FailedCreate`,
    });
    return events.items.find((e) => /exceeded quota/.test(e.message ?? ''))?.message;
  });
}

export async function applyDemo(plan: DemoPlan, api: DemoApi, kc: KubeConfig): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  for (const ns of plan.namespaces) {
    const made = await createOnce(() => core.createNamespace({ body: namespaceObject(ns) }));
    step(`demo: namespace ${ns.name} in workspace ${ns.workspace} ${made ? 'created' : 'exists'}`);
  }
  for (const q of plan.workspaceQuotas) {
    await putQuota(api, workspaceQuotaPath(q.workspace), q.rows);
    step(`demo: workspace ${q.workspace} GPU quota ${describeRows(q.rows)}`);
  }
  for (const q of plan.projectQuotas) {
    await putQuota(api, projectQuotaPath(q.namespace), q.rows);
    step(`demo: project ${q.namespace} GPU quota ${describeRows(q.rows)}`);
  }
  for (const wl of plan.workloads) {
    const made = await createWorkload(kc, wl);
    step(
      `demo: ${wl.kind.toLowerCase()} ${wl.namespace}/${wl.name} ${made ? 'created' : 'exists'} — ${wl.story}`,
    );
  }
  await waitForRunning(kc, plan);
  step('demo: every demo pod is running');
  for (const wl of plan.workloads.filter((w) => w.kind === 'Job')) {
    const message = await waitForQuotaRefusal(kc, wl);
    step(`demo: job ${wl.namespace}/${wl.name} blocked as intended: ${message}`);
  }
}

/** Removes what applyDemo made: workloads, then project and workspace quotas, then its own namespaces. */
export async function removeDemo(plan: DemoPlan, api: DemoApi, kc: KubeConfig): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  const batch = kc.makeApiClient(BatchV1Api);
  for (const namespace of new Set(plan.workloads.map((wl) => wl.namespace))) {
    await batch
      .deleteCollectionNamespacedJob({
        namespace,
        labelSelector: DEMO_SELECTOR,
        propagationPolicy: 'Background',
      })
      .catch(ignoreNotFound);
    await core
      .deleteCollectionNamespacedPod({ namespace, labelSelector: DEMO_SELECTOR, gracePeriodSeconds: 0 })
      .catch(ignoreNotFound);
    step(`demo: workloads in ${namespace} deleted`);
  }
  // The quota page lists blocked work from FailedCreate events; they outlive the Job by an hour.
  for (const wl of plan.workloads) {
    const fieldSelector = `involvedObject.name=${wl.name}`;
    await core
      .deleteCollectionNamespacedEvent({ namespace: wl.namespace, fieldSelector })
      .catch(ignoreNotFound);
  }
  for (const q of plan.projectQuotas) {
    await putQuota(api, projectQuotaPath(q.namespace), []);
    step(`demo: project ${q.namespace} GPU quota removed`);
  }
  for (const q of plan.workspaceQuotas) {
    await putQuota(api, workspaceQuotaPath(q.workspace), []);
    step(`demo: workspace ${q.workspace} GPU quota removed`);
  }
  for (const ns of plan.namespaces) {
    await core.deleteNamespace({ name: ns.name }).catch(ignoreNotFound);
    step(`demo: namespace ${ns.name} deleted`);
  }
}

function ignoreNotFound(error: unknown): void {
  if (statusOf(error) !== 404) throw error;
}

function describeRows(rows: GpuQuotaRowInput[]): string {
  return rows
    .map((r) => `${r.resource}${r.model ? ` (${r.model})` : ''} base ${r.base}, max ${r.max}`)
    .join('; ');
}

/** The sandbox admin's kubeconfig, from .sandbox/env. */
export const demoKubeConfig = (): KubeConfig => loadKubeConfig(readSandboxEnv().KUBECONFIG);
