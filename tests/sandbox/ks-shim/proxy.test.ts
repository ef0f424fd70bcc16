import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { proxyTarget } from './proxy.js';

describe('proxyTarget', () => {
  it('sends our API groups to the backend and Kubernetes paths to kube-apiserver', () => {
    assert.equal(proxyTarget('/kapis/gpu-quota.ks-gpu-ml.io/v1alpha1/gpuresources'), 'backend');
    assert.equal(proxyTarget('/kapis/gpu-quota.ks-gpu-ml.io'), 'backend');
    assert.equal(proxyTarget('/api/v1/nodes'), 'kube');
    assert.equal(proxyTarget('/apis/apps/v1/deployments'), 'kube');
  });

  it("proxies nobody else's /kapis group, nor other paths", () => {
    assert.equal(proxyTarget('/kapis/config.kubesphere.io/v1alpha2/configs/gpu/kinds'), undefined);
    assert.equal(proxyTarget('/kapis/ks-gpu-ml.io.evil.example/v1/x'), undefined);
    assert.equal(proxyTarget('/apix/v1'), undefined);
    assert.equal(proxyTarget('/'), undefined);
  });
});
