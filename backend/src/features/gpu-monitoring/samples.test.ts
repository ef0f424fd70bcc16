import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deviceKey, deviceKeyOf, deviceOf, resourceName, seriesLabels, valueOf } from './samples.js';
import { EXPORTED, PLAIN, s } from './test-fixtures.js';

describe('samples', () => {
  it('reads finite values only: NaN and Inf are absent, not numbers', () => {
    assert.equal(valueOf(s({}, '0.25')), 0.25);
    assert.equal(valueOf(s({}, '0')), 0);
    assert.equal(valueOf(s({}, 'NaN')), undefined);
    assert.equal(valueOf(s({}, '+Inf')), undefined);
    assert.equal(valueOf({ metric: {} }), undefined);
  });

  it('maps kube-state-metrics resource names back to Kubernetes names, leaving unknown shapes alone', () => {
    assert.equal(resourceName('nvidia_com_gpu'), 'nvidia.com/gpu');
    assert.equal(resourceName('nvidia_com_mig_1g_10gb'), 'nvidia.com/mig-1g.10gb');
    assert.equal(resourceName('nvidia_com_mig_3g_40gb'), 'nvidia.com/mig-3g.40gb');
    assert.equal(resourceName('amd_com_gpu'), 'amd_com_gpu');
  });

  it('keeps MIG instances of one parent GPU apart', () => {
    const parent = { Hostname: 'n', gpu: '0', UUID: 'GPU-1', modelName: 'A100', GPU_I_PROFILE: '1g.10gb' };
    const a = deviceOf(PLAIN, { ...parent, GPU_I_ID: '7' });
    const keyOf = (instance: string) => deviceKeyOf(PLAIN, { ...parent, GPU_I_ID: instance });
    assert.deepEqual(a, {
      node: 'n',
      gpu: '0',
      uuid: 'GPU-1',
      model: 'A100',
      migProfile: '1g.10gb',
      migInstance: '7',
    });
    assert.notEqual(keyOf('7'), keyOf('8'));
    assert.equal(deviceKey(a), keyOf('7'), "a card's key is the key of the series it was read from");
    assert.equal(
      deviceKey(deviceOf(EXPORTED, { hostname: 'n', gpu: '1', UUID: 'GPU-2' })),
      deviceKeyOf(EXPORTED, { hostname: 'n', gpu: '1', UUID: 'GPU-2', GPU_I_ID: '' }),
    );
  });

  it('reads series labels under the exported scheme from hostname and exported_*, never the exporter pod', () => {
    const labels = seriesLabels(EXPORTED, {
      hostname: 'gpu-node-1',
      gpu: '3',
      UUID: 'GPU-x',
      namespace: 'gpu-operator',
      pod: 'nvidia-dcgm-exporter-abcde',
      exported_namespace: 'team',
      exported_pod: 'train',
      exported_container: 'main',
      workspace: 'ws',
    });
    assert.deepEqual(labels, {
      node: 'gpu-node-1',
      gpu: '3',
      uuid: 'GPU-x',
      workspace: 'ws',
      namespace: 'team',
      pod: 'train',
      container: 'main',
    });
  });
});
