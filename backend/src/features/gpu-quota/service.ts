// The gpu-quota service: reads and writes project and workspace GPU quotas through GpuQuotaKube, using the
// pure domain modules for every rule (docs/adr/0004) and deciding only the API's own questions (docs/adr/0006,
// 0013). This file only composes: what each answer holds is in project-view.ts, workspace-view.ts and
// cluster-projects.ts; saves in project-save.ts and workspace-save.ts; what they share in context.ts.
import type {
  ClusterQuotaView,
  GpuQuotaRowInput,
  GpuQuotaUpdate,
  GpuResourceList,
  ProjectGpuQuota,
  WorkspaceGpuQuota,
} from '@ks-gpu-ml/contracts';
import type { Authorizer } from '../../platform/authz.js';
import type { Translate } from '../../platform/i18n.js';
import { createAnswers } from './answers.js';
import { authorityOf } from './authority.js';
import { buildCatalogue } from './catalogue.js';
import { clusterProjects } from './cluster-projects.js';
import { clusterView } from './cluster-view.js';
import type { Caller, QuotaContext } from './context.js';
import { holdingsReader } from './holdings-now.js';
import type { GpuQuotaKube } from './kube-io.js';
import { saveProjectQuota } from './project-save.js';
import { projectView } from './project-view.js';
import { KNOWN_GPU_RESOURCES } from './resources.js';
import { chooseEnforcer, type EnforcerSetting } from './scheduler.js';
import { saveWorkspaceQuota } from './workspace-save.js';
import { workspaceStore } from './workspace-store.js';
import { workspaceView } from './workspace-view.js';
import { quotaWriteLock } from './write-lock.js';

export type { Caller } from './context.js';

export interface GpuQuotaService {
  listGpuResources(caller: Caller): Promise<GpuResourceList>;
  getProjectQuota(caller: Caller, namespace: string): Promise<ProjectGpuQuota>;
  updateProjectQuota(caller: Caller, namespace: string, body: GpuQuotaUpdate): Promise<ProjectGpuQuota>;
  getWorkspaceQuota(caller: Caller, workspace: string): Promise<WorkspaceGpuQuota>;
  updateWorkspaceQuota(
    caller: Caller,
    workspace: string,
    body: { resources: GpuQuotaRowInput[] },
  ): Promise<WorkspaceGpuQuota>;
  clusterView(caller: Caller): Promise<ClusterQuotaView>;
}

export interface GpuQuotaServiceDeps {
  kube: GpuQuotaKube;
  authorizer: Authorizer;
  translate: Translate;
  enforcerSetting?: EnforcerSetting;
  /** GPU_QUOTA_MAX_AMOUNT: the largest base or max of one row. */
  maxAmount?: number;
}

/** The context every part of the service shares, from the feature's dependencies. */
export function quotaContext(deps: GpuQuotaServiceDeps): QuotaContext {
  const { kube } = deps;
  const table = KNOWN_GPU_RESOURCES;
  const setting = deps.enforcerSetting ?? 'auto';
  return {
    kube,
    table,
    answers: createAnswers(deps.translate),
    authority: authorityOf(deps.authorizer),
    catalogue: async () => buildCatalogue(await kube.nodes(), table),
    enforcer: async () => chooseEnforcer(await kube.crdNames(), setting),
    workspaces: workspaceStore(kube, table),
    holdings: holdingsReader(kube, table),
    writeLock: quotaWriteLock(kube),
    ...(deps.maxAmount ? { maxAmount: deps.maxAmount } : {}),
  };
}

export function createGpuQuotaService(deps: GpuQuotaServiceDeps): GpuQuotaService {
  const ctx = quotaContext(deps);
  return {
    async listGpuResources(caller) {
      const [catalogue, choice] = await Promise.all([ctx.catalogue(), ctx.enforcer()]);
      return {
        items: catalogue.resources,
        migStrategies: catalogue.migStrategies,
        migProfiles: catalogue.migProfiles,
        enforcer: ctx.answers.enforcerInfo(choice, caller.lang),
      };
    },

    getProjectQuota: (caller, namespace) => projectView(ctx, caller, namespace),

    async updateProjectQuota(caller, namespace, body) {
      const warnings = await saveProjectQuota(ctx, caller, namespace, body);
      return projectView(ctx, caller, namespace, warnings);
    },

    getWorkspaceQuota: (caller, workspace) => workspaceView(ctx, caller, workspace),

    async updateWorkspaceQuota(caller, workspace, body) {
      const warnings = await saveWorkspaceQuota(ctx, caller, workspace, body);
      return workspaceView(ctx, caller, workspace, warnings);
    },

    async clusterView(caller) {
      const [snapshot, choice] = await Promise.all([ctx.kube.clusterSnapshot(), ctx.enforcer()]);
      const catalogue = buildCatalogue(snapshot.nodes, ctx.table);
      const view = clusterView(catalogue, clusterProjects(snapshot, ctx.table), { table: ctx.table });
      return { ...view, enforcer: ctx.answers.enforcerInfo(choice, caller.lang) };
    },
  };
}
