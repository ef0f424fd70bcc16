// kube-state-metrics' readiness and container-status families, derived from each pod's status as the apiserver
// holds it - in the sandbox KWOK's stages write it (tests/sandbox/kwok/pod-faults.yaml drives crash loops, OOM
// kills and pods that never get ready). Names, help texts, label order and types follow ksm v2's
// internal/store/pod.go; a reason family has a series only while the container is in that state, as there.
import type { ContainerStateLike, ContainerStatusLike, PodLike } from './k8s-types.js';
import type { Labels } from './prom-text.js';

export interface KsmFamily {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  series: [Labels, number][];
}

/** ksm's leading pod labels on every pod family. */
export function podIds(p: PodLike): Labels {
  return [
    ['namespace', p.metadata?.namespace ?? ''],
    ['pod', p.metadata?.name ?? ''],
    ['uid', p.metadata?.uid ?? ''],
  ];
}

/** ksm's addConditionMetrics: one series per condition value, 1 for the pod's. */
function readySeries(p: PodLike): [Labels, number][] {
  const ready = p.status?.conditions?.find((c) => c.type === 'Ready');
  if (!ready) return [];
  return (['true', 'false', 'unknown'] as const).map((value) => [
    [...podIds(p), ['condition', value]],
    ready.status.toLowerCase() === value ? 1 : 0,
  ]);
}

type PerContainer = (p: PodLike, c: ContainerStatusLike) => [Labels, number][];

/** What `f` makes of each container status of every pod. */
function perContainer(pods: readonly PodLike[], f: PerContainer): [Labels, number][] {
  return pods.flatMap((p) => (p.status?.containerStatuses ?? []).flatMap((c) => f(p, c)));
}

const container = (p: PodLike, c: ContainerStatusLike): Labels => [...podIds(p), ['container', c.name]];
const flag = (value: boolean | undefined): number => (value ? 1 : 0);

/** A series with the state's reason, only while the container is in that state (as ksm emits it). */
function reasonOf(state: keyof ContainerStateLike, which: 'state' | 'lastState'): PerContainer {
  return (p, c) => {
    const current = c[which]?.[state] as { reason?: string } | undefined;
    return current ? [[[...container(p, c), ['reason', current.reason ?? '']], 1]] : [];
  };
}

const inState =
  (state: keyof ContainerStateLike): PerContainer =>
  (p, c) => [[container(p, c), flag(c.state?.[state] !== undefined)]];

/** The families, in ksm's order (its generator list). */
export function podStatusFamilies(pods: readonly PodLike[]): KsmFamily[] {
  const gauge = (name: string, help: string, f: PerContainer): KsmFamily => ({
    name,
    help,
    type: 'gauge',
    series: perContainer(pods, f),
  });
  return [
    gauge(
      'kube_pod_container_status_last_terminated_reason',
      'Describes the last reason the container was in terminated state.',
      reasonOf('terminated', 'lastState'),
    ),
    gauge(
      'kube_pod_container_status_ready',
      'Describes whether the containers readiness check succeeded.',
      (p, c) => [[container(p, c), flag(c.ready)]],
    ),
    {
      name: 'kube_pod_container_status_restarts_total',
      help: 'The number of container restarts per container.',
      type: 'counter',
      series: perContainer(pods, (p, c) => [[container(p, c), c.restartCount ?? 0]]),
    },
    gauge(
      'kube_pod_container_status_running',
      'Describes whether the container is currently in running state.',
      inState('running'),
    ),
    gauge(
      'kube_pod_container_status_terminated',
      'Describes whether the container is currently in terminated state.',
      inState('terminated'),
    ),
    gauge(
      'kube_pod_container_status_terminated_reason',
      'Describes the reason the container is currently in terminated state.',
      reasonOf('terminated', 'state'),
    ),
    gauge(
      'kube_pod_container_status_waiting',
      'Describes whether the container is currently in waiting state.',
      inState('waiting'),
    ),
    gauge(
      'kube_pod_container_status_waiting_reason',
      'Describes the reason the container is currently in waiting state.',
      reasonOf('waiting', 'state'),
    ),
    {
      name: 'kube_pod_status_ready',
      help: 'Describes whether the pod is ready to serve requests.',
      type: 'gauge',
      series: pods.flatMap(readySeries),
    },
  ];
}
