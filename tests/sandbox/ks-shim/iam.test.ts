import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sarAttributes } from './authz.js';
import { parseScope, reviewRequestInfo } from './iam.js';

describe('reviewRequestInfo', () => {
  it('a workspace review is checked like a /kapis workspace request', () => {
    const info = reviewRequestInfo({
      resourceAttributes: {
        workspace: 'ws-alpha',
        verb: 'update',
        group: 'g.ks-gpu-ml.io',
        resource: 'gpuquotas',
      },
    });
    assert.equal(info.scope, 'Workspace');
    assert.deepEqual(sarAttributes(info).resourceAttributes, {
      verb: 'update',
      group: 'g.ks-gpu-ml.io',
      resource: 'workspaces',
      subresource: 'gpuquotas',
      name: 'ws-alpha',
    });
  });

  it('a namespace wins over a workspace, and no resource attributes is a non-resource review', () => {
    assert.equal(
      reviewRequestInfo({ resourceAttributes: { namespace: 'n', workspace: 'w' } }).scope,
      'Namespace',
    );
    assert.equal(reviewRequestInfo({ resourceAttributes: { resource: 'nodes' } }).scope, 'Cluster');
    const open = reviewRequestInfo({ nonResourceAttributes: { path: '/kapis/g/v1', verb: 'get' } });
    assert.equal(open.isResourceRequest, false);
    assert.equal(open.path, '/kapis/g/v1');
    assert.equal(open.verb, 'get');
  });
});

describe('parseScope', () => {
  it('defaults to global and refuses an unknown scope', () => {
    assert.equal(parseScope(null), 'global');
    assert.equal(parseScope('namespace'), 'namespace');
    assert.equal(parseScope('galaxy'), undefined);
  });
});
