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
import { authorityOf, type Authority } from './authority.js';
import { buildCatalogue, type GpuCatalogue } from './catalogue.js';
import { withClaim } from './claim.js';
import { clusterView, type ProjectState } from './cluster-view.js';
import {
  allHoldings,
  decodeRecords,
  overcommitProblems,
  PROJECT_RECORD_SELECTOR,
  type Holding,
} from './holdings.js';
import type { GpuQuotaKube, ObjectRef } from './kube-io.js';
import { sortRows, validateQuota, type QuotaRow } from './model.js';
import { blockedWork, pendingByNamespace, podsBlocked } from './pending.js';
import { problem, type FieldProblem } from './problems.js';
import { foreignInTheWay, forgetDeletedProject, removeIfOurs, writeProjectQuota } from './project-write.js';
import {
  decodeQuotaAnnotation,
  encodeQuotaAnnotation,
  GPU_QUOTA_ANNOTATION,
  GPU_QUOTA_OBJECT_NAME,
  otherGpuQuotas,
  ownLabels,
  readProjectQuota,
  type ProjectQuotaRead,
} from './resourcequota.js';
import { describeResource, KNOWN_GPU_RESOURCES, NVIDIA_PRODUCT_LABEL, rowKey } from './resources.js';
import { chooseEnforcer, rowEnforcement, type EnforcerChoice, type EnforcerSetting } from './scheduler.js';
import { mergeUsage, usageFromPods } from './usage.js';
import {
  checkProjectInWorkspace,
  checkWorkspaceAgainstProjects,
  KUBESPHERE_QUOTA_API_VERSION,
  kubesphereWorkspaceQuota,
  rowsOutsideWorkspace,
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

/**
 * Serialises work per key in this process. Every quota write takes the one key CLUSTER_LOCK: the cluster's
 * Σbase spans every project, so two writers anywhere could otherwise both pass the check (docs/adr/0013).
 */
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

const CLUSTER_LOCK = 'cluster';

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

  const authority = authorityOf(authorizer);

  /** 403 for a caller whose authority does not reach this write. */
  const forbidden = (key: string, params: Record<string, string>) =>
    new AppError(403, 'Forbidden', key, params, { group: GPU_QUOTA_GROUP, resource: 'gpuquotas', ...params });

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
    const read = { ...readProjectQuota(ours, table), quota: ours };
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
    const [state, records] = await Promise.all([
      projectState(namespace),
      kube.ownConfigMaps(PROJECT_RECORD_SELECTOR),
    ]);
    const { read, used, blocked, choice, workspace } = state;
    const holding = allHoldings(decodeRecords(records), read.quota ? [read.quota] : [], table).get(namespace);
    const heldRows = holding?.rows ?? [];
    const who = await authority(caller, workspace);
    // A workspace admin can save only within a workspace quota, so without one the editor is not offered.
    const canEdit =
      who === 'cluster' ||
      (who === 'workspace' && workspace !== undefined && (await readWorkspace(workspace)).rows.length > 0);
    const pending = pendingByNamespace(blocked).get(namespace) ?? new Map<string, number>();
    const warnings: FieldProblem[] = [
      ...extraWarnings,
      ...(holding?.mismatch ?? []),
      ...read.drift,
      ...otherGpuQuotas(state.quotas, heldRows, table),
    ];
    let baseNotEnforced = false;
    const rows = heldRows.map((row, index) => {
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
    const limited = new Set(heldRows.map((r) => r.resource));
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
      canOvercommit: who === 'cluster',
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

  /** Writes the workspace quota; returns warnings (an object of others left in place). */
  async function writeWorkspace(
    workspace: string,
    storage: StoredWorkspace['storage'],
    rows: QuotaRow[],
  ): Promise<FieldProblem[]> {
    if (storage === 'kubesphere') {
      const ref = { apiVersion: KUBESPHERE_QUOTA_API_VERSION, kind: 'ResourceQuota', name: workspace };
      if (rows.length === 0) {
        // Only when the object is ours alone: KubeSphere's own page may have put CPU/memory into it.
        const current = await kube.read<
          KubernetesObject & { spec?: { quota?: { hard?: Record<string, string> } } }
        >(ref);
        const hard = Object.keys(current?.spec?.quota?.hard ?? {});
        const onlyOurs = hard.every((k) => describeResource(k.replace(/^(requests|limits)\./, ''), table));
        if (!current) return [];
        if (onlyOurs) return removeIfOurs(kube, ref);
      }
      const object = kubesphereWorkspaceQuota(workspace, rows, table);
      await kube.apply({
        ...object,
        metadata: { ...object.metadata, labels: ownLabels() },
      } as KubernetesObject);
      return [];
    }
    const ref = configMapRef(workspace);
    if (rows.length === 0) return removeIfOurs(kube, ref);
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
    await kube.apply(cm as KubernetesObject);
    return [];
  }

  /** What every project holds now: our records, and our ResourceQuotas where they say more. */
  async function holdingsNow(options: { collect?: boolean } = {}): Promise<Map<string, Holding>> {
    const [records, quotas] = await Promise.all([
      kube.ownConfigMaps(PROJECT_RECORD_SELECTOR),
      kube.ownQuotas(),
    ]);
    const recorded = decodeRecords(records);
    // A record without a ResourceQuota: tampered with (held), or its project was deleted (holds nothing).
    const withQuota = new Set(quotas.map((q) => q.metadata?.namespace));
    for (const namespace of [...recorded.keys()].filter((ns) => !withQuota.has(ns))) {
      if (await kube.namespace(namespace)) continue;
      recorded.delete(namespace);
      // Under the write lock, what the deleted project left behind is removed (ours only).
      if (options.collect) await forgetDeletedProject(kube, namespace);
    }
    return allHoldings(recorded, quotas, table);
  }

  /** Every project of the workspace with the rows it holds, and the mismatches found on the way. */
  async function workspaceProjects(
    workspace: string,
    holdings?: ReadonlyMap<string, Holding>,
  ): Promise<{ projects: ProjectRows[]; mismatch: FieldProblem[] }> {
    const [names, held] = await Promise.all([
      kube.namespacesOfWorkspace(workspace),
      holdings ?? holdingsNow(),
    ]);
    return {
      projects: names.map((namespace) => ({ namespace, rows: held.get(namespace)?.rows ?? [] })),
      mismatch: names.flatMap((namespace) => held.get(namespace)?.mismatch ?? []),
    };
  }

  async function workspaceView(
    caller: Caller,
    workspace: string,
    extraWarnings: FieldProblem[] = [],
  ): Promise<WorkspaceGpuQuota> {
    const [stored, { projects, mismatch }, canEdit] = await Promise.all([
      readWorkspace(workspace),
      workspaceProjects(workspace),
      // Only a cluster-level role sets a workspace's quota; its own admin sees it read-only.
      authority(caller, undefined).then((a) => a === 'cluster'),
    ]);
    return {
      workspace,
      storage: stored.storage,
      rows: workspaceSplit(stored.rows, projects),
      projects: projects
        .filter((p) => p.rows.length > 0)
        .map((p) => ({ namespace: p.namespace, rows: p.rows.map(rowOut) })),
      warnings: [...extraWarnings, ...mismatch].map((w) => localize(caller.lang, w)),
      canEdit,
    };
  }

  /**
   * The workspace's part of a project write: its split (409 naming the holders), and the authority line a
   * workspace admin may not cross: no workspace quota, or rows it does not govern (403).
   */
  async function checkAgainstWorkspace(input: {
    caller: Caller;
    who: Authority;
    namespace: string;
    workspace: string | undefined;
    rows: QuotaRow[];
    previous: readonly QuotaRow[];
    holdings: ReadonlyMap<string, Holding>;
  }): Promise<void> {
    const { caller, who, namespace, workspace, rows } = input;
    const outside = (reason: string) =>
      forbidden('GPU_QUOTA_FORBIDDEN_OUTSIDE_WORKSPACE_QUOTA', { user: caller.user.name, namespace, reason });
    if (!workspace) {
      if (who !== 'cluster') throw outside('the project belongs to no workspace');
      return;
    }
    const [stored, { projects }] = await Promise.all([
      readWorkspace(workspace),
      workspaceProjects(workspace, input.holdings),
    ]);
    if (who !== 'cluster') {
      if (stored.rows.length === 0 && rows.length > 0)
        throw outside(`workspace ${workspace} has no GPU quota`);
      const beyond = rowsOutsideWorkspace(stored.rows, rows, input.previous);
      if (beyond.length > 0)
        throw outside(`the GPU quota of workspace ${workspace} does not cover ${beyond[0]!.resource}`);
    }
    if (stored.rows.length === 0) return;
    const problems = checkProjectInWorkspace({
      workspace,
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

  /** The refusal's problem, turned into the warning that the over-commitment was accepted on purpose. */
  const acceptedOvercommit = (p: FieldProblem): FieldProblem =>
    problem(p.path, 'GPU_QUOTA_OVERCOMMIT_ACCEPTED', p.params);

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

      const who = await authority(caller, state.workspace);
      const user = caller.user.name;
      if (who === 'none') throw forbidden('GPU_QUOTA_FORBIDDEN_OWN_PROJECT', { user, namespace });
      if (body.allowBaseOvercommit === true && who !== 'cluster')
        throw forbidden('GPU_QUOTA_FORBIDDEN_OVERCOMMIT', { user, namespace });

      const attempt = async (claim: () => Promise<void>) => {
        const holdings = await holdingsNow({ collect: true });
        const previous = holdings.get(namespace)?.rows ?? [];
        await checkAgainstWorkspace({
          caller,
          who,
          namespace,
          workspace: state.workspace,
          rows,
          previous,
          holdings,
        });
        const overcommit = overcommitProblems({ catalogue: state.catalogue, holdings, namespace, rows });
        if (overcommit.length > 0 && body.allowBaseOvercommit !== true)
          throw refuse(caller.lang, overcommit, 409);
        const inTheWay = await foreignInTheWay(kube, table, { namespace, rows, choice: state.choice });
        if (inTheWay.length > 0) throw refuse(caller.lang, inTheWay, 409);
        const kept = await writeProjectQuota(kube, table, {
          namespace,
          previous,
          rows,
          quotaExists: state.read.quota !== undefined,
          choice: state.choice,
          claim,
        });
        return [...overcommit.map(acceptedOvercommit), ...kept];
      };
      const warnings = await lock(CLUSTER_LOCK, () => withClaim(kube, attempt));
      return projectView(caller, namespace, [...validation.warnings, ...warnings]);
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
      if ((await authority(caller, undefined)) !== 'cluster')
        throw forbidden('GPU_QUOTA_FORBIDDEN_WORKSPACE', { user: caller.user.name, workspace });
      const kept = await lock(CLUSTER_LOCK, () =>
        withClaim(kube, async (claim) => {
          const [stored, { projects }] = await Promise.all([
            readWorkspace(workspace),
            workspaceProjects(workspace),
          ]);
          const problems = checkWorkspaceAgainstProjects(workspace, rows, projects);
          if (problems.length > 0) throw refuse(caller.lang, problems, 409);
          await claim();
          return writeWorkspace(workspace, stored.storage, sortRows(rows));
        }),
      );
      return workspaceView(caller, workspace, [...validation.warnings, ...kept]);
    },

    async clusterView(caller) {
      const [snapshot, choice] = await Promise.all([kube.clusterSnapshot(), enforcer()]);
      const cat = buildCatalogue(snapshot.nodes, table);
      const usage = usageFromPods(snapshot.pods, modelOfNode(snapshot.nodes), table);
      const pending = pendingByNamespace(podsBlocked(snapshot.pods, table));
      const quotaOf = new Map<string, V1ResourceQuota>();
      for (const q of snapshot.quotas)
        if (q.metadata?.name === GPU_QUOTA_OBJECT_NAME && q.metadata.namespace)
          quotaOf.set(q.metadata.namespace, q);
      // Rows held (the record, or more where the ResourceQuota says more): Σbase here is what the checks count.
      const holdings = allHoldings(decodeRecords(snapshot.records), [...quotaOf.values()], table, cachedRead);
      const projects: ProjectState[] = [...holdings.keys()].sort().map((namespace) => {
        const quota = quotaOf.get(namespace);
        const workspace = snapshot.workspaceOf.get(namespace);
        const projectPending = pending.get(namespace);
        return {
          namespace,
          ...(workspace ? { workspace } : {}),
          rows: holdings.get(namespace)!.rows,
          used: mergeUsage(quota ? cachedRead(quota).used : new Map(), usage.get(namespace)),
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
