import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SandboxUser } from '../src/env.js';
import { grantFor, listResult, roleTemplates, userObject } from './platform.js';

const user = (name: string, role: SandboxUser['role'], extra: Partial<SandboxUser> = {}): SandboxUser => ({
  name,
  password: 'p',
  token: 't',
  groups: [],
  role,
  ...extra,
});
const admin = user('admin', 'platform-admin');
const wsAdmin = user('ws-admin', 'workspace-admin', { workspace: 'ws-alpha' });
const alice = user('alice', 'project-member', { namespace: 'alpha-train' });
const viewer = user('viewer', 'project-viewer', { namespace: 'alpha-train' });

describe('role templates', () => {
  it('grants follow the documented mapping', () => {
    assert.equal(grantFor(admin, 'cluster'), 'admin');
    assert.equal(grantFor(alice, 'global'), 'regular');
    assert.equal(grantFor(alice, 'cluster'), 'none');
    assert.equal(grantFor(wsAdmin, 'workspace', { workspace: 'ws-alpha' }), 'admin');
    assert.equal(grantFor(wsAdmin, 'workspace', { workspace: 'ws-beta' }), 'none');
    assert.equal(
      grantFor(wsAdmin, 'namespace', { namespace: 'alpha-serve', namespaceWorkspace: 'ws-alpha' }),
      'admin',
    );
    assert.equal(
      grantFor(wsAdmin, 'namespace', { namespace: 'beta-research', namespaceWorkspace: 'ws-beta' }),
      'none',
    );
    assert.equal(
      grantFor(alice, 'workspace', { workspace: 'ws-alpha', userNamespaceWorkspace: 'ws-alpha' }),
      'regular',
    );
    assert.equal(
      grantFor(alice, 'workspace', { workspace: 'ws-beta', userNamespaceWorkspace: 'ws-alpha' }),
      'none',
    );
    assert.equal(grantFor(alice, 'namespace', { namespace: 'alpha-train' }), 'operator');
    assert.equal(grantFor(alice, 'namespace', { namespace: 'beta-research' }), 'none');
    assert.equal(grantFor(viewer, 'namespace', { namespace: 'alpha-train' }), 'viewer');
  });

  it('templates carry role-template-rules annotations', () => {
    const global = roleTemplates('global', 'admin');
    const clusters = global.find((t) => t.metadata.name === 'global-view-clusters');
    assert.deepEqual(JSON.parse(clusters!.metadata.annotations!['iam.kubesphere.io/role-template-rules']!), {
      clusters: 'view',
    });
    assert.deepEqual(roleTemplates('global', 'regular'), []);
    assert.deepEqual(roleTemplates('cluster', 'none'), []);
    const viewerRules = roleTemplates('namespace', 'viewer').map(
      (t) =>
        JSON.parse(t.metadata.annotations!['iam.kubesphere.io/role-template-rules']!) as Record<
          string,
          string
        >,
    );
    assert.ok(viewerRules.every((r) => Object.values(r).every((a) => a === 'view')));
  });

  it('installed templates: all for admin, by aggregation label otherwise', () => {
    const mk = (name: string, labels: Record<string, string>) => ({
      apiVersion: 'iam.kubesphere.io/v1beta1',
      kind: 'RoleTemplate',
      metadata: { name, labels: { 'iam.kubesphere.io/scope': 'namespace', ...labels } },
    });
    const installed = [
      mk('gpu-quota-view', { 'iam.kubesphere.io/aggregate-to-viewer': '' }),
      mk('gpu-quota-manage', {}),
    ];
    const names = (grant: Parameters<typeof roleTemplates>[1]) =>
      roleTemplates('namespace', grant, installed)
        .map((t) => t.metadata.name)
        .filter((n) => n.startsWith('gpu'));
    assert.deepEqual(names('admin'), ['gpu-quota-view', 'gpu-quota-manage']);
    assert.deepEqual(names('operator'), ['gpu-quota-view']);
    assert.deepEqual(names('viewer'), ['gpu-quota-view']);
  });
});

describe('KubeSphere objects', () => {
  it('users carry the global role annotation', () => {
    const meta = (o: Record<string, unknown>) =>
      (o.metadata as { annotations: Record<string, string> }).annotations;
    assert.equal(meta(userObject(admin, 'x'))['iam.kubesphere.io/globalrole'], 'platform-admin');
    assert.equal(meta(userObject(alice, 'x'))['iam.kubesphere.io/globalrole'], 'platform-regular');
  });

  it('lists filter, sort and page like KubeSphere queries', () => {
    const items = ['b', 'a', 'c', 'ab'].map((name) => ({ metadata: { name } }));
    const q = (s: string) => new URLSearchParams(s);
    assert.deepEqual(listResult(items, q('sortBy=name&limit=2&page=2')), {
      items: [{ metadata: { name: 'b' } }, { metadata: { name: 'c' } }],
      totalItems: 4,
    });
    assert.equal(listResult(items, q('name=a')).totalItems, 2);
  });
});
