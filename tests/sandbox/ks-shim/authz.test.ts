import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forbiddenMessage, sarAttributes, subjectAccessReview } from './authz.js';
import { parseRequestInfo } from './requestinfo.js';

const g = 'gpu-quota.ks-gpu-ml.io';
const attrs = (method: string, path: string) => sarAttributes(parseRequestInfo(method, path));

describe('SubjectAccessReview attributes', () => {
  it('namespace scope', () => {
    assert.deepEqual(attrs('GET', `/kapis/${g}/v1alpha1/namespaces/beta-research/gpuquotas`), {
      resourceAttributes: {
        namespace: 'beta-research',
        verb: 'list',
        group: g,
        version: 'v1alpha1',
        resource: 'gpuquotas',
      },
    });
    assert.deepEqual(attrs('PUT', `/clusters/host/kapis/${g}/v1alpha1/namespaces/ns1/gpuquotas/q1/status`), {
      resourceAttributes: {
        namespace: 'ns1',
        verb: 'update',
        group: g,
        version: 'v1alpha1',
        resource: 'gpuquotas',
        subresource: 'status',
        name: 'q1',
      },
    });
  });

  it('workspace scope: subresource of the workspaces resource, named after the workspace', () => {
    assert.deepEqual(attrs('GET', `/kapis/${g}/v1alpha1/workspaces/ws-alpha/gpuquotas`), {
      resourceAttributes: {
        verb: 'list',
        group: g,
        version: 'v1alpha1',
        resource: 'workspaces',
        subresource: 'gpuquotas',
        name: 'ws-alpha',
      },
    });
    assert.deepEqual(attrs('DELETE', `/kapis/${g}/v1alpha1/workspaces/ws-alpha/gpuquotas/q1`), {
      resourceAttributes: {
        verb: 'delete',
        group: g,
        version: 'v1alpha1',
        resource: 'workspaces',
        subresource: 'gpuquotas',
        name: 'ws-alpha',
      },
    });
    assert.deepEqual(attrs('GET', `/kapis/${g}/v1alpha1/workspaces/ws-alpha`), {
      resourceAttributes: {
        verb: 'get',
        group: g,
        version: 'v1alpha1',
        resource: 'workspaces',
        name: 'ws-alpha',
      },
    });
  });

  it('cluster scope has no namespace', () => {
    assert.deepEqual(attrs('POST', `/kapis/platform.ks-gpu-ml.io/v1alpha1/settings`), {
      resourceAttributes: {
        verb: 'create',
        group: 'platform.ks-gpu-ml.io',
        version: 'v1alpha1',
        resource: 'settings',
      },
    });
  });

  it('non-resource requests use the lower-case method', () => {
    assert.deepEqual(attrs('GET', `/kapis/${g}/v1alpha1`), {
      nonResourceAttributes: { path: `/kapis/${g}/v1alpha1`, verb: 'get' },
    });
  });

  it('a full review carries the user and groups', () => {
    const sar = subjectAccessReview(
      'bob',
      ['system:authenticated'],
      parseRequestInfo('GET', `/kapis/${g}/v1alpha1/namespaces/beta-research/gpuquotas`),
    );
    assert.equal(sar.apiVersion, 'authorization.k8s.io/v1');
    assert.equal(sar.kind, 'SubjectAccessReview');
    assert.equal(sar.spec.user, 'bob');
    assert.deepEqual(sar.spec.groups, ['system:authenticated']);
  });

  it('forbidden messages name the verb, resource and scope', () => {
    assert.equal(
      forbiddenMessage(
        'alice',
        parseRequestInfo('GET', `/kapis/${g}/v1alpha1/namespaces/beta-research/gpuquotas`),
      ),
      `gpuquotas.${g} is forbidden: User "alice" cannot list resource "gpuquotas" in API group "${g}" in the namespace "beta-research"`,
    );
    assert.match(
      forbiddenMessage(
        'alice',
        parseRequestInfo('GET', `/kapis/${g}/v1alpha1/workspaces/ws-beta/gpuquotas/q`),
      ),
      /gpuquotas\.gpu-quota\.ks-gpu-ml\.io "q" is forbidden: .* cannot get .* in the workspace "ws-beta"$/,
    );
  });
});
