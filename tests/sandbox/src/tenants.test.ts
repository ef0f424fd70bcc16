import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeUsers, namespacesOf, tenantObjects, tokenFile, workspaceOf } from './tenants.js';

describe('tenants', () => {
  it('writes the static token file in kube-apiserver format, groups quoted', () => {
    const text = tokenFile([{ name: 'alice', token: 't1', groups: ['system:authenticated', 'team'] }]);
    assert.equal(text, 't1,alice,alice,"system:authenticated,team"\n');
  });

  it('gives every user a distinct random token', () => {
    const users = makeUsers();
    assert.equal(new Set(users.map((u) => u.token)).size, users.length);
    assert.ok(users.every((u) => /^[0-9a-f]{48}$/.test(u.token)));
  });

  it('binds each role where it applies: cluster-wide, per workspace namespace, per project', () => {
    const objects = tenantObjects(makeUsers());
    const bindings = objects.filter((o) => o.kind.endsWith('Binding')) as unknown as {
      kind: string;
      metadata: { namespace?: string };
      subjects: { name: string }[];
      roleRef: { name: string };
    }[];
    const of = (user: string) => bindings.filter((b) => b.subjects[0]!.name === user);
    assert.deepEqual(
      of('admin').map((b) => [b.kind, b.roleRef.name]),
      [['ClusterRoleBinding', 'cluster-admin']],
    );
    assert.deepEqual(
      of('ws-admin').map((b) => [b.metadata.namespace, b.roleRef.name]),
      namespacesOf('ws-alpha').map((ns) => [ns, 'admin']),
    );
    assert.deepEqual(
      of('bob').map((b) => [b.metadata.namespace, b.roleRef.name]),
      [['beta-research', 'edit']],
    );
    assert.deepEqual(
      of('viewer').map((b) => [b.metadata.namespace, b.roleRef.name]),
      [['alpha-train', 'view']],
    );
  });

  it('labels each project namespace with its workspace', () => {
    const namespaces = tenantObjects([]).filter((o) => o.kind === 'Namespace') as unknown as {
      metadata: { name: string; labels: Record<string, string> };
    }[];
    assert.ok(namespaces.length >= 3);
    for (const ns of namespaces) {
      assert.equal(ns.metadata.labels['kubesphere.io/workspace'], workspaceOf(ns.metadata.name));
    }
  });
});
