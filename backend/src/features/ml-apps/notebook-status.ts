// What a notebook is doing, from what the cluster says about it, never from what we hoped: a notebook whose pod
// is Pending is `waiting`, with the upstream's reason and message verbatim (the scheduler's FailedScheduling
// text, the quota admission refusal of its StatefulSet, an image pull error, an unbound volume), because
// Kubeflow's own UI showing "Running" for such pods is what users complain about (kubeflow/notebooks#307).
import type { NotebookStatus } from '@ks-gpu-ml/contracts';
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import type { KubeNotebook } from '../../clients/ml-apps-kube.js';

export const STOPPED_ANNOTATION = 'kubeflow-resource-stopped';

/** The label the notebook controller puts on its pod (and its StatefulSet's selector). */
export const NOTEBOOK_POD_LABEL = 'notebook-name';

/** What one pod says: the states a notebook and a training job's node share. */
export type PodState = Omit<NotebookStatus, 'phase'> & { phase: 'running' | 'waiting' | 'failed' };

const waiting = (reason?: string, message?: string): PodState => ({
  phase: 'waiting',
  ...(reason ? { reason } : {}),
  ...(message ? { message } : {}),
});

/** The newest Warning about the notebook, its StatefulSet or its pod (events are per object, not per notebook). */
export function latestWarning(
  events: readonly CoreV1Event[],
  name: string,
  podName: string | undefined,
  ownerKinds: readonly string[] = ['Notebook', 'StatefulSet'],
): CoreV1Event | undefined {
  const about = (e: CoreV1Event) => {
    const o = e.involvedObject;
    if (ownerKinds.includes(o.kind ?? '')) return o.name === name;
    return o.kind === 'Pod' && podName !== undefined && o.name === podName;
  };
  const when = (e: CoreV1Event) =>
    new Date(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? 0).getTime();
  return events.filter(about).sort((a, b) => when(b) - when(a))[0];
}

/** A pod's state as a notebook's or a job node's: running only when it runs ready; else why it waits or failed. */
export function podStatus(pod: V1Pod, warning: CoreV1Event | undefined): PodState {
  const phase = pod.status?.phase;
  const containers = pod.status?.containerStatuses ?? [];
  if (phase === 'Failed') {
    const terminated = containers.find((c) => c.state?.terminated)?.state?.terminated;
    return {
      phase: 'failed',
      ...(pod.status?.reason || terminated?.reason
        ? { reason: pod.status?.reason ?? terminated?.reason }
        : {}),
      ...(pod.status?.message || terminated?.message
        ? { message: pod.status?.message ?? terminated?.message }
        : {}),
    };
  }
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False') return waiting(scheduled.reason, scheduled.message);
  const stuck = containers.find((c) => c.state?.waiting)?.state?.waiting;
  if (stuck) return waiting(stuck.reason, stuck.message);
  if (phase === 'Running' && containers.length > 0 && containers.every((c) => c.ready)) {
    return { phase: 'running' };
  }
  // Pending (or Running, not ready yet) without a reason on the pod: the newest warning, if any, says why.
  return warning ? waiting(warning.reason, warning.message) : waiting(phase ?? 'Pending');
}

/** The status of a notebook given its pod (if it has one) and the namespace's Warning events. */
export function notebookStatus(
  notebook: KubeNotebook,
  pod: V1Pod | undefined,
  events: readonly CoreV1Event[],
): NotebookStatus {
  if (notebook.metadata?.deletionTimestamp) return { phase: 'terminating' };
  if (notebook.metadata?.annotations?.[STOPPED_ANNOTATION] !== undefined) return { phase: 'stopped' };
  const name = notebook.metadata?.name ?? '';
  const warning = latestWarning(events, name, pod?.metadata?.name);
  if (pod) return podStatus(pod, warning);
  // No pod: its StatefulSet could not create it (quota admission: FailedCreate), or it is not made yet.
  if (warning) return waiting(warning.reason, warning.message);
  const state = notebook.status?.containerState?.waiting;
  if (state) return waiting(state.reason, state.message);
  return waiting('NoPod');
}
