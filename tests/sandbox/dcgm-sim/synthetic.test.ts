import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCli } from './cli-options.js';
import { fakeCluster, gpuNode, gpuPod, namespace } from './fixtures.js';
import { labelOf, parseExposition } from './prom-text.js';
import { DcgmSimulator } from './simulator.js';
import { mergeSources, SyntheticCluster, syntheticNodeName } from './synthetic.js';

const EPOCH = Date.parse('2026-03-01T12:00:00Z');

test('a synthetic fleet: 8 GPUs per node, 75 % held, every pod in a workspace namespace', () => {
  const fleet = new SyntheticCluster({ nodes: 20, epochMs: EPOCH, namespaces: 7, workspaces: 3 });
  assert.equal(fleet.nodes().length, 20);
  assert.equal(fleet.namespaces().length, 7);
  const held = fleet
    .pods()
    .reduce((n, p) => n + Number(p.spec!.containers![0]!.resources!.requests!['nvidia.com/gpu']), 0);
  assert.equal(held, 120); // 60 of every 80 GPUs
  const names = new Set(fleet.namespaces().map((n) => n.metadata!.name));
  for (const pod of fleet.pods()) {
    assert.ok(names.has(pod.metadata!.namespace), pod.metadata!.namespace);
    assert.ok(Date.parse(String(pod.status!.startTime)) < EPOCH);
  }
  for (const ns of fleet.namespaces())
    assert.match(ns.metadata!.labels!['kubesphere.io/workspace']!, /ws-\d$/);
});

test('the same options give the same fleet', () => {
  const a = new SyntheticCluster({ nodes: 30, epochMs: EPOCH });
  const b = new SyntheticCluster({ nodes: 30, epochMs: EPOCH });
  assert.deepEqual(a.pods(), b.pods());
  assert.deepEqual(a.nodes(), b.nodes());
});

test('the simulator serves synthetic GPUs, holders and kube-state-metrics like real ones', () => {
  const sim = new DcgmSimulator(new SyntheticCluster({ nodes: 10, epochMs: EPOCH }), { now: () => EPOCH });
  const fb = parseExposition(sim.renderMetrics()).get('DCGM_FI_DEV_FB_USED')!.samples;
  assert.equal(fb.length, 80);
  assert.equal(fb.filter((s) => labelOf(s, 'pod') !== undefined).length, 60);
  assert.equal(labelOf(fb[0]!, 'Hostname'), syntheticNodeName(0));
  const ksm = parseExposition(sim.renderKsm());
  const requests = ksm
    .get('kube_pod_container_resource_requests')!
    .samples.filter((s) => labelOf(s, 'resource') === 'nvidia_com_gpu');
  assert.equal(
    requests.reduce((n, s) => n + s.value, 0),
    60,
  );
  assert.equal(
    ksm
      .get('kube_node_status_allocatable')!
      .samples.filter((s) => labelOf(s, 'resource') === 'nvidia_com_gpu').length,
    10,
  );
});

test('merged with a real cluster, both sets of nodes are served', () => {
  const real = fakeCluster(
    [gpuNode('gpu-node-0')],
    [gpuPod('p', { node: 'gpu-node-0' })],
    [namespace('team-a')],
  );
  const sim = new DcgmSimulator(mergeSources(real, new SyntheticCluster({ nodes: 2, epochMs: EPOCH })));
  const hosts = new Set(
    parseExposition(sim.renderMetrics())
      .get('DCGM_FI_DEV_FB_USED')!
      .samples.map((s) => labelOf(s, 'Hostname')),
  );
  assert.deepEqual([...hosts].sort(), ['gpu-node-0', 'sim-node-0', 'sim-node-1']);
});

test('--synthetic-nodes makes --kubeconfig optional', () => {
  assert.deepEqual(parseCli(['--port', '0', '--synthetic-nodes', '900', '--synthetic-namespaces', '50']), {
    port: 0,
    host: '127.0.0.1',
    variant: 'default',
    synthetic: { nodes: 900, namespaces: 50 },
  });
  assert.throws(() => parseCli(['--port', '0', '--synthetic-nodes', '0']), /--kubeconfig/);
  assert.throws(() => parseCli(['--port', '0', '--synthetic-nodes', 'x']), /--synthetic-nodes/);
});
