import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assembleTotals, assembleUsageRows } from './usage.js';
import { EXPORTED, PLAIN, s } from './test-fixtures.js';

describe('assembleUsageRows', () => {
  it('per project: joins dcgm columns (scheme labels) and ksm requests (plain labels) on the namespace', () => {
    const rows = assembleUsageRows(
      EXPORTED,
      'namespace',
      {
        devices: [s({ exported_namespace: 'team', namespace: 'gpu-operator' }, 3)],
        utilization: [s({ exported_namespace: 'team', namespace: 'gpu-operator' }, 0.4)],
        idleAllocated: [],
        requested: [
          s({ namespace: 'team', resource: 'nvidia_com_gpu' }, 3),
          s({ namespace: 'queued', resource: 'nvidia_com_mig_1g_10gb' }, 2),
        ],
      },
      new Map([['team', 'ws-a']]),
    );
    assert.deepEqual(rows, [
      { namespace: 'queued', devices: 0, idleAllocated: 0, requested: { 'nvidia.com/mig-1g.10gb': 2 } },
      {
        namespace: 'team',
        workspace: 'ws-a',
        devices: 3,
        utilization: 0.4,
        idleAllocated: 0,
        requested: { 'nvidia.com/gpu': 3 },
      },
    ]);
  });

  it('per workload: one row per container, no idle or requested columns unless asked', () => {
    const rows = assembleUsageRows(PLAIN, 'workload', {
      devices: [
        s({ namespace: 'team', pod: 'p', container: 'a' }, 1),
        s({ namespace: 'team', pod: 'p', container: 'b' }, 2),
      ],
      tensorActive: [s({ namespace: 'team', pod: 'p', container: 'b' }, 0.6)],
    });
    assert.deepEqual(rows, [
      { namespace: 'team', pod: 'p', container: 'a', devices: 1 },
      { namespace: 'team', pod: 'p', container: 'b', devices: 2, tensorActive: 0.6 },
    ]);
  });

  it("shared GPUs: no device-level utilization per pod; HAMi's own figure where it reports one (ADR 0015)", () => {
    const pod = (p: string, c = 'main') => ({
      exported_namespace: 'team',
      exported_pod: p,
      exported_container: c,
    });
    const plain = (p: string, c = 'main') => ({ namespace: 'team', pod: p, container: c });
    const rows = assembleUsageRows(EXPORTED, 'workload', {
      // time-sliced: ts-a and ts-b on one device, both shown at the device's 90 %; whole holds a GPU alone
      devices: [s(pod('ts-a'), 1), s(pod('ts-b'), 1), s(pod('whole'), 1)],
      utilization: [s(pod('ts-a'), 0.9), s(pod('ts-b'), 0.9), s(pod('whole'), 0.5)],
      tensorActive: [s(pod('ts-a'), 0.4), s(pod('ts-b'), 0.4)],
      memoryUsedBytes: [s(pod('ts-a'), 1024)],
      sharedOnDevice: [s(pod('ts-a'), 1), s(pod('ts-b'), 1)],
      // HAMi pods: dcgm-exporter never names them; they show up by their requests
      requested: [
        s({ ...plain('hami-a'), resource: 'nvidia_com_gpu' }, 1),
        s({ ...plain('hami-b'), resource: 'nvidia_com_gpu' }, 1),
        s({ ...plain('whole'), resource: 'nvidia_com_gpu' }, 1),
      ],
      sharedOnNode: [s(plain('hami-a'), 1), s(plain('hami-b'), 1)],
      hamiUtilization: [s(plain('hami-a'), 0.7)],
    });
    const byPod = Object.fromEntries(rows.map((r) => [r.pod, r]));
    assert.deepEqual(byPod['ts-a'], {
      namespace: 'team',
      pod: 'ts-a',
      container: 'main',
      devices: 1,
      memoryUsedBytes: 1024,
      requested: {},
      shared: true,
    });
    assert.equal(byPod['ts-b']!.utilization, undefined);
    assert.deepEqual(byPod['hami-a'], {
      namespace: 'team',
      pod: 'hami-a',
      container: 'main',
      devices: 0,
      requested: { 'nvidia.com/gpu': 1 },
      shared: true,
      sharedUtilization: 0.7,
    });
    assert.equal(byPod['hami-b']!.shared, true);
    assert.equal(byPod['hami-b']!.sharedUtilization, undefined, 'no HAMi figure: none made up');
    assert.equal(byPod.whole!.shared, undefined);
    assert.equal(byPod.whole!.utilization, 0.5);
  });

  it('HAMi figures alone never mark a row shared', () => {
    const rows = assembleUsageRows(PLAIN, 'workload', {
      devices: [s({ namespace: 'team', pod: 'p', container: 'c' }, 1)],
      utilization: [s({ namespace: 'team', pod: 'p', container: 'c' }, 0.3)],
      hamiUtilization: [s({ namespace: 'team', pod: 'p', container: 'c' }, 0.9)],
    });
    assert.deepEqual(rows, [{ namespace: 'team', pod: 'p', container: 'c', devices: 1, utilization: 0.3 }]);
  });

  it('per workspace: namespaces outside any workspace (no workspace label) make no row', () => {
    const rows = assembleUsageRows(PLAIN, 'workspace', {
      devices: [s({ workspace: 'ws-a' }, 2), s({}, 5)],
      requested: [s({ workspace: 'ws-a', resource: 'nvidia_com_gpu' }, 2)],
    });
    assert.deepEqual(rows, [{ workspace: 'ws-a', devices: 2, requested: { 'nvidia.com/gpu': 2 } }]);
  });
});

describe('assembleTotals', () => {
  it('takes the scope-wide figures, counts idle GPUs and adds requests up by resource', () => {
    const totals = assembleTotals(
      {
        devices: [s({}, 4)],
        utilization: [],
        memoryUsedBytes: [s({}, 1024)],
        powerWatts: [s({}, 'NaN')],
        requested: [s({ resource: 'nvidia_com_gpu' }, 4)],
      },
      3,
      { namespace: 'team' },
    );
    assert.deepEqual(totals, {
      namespace: 'team',
      devices: 4,
      memoryUsedBytes: 1024,
      idleAllocated: 3,
      requested: { 'nvidia.com/gpu': 4 },
    });
  });

  it('answers 0 devices (a count), not an absent figure, when nothing is held', () => {
    const totals = assembleTotals({ devices: [], requested: [] }, 0, { workspace: 'w' });
    assert.deepEqual(totals, { workspace: 'w', devices: 0, idleAllocated: 0, requested: {} });
  });
});
