// kube-state-metrics-compatible series for the families the GPU backend joins with dcgm-exporter's, and the
// container-status ones cmdb-alerting's rules read (ksm-pod-status.ts): same names, label names and order,
// units and value printing as ksm v2. Label families (kube_*_labels) carry every label, as ksm does with
// --metric-labels-allowlist=pods=[*],nodes=[*],...
import type { NamespaceLike, NodeLike, PodLike } from './k8s-types.js';
import { podStartMillis } from './k8s-types.js';
import { podIds, podStatusFamilies } from './ksm-pod-status.js';
import { familyHeader, formatGoFloat, formatSeries, type Labels } from './prom-text.js';
import { parseQuantity, quantityValue } from './quantity.js';

/** ksm's sanitizeLabelName: every character outside [a-zA-Z0-9_] becomes "_" (nvidia.com/gpu -> nvidia_com_gpu). */
export function sanitizeLabelName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** Kubernetes labels as Prometheus labels, "label_" + sanitized key, sorted by key as ksm sorts them. */
export function kubeLabelsToPrometheus(labels: Record<string, string> | undefined): Labels {
  return Object.entries(labels ?? {})
    .map(([k, v]): [string, string] => [`label_${sanitizeLabelName(k)}`, v])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

const POD_PHASES = ['Pending', 'Succeeded', 'Failed', 'Unknown', 'Running'] as const;

/** Resource name -> [unit, value] as ksm reports it, or undefined for resources ksm skips. */
export function resourceValue(resource: string, quantity: string): [unit: string, value: number] | undefined {
  if (resource === 'cpu') return ['core', parseQuantity(quantity)];
  if (['memory', 'storage', 'ephemeral-storage'].includes(resource) || resource.startsWith('hugepages-')) {
    return ['byte', quantityValue(quantity)];
  }
  if (resource === 'pods') return ['integer', quantityValue(quantity)];
  if (resource.startsWith('attachable-volumes-')) return ['byte', quantityValue(quantity)];
  if (isExtendedResourceName(resource)) return ['integer', quantityValue(quantity)];
  return undefined;
}

/** Extended = a domain-prefixed name outside kubernetes.io (and not a quota "requests." key). */
export function isExtendedResourceName(resource: string): boolean {
  return resource.includes('/') && !resource.includes('kubernetes.io/') && !resource.startsWith('requests.');
}

class FamilyWriter {
  private readonly lines: string[] = [];
  family(name: string, help: string, series: [Labels, number][], type: 'gauge' | 'counter' = 'gauge'): void {
    if (series.length === 0) return;
    this.lines.push(familyHeader(name, help, type));
    for (const [labels, value] of series) this.lines.push(formatSeries(name, labels, formatGoFloat(value)));
  }
  text(): string {
    return this.lines.length ? this.lines.join('\n') + '\n' : '';
  }
}

function containerResources(pods: readonly PodLike[], which: 'requests' | 'limits'): [Labels, number][] {
  const series: [Labels, number][] = [];
  for (const p of pods) {
    for (const c of p.spec?.containers ?? []) {
      for (const [resource, quantity] of Object.entries(c.resources?.[which] ?? {})) {
        const rv = resourceValue(resource, quantity);
        if (!rv || Number.isNaN(rv[1])) continue;
        const labels: Labels = [
          ...podIds(p),
          ['container', c.name],
          ['node', p.spec?.nodeName ?? ''],
          ['resource', sanitizeLabelName(resource)],
          ['unit', rv[0]],
        ];
        series.push([labels, rv[1]]);
      }
    }
  }
  return series;
}

function nodeResources(nodes: readonly NodeLike[], which: 'capacity' | 'allocatable'): [Labels, number][] {
  const series: [Labels, number][] = [];
  for (const n of nodes) {
    for (const [resource, quantity] of Object.entries(n.status?.[which] ?? {}).sort(([a], [b]) =>
      a.localeCompare(b),
    )) {
      const rv = resourceValue(resource, quantity);
      if (!rv || Number.isNaN(rv[1])) continue;
      series.push([
        [
          ['node', n.metadata?.name ?? ''],
          ['resource', sanitizeLabelName(resource)],
          ['unit', rv[0]],
        ],
        rv[1],
      ]);
    }
  }
  return series;
}

function controllerOf(p: PodLike): { kind: string; name: string } | undefined {
  return p.metadata?.ownerReferences?.find((o) => o.controller);
}

export interface ClusterObjects {
  nodes: readonly NodeLike[];
  pods: readonly PodLike[];
  namespaces: readonly NamespaceLike[];
}

/** The /ksm/metrics body. */
export function renderKsm({ nodes, pods, namespaces }: ClusterObjects): string {
  const w = new FamilyWriter();
  w.family(
    'kube_namespace_labels',
    'Kubernetes labels converted to Prometheus labels.',
    namespaces.map((ns) => [
      [['namespace', ns.metadata?.name ?? ''], ...kubeLabelsToPrometheus(ns.metadata?.labels)],
      1,
    ]),
  );
  w.family(
    'kube_node_labels',
    'Kubernetes labels converted to Prometheus labels.',
    nodes.map((n) => [[['node', n.metadata?.name ?? ''], ...kubeLabelsToPrometheus(n.metadata?.labels)], 1]),
  );
  w.family(
    'kube_node_status_capacity',
    'The capacity for different resources of a node.',
    nodeResources(nodes, 'capacity'),
  );
  w.family(
    'kube_node_status_allocatable',
    'The allocatable for different resources of a node that are available for scheduling.',
    nodeResources(nodes, 'allocatable'),
  );
  w.family(
    'kube_pod_info',
    'Information about pod.',
    pods.map((p) => {
      const owner = controllerOf(p);
      const labels: Labels = [
        ...podIds(p),
        ['host_ip', p.status?.hostIP ?? ''],
        ['pod_ip', p.status?.podIP ?? ''],
        ['node', p.spec?.nodeName ?? ''],
        ['created_by_kind', owner?.kind ?? ''],
        ['created_by_name', owner?.name ?? ''],
        ['priority_class', p.spec?.priorityClassName ?? ''],
        ['host_network', String(p.spec?.hostNetwork ?? false)],
      ];
      return [labels, 1];
    }),
  );
  w.family(
    'kube_pod_owner',
    "Information about the Pod's owner.",
    pods.flatMap((p) => {
      const owners = p.metadata?.ownerReferences ?? [];
      if (owners.length === 0) {
        return [
          [
            [
              ...podIds(p),
              ['owner_kind', '<none>'],
              ['owner_name', '<none>'],
              ['owner_is_controller', '<none>'],
            ],
            1,
          ],
        ];
      }
      return owners.map((o): [Labels, number] => [
        [
          ...podIds(p),
          ['owner_kind', o.kind],
          ['owner_name', o.name],
          ['owner_is_controller', String(o.controller ?? false)],
        ],
        1,
      ]);
    }),
  );
  w.family(
    'kube_pod_labels',
    'Kubernetes labels converted to Prometheus labels.',
    pods.map((p) => [[...podIds(p), ...kubeLabelsToPrometheus(p.metadata?.labels)], 1]),
  );
  w.family(
    'kube_pod_start_time',
    'Start time in unix timestamp for a pod.',
    pods.flatMap((p): [Labels, number][] => {
      const start = p.status?.startTime ? podStartMillis(p) : undefined;
      return start === undefined ? [] : [[podIds(p), Math.floor(start / 1000)]];
    }),
  );
  w.family(
    'kube_pod_status_phase',
    'The pods current phase.',
    // One series per phase, 1 for the current one; a pod with no phase yet has none (as in ksm).
    pods.flatMap((p) =>
      p.status?.phase
        ? POD_PHASES.map((phase): [Labels, number] => [
            [...podIds(p), ['phase', phase]],
            phase === p.status?.phase ? 1 : 0,
          ])
        : [],
    ),
  );
  for (const f of podStatusFamilies(pods)) w.family(f.name, f.help, f.series, f.type);
  w.family(
    'kube_pod_container_resource_requests',
    'The number of requested request resource by a container. It is recommended to use the kube_pod_resource_requests metric exposed by kube-scheduler instead, as it is more precise.',
    containerResources(pods, 'requests'),
  );
  w.family(
    'kube_pod_container_resource_limits',
    'The number of requested limit resource by a container. It is recommended to use the kube_pod_resource_limits metric exposed by kube-scheduler instead, as it is more precise.',
    containerResources(pods, 'limits'),
  );
  return w.text();
}
