// The gpu-quota service: reads and writes project and workspace GPU quotas through GpuQuotaKube, using the
// pure domain modules for every rule (docs/adr/0004) and deciding only the API's own questions (docs/adr/0006):
// which status a refusal gets, where the workspace quota is stored, and what each answer contains.
import type { KubernetesObject, V1ConfigMap, V1ResourceQuota } from '@kubernetes/client-node';
import {
  GPU_QUOTA_GROUP,
  type ClusterQuotaView,
  type GpuQuotaProblem,
  type GpuQuotaRowInput,
  type GpuQuotaUpdate,
  type GpuResourceList,
  type ProjectGpuQuota,
  type WorkspaceGpuQuota,
} from '@ks-gpu-ml/contracts';
import type { Authorizer } from '../../platform/authz.js';
import { AppError } from '../../platform/errors.js';
import type { Language, Translate } from '../../platform/i18n.js';
import type { Identity } from '../../platform/identity.js';
import { buildCatalogue, type GpuCatalogue } from './catalogue.js';
import { clusterView, type ProjectState } from './cluster-view.js';
import { clusterQueueName, KUEUE_API_VERSION, kueueObjects, LOCAL_QUEUE_NAME } from './kueue.js';
import type { GpuQuotaKube, ObjectRef } from './kube-io.js';
import { sortRows, validateQuota, type QuotaRow } from './model.js';
import { blockedWork, pendingByNamespace, podsBlocked } from './pending.js';
import { problem, type FieldProblem } from './problems.js';
import {
  decodeQuotaAnnotation,
  encodeQuotaAnnotation,
  GPU_QUOTA_ANNOTATION,
  GPU_QUOTA_OBJECT_NAME,
  otherGpuQuotas,
  ownLabels,
  readProjectQuota,
  resourceQuotaApply,
  type ProjectQuotaRead,
} from './resourcequota.js';
import { describeResource, KNOWN_GPU_RESOURCES, NVIDIA_PRODUCT_LABEL, rowKey } from './resources.js';
import { chooseEnforcer, rowEnforcement, type EnforcerChoice, type EnforcerSetting } from './scheduler.js';
import { mergeUsage, usageFromPods } from './usage.js';
import { VOLCANO_API_VERSION, volcanoQueue, volcanoQueueName } from './volcano.js';
import {
  checkProjectInWorkspace,
  checkWorkspaceAgainstProjects,
  KUBESPHERE_QUOTA_API_VERSION,
  kubesphereWorkspaceQuota,
  WORKSPACE_LABEL,
  workspaceSplit,
  type ProjectRows,
} from './workspace.js';

/** The caller, as the routes pass it: who, with which token, in which language. */
export interface Caller {
  user: Identity;
  token: string;
  lang: Language;
}

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

export const KUBESPHERE_QUOTA_CRD = 'resourcequotas.quota.kubesphere.io';
/** Where the workspace quota lives when KubeSphere's workspace quota CRD is not installed. */
export const workspaceConfigMapName = (workspace: string): string => `ks-gpu-ml-workspace-quota-${workspace}`;
export const WORKSPACE_CONFIGMAP_KEY = 'quota.json';
const WORKSPACE_NAME_LABEL = 'gpu-quota.ks-gpu-ml.io/workspace';

/** `spec.resources[1].base` (domain) → `body.resources.1.base` (the form BACKEND_INVALID_FIELD uses). */
export function requestPath(path: string): string {
  return path.replace(/^spec\./, 'body.').replace(/\[(\d+)\]/g, '.$1');
}

/** Serialises work per key (one workspace's split) in this process, so two edits cannot both take the rest. */
function keyedLock() {
  const tails = new Map<string, Promise<unknown>>();
  return async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}

const toRows = (input: readonly GpuQuotaRowInput[]): QuotaRow[] =>
  input.map((r) => ({
    resource: r.resource,
    ...(r.model !== undefined ? { model: r.model } : {}),
    base: r.base,
    max: r.max,
  }));

const rowOut = (r: QuotaRow) => ({
  resource: r.resource,
  ...(r.model !== undefined ? { model: r.model } : {}),
  base: r.base,
  max: r.max,
});

export function createGpuQuotaService(deps: {
  kube: GpuQuotaKube;
  authorizer: Authorizer;
  translate: Translate;
  enforcerSetting?: EnforcerSetting;
  /** GPU_QUOTA_MAX_AMOUNT: the largest base or max of one row. */
  maxAmount?: number;
}): GpuQuotaService {
  const { kube, authorizer, translate } = deps;
  const setting = deps.enforcerSetting ?? 'auto';
  const lock = keyedLock();
  const table = KNOWN_GPU_RESOURCES;

  const localize = (lang: Language, p: FieldProblem): GpuQuotaProblem => ({
    path: requestPath(p.path),
    code: p.code,
    params: p.params,
    message: translate(lang, p.code, p.params),
  });

  /** 400 (or `status`) naming the first problem's field; every problem is in details, localized. */
  const refuse = (lang: Language, problems: FieldProblem[], status = 400): AppError => {
    const first = problems[0]!;
    return new AppError(status, status === 409 ? 'Conflict' : 'Invalid', first.code, first.params, {
      field: requestPath(first.path),
      problems: problems.map((p) => localize(lang, p)),
    });
  };

  const enforcerInfo = (choice: EnforcerChoice, lang: Language) => ({
    enforcer: choice.enforcer,
    setting: choice.setting,
    installed: choice.installed,
    ...(choice.problem ? { problem: localize(lang, choice.problem) } : {}),
  });

  const catalogue = async (): Promise<GpuCatalogue> => buildCatalogue(await kube.nodes(), table);
  const enforcer = async (): Promise<EnforcerChoice> => chooseEnforcer(await kube.crdNames(), setting);

  const may = async (caller: Caller, scope: 'namespace' | 'workspace', scopeName: string) =>
    (
      await authorizer.authorize({
        user: caller.user,
        token: caller.token,
        verb: 'update',
        group: GPU_QUOTA_GROUP,
        resource: 'gpuquotas',
        scope,
        scopeName,
      })
    ).allowed;

  async function requireNamespace(namespace: string) {
    const ns = await kube.namespace(namespace);
    if (!ns)
      throw new AppError(404, 'NotFound', 'GPU_QUOTA_NAMESPACE_NOT_FOUND', { namespace }, { namespace });
    return ns;
  }

  /** Model of each node that has one, for per-model use. */
  const modelOfNode = (nodes: Awaited<ReturnType<GpuQuotaKube['nodes']>>) => {
    const map = new Map<string, string>();
    for (const node of nodes) {
      const model = node.metadata?.labels?.[NVIDIA_PRODUCT_LABEL];
      if (model && node.metadata?.name) map.set(node.metadata.name, model);
    }
    return map;
  };

  async function projectState(namespace: string) {
    const [ns, quotas, pods, events, nodes, choice] = await Promise.all([
      requireNamespace(namespace),
      kube.resourceQuotas(namespace),
      kube.pods(namespace),
      kube.events(namespace),
      kube.nodes(),
      enforcer(),
    ]);
    const ours = quotas.find((q) => q.metadata?.name === GPU_QUOTA_OBJECT_NAME);
    const read = readProjectQuota(ours, table);
    const used = mergeUsage(read.used, usageFromPods(pods, modelOfNode(nodes), table).get(namespace));
    const blocked = blockedWork(pods, events, { table });
    return {
      workspace: ns.metadata?.labels?.[WORKSPACE_LABEL],
      quotas,
      read,
      used,
      blocked,
      choice,
      catalogue: buildCatalogue(nodes, table),
    };
  }

  async function projectView(
    caller: Caller,
    namespace: string,
    extraWarnings: FieldProblem[] = [],
  ): Promise<ProjectGpuQuota> {
    const [state, canEdit] = await Promise.all([
      projectState(namespace),
      may(caller, 'namespace', namespace),
    ]);
    const { read, used, blocked, choice, workspace } = state;
    const pending = pendingByNamespace(blocked).get(namespace) ?? new Map<string, number>();
    const warnings: FieldProblem[] = [
      ...extraWarnings,
      ...read.drift,
      ...otherGpuQuotas(state.quotas, read.rows, table),
    ];
    let baseNotEnforced = false;
    const rows = read.rows.map((row, index) => {
      const enforcement = rowEnforcement(row, choice, `spec.resources[${index}]`, table);
      if (enforcement.base.state === 'recorded' && row.base > 0 && !baseNotEnforced) {
        baseNotEnforced = true;
        warnings.push(
          enforcement.base.problem ??
            problem(`spec.resources[${index}].base`, 'GPU_QUOTA_BASE_NOT_ENFORCED', {}),
        );
      }
      const key = rowKey(row.resource, row.model);
      return {
        ...rowOut(row),
        used: used.get(key) ?? 0,
        pending: pending.get(key) ?? pending.get(row.resource) ?? 0,
        unit: describeResource(row.resource, table)?.unit ?? 'device',
        enforcement: {
          base: { state: enforcement.base.state, by: enforcement.base.by },
          max: { state: enforcement.max.state, by: enforcement.max.by },
        },
      };
    });
    // A pinned enforcer that is not installed is said once, at the first row's base if one has a base.
    if (choice.problem && !warnings.some((w) => w.code === choice.problem!.code))
      warnings.push(choice.problem);
    const limited = new Set(read.rows.map((r) => r.resource));
    const unlimitedUse: Record<string, number> = {};
    for (const [key, value] of used)
      if (!key.includes('@') && !limited.has(key) && value > 0) unlimitedUse[key] = value;
    return {
      namespace,
      ...(workspace ? { workspace } : {}),
      enforcer: enforcerInfo(choice, caller.lang),
      rows,
      unlimitedUse,
      blocked,
      warnings: warnings.map((w) => localize(caller.lang, w)),
      canEdit,
    };
  }

  // ---- workspace storage -------------------------------------------------------------------------------

  interface StoredWorkspace {
    storage: 'kubesphere' | 'configmap';
    rows: QuotaRow[];
  }

  async function readWorkspace(workspace: string): Promise<StoredWorkspace> {
    const crds = await kube.crdNames();
    if (crds.has(KUBESPHERE_QUOTA_CRD)) {
      const obj = await kube.read<KubernetesObject>({
        apiVersion: KUBESPHERE_QUOTA_API_VERSION,
        kind: 'ResourceQuota',
        name: workspace,
      });
      return {
        storage: 'kubesphere',
        rows: decodeQuotaAnnotation(obj?.metadata?.annotations?.[GPU_QUOTA_ANNOTATION]) ?? [],
      };
    }
    const cm = await kube.read<V1ConfigMap>(configMapRef(workspace));
    return { storage: 'configmap', rows: decodeQuotaAnnotation(cm?.data?.[WORKSPACE_CONFIGMAP_KEY]) ?? [] };
  }

  const configMapRef = (workspace: string): ObjectRef => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: workspaceConfigMapName(workspace),
    namespace: kube.ownNamespace,
  });

  async function writeWorkspace(workspace: string, storage: StoredWorkspace['storage'], rows: QuotaRow[]) {
    if (storage === 'kubesphere') {
      const ref = { apiVersion: KUBESPHERE_QUOTA_API_VERSION, kind: 'ResourceQuota', name: workspace };
      if (rows.length === 0) {
        // Only when the object is ours alone: KubeSphere's own page may have put CPU/memory into it.
        const current = await kube.read<
          KubernetesObject & { spec?: { quota?: { hard?: Record<string, string> } } }
        >(ref);
        const hard = Object.keys(current?.spec?.quota?.hard ?? {});
        const onlyOurs = hard.every((k) => describeResource(k.replace(/^(requests|limits)\./, ''), table));
        if (!current) return;
        if (onlyOurs) return kube.remove(ref);
      }
      const object = kubesphereWorkspaceQuota(workspace, rows, table);
      return kube.apply({
        ...object,
        metadata: { ...object.metadata, labels: ownLabels() },
      } as KubernetesObject);
    }
    const ref = configMapRef(workspace);
    if (rows.length === 0) return kube.remove(ref);
    const cm: V1ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: ref.name,
        namespace: ref.namespace!,
        labels: { ...ownLabels(), [WORKSPACE_NAME_LABEL]: workspace },
      },
      data: { [WORKSPACE_CONFIGMAP_KEY]: encodeQuotaAnnotation(rows) },
    };
    return kube.apply(cm as KubernetesObject);
  }

  /** Every project of the workspace with its current rows (from our ResourceQuotas, read now). */
  async function workspaceProjects(workspace: string): Promise<ProjectRows[]> {
    const [names, quotas] = await Promise.all([kube.namespacesOfWorkspace(workspace), kube.ownQuotas()]);
    const byNamespace = new Map<string, V1ResourceQuota>();
    for (const q of quotas) {
      if (q.metadata?.name === GPU_QUOTA_OBJECT_NAME && q.metadata.namespace)
        byNamespace.set(q.metadata.namespace, q);
    }
    return names.map((namespace) => ({
      namespace,
      rows: readProjectQuota(byNamespace.get(namespace), table).rows,
    }));
  }

  async function workspaceView(
    caller: Caller,
    workspace: string,
    extraWarnings: FieldProblem[] = [],
  ): Promise<WorkspaceGpuQuota> {
    const [stored, projects, canEdit] = await Promise.all([
      readWorkspace(workspace),
      workspaceProjects(workspace),
      may(caller, 'workspace', workspace),
    ]);
    return {
      workspace,
      storage: stored.storage,
      rows: workspaceSplit(stored.rows, projects),
      projects: projects
        .filter((p) => p.rows.length > 0)
        .map((p) => ({ namespace: p.namespace, rows: p.rows.map(rowOut) })),
      warnings: extraWarnings.map((w) => localize(caller.lang, w)),
      canEdit,
    };
  }

  // ---- scheduler objects -----------------------------------------------------------------------------------

  async function writeQueues(namespace: string, rows: QuotaRow[], choice: EnforcerChoice): Promise<void> {
    const queued = rows.filter((r) => describeResource(r.resource, table)?.countable);
    const kueueInstalled = choice.installed.includes('kueue');
    const volcanoInstalled = choice.installed.includes('volcano');
    const kueueRefs: ObjectRef[] = [
      { apiVersion: KUEUE_API_VERSION, kind: 'LocalQueue', name: LOCAL_QUEUE_NAME, namespace },
      { apiVersion: KUEUE_API_VERSION, kind: 'ClusterQueue', name: clusterQueueName(namespace) },
    ];
    const volcanoRef: ObjectRef = {
      apiVersion: VOLCANO_API_VERSION,
      kind: 'Queue',
      name: volcanoQueueName(namespace),
    };

    if (choice.enforcer === 'kueue' && queued.length > 0) {
      const objects = kueueObjects(namespace, queued, table);
      // Flavors are shared: applying them again changes nothing; they are never deleted here.
      for (const flavor of objects.flavors) await kube.apply(flavor as KubernetesObject);
      await kube.apply(objects.clusterQueue as KubernetesObject);
      await kube.apply(objects.localQueue as KubernetesObject);
    } else if (kueueInstalled) {
      for (const ref of kueueRefs) await kube.remove(ref);
    }
    if (choice.enforcer === 'volcano' && queued.length > 0) {
      await kube.apply(volcanoQueue(namespace, queued, table) as KubernetesObject);
    } else if (volcanoInstalled) {
      await kube.remove(volcanoRef);
    }
  }

  // ---- the service -----------------------------------------------------------------------------------------

  return {
    async listGpuResources(caller) {
      const [cat, choice] = await Promise.all([catalogue(), enforcer()]);
      return {
        items: cat.resources,
        migStrategies: cat.migStrategies,
        migProfiles: cat.migProfiles,
        enforcer: enforcerInfo(choice, caller.lang),
      };
    },

    getProjectQuota: (caller, namespace) => projectView(caller, namespace),

    async updateProjectQuota(caller, namespace, body) {
      const rows = toRows(body.resources);
      const state = await projectState(namespace);
      const validation = validateQuota(
        { resources: rows },
        {
          scope: 'project',
          name: namespace,
          catalogue: state.catalogue,
          used: state.used,
          force: body.force === true,
          table,
          ...(deps.maxAmount ? { maxAmount: deps.maxAmount } : {}),
        },
      );
      if (!validation.ok) throw refuse(caller.lang, validation.errors);

      const write = async () => {
        if (state.workspace) {
          const [stored, projects] = await Promise.all([
            readWorkspace(state.workspace),
            workspaceProjects(state.workspace),
          ]);
          if (stored.rows.length > 0) {
            const problems = checkProjectInWorkspace({
              workspace: state.workspace,
              workspaceRows: stored.rows,
              projects,
              namespace,
              rows,
            });
            if (problems.length > 0) {
              const overflow = problems.some((p) => p.code === 'GPU_QUOTA_WORKSPACE_OVERFLOW');
              throw refuse(caller.lang, problems, overflow ? 409 : 400);
            }
          }
        }
        // Clearing a project that never had a quota of ours writes nothing.
        const exists = state.quotas.some((q) => q.metadata?.name === GPU_QUOTA_OBJECT_NAME);
        if (rows.length > 0 || exists)
          await kube.apply(resourceQuotaApply(namespace, sortRows(rows), table) as KubernetesObject);
        await writeQueues(namespace, rows, state.choice);
      };
      // Within a workspace, edits are serialised so that two projects cannot both take what is left.
      await (state.workspace ? lock(`ws:${state.workspace}`, write) : lock(`ns:${namespace}`, write));
      return projectView(caller, namespace, validation.warnings);
    },

    getWorkspaceQuota: (caller, workspace) => workspaceView(caller, workspace),

    async updateWorkspaceQuota(caller, workspace, body) {
      const rows = toRows(body.resources);
      const cat = await catalogue();
      const validation = validateQuota(
        { resources: rows },
        {
          scope: 'workspace',
          name: workspace,
          catalogue: cat,
          table,
          ...(deps.maxAmount ? { maxAmount: deps.maxAmount } : {}),
        },
      );
      if (!validation.ok) throw refuse(caller.lang, validation.errors);
      await lock(`ws:${workspace}`, async () => {
        const [stored, projects] = await Promise.all([
          readWorkspace(workspace),
          workspaceProjects(workspace),
        ]);
        const problems = checkWorkspaceAgainstProjects(workspace, rows, projects);
        if (problems.length > 0) throw refuse(caller.lang, problems, 409);
        await writeWorkspace(workspace, stored.storage, sortRows(rows));
      });
      return workspaceView(caller, workspace, validation.warnings);
    },

    async clusterView(caller) {
      const [snapshot, choice] = await Promise.all([kube.clusterSnapshot(), enforcer()]);
      const cat = buildCatalogue(snapshot.nodes, table);
      const usage = usageFromPods(snapshot.pods, modelOfNode(snapshot.nodes), table);
      const pending = pendingByNamespace(podsBlocked(snapshot.pods, table));
      const quotas = [...snapshot.quotas]
        .filter((q) => q.metadata?.name === GPU_QUOTA_OBJECT_NAME)
        .sort((a, b) => ((a.metadata?.namespace ?? '') < (b.metadata?.namespace ?? '') ? -1 : 1));
      const projects: ProjectState[] = quotas.map((q) => {
        const namespace = q.metadata!.namespace!;
        const read = cachedRead(q);
        const workspace = snapshot.workspaceOf.get(namespace);
        const projectPending = pending.get(namespace);
        return {
          namespace,
          ...(workspace ? { workspace } : {}),
          rows: read.rows,
          used: mergeUsage(read.used, usage.get(namespace)),
          ...(projectPending ? { pending: projectPending } : {}),
        };
      });
      return { ...clusterView(cat, projects, { table }), enforcer: enforcerInfo(choice, caller.lang) };
    },
  };

  /** The informer hands out the same object until it changes: parse each annotation once. */
  function cachedRead(quota: V1ResourceQuota): ProjectQuotaRead {
    let read = readCache.get(quota);
    if (!read) readCache.set(quota, (read = readProjectQuota(quota, table)));
    return read;
  }
}

const readCache = new WeakMap<V1ResourceQuota, ProjectQuotaRead>();
