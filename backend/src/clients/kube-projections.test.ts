import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WORKSPACE_LABEL } from '../shared/workspace-label.js';
import { slimNamespace } from './kube-projections.js';

describe('slimNamespace', () => {
  const keep = slimNamespace([WORKSPACE_LABEL]);

  it('keeps the key the cache needs and only the labels named', () => {
    const ns = keep({
      metadata: {
        name: 'alpha-train',
        resourceVersion: '12',
        uid: 'u',
        labels: { [WORKSPACE_LABEL]: 'ws-alpha', 'kubernetes.io/metadata.name': 'alpha-train' },
        annotations: { 'kubesphere.io/creator': 'admin' },
        managedFields: [{ manager: 'ks-controller-manager' }],
      },
    });
    assert.deepEqual(ns, {
      metadata: { name: 'alpha-train', resourceVersion: '12', labels: { [WORKSPACE_LABEL]: 'ws-alpha' } },
    });
  });

  it('leaves labels out when none of the named ones is set', () => {
    assert.deepEqual(keep({ metadata: { name: 'kube-system', labels: { a: 'b' } } }), {
      metadata: { name: 'kube-system' },
    });
  });
});
