import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listOperators, type Discover } from './operators.js';

const served =
  (table: Record<string, string[]>): Discover =>
  async (group, version) => {
    const resources = table[`${group}/${version}`];
    return resources ? new Set(resources) : undefined;
  };

test('an operator is installed only when its resource is served in a version we speak', async () => {
  const ops = await listOperators(
    served({
      'kubeflow.org/v1': ['notebooks', 'notebooks/status', 'tfjobs'],
      // The group is served but without the kind: not installed.
      'serving.kserve.io/v1beta1': [],
      'kueue.x-k8s.io/v1beta1': ['workloads'],
    }),
  );
  const byId = Object.fromEntries(ops.map((o) => [o.id, o]));
  assert.equal(byId.notebooks!.installed, true);
  assert.equal(byId.tfjobs!.installed, true);
  assert.equal(byId.pytorchjobs!.installed, false);
  assert.equal(byId.trainjobs!.installed, false);
  assert.equal(byId.inferenceservices!.installed, false);
  // Kueue's older served version is found when the preferred one is not served.
  assert.deepEqual([byId['kueue-workloads']!.installed, byId['kueue-workloads']!.version], [true, 'v1beta1']);
});

test('mpi-operator v2beta1 counts as the MPIJob operator', async () => {
  const ops = await listOperators(served({ 'kubeflow.org/v2beta1': ['mpijobs'] }));
  const mpi = ops.find((o) => o.id === 'mpijobs')!;
  assert.deepEqual([mpi.installed, mpi.version], [true, 'v2beta1']);
});
