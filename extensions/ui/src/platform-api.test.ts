import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capabilityRows, featureStatus } from './platform-api.js';

test('capabilityRows flattens per-project capability lists', () => {
  const rows = capabilityRows([
    {
      scope: 'namespace',
      scopeName: 'alpha-train',
      items: [
        { group: 'platform.ks-gpu-ml.io', resource: 'accessreviews', verbs: ['create'] },
        { group: 'gpu-quota.ks-gpu-ml.io', resource: 'quotas', subresource: 'status', verbs: [] },
      ],
    },
  ]);
  assert.deepEqual(rows, [
    {
      key: 'alpha-train/platform.ks-gpu-ml.io/accessreviews',
      project: 'alpha-train',
      resource: 'accessreviews',
      group: 'platform.ks-gpu-ml.io',
      verbs: 'create',
    },
    {
      key: 'alpha-train/gpu-quota.ks-gpu-ml.io/quotas/status',
      project: 'alpha-train',
      resource: 'quotas/status',
      group: 'gpu-quota.ks-gpu-ml.io',
      verbs: '',
    },
  ]);
});

test('featureStatus finds the feature in the list', () => {
  const list = {
    items: [{ name: 'gpu-quota' as const, group: 'gpu-quota.ks-gpu-ml.io', version: 'v1alpha1' }],
    platform: { group: 'platform.ks-gpu-ml.io', version: 'v1alpha1', buildVersion: 'dev' },
  };
  assert.equal(featureStatus(list, 'gpu-quota')?.group, 'gpu-quota.ks-gpu-ml.io');
  assert.equal(featureStatus(list, 'ml-apps'), undefined);
  assert.equal(featureStatus(undefined, 'ml-apps'), undefined);
});
