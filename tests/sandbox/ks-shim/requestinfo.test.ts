import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRequestInfo, splitClusterPrefix } from './requestinfo.js';

const g = 'gpu-quota.ks-gpu-ml.io';

describe('parseRequestInfo', () => {
  it('namespaced list, get, subresource', () => {
    const list = parseRequestInfo('GET', `/kapis/${g}/v1alpha1/namespaces/beta-research/gpuquotas`);
    assert.deepEqual(
      { ...list },
      {
        path: `/kapis/${g}/v1alpha1/namespaces/beta-research/gpuquotas`,
        cluster: '',
        isResourceRequest: true,
        apiPrefix: 'kapis',
        apiGroup: g,
        apiVersion: 'v1alpha1',
        verb: 'list',
        workspace: '',
        namespace: 'beta-research',
        resource: 'gpuquotas',
        subresource: '',
        name: '',
        scope: 'Namespace',
      },
    );
    const get = parseRequestInfo('GET', `/kapis/${g}/v1alpha1/namespaces/ns1/gpuquotas/q1/status`);
    assert.equal(get.verb, 'get');
    assert.equal(get.name, 'q1');
    assert.equal(get.subresource, 'status');
  });

  it('maps methods to verbs like ks-apiserver', () => {
    const path = `/kapis/${g}/v1alpha1/namespaces/ns1/gpuquotas`;
    assert.equal(parseRequestInfo('POST', path).verb, 'create');
    assert.equal(parseRequestInfo('PUT', `${path}/a`).verb, 'update');
    assert.equal(parseRequestInfo('PATCH', `${path}/a`).verb, 'patch');
    assert.equal(parseRequestInfo('DELETE', `${path}/a`).verb, 'delete');
    assert.equal(parseRequestInfo('DELETE', path).verb, 'deletecollection');
    assert.equal(parseRequestInfo('GET', `${path}?watch=true`).verb, 'watch');
    assert.equal(parseRequestInfo('GET', `${path}?watch=false`).verb, 'list');
    assert.equal(parseRequestInfo('GET', `${path}?watch=1`).verb, 'watch');
    assert.equal(parseRequestInfo('HEAD', `${path}/a`).verb, 'get');
  });

  it('a metadata.name field selector names the object of a list', () => {
    const info = parseRequestInfo('GET', `/api/v1/namespaces/ns1/pods?fieldSelector=metadata.name%3Dp1`);
    assert.equal(info.verb, 'list');
    assert.equal(info.name, 'p1');
  });

  it('workspace scope', () => {
    const info = parseRequestInfo('GET', `/kapis/${g}/v1alpha1/workspaces/ws-alpha/gpuquotas/q1`);
    assert.equal(info.scope, 'Workspace');
    assert.equal(info.workspace, 'ws-alpha');
    assert.equal(info.resource, 'gpuquotas');
    assert.equal(info.name, 'q1');
    assert.equal(info.verb, 'get');
    const ws = parseRequestInfo('GET', `/kapis/${g}/v1alpha1/workspaces/ws-alpha`);
    assert.equal(ws.resource, 'workspaces');
    assert.equal(ws.name, 'ws-alpha');
    assert.equal(ws.scope, 'Workspace');
  });

  it('workspace and namespace together: namespace scope', () => {
    const info = parseRequestInfo(
      'GET',
      `/kapis/${g}/v1alpha1/workspaces/ws-alpha/namespaces/alpha-train/gpuquotas`,
    );
    assert.equal(info.scope, 'Namespace');
    assert.equal(info.workspace, 'ws-alpha');
    assert.equal(info.namespace, 'alpha-train');
    assert.equal(info.resource, 'gpuquotas');
  });

  it('cluster scope', () => {
    const info = parseRequestInfo('GET', `/kapis/${g}/v1alpha1/nodes/n1`);
    assert.equal(info.scope, 'Cluster');
    assert.equal(info.resource, 'nodes');
    assert.equal(info.name, 'n1');
  });

  it('nothing after the version is a non-resource request keeping the HTTP method', () => {
    for (const path of [
      `/kapis/${g}/v1alpha1`,
      `/kapis/${g}/v1alpha1/`,
      `/kapis/${g}`,
      '/healthz',
      '/oauth/token',
    ]) {
      const info = parseRequestInfo('GET', path);
      assert.equal(info.isResourceRequest, false, path);
      assert.equal(info.verb, 'GET', path);
    }
  });

  it('global-scope KubeSphere resources', () => {
    assert.equal(parseRequestInfo('GET', '/kapis/iam.kubesphere.io/v1beta1/users/alice').scope, 'Global');
    assert.equal(
      parseRequestInfo('GET', '/kapis/tenant.kubesphere.io/v1beta1/workspacetemplates').scope,
      'Global',
    );
  });

  it('kubernetes paths: groupless /api, /apis with group, namespace subresources, watch verb', () => {
    const pods = parseRequestInfo('GET', '/api/v1/namespaces/ns1/pods');
    assert.equal(pods.apiGroup, '');
    assert.equal(pods.resource, 'pods');
    assert.equal(pods.namespace, 'ns1');
    const ns = parseRequestInfo('PUT', '/api/v1/namespaces/ns1/finalize');
    assert.equal(ns.resource, 'namespaces');
    assert.equal(ns.name, 'ns1');
    assert.equal(ns.subresource, 'finalize');
    const deploy = parseRequestInfo('GET', '/apis/apps/v1/namespaces/ns1/deployments/d');
    assert.equal(deploy.apiGroup, 'apps');
    assert.equal(deploy.name, 'd');
    const watch = parseRequestInfo('GET', '/api/v1/watch/namespaces/ns1/pods');
    assert.equal(watch.verb, 'watch');
    assert.equal(watch.resource, 'pods');
  });

  it('strips /clusters/<name> before /api, /apis, /kapis and /version only', () => {
    const info = parseRequestInfo(
      'GET',
      `/clusters/host/kapis/${g}/v1alpha1/namespaces/ns1/gpuquotas?limit=1`,
    );
    assert.equal(info.cluster, 'host');
    assert.equal(info.path, `/kapis/${g}/v1alpha1/namespaces/ns1/gpuquotas`);
    assert.equal(info.resource, 'gpuquotas');
    assert.deepEqual(splitClusterPrefix('/clusters/member/api/v1/nodes'), {
      cluster: 'member',
      path: '/api/v1/nodes',
    });
    assert.deepEqual(splitClusterPrefix('/clusters/host/version'), { cluster: 'host', path: '/version' });
    assert.deepEqual(splitClusterPrefix('/clusters/host/gpu-demo'), {
      cluster: '',
      path: '/clusters/host/gpu-demo',
    });
    assert.deepEqual(splitClusterPrefix('/clusters/host/apisx/a'), {
      cluster: '',
      path: '/clusters/host/apisx/a',
    });
  });
});
