// What `npm start` seeds so every console page has live data (`npm run sandbox -- demo`): GPU workloads with
// the dcgm-sim load profiles across both workspaces, one idle notebook, one GPU with an XID error, workspace
// and project GPU quotas with one project over its base and one job blocked by its project's quota.
// Pure: the objects and quota rows only; demo.ts applies and removes them.
import type { GpuQuotaRowInput } from '@ks-gpu-ml/contracts';
import type { V1Job, V1Pod, V1PodSpec } from '@kubernetes/client-node';
import { WORKSPACE_LABEL, workspaces } from './tenants.js';

/** Every object the demo makes carries this label, so `demo --remove` finds exactly them. */
export const DEMO_LABEL = 'sandbox.ks-gpu-ml.io/demo';
export const PROFILE_ANNOTATION = 'sandbox.ks-gpu-ml.io/gpu-profile';
export const XID_AT_ANNOTATION = 'sandbox.ks-gpu-ml.io/xid-at';
export const GPU = 'nvidia.com/gpu';
export const MIG_1G = 'nvidia.com/mig-1g.10gb';

export type GpuProfile = 'busy' | 'idle' | 'memory-leak' | 'xid' | 'overheat';

/** Where the demo goes: two workspaces, three projects (two in the first workspace). */
export interface DemoTarget {
  workspaces: { alpha: string; beta: string };
  projects: { train: string; serve: string; research: string };
  /** Whether the demo creates (and removes) the namespaces itself, or uses the sandbox's tenants. */
  ownNamespaces: boolean;
}

/** The sandbox's own tenants, which the sandbox users log in to (`npm start`). */
export const sandboxTarget: DemoTarget = {
  workspaces: { alpha: 'ws-alpha', beta: 'ws-beta' },
  projects: {
    train: workspaces['ws-alpha'][0],
    serve: workspaces['ws-alpha'][1],
    research: workspaces['ws-beta'][0],
  },
  ownNamespaces: false,
};

/** Namespaces and workspaces of their own, named `<prefix>-…`, for a test that must not touch the tenants. */
export function throwawayTarget(prefix: string): DemoTarget {
  return {
    workspaces: { alpha: `${prefix}-ws-alpha`, beta: `${prefix}-ws-beta` },
    projects: { train: `${prefix}-train`, serve: `${prefix}-serve`, research: `${prefix}-research` },
    ownNamespaces: true,
  };
}

export interface DemoWorkload {
  namespace: string;
  name: string;
  resource: string;
  gpus: number;
  profile: GpuProfile;
  /** What a person opening the console should see it as. */
  story: string;
  /** A Job's pod is created by the Job controller (and refused by quota admission); a pod is created directly. */
  kind: 'Pod' | 'Job';
}

export interface QuotaSetting {
  rows: GpuQuotaRowInput[];
}

export interface DemoPlan {
  target: DemoTarget;
  /** Namespaces to create with their workspace label (none when the target uses the sandbox's tenants). */
  namespaces: { name: string; workspace: string }[];
  /** Workspace quotas first, then project quotas: a project's base is split from its workspace's. */
  workspaceQuotas: (QuotaSetting & { workspace: string })[];
  projectQuotas: (QuotaSetting & { namespace: string })[];
  workloads: DemoWorkload[];
}

const row = (base: number, max: number): GpuQuotaRowInput => ({ resource: GPU, base, max });

export function demoPlan(target: DemoTarget): DemoPlan {
  const { alpha, beta } = target.workspaces;
  const { train, serve, research } = target.projects;
  const w = (
    namespace: string,
    name: string,
    gpus: number,
    profile: GpuProfile,
    story: string,
  ): DemoWorkload => ({
    namespace,
    name,
    resource: GPU,
    gpus,
    profile,
    story,
    kind: 'Pod',
  });
  return {
    target,
    namespaces: target.ownNamespaces
      ? [
          { name: train, workspace: alpha },
          { name: serve, workspace: alpha },
          { name: research, workspace: beta },
        ]
      : [],
    workspaceQuotas: [
      { workspace: alpha, rows: [row(4, 10)] },
      { workspace: beta, rows: [row(2, 6)] },
    ],
    projectQuotas: [
      // train runs 5 GPUs on a base of 2: over its base, borrowing up to its max.
      { namespace: train, rows: [row(2, 6)] },
      // serve is full at its max of 3, so the batch job's pod is refused by quota admission.
      { namespace: serve, rows: [row(2, 3)] },
      { namespace: research, rows: [row(2, 6)] },
    ],
    workloads: [
      w(train, 'llm-pretrain', 4, 'busy', 'a 4-GPU training run, busy'),
      w(train, 'finetune-leaky', 1, 'memory-leak', 'a fine-tune whose GPU memory grows'),
      w(serve, 'chat-inference', 2, 'busy', 'a 2-GPU model server'),
      w(serve, 'notebook-idle', 1, 'idle', 'a notebook holding a GPU it does not use'),
      { ...w(serve, 'batch-eval', 1, 'busy', 'a batch job blocked by the project quota'), kind: 'Job' },
      w(research, 'xid-experiment', 1, 'xid', 'a GPU that reports XID 79 (fell off the bus)'),
      w(research, 'hot-sweep', 2, 'overheat', 'a hyper-parameter sweep running hot'),
      { ...w(research, 'mig-notebook', 1, 'busy', 'a notebook on a MIG 1g.10gb slice'), resource: MIG_1G },
    ],
  };
}

/** Running GPUs a project's workloads ask for (Jobs excluded: theirs are the ones refused). */
export function podGpus(plan: DemoPlan, namespace: string, resource = GPU): number {
  return plan.workloads
    .filter((wl) => wl.namespace === namespace && wl.kind === 'Pod' && wl.resource === resource)
    .reduce((sum, wl) => sum + wl.gpus, 0);
}

const demoLabels = { [DEMO_LABEL]: 'true' };

function podSpec(wl: DemoWorkload): V1PodSpec {
  const amount = String(wl.gpus);
  return {
    // KWOK nodes need no real image; the name says what the workload would run.
    containers: [
      {
        name: 'main',
        image: `sandbox.local/${wl.name}:1`,
        resources: { requests: { [wl.resource]: amount }, limits: { [wl.resource]: amount } },
      },
    ],
    // Whole GPUs off the HAMi node (label gpu=on): dcgm-exporter cannot attribute pods on shared GPUs.
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' }] }],
        },
      },
    },
    restartPolicy: wl.kind === 'Job' ? 'Never' : 'Always',
  };
}

function podAnnotations(wl: DemoWorkload): Record<string, string> {
  // The XID shows 30 s after start, so a person opening the console soon after `npm start` sees it.
  return {
    [PROFILE_ANNOTATION]: wl.profile,
    ...(wl.profile === 'xid' ? { [XID_AT_ANNOTATION]: '30s' } : {}),
  };
}

function podTemplate(wl: DemoWorkload) {
  return {
    metadata: { labels: { ...demoLabels, app: wl.name }, annotations: podAnnotations(wl) },
    spec: podSpec(wl),
  };
}

export function podObject(wl: DemoWorkload): V1Pod {
  const { metadata, spec } = podTemplate(wl);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...metadata, name: wl.name, namespace: wl.namespace },
    spec,
  };
}

export function jobObject(wl: DemoWorkload): V1Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: wl.name, namespace: wl.namespace, labels: demoLabels },
    spec: { backoffLimit: 0, template: podTemplate(wl) },
  };
}

export function namespaceObject(ns: { name: string; workspace: string }) {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: ns.name, labels: { ...demoLabels, [WORKSPACE_LABEL]: ns.workspace } },
  };
}
