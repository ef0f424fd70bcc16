import type { BusinessSystemList } from '@ks-gpu-ml/contracts';
import type { LabelSet } from './business-silences.js';

/**
 * A business system's alerts as label sets Alertmanager can silence, from the same resolver the escalation runs:
 * in each namespace holding a workload of the system, each pod is resolved as an alert naming it would be. A
 * namespace the system owns whole (every pod and every top-level workload resolve to it, and so does an alert naming
 * only the namespace) is one set `namespace="ns"`, which also covers pods started later; otherwise the set is the
 * namespace and the system's pods there (`pod=~"a|b"`, which Alertmanager anchors), in chunks so no regex grows
 * without bound. Other systems' pods in a shared namespace are never in a set.
 */
export interface ExpandDeps {
  systems: () => Promise<BusinessSystemList>;
  pods: (namespace: string) => Promise<string[]>;
  /** The system an alert with these labels resolves to. */
  systemOf: (labels: Record<string, string>) => Promise<string>;
  chunk?: number;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function expandSystem(deps: ExpandDeps, system: string): Promise<LabelSet[]> {
  const { items } = await deps.systems();
  const namespaces = new Set<string>();
  const foreign = new Set<string>();
  for (const s of items)
    for (const w of s.workloads) (s.name === system ? namespaces : foreign).add(w.namespace);
  const sets: LabelSet[] = [];
  for (const namespace of [...namespaces].sort()) {
    const pods = await deps.pods(namespace);
    const mine: string[] = [];
    for (const pod of pods) if ((await deps.systemOf({ namespace, pod })) === system) mine.push(pod);
    const whole =
      mine.length === pods.length &&
      !foreign.has(namespace) &&
      (await deps.systemOf({ namespace })) === system;
    const ns = { name: 'namespace', value: namespace, isRegex: false, isEqual: true };
    if (whole) {
      sets.push([ns]);
      continue;
    }
    const size = deps.chunk ?? 50;
    const sorted = mine.sort();
    for (let i = 0; i < sorted.length; i += size)
      sets.push([
        ns,
        {
          name: 'pod',
          value: sorted
            .slice(i, i + size)
            .map(escapeRegex)
            .join('|'),
          isRegex: true,
          isEqual: true,
        },
      ]);
  }
  return sets;
}
