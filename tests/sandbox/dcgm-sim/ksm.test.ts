import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gpuNode, gpuPod, migNode, namespace } from './fixtures.js';
import type { PodLike } from './k8s-types.js';
import {
  type ClusterObjects,
  isExtendedResourceName,
  kubeLabelsToPrometheus,
  renderKsm,
  resourceValue,
  sanitizeLabelName,
} from './ksm.js';
import { labelOf, parseExposition, type ParsedSample } from './prom-text.js';

test('resource and label names are sanitized as kube-state-metrics does', () => {
  assert.equal(sanitizeLabelName('nvidia.com/gpu'), 'nvidia_com_gpu');
  assert.equal(sanitizeLabelName('nvidia.com/mig-1g.10gb'), 'nvidia_com_mig_1g_10gb');
  assert.equal(sanitizeLabelName('ephemeral-storage'), 'ephemeral_storage');
  assert.deepEqual(kubeLabelsToPrometheus({ 'nvidia.com/gpu.product': 'X', app: 'y' }), [
    ['label_app', 'y'],
    ['label_nvidia_com_gpu_product', 'X'],
  ]);
});

test('units follow ksm: core, byte, integer', () => {
  assert.deepEqual(resourceValue('cpu', '1500m'), ['core', 1.5]);
  assert.deepEqual(resourceValue('memory', '32Gi'), ['byte', 34359738368]);
  assert.deepEqual(resourceValue('nvidia.com/gpu', '8'), ['integer', 8]);
  assert.deepEqual(resourceValue('pods', '110'), ['integer', 110]);
  assert.equal(resourceValue('kubernetes.io/something', '1'), undefined);
  assert.equal(isExtendedResourceName('nvidia.com/mig-3g.40gb'), true);
  assert.equal(isExtendedResourceName('requests.nvidia.com/gpu'), false);
});

function cluster(): ClusterObjects {
  const owned = gpuPod('trainer-0', { namespace: 'team-a', gpus: 2 });
  owned.metadata!.ownerReferences = [{ kind: 'Job', name: 'trainer', controller: true }];
  const pending = gpuPod('waiting', { namespace: 'team-b', phase: 'Pending' });
  return {
    nodes: [gpuNode('gpu-a100-0'), migNode('gpu-mig-0')],
    pods: [owned, pending],
    namespaces: [namespace('team-a', 'ws-ml'), namespace('kube-system')],
  };
}

const find = (samples: ParsedSample[], want: Record<string, string>): ParsedSample[] =>
  samples.filter((s) => Object.entries(want).every(([k, v]) => labelOf(s, k) === v));

test('kube_pod_container_resource_requests for the GPU resource, ksm label order', () => {
  const f = parseExposition(renderKsm(cluster()));
  const family = f.get('kube_pod_container_resource_requests')!;
  assert.equal(family.type, 'gauge');
  const [gpu] = find(family.samples, { pod: 'trainer-0', resource: 'nvidia_com_gpu' });
  assert.deepEqual(
    gpu!.labels.map(([k]) => k),
    ['namespace', 'pod', 'uid', 'container', 'node', 'resource', 'unit'],
  );
  assert.equal(labelOf(gpu!, 'unit'), 'integer');
  assert.equal(labelOf(gpu!, 'node'), 'gpu-a100-0');
  assert.equal(labelOf(gpu!, 'uid'), 'uid-trainer-0');
  assert.equal(gpu!.value, 2);
  assert.equal(find(family.samples, { pod: 'trainer-0', resource: 'cpu', unit: 'core' })[0]!.value, 2);
  assert.equal(
    find(f.get('kube_pod_container_resource_limits')!.samples, { resource: 'nvidia_com_gpu' }).length,
    2,
  );
});

test('kube_pod_status_phase has every phase, 1 for the current one', () => {
  const phases = find(parseExposition(renderKsm(cluster())).get('kube_pod_status_phase')!.samples, {
    pod: 'waiting',
  });
  assert.deepEqual(Object.fromEntries(phases.map((s) => [labelOf(s, 'phase'), s.value])), {
    Pending: 1,
    Succeeded: 0,
    Failed: 0,
    Unknown: 0,
    Running: 0,
  });
});

test('kube_pod_info names the node and controller', () => {
  const [info] = find(parseExposition(renderKsm(cluster())).get('kube_pod_info')!.samples, {
    pod: 'trainer-0',
  });
  assert.equal(labelOf(info!, 'node'), 'gpu-a100-0');
  assert.equal(labelOf(info!, 'created_by_kind'), 'Job');
  assert.equal(labelOf(info!, 'created_by_name'), 'trainer');
  assert.equal(labelOf(info!, 'host_network'), 'false');
  assert.equal(info!.value, 1);
});

test('node capacity/allocatable include GPU and MIG resources; memory printed like Go', () => {
  const text = renderKsm(cluster());
  const f = parseExposition(text);
  const cap = f.get('kube_node_status_capacity')!.samples;
  assert.equal(find(cap, { node: 'gpu-a100-0', resource: 'nvidia_com_gpu', unit: 'integer' })[0]!.value, 8);
  assert.equal(find(cap, { node: 'gpu-mig-0', resource: 'nvidia_com_mig_1g_10gb' })[0]!.value, 14);
  assert.equal(find(f.get('kube_node_status_allocatable')!.samples, { resource: 'cpu' })[0]!.value, 63.5);
  assert.match(
    text,
    /kube_node_status_capacity\{node="gpu-a100-0",resource="memory",unit="byte"\} 5\.49755813888e\+11\n/,
  );
});

test('node and namespace labels, including the KubeSphere workspace', () => {
  const f = parseExposition(renderKsm(cluster()));
  const [node] = find(f.get('kube_node_labels')!.samples, { node: 'gpu-a100-0' });
  assert.equal(labelOf(node!, 'label_nvidia_com_gpu_product'), 'NVIDIA-A100-SXM4-80GB');
  const [ns] = find(f.get('kube_namespace_labels')!.samples, { namespace: 'team-a' });
  assert.equal(labelOf(ns!, 'label_kubesphere_io_workspace'), 'ws-ml');
});

/** A pod as KWOK's crash-loop stage leaves it (tests/sandbox/kwok/pod-faults.yaml), with a healthy sidecar. */
function crashLooping(): PodLike {
  const pod = gpuPod('api-0', { namespace: 'shop' });
  pod.status = {
    phase: 'Running',
    conditions: [
      { type: 'Initialized', status: 'True' },
      { type: 'Ready', status: 'False' },
    ],
    containerStatuses: [
      {
        name: 'main',
        ready: false,
        restartCount: 4,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: { reason: 'Error', exitCode: 1 } },
      },
      {
        name: 'sidecar',
        ready: true,
        restartCount: 0,
        state: { running: { startedAt: '2026-01-01T00:00:00Z' } },
      },
    ],
  };
  return pod;
}

const podStatus = (pod: PodLike) => parseExposition(renderKsm({ nodes: [], namespaces: [], pods: [pod] }));
const byContainer = (samples: ParsedSample[]) =>
  Object.fromEntries(samples.map((s) => [labelOf(s, 'container'), s.value]));

test('container restarts, readiness and states come from the pod status, ksm label order and types', () => {
  const f = podStatus(crashLooping());
  const restarts = f.get('kube_pod_container_status_restarts_total')!;
  assert.equal(restarts.type, 'counter');
  assert.deepEqual(
    restarts.samples[0]!.labels.map(([k]) => k),
    ['namespace', 'pod', 'uid', 'container'],
  );
  assert.deepEqual(byContainer(restarts.samples), { main: 4, sidecar: 0 });
  assert.deepEqual(byContainer(f.get('kube_pod_container_status_ready')!.samples), { main: 0, sidecar: 1 });
  assert.deepEqual(byContainer(f.get('kube_pod_container_status_waiting')!.samples), { main: 1, sidecar: 0 });
  assert.deepEqual(byContainer(f.get('kube_pod_container_status_running')!.samples), { main: 0, sidecar: 1 });
  assert.deepEqual(byContainer(f.get('kube_pod_container_status_terminated')!.samples), {
    main: 0,
    sidecar: 0,
  });
});

test('reason families have a series only for a container in that state, with its reason', () => {
  const f = podStatus(crashLooping());
  const [waiting, ...moreWaiting] = f.get('kube_pod_container_status_waiting_reason')!.samples;
  assert.equal(moreWaiting.length, 0);
  assert.deepEqual(waiting!.labels, [
    ['namespace', 'shop'],
    ['pod', 'api-0'],
    ['uid', 'uid-api-0'],
    ['container', 'main'],
    ['reason', 'CrashLoopBackOff'],
  ]);
  assert.equal(waiting!.value, 1);
  const last = f.get('kube_pod_container_status_last_terminated_reason')!.samples;
  assert.deepEqual(
    last.map((s) => [labelOf(s, 'container'), labelOf(s, 'reason'), s.value]),
    [['main', 'Error', 1]],
  );
  assert.equal(f.get('kube_pod_container_status_terminated_reason'), undefined);

  const oom = crashLooping();
  oom.status!.containerStatuses![0] = {
    name: 'main',
    ready: true,
    restartCount: 1,
    state: { running: {} },
    lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } },
  };
  const oomFamilies = podStatus(oom);
  assert.equal(oomFamilies.get('kube_pod_container_status_waiting_reason'), undefined);
  assert.equal(
    labelOf(oomFamilies.get('kube_pod_container_status_last_terminated_reason')!.samples[0]!, 'reason'),
    'OOMKilled',
  );
});

test('kube_pod_status_ready has true, false and unknown, 1 for the Ready condition; none without it', () => {
  const ready = podStatus(crashLooping()).get('kube_pod_status_ready')!.samples;
  assert.deepEqual(Object.fromEntries(ready.map((s) => [labelOf(s, 'condition'), s.value])), {
    true: 0,
    false: 1,
    unknown: 0,
  });
  const pending = gpuPod('waiting', { namespace: 'team-b', phase: 'Pending' });
  assert.equal(podStatus(pending).get('kube_pod_status_ready'), undefined);
  assert.equal(podStatus(pending).get('kube_pod_container_status_restarts_total'), undefined);
});
