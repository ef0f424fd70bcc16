/**
 * Which business system an alert hits, its importance and its people — pure: every fact comes through the
 * `BusinessLookupPort` (the kube-apiserver's owner chain and namespaces, the CMDB through its cached adapter), so
 * the rules are tested without servers. Sources are tried in the configured order; the first that names a system
 * wins, and every enriched field records which source and which rule set it (its provenance), and the chain of
 * steps tried says why the others did not (docs/adr, cmdb-linkage).
 */
import type { CmdbContact } from '../../clients/cmdb/adapter.js';

export type BusinessSource = 'workload' | 'namespace' | 'cmdb' | 'workspace';
export const BUSINESS_SOURCES: readonly BusinessSource[] = ['workload', 'namespace', 'cmdb', 'workspace'];

/** Which source and which rule set a field: `rule` is readable (`label app.kubernetes.io/part-of on Deployment a/b`). */
export interface Provenance {
  source: BusinessSource | 'unowned' | 'template';
  rule: string;
}

export interface Enriched<T> {
  value: T;
  provenance: Provenance;
}

/** A person of a business system: the CMDB adapters' contact, whatever source named them. */
export type BusinessContact = CmdbContact;

/** A Kubernetes object as the resolver needs it: its identity, labels and annotations. */
export interface ObjectMeta {
  kind: string;
  namespace?: string;
  name: string;
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
}

/** A business system as a CMDB answers it. `rule` names the record (`NetBox tenant 12 (cf_k8s_namespaces)`). */
export interface CmdbBusiness {
  id: string;
  name: string;
  importance?: string;
  owners: BusinessContact[];
  rule: string;
}

/**
 * A CMDB lookup's answer. `stale`: the CMDB could not be asked (down, slow, garbage) and this is the last known
 * mapping. `error`: a message key (CMDB_*) the receiver sees; set with or without a stale business.
 */
export interface CmdbAnswer {
  business?: CmdbBusiness;
  stale: boolean;
  error?: string;
}

export interface WorkloadRef {
  kind: string;
  namespace: string;
  name: string;
}

export interface BusinessLookupPort {
  /** The object and its controllers upward (pod → ReplicaSet → Deployment …); empty when the object is gone. */
  ownerChain(ref: WorkloadRef): Promise<ObjectMeta[]>;
  namespace(name: string): Promise<ObjectMeta | undefined>;
  /** The CMDB's business for a namespace (BK-CMDB's shared-cluster relation, a NetBox tenant's custom field). */
  cmdbForNamespace?(query: { cluster?: string; namespace: string }): Promise<CmdbAnswer>;
  /** The CMDB's record of a business system named elsewhere (importance, owners). */
  cmdbBusiness?(name: string): Promise<CmdbAnswer>;
}

export interface BusinessMappingConfig {
  order: readonly BusinessSource[];
  /** Label (then annotation) keys naming the business system on a workload. */
  workloadKeys: readonly string[];
  /** Label (then annotation) keys naming it on a namespace. */
  namespaceKeys: readonly string[];
  /** Keys giving importance and owners (comma-separated WeCom user ids) on the same object. */
  importanceKeys: readonly string[];
  ownerKeys: readonly string[];
  workspaceLabel: string;
  /**
   * Alerts about what one workload holds rather than what a system suffers (gpu-monitoring's idle-allocated GPU):
   * their owners are the holder's — the owner keys, else the creator keys, on the pod's owner chain, controllers
   * first — so the message reaches whoever can free the GPU; the system's owners when the chain names nobody.
   */
  holderAlerts?: readonly string[];
  creatorKeys?: readonly string[];
}

export const defaultBusinessMapping: BusinessMappingConfig = {
  order: BUSINESS_SOURCES,
  workloadKeys: ['app.kubernetes.io/part-of', 'business.kubesphere.io/system'],
  namespaceKeys: ['business.kubesphere.io/system', 'app.kubernetes.io/part-of'],
  importanceKeys: ['business.kubesphere.io/importance'],
  ownerKeys: ['business.kubesphere.io/owners'],
  workspaceLabel: 'kubesphere.io/workspace',
  holderAlerts: ['GPUAllocatedIdle'],
  creatorKeys: ['kubesphere.io/creator'],
};

export const UNOWNED = 'unowned';

/** One step of the resolution chain, as the mapping page and the alert detail show it. */
export interface ResolutionStep {
  source: BusinessSource;
  outcome: 'matched' | 'no-match' | 'error' | 'skipped';
  rule: string;
  /** A message key when the step failed (CMDB_*), or what was looked at. */
  detail?: string;
}

export interface BusinessEnrichment {
  system: Enriched<string>;
  unowned: boolean;
  importance?: Enriched<string>;
  owners: Enriched<BusinessContact[]>;
  workloads: Enriched<WorkloadRef[]>;
  cluster?: Enriched<string>;
  /** One line each in en and zh; says so when the CMDB's answer was the last known one. */
  impact: { en: string; zh: string; provenance: Provenance };
  /** The CMDB was not asked successfully: the mapping (if from it) is the last known, `error` its message key. */
  cmdb: { stale: boolean; error?: string };
  chain: ResolutionStep[];
}

export type ImpactTranslate = (lang: 'en' | 'zh', key: string, params: Record<string, unknown>) => string;

/**
 * What resolveBusiness takes besides the labels, handed as one to the pages that resolve as an alert would (the
 * business systems list, the mapping explanation).
 */
export interface ResolverDeps {
  port: BusinessLookupPort;
  config: BusinessMappingConfig;
  translate: ImpactTranslate;
}

/** The alert's own object: its pod, else a workload label kube-state-metrics sets. */
export function alertTarget(labels: Readonly<Record<string, string>>): WorkloadRef | undefined {
  const namespace = labels.namespace;
  if (!namespace) return undefined;
  const candidates: [string, string][] = [
    ['pod', 'Pod'],
    ['deployment', 'Deployment'],
    ['statefulset', 'StatefulSet'],
    ['daemonset', 'DaemonSet'],
    ['job_name', 'Job'],
  ];
  for (const [label, kind] of candidates) {
    const name = labels[label];
    if (name) return { kind, namespace, name };
  }
  return undefined;
}

const describe = (o: ObjectMeta): string => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;

/** The first configured key on the object, labels before annotations. */
function keyOn(o: ObjectMeta, keys: readonly string[]): { value: string; rule: string } | undefined {
  for (const key of keys) {
    for (const [where, map] of [
      ['label', o.labels],
      ['annotation', o.annotations],
    ] as const) {
      const value = map[key]?.trim();
      if (value) return { value, rule: `${where} ${key} on ${describe(o)}` };
    }
  }
  return undefined;
}

/** The controllers first (the real workload), the pod last: a Deployment's label outranks a pod's leftover. */
const topDown = (chain: readonly ObjectMeta[]): ObjectMeta[] => [...chain].reverse();

interface Match {
  source: BusinessSource;
  system: string;
  rule: string;
  /** Where importance and owners may also be read (the matched object). */
  object?: ObjectMeta;
  cmdb?: CmdbAnswer;
}

async function safely<T>(call: () => Promise<T>): Promise<{ value?: T; error?: string }> {
  try {
    return { value: await call() };
  } catch (err) {
    return { error: err instanceof Error ? err.message.slice(0, 200) : String(err).slice(0, 200) };
  }
}

export async function resolveBusiness(
  labels: Readonly<Record<string, string>>,
  port: BusinessLookupPort,
  config: BusinessMappingConfig,
  translate: ImpactTranslate,
): Promise<BusinessEnrichment> {
  const chain: ResolutionStep[] = [];
  const target = alertTarget(labels);
  const namespaceName = labels.namespace;
  let owners: ObjectMeta[] | undefined;
  let namespace: ObjectMeta | undefined | null;
  const cmdbState: { stale: boolean; error?: string } = { stale: false };

  const ownerChain = async () => {
    if (owners) return owners;
    if (!target) return (owners = []);
    const r = await safely(() => port.ownerChain(target));
    if (r.error) chain.push({ source: 'workload', outcome: 'error', rule: 'owner chain', detail: r.error });
    return (owners = r.value ?? []);
  };
  const namespaceMeta = async () => {
    if (namespace !== undefined) return namespace ?? undefined;
    if (!namespaceName) {
      namespace = null;
      return undefined;
    }
    const r = await safely(() => port.namespace(namespaceName));
    namespace = r.value ?? null;
    return namespace ?? undefined;
  };
  const noteCmdb = (answer: CmdbAnswer) => {
    if (answer.stale) cmdbState.stale = true;
    if (answer.error) cmdbState.error ??= answer.error;
  };

  async function trySource(source: BusinessSource): Promise<Match | undefined> {
    if (source === 'workload') {
      const objects = await ownerChain();
      if (objects.length === 0) {
        chain.push({
          source,
          outcome: 'skipped',
          rule: target ? `owner chain of ${target.kind} ${target.namespace}/${target.name}` : 'owner chain',
          detail: target ? 'object not found' : 'alert names no pod or workload',
        });
        return undefined;
      }
      for (const o of topDown(objects)) {
        const hit = keyOn(o, config.workloadKeys);
        if (hit) {
          chain.push({ source, outcome: 'matched', rule: hit.rule, detail: hit.value });
          return { source, system: hit.value, rule: hit.rule, object: o };
        }
      }
      chain.push({
        source,
        outcome: 'no-match',
        rule: `${config.workloadKeys.join(', ')} on ${topDown(objects).map(describe).join(' ← ')}`,
      });
      return undefined;
    }
    if (source === 'namespace' || source === 'workspace') {
      const ns = await namespaceMeta();
      if (!ns) {
        chain.push({
          source,
          outcome: 'skipped',
          rule: `namespace ${namespaceName ?? '(none)'}`,
          detail: 'not found',
        });
        return undefined;
      }
      if (source === 'namespace') {
        const hit = keyOn(ns, config.namespaceKeys);
        chain.push({
          source,
          outcome: hit ? 'matched' : 'no-match',
          rule: hit?.rule ?? `${config.namespaceKeys.join(', ')} on ${describe(ns)}`,
          ...(hit ? { detail: hit.value } : {}),
        });
        return hit && { source, system: hit.value, rule: hit.rule, object: ns };
      }
      const workspace = ns.labels[config.workspaceLabel];
      const rule = `label ${config.workspaceLabel} on ${describe(ns)}`;
      chain.push({
        source,
        outcome: workspace ? 'matched' : 'no-match',
        rule,
        ...(workspace ? { detail: workspace } : {}),
      });
      return workspace ? { source, system: workspace, rule: `workspace of namespace: ${rule}` } : undefined;
    }
    // cmdb
    if (!port.cmdbForNamespace || !namespaceName) {
      chain.push({
        source,
        outcome: 'skipped',
        rule: 'CMDB namespace mapping',
        detail: 'no CMDB configured',
      });
      return undefined;
    }
    const query = labels.cluster
      ? { cluster: labels.cluster, namespace: namespaceName }
      : { namespace: namespaceName };
    const r = await safely(() => port.cmdbForNamespace!(query));
    const answer: CmdbAnswer = r.value ?? { stale: false, error: 'CMDB_UNREACHABLE' };
    noteCmdb(answer);
    if (answer.business) {
      const rule = `${answer.business.rule}${answer.stale ? ' (last known)' : ''}`;
      chain.push({ source, outcome: 'matched', rule, detail: answer.business.name });
      return { source, system: answer.business.name, rule, cmdb: answer };
    }
    chain.push({
      source,
      outcome: answer.error ? 'error' : 'no-match',
      rule: `CMDB namespace mapping of ${namespaceName}`,
      ...(answer.error ? { detail: answer.error } : {}),
    });
    return undefined;
  }

  let match: Match | undefined;
  for (const source of config.order) {
    match = await trySource(source);
    if (match) break;
  }

  const workloadRefs = (await ownerChain()).map((o) => ({
    kind: o.kind,
    namespace: o.namespace ?? '',
    name: o.name,
  }));
  const workloads: Enriched<WorkloadRef[]> = {
    value: workloadRefs.length ? workloadRefs : target ? [target] : [],
    provenance: {
      source: 'workload',
      rule: workloadRefs.length ? 'owner chain from the API' : 'alert labels',
    },
  };
  const cluster = labels.cluster
    ? {
        cluster: {
          value: labels.cluster,
          provenance: { source: 'template' as const, rule: 'alert label cluster' },
        },
      }
    : {};

  const holder = config.holderAlerts?.includes(labels.alertname ?? '')
    ? holderOf(await ownerChain(), config)
    : undefined;
  if (!match) {
    return {
      system: {
        value: UNOWNED,
        provenance: { source: 'unowned', rule: `no source named a system (${config.order.join(' → ')})` },
      },
      unowned: true,
      owners: holder ?? { value: [], provenance: { source: 'unowned', rule: 'no system' } },
      workloads,
      ...cluster,
      impact: impactLines(translate, labels, UNOWNED, undefined, cmdbState.stale, target),
      cmdb: cmdbState,
      chain,
    };
  }

  // Importance and owners: on the matched object first, then the CMDB's record of the system.
  let importance: Enriched<string> | undefined;
  let ownerList: Enriched<BusinessContact[]> | undefined;
  if (match.object) {
    const imp = keyOn(match.object, config.importanceKeys);
    if (imp) importance = { value: imp.value, provenance: { source: match.source, rule: imp.rule } };
    const own = keyOn(match.object, config.ownerKeys);
    if (own) {
      const contacts = own.value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((id) => ({ name: id, wecomUserId: id }));
      ownerList = { value: contacts, provenance: { source: match.source, rule: own.rule } };
    }
  }
  let record = match.cmdb;
  if ((!importance || !ownerList) && !record && port.cmdbBusiness) {
    const r = await safely(() => port.cmdbBusiness!(match.system));
    record = r.value ?? { stale: false, error: 'CMDB_UNREACHABLE' };
    noteCmdb(record);
  }
  if (record?.business) {
    const rule = `${record.business.rule}${record.stale ? ' (last known)' : ''}`;
    if (!importance && record.business.importance) {
      importance = { value: record.business.importance, provenance: { source: 'cmdb', rule } };
    }
    if (!ownerList && record.business.owners.length) {
      const sorted = [...record.business.owners].sort((a, b) => (a.priority ?? 99) - (b.priority ?? 99));
      ownerList = { value: sorted, provenance: { source: 'cmdb', rule } };
    }
  }
  if (holder) ownerList = holder;
  const stale = cmdbState.stale;
  return {
    system: { value: match.system, provenance: { source: match.source, rule: match.rule } },
    unowned: false,
    ...(importance ? { importance } : {}),
    owners: ownerList ?? { value: [], provenance: { source: match.source, rule: 'no owners recorded' } },
    workloads,
    ...cluster,
    impact: impactLines(translate, labels, match.system, importance?.value, stale, target),
    cmdb: cmdbState,
    chain,
  };
}

/** The person holding what the alert is about: owner keys, else creator keys, on the chain, controllers first. */
function holderOf(
  chain: readonly ObjectMeta[],
  config: BusinessMappingConfig,
): Enriched<BusinessContact[]> | undefined {
  for (const keys of [config.ownerKeys, config.creatorKeys ?? []]) {
    for (const o of topDown(chain)) {
      const hit = keyOn(o, keys);
      if (!hit) continue;
      const contacts = hit.value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
        .map((id) => ({ name: id, wecomUserId: id, role: 'holder' }));
      if (contacts.length)
        return {
          value: contacts,
          provenance: { source: 'workload', rule: `${hit.rule} (holds what the alert is about)` },
        };
    }
  }
  return undefined;
}

function impactLines(
  translate: ImpactTranslate,
  labels: Readonly<Record<string, string>>,
  system: string,
  importance: string | undefined,
  stale: boolean,
  target: WorkloadRef | undefined,
): BusinessEnrichment['impact'] {
  const key =
    system === UNOWNED
      ? 'CMDB_ALERTING_BUSINESS_IMPACT_UNOWNED'
      : importance
        ? 'CMDB_ALERTING_BUSINESS_IMPACT'
        : 'CMDB_ALERTING_BUSINESS_IMPACT_NO_IMPORTANCE';
  const params = {
    system,
    importance: importance ?? '',
    alert: labels.alertname ?? 'alert',
    target: target ? `${target.kind} ${target.namespace}/${target.name}` : (labels.namespace ?? '-'),
  };
  const line = (lang: 'en' | 'zh') =>
    translate(lang, key, params) + (stale ? ` ${translate(lang, 'CMDB_ALERTING_BUSINESS_STALE', {})}` : '');
  return { en: line('en'), zh: line('zh'), provenance: { source: 'template', rule: key } };
}
