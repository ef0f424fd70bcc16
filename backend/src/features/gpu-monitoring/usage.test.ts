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
