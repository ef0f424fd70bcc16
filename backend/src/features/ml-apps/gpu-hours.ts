// GPU-hours so far of an app, without Prometheus: for each of its pods that has started on a node, the GPUs it was
// given (whole GPUs and MIG slices; not HAMi's memory or core shares, which are not devices) times how long it has
// run — until now, or until its containers finished. Only the pods that exist now count: a stopped notebook's
// earlier pods are gone, so the figure is "this run so far". Pure.
import { parseQuantity } from '@ks-gpu-ml/contracts';
import type { V1Pod } from '@kubernetes/client-node';

/** Device resources: `nvidia.com/gpu`, `amd.com/gpu`, MIG profiles `nvidia.com/mig-1g.10gb`. */
const DEVICE = /\/(gpu|mig-[^/]+)$/;

export function podGpus(pod: V1Pod): number {
  let gpus = 0;
  for (const container of pod.spec?.containers ?? []) {
    const amounts = { ...container.resources?.limits, ...container.resources?.requests };
    for (const [resource, value] of Object.entries(amounts)) {
      if (DEVICE.test(resource)) gpus += parseQuantity(value) ?? 0;
    }
  }
  return gpus;
}

const ms = (t: Date | string | undefined) => (t ? new Date(t).getTime() : undefined);

/** When a finished pod's last container stopped; undefined while it runs. */
function endOf(pod: V1Pod): number | undefined {
  const phase = pod.status?.phase;
  if (phase !== 'Succeeded' && phase !== 'Failed') return undefined;
  const ends = (pod.status?.containerStatuses ?? [])
    .map((s) => ms(s.state?.terminated?.finishedAt))
    .filter((t): t is number => t !== undefined);
  return ends.length ? Math.max(...ends) : undefined;
}

/** The GPU-hours of the pods, rounded to 1/1000; undefined when none of them has GPUs and has started. */
export function gpuHoursOf(pods: readonly V1Pod[], now = Date.now()): number | undefined {
  let hours: number | undefined;
  for (const pod of pods) {
    const start = ms(pod.status?.startTime);
    const gpus = podGpus(pod);
    if (start === undefined || !pod.spec?.nodeName || gpus <= 0) continue;
    const end = endOf(pod) ?? now;
    hours = (hours ?? 0) + (gpus * Math.max(0, end - start)) / 3_600_000;
  }
  return hours === undefined ? undefined : Math.round(hours * 1000) / 1000;
}
