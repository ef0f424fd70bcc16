import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gpuNode, gpuPod, migNode, namespace } from './fixtures.js';
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
