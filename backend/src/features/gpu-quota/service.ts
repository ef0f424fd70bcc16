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
import type { Authorizer } from '../../core/authz.js';
import type { Translate } from '../../core/i18n.js';
import { createAnswers } from './answers.js';
import { authorityOf } from './authority.js';
import { buildCatalogue } from './catalogue.js';
import { clusterProjects } from './cluster-projects.js';
import { clusterView, type ClusterView } from './cluster-view.js';
import type { Caller, QuotaContext } from './context.js';
import { holdingsReader } from './holdings-now.js';
import type { ClusterSnapshot, GpuQuotaKube } from './kube-io.js';
import { saveProjectQuota } from './project-save.js';
import { projectView } from './project-view.js';
import { KNOWN_GPU_RESOURCES, type ResourceTable } from './resources.js';
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
  /**
   * The same answer as clusterView, as its JSON body: built once per view and language and shared by every
   * request until the view changes (the route sends it as it is).
   */
  clusterViewJson(caller: Caller): Promise<Buffer>;
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
  const clusterViewOf = sameInputsSameView(ctx.table);
  const clusterAnswer = async (caller: Caller) => {
    const [snapshot, choice] = await Promise.all([ctx.kube.clusterSnapshot(), ctx.enforcer()]);
    return { shared: clusterViewOf(snapshot), enforcer: ctx.answers.enforcerInfo(choice, caller.lang) };
  };
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
      const { shared, enforcer } = await clusterAnswer(caller);
      return { ...shared.view, enforcer };
    },

    async clusterViewJson(caller) {
      const { shared, enforcer } = await clusterAnswer(caller);
      // The enforcer's text is the only part that depends on the caller (its language): one body per text.
      const tail = JSON.stringify(enforcer);
      let body = shared.bodies.get(tail);
      if (!body) {
        const view: ClusterQuotaView = { ...shared.view, enforcer };
        shared.bodies.set(tail, (body = Buffer.from(JSON.stringify(view))));
      }
      return body;
    },
  };
}

/** A cluster view and the JSON bodies made of it (per enforcer text), both dropped when the view is replaced. */
interface SharedView {
  view: ClusterView;
  bodies: Map<string, Buffer>;
}

/**
 * The cluster view is derived from the watch caches' snapshot alone, and each cache answers the same array (the
 * membership the same map) until something in it changes: requests in between share the view built for the
 * first of them, and its JSON body (one view held, replaced on change), instead of building and serializing
 * 5,000 projects' rows again each time, the garbage that grew the process' heap (docs/adr/0030).
 */
export function sameInputsSameView(table: ResourceTable): (snapshot: ClusterSnapshot) => SharedView {
  let last: { inputs: readonly unknown[]; shared: SharedView } | undefined;
  return (snapshot) => {
    const inputs = [snapshot.quotas, snapshot.pods, snapshot.nodes, snapshot.records, snapshot.workspaceOf];
    if (!last || inputs.some((input, i) => input !== last!.inputs[i])) {
      const catalogue = buildCatalogue(snapshot.nodes, table);
      const view = clusterView(catalogue, clusterProjects(snapshot, table), { table });
      last = { inputs, shared: { view, bodies: new Map() } };
    }
    return last.shared;
  };
}
