// The namespace ResourceQuota that enforces a project's GPU max, and reading a project quota back from it.
//
// We own one ResourceQuota per namespace, written with server-side apply under our own field manager and
// listing only our GPU keys, so entries of other managers in the same object (requests.cpu set by
// KubeSphere's quota editor, say) stay theirs and stay untouched; keys we drop from our apply configuration
// are removed by the apiserver because we owned them. The base, and the per-model split the apiserver cannot
// express, live in one annotation on the same object: the quota and its explanation change atomically.
import type { V1ResourceQuota } from '@kubernetes/client-node';
import type { QuotaView } from '../../clients/kube-projections.js';
import { sortRows, totalsPerResource, type QuotaRow } from './model.js';
import { problem, type FieldProblem } from './problems.js';
import { formatQuantity, parseQuantity } from './quantity.js';
import { describeResource, KNOWN_GPU_RESOURCES, quotaKeyFor, type ResourceTable } from './resources.js';

export const GPU_QUOTA_OBJECT_NAME = 'ks-gpu-ml-gpu-quota';
export const GPU_QUOTA_FIELD_MANAGER = 'ks-gpu-ml-gpu-quota';
/** JSON `{"version":1,"resources":[{resource, model?, base, max}]}`: the quota as the user set it. */
export const GPU_QUOTA_ANNOTATION = 'gpu-quota.ks-gpu-ml.io/quota';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'ks-gpu-ml';
export const COMPONENT_LABEL = 'app.kubernetes.io/component';
export const COMPONENT_VALUE = 'gpu-quota';

export const ownLabels = (): Record<string, string> => ({
  [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
  [COMPONENT_LABEL]: COMPONENT_VALUE,
});

/**
 * Whether we made this object: our managed-by label and our field manager among its managed fields. A
 * same-named object of someone else (a LocalQueue `gpu-quota` a team made by hand) fails one or both.
 */
export function madeByUs(object: {
  metadata?: { labels?: Record<string, string>; managedFields?: { manager?: string }[] };
}): boolean {
  const labelled = object.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
  return (
    labelled && (object.metadata?.managedFields ?? []).some((f) => f.manager === GPU_QUOTA_FIELD_MANAGER)
  );
}

/** An apply configuration: only the fields we own. */
export interface ResourceQuotaApply {
  apiVersion: 'v1';
  kind: 'ResourceQuota';
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  spec: { hard: Record<string, string> };
}

interface StoredQuota {
  version: 1;
  resources: QuotaRow[];
}

export function encodeQuotaAnnotation(rows: readonly QuotaRow[]): string {
  const stored: StoredQuota = {
    version: 1,
    resources: sortRows(rows).map(({ resource, model, base, max }) => ({
      resource,
      ...(model !== undefined ? { model } : {}),
      base,
      max,
    })),
  };
  return JSON.stringify(stored);
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** The rows in our annotation, or undefined when it is absent or not ours to trust (hand-edited into junk). */
export function decodeQuotaAnnotation(value: string | undefined): QuotaRow[] | undefined {
  if (value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  const stored = parsed as Partial<StoredQuota> | null;
  if (!stored || stored.version !== 1 || !Array.isArray(stored.resources)) return undefined;
  const rows: QuotaRow[] = [];
  for (const raw of stored.resources as Partial<QuotaRow>[]) {
    if (typeof raw?.resource !== 'string' || !isCount(raw.base) || !isCount(raw.max)) return undefined;
    if (raw.model !== undefined && typeof raw.model !== 'string') return undefined;
    rows.push({
      resource: raw.resource,
      ...(raw.model ? { model: raw.model } : {}),
      base: raw.base,
      max: raw.max,
    });
  }
  return rows;
}

/**
 * The object to apply for a project's quota. Max is summed per resource, because the apiserver cannot tell
 * GPU models apart under one resource name (per-model max is enforced by Kueue flavors where installed).
 * An empty row list yields an empty `hard`: applying it releases every GPU key we held.
 */
export function resourceQuotaApply(
  namespace: string,
  rows: readonly QuotaRow[],
  table: ResourceTable = KNOWN_GPU_RESOURCES,
): ResourceQuotaApply {
  const hard: Record<string, string> = {};
  for (const [resource, { max }] of totalsPerResource(rows))
    hard[quotaKeyFor(resource, table)] = formatQuantity(max);
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: {
      name: GPU_QUOTA_OBJECT_NAME,
      namespace,
      labels: ownLabels(),
      annotations: { [GPU_QUOTA_ANNOTATION]: encodeQuotaAnnotation(rows) },
    },
    spec: { hard },
  };
}

/** `requests.nvidia.com/gpu` → `nvidia.com/gpu` when the key is a GPU quota key (either prefix). */
export function gpuResourceOfQuotaKey(
  key: string,
  table: ResourceTable = KNOWN_GPU_RESOURCES,
): string | undefined {
  for (const prefix of ['requests.', 'limits.'] as const) {
    if (!key.startsWith(prefix)) continue;
    const resource = key.slice(prefix.length);
    const descriptor = describeResource(resource, table);
    return descriptor ? resource : undefined;
  }
  return undefined;
}

export interface ProjectQuotaRead {
  rows: QuotaRow[];
  /** Use per resource as the apiserver counts it (status.used of `requests.` keys). */
  used: Map<string, number>;
  /** Whether rows came from our annotation (false: reconstructed from spec.hard, base unknown → 0). */
  fromAnnotation: boolean;
  /** Places where spec.hard no longer matches the recorded max. */
  drift: FieldProblem[];
}

/** Reads base/max/used back from our ResourceQuota (undefined: the namespace has no GPU quota of ours). */
export function readProjectQuota(
  quota: QuotaView | undefined,
  table: ResourceTable = KNOWN_GPU_RESOURCES,
): ProjectQuotaRead {
  const used = new Map<string, number>();
  for (const [key, raw] of Object.entries(quota?.status?.used ?? {})) {
    const resource = gpuResourceOfQuotaKey(key, table);
    const value = parseQuantity(raw);
    // limits.<amount> keys are not tracked by the apiserver (HAMi's scheduler counts them itself).
    if (resource && key.startsWith('requests.') && value !== undefined) used.set(resource, value);
  }
  const hard = new Map<string, number>();
  for (const [key, raw] of Object.entries(quota?.spec?.hard ?? {})) {
    const resource = gpuResourceOfQuotaKey(key, table);
    const value = parseQuantity(raw);
    if (resource && value !== undefined && key === quotaKeyFor(resource, table)) hard.set(resource, value);
  }

  const recorded = decodeQuotaAnnotation(quota?.metadata?.annotations?.[GPU_QUOTA_ANNOTATION]);
  if (!recorded) {
    const rows = [...hard].map(([resource, max]) => ({ resource, base: 0, max }));
    return { rows: sortRows(rows), used, fromAnnotation: false, drift: [] };
  }
  const drift: FieldProblem[] = [];
  const totals = totalsPerResource(recorded);
  const quotaName = quota?.metadata?.name ?? GPU_QUOTA_OBJECT_NAME;
  for (const resource of new Set([...totals.keys(), ...hard.keys()])) {
    const recordedMax = totals.get(resource)?.max;
    const actual = hard.get(resource);
    if (recordedMax === actual) continue;
    const index = recorded.findIndex((r) => r.resource === resource);
    drift.push(
      problem(index >= 0 ? `spec.resources[${index}].max` : 'spec.resources', 'GPU_QUOTA_DRIFT', {
        key: quotaKeyFor(resource, table),
        quota: quotaName,
        actual: actual ?? 'unset',
        recorded: recordedMax ?? 'unset',
      }),
    );
  }
  return { rows: sortRows(recorded), used, fromAnnotation: true, drift };
}

/**
 * Other ResourceQuotas in the namespace that also limit a GPU resource (KubeSphere's own project quota
 * editor writes requests.nvidia.com/gpu into its object). Every matching quota applies, so the lowest wins:
 * the editor shows these next to our max rather than pretending ours is the only one.
 */
export function otherGpuQuotas(
  quotas: readonly V1ResourceQuota[],
  rows: readonly QuotaRow[],
  table: ResourceTable = KNOWN_GPU_RESOURCES,
): FieldProblem[] {
  const found: FieldProblem[] = [];
  for (const quota of quotas) {
    if (quota.metadata?.name === GPU_QUOTA_OBJECT_NAME) continue;
    for (const [key, raw] of Object.entries(quota.spec?.hard ?? {})) {
      const resource = gpuResourceOfQuotaKey(key, table);
      if (!resource) continue;
      const index = rows.findIndex((r) => r.resource === resource);
      found.push(
        problem(
          index >= 0 ? `spec.resources[${index}].max` : 'spec.resources',
          'GPU_QUOTA_OTHER_QUOTA_LIMITS',
          {
            quota: quota.metadata?.name ?? '',
            namespace: quota.metadata?.namespace ?? '',
            key,
            value: String(raw),
          },
        ),
      );
    }
  }
  return found;
}
