// What each project holds, from a record tenants cannot write, and whether the cluster can guarantee it.
//
// The annotation on a project's ResourceQuota is in the tenant's namespace: a project admin with
// ResourceQuota rights can blank it or delete the object, and a split that read it would free base the
// project's ClusterQueue still guarantees. So the rows as accepted are also recorded in a ConfigMap in the
// backend's own namespace (docs/adr/0013). The record decides; where the ResourceQuota says more, the larger
// counts as held and the mismatch is reported, never counted as free.
import type { V1ConfigMap } from '@kubernetes/client-node';
import type { QuotaView, RecordView } from '../../clients/kube-projections.js';
import { capacityOf, type GpuCatalogue } from './catalogue.js';
import { sortRows, type QuotaRow } from './model.js';
import { describeRow, problem, type FieldProblem } from './problems.js';
import {
  COMPONENT_LABEL,
  decodeQuotaAnnotation,
  encodeQuotaAnnotation,
  GPU_QUOTA_OBJECT_NAME,
  ownLabels,
  readProjectQuota,
} from './resourcequota.js';
import { rowKey, type ResourceTable } from './resources.js';

export const RECORD_KIND_LABEL = 'gpu-quota.ks-gpu-ml.io/record';
export const RECORD_NAMESPACE_LABEL = 'gpu-quota.ks-gpu-ml.io/namespace';
export const RECORD_KEY = 'quota.json';
/** Selects every project record (and nothing else) in the backend's namespace. */
export const PROJECT_RECORD_SELECTOR = `${COMPONENT_LABEL}=gpu-quota,${RECORD_KIND_LABEL}=project`;

export const projectRecordName = (namespace: string): string => `ks-gpu-ml-project-quota-${namespace}`;

/** The record of a project's rows, as a ConfigMap in the backend's own namespace. */
export function projectRecord(
  ownNamespace: string,
  namespace: string,
  rows: readonly QuotaRow[],
): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: projectRecordName(namespace),
      namespace: ownNamespace,
      labels: { ...ownLabels(), [RECORD_KIND_LABEL]: 'project', [RECORD_NAMESPACE_LABEL]: namespace },
    },
    data: { [RECORD_KEY]: encodeQuotaAnnotation(rows) },
  };
}

/** Project namespace → recorded rows, from the records listed in our namespace. */
export function decodeRecords(records: readonly RecordView[]): Map<string, QuotaRow[]> {
  const byNamespace = new Map<string, QuotaRow[]>();
  for (const cm of records) {
    const namespace = cm.metadata?.labels?.[RECORD_NAMESPACE_LABEL];
    const rows = decodeQuotaAnnotation(cm.data?.[RECORD_KEY]);
    if (namespace && rows) byNamespace.set(namespace, rows);
  }
  return byNamespace;
}

export interface Holding {
  rows: QuotaRow[];
  /** Where the record and the ResourceQuota disagree (reported; the larger is held). */
  mismatch: FieldProblem[];
}

/**
 * Rows held: per row key the larger base and max of the record and what the ResourceQuota says. Without a
 * record (a quota written before records existed) the ResourceQuota is all there is.
 */
export function heldRows(
  namespace: string,
  recorded: readonly QuotaRow[] | undefined,
  found: readonly QuotaRow[],
): Holding {
  if (!recorded) return { rows: sortRows(found), mismatch: [] };
  const held = new Map<string, QuotaRow>(recorded.map((r) => [rowKey(r.resource, r.model), { ...r }]));
  const foundByKey = new Map(found.map((r) => [rowKey(r.resource, r.model), r]));
  const mismatch: FieldProblem[] = [];
  for (const key of new Set([...held.keys(), ...foundByKey.keys()])) {
    const r = held.get(key);
    const f = foundByKey.get(key);
    if (r && f && r.base === f.base && r.max === f.max) continue;
    const some = (r ?? f)!;
    mismatch.push(
      problem('spec.resources', 'GPU_QUOTA_HOLDINGS_MISMATCH', {
        namespace,
        what: describeRow(some.resource, some.model),
        recorded: r ? `base ${r.base}, max ${r.max}` : 'none',
        found: f ? `base ${f.base}, max ${f.max}` : 'none',
      }),
    );
    if (f)
      held.set(key, { ...some, base: Math.max(r?.base ?? 0, f.base), max: Math.max(r?.max ?? 0, f.max) });
  }
  return { rows: sortRows([...held.values()]), mismatch };
}

/** Every project's holding, from the records and our ResourceQuotas (either may be missing). */
export function allHoldings(
  records: ReadonlyMap<string, QuotaRow[]>,
  quotas: readonly QuotaView[],
  table: ResourceTable,
  /** How a ResourceQuota is read (the cluster view passes a memoised reader). */
  read: (quota: QuotaView) => { rows: QuotaRow[] } = (q) => readProjectQuota(q, table),
): Map<string, Holding> {
  const found = new Map<string, QuotaRow[]>();
  for (const q of quotas) {
    if (q.metadata?.name === GPU_QUOTA_OBJECT_NAME && q.metadata.namespace)
      found.set(q.metadata.namespace, read(q).rows);
  }
  const holdings = new Map<string, Holding>();
  for (const namespace of new Set([...records.keys(), ...found.keys()]))
    holdings.set(namespace, heldRows(namespace, records.get(namespace), found.get(namespace) ?? []));
  return holdings;
}

/** Per row key the larger of two row sets: what a record says while a write is in flight. */
export function largerOf(a: readonly QuotaRow[], b: readonly QuotaRow[]): QuotaRow[] {
  return heldRows('', a, b).rows;
}

/**
 * Where the project's new bases would make the cluster's Σbase exceed what it can guarantee (allocatable),
 * per resource and per model. Only rows that raise a base are refused: lowering one is always allowed, even
 * on a cluster already over-committed (capacity can shrink under a quota).
 */
export function overcommitProblems(input: {
  catalogue: GpuCatalogue;
  holdings: ReadonlyMap<string, Holding>;
  namespace: string;
  rows: readonly QuotaRow[];
}): FieldProblem[] {
  const { catalogue, namespace, rows } = input;
  const previous = new Map(
    (input.holdings.get(namespace)?.rows ?? []).map((r) => [rowKey(r.resource, r.model), r.base]),
  );
  // Σbase of the other projects per resource and per resource@model.
  const others = new Map<string, number>();
  const add = (key: string, value: number) => others.set(key, (others.get(key) ?? 0) + value);
  for (const [ns, holding] of input.holdings) {
    if (ns === namespace) continue;
    for (const r of holding.rows) {
      add(r.resource, r.base);
      if (r.model !== undefined) add(rowKey(r.resource, r.model), r.base);
    }
  }
  const mineTotal = new Map<string, number>();
  for (const r of rows) mineTotal.set(r.resource, (mineTotal.get(r.resource) ?? 0) + r.base);

  const problems: FieldProblem[] = [];
  rows.forEach((row, index) => {
    if (row.base <= (previous.get(rowKey(row.resource, row.model)) ?? 0)) return;
    const checks: { model?: string; total: number }[] = [];
    if (row.model !== undefined) {
      const total = (others.get(rowKey(row.resource, row.model)) ?? 0) + row.base;
      checks.push({ model: row.model, total });
    }
    checks.push({ total: (others.get(row.resource) ?? 0) + mineTotal.get(row.resource)! });
    for (const { model, total } of checks) {
      const allocatable = capacityOf(catalogue, row.resource, model)?.allocatable ?? 0;
      if (total <= allocatable) continue;
      problems.push(
        problem(`spec.resources[${index}].base`, 'GPU_QUOTA_CLUSTER_OVERCOMMIT', {
          what: describeRow(row.resource, model),
          total,
          allocatable,
        }),
      );
      break;
    }
  });
  return problems;
}
