// cmdb-alerting's receivers and escalation policies through the real backend and the sandbox's authorization:
// platform admins manage the cluster's, a workspace's admins their workspace's and nobody else's; every field is
// checked (400 naming it), Secrets are referenced by name and no value ever comes back.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ROUTE_TABLE, cmdbAlertingRoutes as routes, urlFor } from '@ks-gpu-ml/contracts';
import { readSandboxUsers, sandboxUser } from '../../sandbox/src/env.js';
import { applyFeatureRbac } from '../../sandbox/src/feature-rbac.js';
import { adminKubeConfig } from '../../sandbox/src/testing.js';
import { call, startBackend, type BackendProcess } from '../backend/backend-process.js';

let backend: BackendProcess;
const admin = () => sandboxUser('admin').token;
const wsAdmin = () => sandboxUser('ws-admin').token;

const robot = {
  name: 'ops-robot',
  type: 'wecom-robot',
  settings: {},
  // A Secret in one of ws-alpha's projects (it need not exist yet): a workspace's receiver may use no other's.
  secretRefs: { webhookKey: { namespace: 'alpha-train', name: 'wecom', key: 'ops-robot' } },
  recipients: [{ name: 'Li Lei', wecomUserId: 'lilei' }],
};
const voice = {
  name: 'owner-phone',
  type: 'voice',
  settings: { providers: 'aliyun,tencent' },
  secretRefs: {},
  recipients: [{ name: 'Han Meimei', mobile: '+8613800000000' }],
};
const policy = {
  name: 'critical',
  matchLabels: { severity: 'critical' },
  steps: [
    { receivers: ['ops-robot'], waitSeconds: 300 },
    { receivers: ['owner-phone'], waitSeconds: 600, acksRequired: 2 },
  ],
  repeat: 2,
};

const wsReceivers = urlFor(routes.listWorkspaceReceivers, { workspace: 'ws-alpha' });
const wsReceiver = (name: string, workspace = 'ws-alpha') =>
  urlFor(routes.getWorkspaceReceiver, { workspace, name });
const wsPolicies = urlFor(routes.listWorkspaceEscalationPolicies, { workspace: 'ws-alpha' });
const clusterReceivers = urlFor(routes.listClusterReceivers, {});

before(async () => {
  await applyFeatureRbac(adminKubeConfig(), ROUTE_TABLE, readSandboxUsers());
  backend = await startBackend({ AUTHZ_CACHE_TTL_MS: '0' });
});
after(async () => {
  assert.equal(await backend?.stop(), 0);
});

describe('receivers', () => {
  it('a workspace admin creates, reads, replaces and lists receivers of their workspace', async () => {
    const created = await call(backend, 'POST', wsReceivers, { token: wsAdmin(), body: robot });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.deepEqual(created.body.secretRefs, robot.secretRefs);
    assert.ok(created.body.updatedAt);
    const replaced = await call(backend, 'PUT', wsReceiver('ops-robot'), {
      token: wsAdmin(),
      body: { ...robot, description: 'the ops group' },
    });
    assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
    const read = await call(backend, 'GET', wsReceiver('ops-robot'), { token: wsAdmin() });
    assert.equal(read.body.description, 'the ops group');
    const list = await call(backend, 'GET', wsReceivers, { token: wsAdmin() });
    assert.deepEqual(
      (list.body.items as { name: string }[]).map((r) => r.name),
      ['ops-robot'],
    );
  });

  it('keeps workspaces apart: another workspace and the cluster see none of it, its admin may not look', async () => {
    const other = await call(backend, 'GET', wsReceiver('ops-robot', 'ws-beta'), { token: admin() });
    assert.equal(other.status, 404);
    assert.match(String(other.body.message), /no receiver "ops-robot"/);
    const cluster = await call(backend, 'GET', clusterReceivers, { token: admin() });
    assert.deepEqual(cluster.body.items, []);
    const denied = await call(backend, 'GET', clusterReceivers, { token: wsAdmin() });
    assert.equal(denied.status, 403);
    const beta = await call(
      backend,
      'POST',
      urlFor(routes.listWorkspaceReceivers, { workspace: 'ws-beta' }),
      {
        token: wsAdmin(),
        body: robot,
      },
    );
    assert.equal(beta.status, 403);
  });

  it('answers 409 for a name taken and 404 for an unknown one', async () => {
    const again = await call(backend, 'POST', wsReceivers, { token: wsAdmin(), body: robot });
    assert.equal(again.status, 409);
    const missing = await call(backend, 'PUT', wsReceiver('nobody'), {
      token: wsAdmin(),
      body: { ...robot, name: 'nobody' },
    });
    assert.equal(missing.status, 404);
  });

  const refusals: [string, unknown, string][] = [
    [
      'a secret value pasted as a setting',
      { ...robot, settings: { webhookKey: 'abc' } },
      'body.settings.webhookKey',
    ],
    ['a robot without its key reference', { ...robot, secretRefs: {} }, 'body.secretRefs.webhookKey'],
    [
      'a reference to a badly named Secret',
      { ...robot, secretRefs: { webhookKey: { namespace: 'NS', name: 'x', key: 'k' } } },
      'body.secretRefs.webhookKey.namespace',
    ],
    [
      'a voice receiver without a mobile',
      { ...voice, recipients: [{ name: 'x' }] },
      'body.recipients.0.mobile',
    ],
    [
      "a reference to a Secret outside the workspace's projects, not granted to it",
      { ...robot, secretRefs: { webhookKey: { namespace: 'beta-research', name: 'wecom', key: 'k' } } },
      'body.secretRefs.webhookKey',
    ],
    ['an unknown type', { ...robot, type: 'pager' }, 'body.type'],
    ['an unknown field', { ...robot, token: 'abc' }, 'body.token'],
    ['a bad mobile number', { ...voice, recipients: [{ mobile: '12ab' }] }, 'body.recipients.0.mobile'],
  ];
  for (const [what, body, field] of refusals) {
    it(`refuses ${what} with 400 naming ${field}`, async () => {
      const res = await call(backend, 'POST', wsReceivers, { token: wsAdmin(), body });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal((res.body.details as { field: string }).field, field);
    });
  }

  it('refuses a body whose name is not the path`s', async () => {
    const res = await call(backend, 'PUT', wsReceiver('ops-robot'), {
      token: wsAdmin(),
      body: { ...robot, name: 'renamed' },
    });
    assert.equal(res.status, 400);
    assert.equal((res.body.details as { field: string }).field, 'body.name');
  });
});

describe('escalation policies', () => {
  it('refuses a step naming a receiver that does not exist, naming the step`s field', async () => {
    const res = await call(backend, 'POST', wsPolicies, { token: wsAdmin(), body: policy });
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal((res.body.details as { field: string }).field, 'body.steps.1.receivers.0');
  });

  it('takes the policy once its receivers exist (a cluster receiver serves a workspace policy too)', async () => {
    const clusterVoice = await call(backend, 'POST', clusterReceivers, { token: admin(), body: voice });
    assert.equal(clusterVoice.status, 200, JSON.stringify(clusterVoice.body));
    const res = await call(backend, 'POST', wsPolicies, { token: wsAdmin(), body: policy });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.steps, policy.steps);
    const read = await call(
      backend,
      'GET',
      urlFor(routes.getWorkspaceEscalationPolicy, { workspace: 'ws-alpha', name: 'critical' }),
      { token: wsAdmin() },
    );
    assert.equal(read.body.repeat, 2);
  });

  it('refuses zero steps, a negative wait and more than 10 repeats, naming each field', async () => {
    const cases: [unknown, string][] = [
      [{ ...policy, steps: [] }, 'body.steps'],
      [{ ...policy, steps: [{ receivers: ['ops-robot'], waitSeconds: -1 }] }, 'body.steps.0.waitSeconds'],
      [{ ...policy, repeat: 11 }, 'body.repeat'],
    ];
    for (const [body, field] of cases) {
      const res = await call(backend, 'POST', wsPolicies, { token: wsAdmin(), body });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal((res.body.details as { field: string }).field, field);
    }
  });

  it('will not delete a receiver a policy uses (409), then deletes policy and receiver', async () => {
    const inUse = await call(backend, 'DELETE', wsReceiver('ops-robot'), { token: wsAdmin() });
    assert.equal(inUse.status, 409);
    assert.match(String(inUse.body.message), /escalation policy "critical"/);
    const url = urlFor(routes.deleteWorkspaceEscalationPolicy, { workspace: 'ws-alpha', name: 'critical' });
    assert.equal((await call(backend, 'DELETE', url, { token: wsAdmin() })).status, 200);
    assert.equal((await call(backend, 'DELETE', wsReceiver('ops-robot'), { token: wsAdmin() })).status, 200);
    assert.equal((await call(backend, 'GET', wsReceiver('ops-robot'), { token: wsAdmin() })).status, 404);
  });
});
