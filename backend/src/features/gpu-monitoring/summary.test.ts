import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assembleSummary } from './summary.js';
import { s } from './test-fixtures.js';

const A100 = { modelName: 'NVIDIA A100-SXM4-80GB' };
const H100 = { modelName: 'NVIDIA H100 80GB HBM3' };
const MIG = { ...A100, GPU_I_PROFILE: '1g.10gb' };
const meta = {
  time: 1,
  idle: { windowSeconds: 1800, threshold: 0.05 },
  labels: {
    hostLabel: 'Hostname',
    workload: 'plain',
    mig: true,
    kubeStateMetrics: true,
    dcgmSeen: true,
    recordingRules: false,
  },
};

describe('assembleSummary', () => {
  it('counts by model and MIG profile, totals them, and lists resources with allocatable and requested', () => {
    const summary = assembleSummary(
      {
        devices: [s(A100, 8), s(H100, 8), s(MIG, 14)],
        allocated: [s(A100, 3), s(MIG, 1)],
        busy: [s(A100, 1)],
        idleAllocated: [s(A100, 2)],
        allocatableByResource: [
          s({ resource: 'nvidia_com_gpu' }, 16),
          s({ resource: 'nvidia_com_mig_1g_10gb' }, 14),
        ],
        requestedByResource: [
          s({ resource: 'nvidia_com_gpu' }, 3),
          s({ resource: 'nvidia_com_mig_1g_10gb' }, 1),
        ],
      },
      meta,
    );
    assert.deepEqual(summary.totals, { devices: 30, allocated: 4, busy: 1, idleAllocated: 2 });
    assert.deepEqual(summary.models, [
      { model: 'NVIDIA A100-SXM4-80GB', devices: 8, allocated: 3, busy: 1, idleAllocated: 2 },
      {
        model: 'NVIDIA A100-SXM4-80GB',
        migProfile: '1g.10gb',
        devices: 14,
        allocated: 1,
        busy: 0,
        idleAllocated: 0,
      },
      { model: 'NVIDIA H100 80GB HBM3', devices: 8, allocated: 0, busy: 0, idleAllocated: 0 },
    ]);
    assert.deepEqual(summary.resources, [
      { resource: 'nvidia.com/gpu', allocatable: 16, requested: 3 },
      { resource: 'nvidia.com/mig-1g.10gb', allocatable: 14, requested: 1 },
    ]);
    assert.equal(summary.labels.mig, true);
  });

  it('answers zero counts and no models when Prometheus has no dcgm series', () => {
    const summary = assembleSummary(
      { devices: [], allocated: [], busy: [], idleAllocated: [], requestedByResource: [] },
      meta,
    );
    assert.deepEqual(summary.totals, { devices: 0, allocated: 0, busy: 0, idleAllocated: 0 });
    assert.deepEqual(summary.models, []);
    assert.deepEqual(summary.resources, []);
  });
});
