// The cluster view: per resource and model, physical capacity vs Σbase vs Σmax (over-commitment when Σbase
// exceeds what nodes can give), every project's base/max/used/pending, and the top consumers.
//
// One pass over the projects and their rows, map lookups only, and a bounded top-k per resource, so the
// cost is linear in namespaces × rows: the endpoint answers for 5,000 namespaces within its latency budget.
// Projects are returned in input order (the caller's cache already keeps them sorted by name).
import type { GpuCatalogue } from './catalogue.js';
import type { QuotaRow } from './model.js';
import {
  describeResource,
  KNOWN_GPU_RESOURCES,
  rowKey,
  splitRowKey,
  type GpuUnit,
  type ResourceTable,
} from './resources.js';

export interface ProjectState {
  namespace: string;
  workspace?: string;
  rows: readonly QuotaRow[];
  /** Use per row key (resource totals and `resource@model`); see usage.ts. */
  used: ReadonlyMap<string, number>;
  /** Requested by work that is blocked (pending.ts), per row key. */
  pending?: ReadonlyMap<string, number>;
}

export interface Consumer {
  namespace: string;
  workspace?: string;
  used: number;
  max?: number;
}

export interface ClusterViewRow {
  resource: string;
  model?: string;
  unit: GpuUnit;
  countable: boolean;
  capacity: number;
  allocatable: number;
  physicalDevices?: number;
  sumBase: number;
  sumMax: number;
  used: number;
  pending: number;
  /** Projects with a quota row here. */
  projects: number;
  /** Σbase > allocatable: the guarantees cannot all be honoured at once. */
  overcommitted: boolean;
  /** Largest users first (resource-level rows only). */
  topConsumers: Consumer[];
}

export interface ProjectViewRow {
  resource: string;
  model?: string;
  base: number;
  max: number;
  used: number;
  pending: number;
}

export interface ProjectView {
  namespace: string;
  workspace?: string;
  rows: ProjectViewRow[];
}

export interface ClusterView {
  /** Resource rows, each followed by its model rows; sorted by resource, then model. */
  resources: ClusterViewRow[];
  projects: ProjectView[];
  /** How many rows are over-committed. */
  overcommitted: number;
}

/** Keeps the k largest consumers seen, in order; O(k) per insert with k small and fixed. */
function pushTop(top: Consumer[], consumer: Consumer, k: number): void {
  if (consumer.used <= 0) return;
  if (top.length === k && top[k - 1]!.used >= consumer.used) return;
  let i = Math.min(top.length, k - 1);
  top[i] = consumer;
  while (i > 0 && top[i - 1]!.used < consumer.used) {
    top[i] = top[i - 1]!;
    i--;
  }
  top[i] = consumer;
}

export function clusterView(
  catalogue: GpuCatalogue,
  projects: Iterable<ProjectState>,
  options: { top?: number; table?: ResourceTable } = {},
): ClusterView {
  const k = options.top ?? 10;
  const table = options.table ?? KNOWN_GPU_RESOURCES;
  const rows = new Map<string, ClusterViewRow>();

  const rowFor = (key: string): ClusterViewRow => {
    let row = rows.get(key);
    if (row) return row;
    const { resource, model } = splitRowKey(key);
    const descriptor = describeResource(resource, table);
    row = {
      resource,
      ...(model !== undefined ? { model } : {}),
      unit: descriptor?.unit ?? 'device',
      countable: descriptor?.countable ?? true,
      capacity: 0,
      allocatable: 0,
      sumBase: 0,
      sumMax: 0,
      used: 0,
      pending: 0,
      projects: 0,
      overcommitted: false,
      topConsumers: [],
    };
    rows.set(key, row);
    return row;
  };

  for (const entry of catalogue.resources) {
    const row = rowFor(rowKey(entry.resource));
    row.capacity = entry.capacity;
    row.allocatable = entry.allocatable;
    if (entry.physicalDevices !== undefined) row.physicalDevices = entry.physicalDevices;
    for (const m of entry.models) {
      const modelRow = rowFor(rowKey(entry.resource, m.model));
      modelRow.capacity = m.capacity;
      modelRow.allocatable = m.allocatable;
      if (m.physicalDevices !== undefined) modelRow.physicalDevices = m.physicalDevices;
    }
  }

  const projectViews: ProjectView[] = [];
  for (const project of projects) {
    const view: ProjectView = {
      namespace: project.namespace,
      ...(project.workspace ? { workspace: project.workspace } : {}),
      rows: [],
    };
    const maxOfResource = new Map<string, number>();
    const counted = new Set<string>();
    for (const quotaRow of project.rows) {
      const key = rowKey(quotaRow.resource, quotaRow.model);
      const resourceRow = rowFor(rowKey(quotaRow.resource));
      resourceRow.sumBase += quotaRow.base;
      resourceRow.sumMax += quotaRow.max;
      if (!counted.has(quotaRow.resource)) {
        resourceRow.projects += 1;
        counted.add(quotaRow.resource);
      }
      maxOfResource.set(quotaRow.resource, (maxOfResource.get(quotaRow.resource) ?? 0) + quotaRow.max);
      if (quotaRow.model !== undefined) {
        const modelRow = rowFor(key);
        modelRow.sumBase += quotaRow.base;
        modelRow.sumMax += quotaRow.max;
        modelRow.projects += 1;
      }
      view.rows.push({
        resource: quotaRow.resource,
        ...(quotaRow.model !== undefined ? { model: quotaRow.model } : {}),
        base: quotaRow.base,
        max: quotaRow.max,
        used: project.used.get(key) ?? 0,
        pending: project.pending?.get(key) ?? 0,
      });
    }
    for (const [key, used] of project.used) {
      const row = rowFor(key);
      row.used += used;
      if (row.model === undefined) {
        const max = maxOfResource.get(row.resource);
        pushTop(
          row.topConsumers,
          {
            namespace: project.namespace,
            ...(project.workspace ? { workspace: project.workspace } : {}),
            used,
            ...(max !== undefined ? { max } : {}),
          },
          k,
        );
      }
    }
    for (const [key, pending] of project.pending ?? []) rowFor(key).pending += pending;
    projectViews.push(view);
  }

  let overcommitted = 0;
  for (const row of rows.values()) {
    row.overcommitted = row.sumBase > row.allocatable;
    if (row.overcommitted) overcommitted += 1;
  }
  // Sorting the few resource/model rows, never the projects.
  const resources = [...rows.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, row]) => row);
  return { resources, projects: projectViews, overcommitted };
}
