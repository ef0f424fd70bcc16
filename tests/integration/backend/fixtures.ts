// Route-table driven inputs: a URL (with any required query parameters) for any route in any scope, and a valid
// body for each route that takes one.
import { FEATURE_NAMES, kapisPath, type RouteSpec } from '@ks-gpu-ml/contracts';
import { SANDBOX_CMDB_SECRET } from '../../sandbox/src/cmdb.js';
import { readSandboxEnv } from '../../sandbox/src/env.js';
import { uniqueName } from '../../sandbox/src/testing.js';

export function urlOf(route: RouteSpec, scopeName: string, name = 'example'): string {
  const path = kapisPath({
    group: route.group,
    scope: route.scope,
    ...(route.scope !== 'cluster' ? { scopeName } : {}),
    resource: route.resource,
    ...(route.named ? { name } : {}),
    ...(route.subresource ? { subresource: route.subresource } : {}),
  });
  const query = queryFor(route);
  return query ? `${path}?${new URLSearchParams(query).toString()}` : path;
}

const series = { metric: 'utilization', level: 'namespace' };
const hours = { start: '0', end: '3600' };

/** Query parameters each route with required ones accepts; a feature adds its routes here when it adds them. */
export const validQueries: Record<string, Record<string, string>> = {
  'gpu-monitoring.getClusterSeries': series,
  'gpu-monitoring.getWorkspaceSeries': series,
  'gpu-monitoring.getProjectSeries': series,
  'gpu-monitoring.getTopN': { metric: 'utilization', level: 'namespace' },
  'gpu-monitoring.getClusterGpuHours': hours,
  'gpu-monitoring.getWorkspaceGpuHours': hours,
  'gpu-monitoring.getProjectGpuHours': hours,
  'ml-apps.listAppEvents': { kind: 'Notebook', name: 'example' },
  'ml-apps.deleteTrainingJob': { kind: 'PyTorchJob' },
  'cmdb-alerting.explainPodMapping': { namespace: 'default' },
};

export function queryFor(route: RouteSpec): Record<string, string> | undefined {
  const required = route.schemas.querystring?.required ?? [];
  if (required.length === 0) return undefined;
  const query = validQueries[route.id];
  if (query === undefined)
    throw new Error(`no valid query for ${route.id}: add one to tests/integration/backend/fixtures.ts`);
  return query;
}

const accessReview = { verb: 'list', group: 'platform.ks-gpu-ml.io', resource: 'capabilities' };
const selfAccessReview = { scope: 'namespace', scopeName: 'alpha-train', ...accessReview };

const exampleReceiver = {
  name: 'example',
  type: 'webhook',
  settings: { url: 'https://alerts.example.invalid/hook' },
  secretRefs: {},
  recipients: [],
};
const examplePolicy = {
  name: 'example',
  matchLabels: { alertname: 'RouteTableExample' },
  steps: [{ receivers: ['example'], waitSeconds: 60 }],
  repeat: 0,
};

const exampleCmdbSettings = {
  kind: 'netbox',
  enabled: false,
  url: 'https://netbox.example.invalid',
  secretRef: { namespace: 'kube-system', name: 'route-table-cmdb-example', key: 'token' },
  ttlSeconds: 60,
  timeoutMs: 500,
};
const exampleRoutingPolicy = {
  name: 'example',
  priority: 100,
  match: { systems: ['route-table-example'] },
  receivers: [],
};

/** A body each route accepts; a feature adds its routes here when it adds them to the route table. */
export const validBodies: Record<string, unknown> = {
  'platform.createAccessReview': accessReview,
  'platform.createSelfAccessReview': selfAccessReview,
  // The platform routes are served under each feature's own group too (docs/adr/0026), with the same bodies.
  ...Object.fromEntries(
    FEATURE_NAMES.flatMap((feature) => [
      [`${feature}.createAccessReview`, accessReview],
      [`${feature}.createSelfAccessReview`, selfAccessReview],
    ]),
  ),
  // An empty quota: valid, and it writes nothing.
  'gpu-quota.updateProjectQuota': { resources: [] },
  'gpu-quota.updateWorkspaceQuota': { resources: [] },
  // cmdb-alerting: one webhook receiver and a policy naming it (the table lists the receivers' deletes last).
  ...Object.fromEntries(
    [
      'createClusterReceiver',
      'updateClusterReceiver',
      'createWorkspaceReceiver',
      'updateWorkspaceReceiver',
    ].map((id) => [`cmdb-alerting.${id}`, exampleReceiver]),
  ),
  ...Object.fromEntries(
    [
      'createClusterEscalationPolicy',
      'updateClusterEscalationPolicy',
      'createWorkspaceEscalationPolicy',
      'updateWorkspaceEscalationPolicy',
    ].map((id) => [`cmdb-alerting.${id}`, examplePolicy]),
  ),
  // The CMDB connection: the one `sandbox up` set (so the other tests' alerts keep their CMDB), tested with a
  // Secret that does not exist (answered at once, no CMDB asked); a routing policy that routes nobody.
  get 'cmdb-alerting.updateCmdbSettings'() {
    const env = readSandboxEnv();
    return env.BACKEND_CMDB === 'netbox'
      ? {
          kind: 'netbox',
          enabled: true,
          url: env.CMDB_STANDIN_URL,
          secretRef: SANDBOX_CMDB_SECRET,
          ttlSeconds: 5,
          lastKnownSeconds: 3600,
          timeoutMs: 2000,
        }
      : exampleCmdbSettings;
  },
  'cmdb-alerting.testCmdbConnection': { settings: exampleCmdbSettings, namespace: 'default' },
  'cmdb-alerting.createRoutingPolicy': exampleRoutingPolicy,
  'cmdb-alerting.updateRoutingPolicy': exampleRoutingPolicy,
  // A system no workload maps: one silence of a label set no alert carries, for a minute.
  'cmdb-alerting.createBusinessSilence': {
    system: 'route-table-example',
    durationMinutes: 1,
    comment: 'route table',
  },
  'cmdb-alerting.createSilence': {
    matchers: [{ name: 'alertname', value: 'RouteTableExample', isRegex: false }],
    durationMinutes: 1,
    comment: 'route-table fixture',
  },
  // ml-apps: a small CPU notebook and a one-node CPU TrainJob on the runtime the sandbox installs, each under a
  // new name: the validation test leaves what it creates, and a second create of one name would be a 409.
  get 'ml-apps.createNotebook'() {
    return {
      name: uniqueName('example'),
      image: 'sandbox.local/jupyter:1',
      cpu: 0.1,
      memory: '128Mi',
      workspaceVolume: { kind: 'none' },
    };
  },
  'ml-apps.updateNotebook': { stopped: true },
  'ml-apps.updateNotebookCullPolicy': { enabled: false, idleHours: 24, warnMinutes: 60 },
  get 'ml-apps.createTrainJob'() {
    return {
      name: uniqueName('example'),
      runtimeRef: { kind: 'ClusterTrainingRuntime', name: 'torch-distributed' },
      image: 'sandbox.local/pytorch:2',
      numNodes: 1,
      cpu: 0.1,
      memory: '128Mi',
    };
  },
  // A one-worker CPU PyTorchJob (the sandbox serves the v1 kinds' CRDs), under a new name for the same reason.
  get 'ml-apps.createTrainingJob'() {
    return {
      kind: 'PyTorchJob',
      name: uniqueName('example'),
      replicaSpecs: [
        { type: 'Master', replicas: 1, image: 'sandbox.local/pytorch:2', cpu: 0.1, memory: '128Mi' },
      ],
    };
  },
  // ml-apps model registry and serving: the model `example` (the name urlOf gives named routes) with version 1,
  // so its version, stage and a deploy of it have something to act on; the service under a new name.
  'ml-apps.createModel': {
    name: 'example',
    firstVersion: { format: 'sklearn', storageUri: 's3://models/example/1' },
  },
  'ml-apps.createModelVersion': { format: 'sklearn', storageUri: 's3://models/example/2' },
  'ml-apps.updateModelStage': { version: 1, stage: 'staging' },
  get 'ml-apps.createInferenceService'() {
    return {
      name: uniqueName('example'),
      model: 'example',
      version: 1,
      cpu: 0.1,
      memory: '128Mi',
      minReplicas: 1,
      maxReplicas: 1,
    };
  },
  get 'ml-apps.createLLMInferenceService'() {
    return {
      name: uniqueName('example-llm'),
      model: 'example',
      version: 1,
      replicas: 1,
      cpu: 0.1,
      memory: '128Mi',
      gpu: { resource: 'nvidia.com/gpu', count: 1 },
    };
  },
  'ml-apps.updateInferenceService': { action: 'promote' },
  'ml-apps.predict': { protocol: 'v1', body: { instances: [[1, 2, 3, 4]] } },
};

export function bodyFor(route: RouteSpec): unknown {
  if (!route.schemas.body) return undefined;
  const body = validBodies[route.id];
  if (body === undefined)
    throw new Error(`no valid body for ${route.id}: add one to tests/integration/backend/fixtures.ts`);
  return body;
}
