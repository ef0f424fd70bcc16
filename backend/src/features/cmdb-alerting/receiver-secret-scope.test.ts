// A workspace's receiver naming a Secret outside its scope is refused when it is saved (400 naming the reference),
// not only when it is delivered: through the receivers' config service on a real SQLite store, with an in-memory
// Secret reader (the apiserver side is clients/kube-secrets.ts, exercised against the sandbox by the chain test).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ReceiverInput } from '@ks-gpu-ml/contracts';
import { SecretForbidden, type SecretData, type SecretReader } from '../../clients/kube-secrets.js';
import { createStore, type Store } from '../../clients/store/index.js';
import { AppError } from '../../core/errors.js';
import { WORKSPACES_ANNOTATION, secretScopeChecker } from './receiver-channels.js';
import { createConfigServices } from './receivers-config.js';

const robot = (name: string, namespace: string, secretName = 'robot'): ReceiverInput => ({
  name,
  type: 'wecom-robot',
  settings: {},
  secretRefs: { webhookKey: { namespace, name: secretName, key: 'key' } },
  recipients: [],
});

const secret = (annotations: Record<string, string> = {}): SecretData => ({
  resourceVersion: '1',
  data: new Map([['key', 'v']]),
  annotations,
});

const fieldOf = (err: unknown) =>
  err instanceof AppError && err.statusCode === 400 ? (err.details as { field?: string }).field : undefined;

describe("receivers' Secret references are checked against their scope when saved", () => {
  let store: Store;
  let apiserverDown = false;
  const secrets = new Map<string, SecretData>([
    ['alpha-ops/robot', secret()],
    ['extension-cmdb-alerting/shared', secret({ [WORKSPACES_ANNOTATION]: 'beta, alpha' })],
    ['extension-cmdb-alerting/beta-only', secret({ [WORKSPACES_ANNOTATION]: 'beta' })],
    ['beta-ops/robot', secret()],
  ]);
  const reader: SecretReader = {
    async read(namespace, name) {
      if (apiserverDown) throw new Error('connect ECONNREFUSED');
      if (namespace === 'kube-system') throw new SecretForbidden(namespace, name);
      return secrets.get(`${namespace}/${name}`);
    },
  };
  let receivers: ReturnType<typeof createConfigServices>['receivers'];
  before(async () => {
    store = createStore('sqlite::memory:');
    await store.migrate();
    const check = secretScopeChecker({
      secrets: reader,
      workspaceOf: async () =>
        new Map([
          ['alpha-ops', 'alpha'],
          ['beta-ops', 'beta'],
        ]),
    });
    receivers = createConfigServices(store, Date.now, check).receivers;
  });
  after(async () => store.close());

  it("accepts a Secret in one of the workspace's projects, even one not created yet", async () => {
    await receivers.create('alpha', robot('own', 'alpha-ops'));
    await receivers.create('alpha', robot('own-later', 'alpha-ops', 'not-yet'));
  });

  it('accepts a Secret outside that the annotation grants to the workspace', async () => {
    await receivers.create('alpha', robot('granted', 'extension-cmdb-alerting', 'shared'));
  });

  it("refuses another tenant's Secret, an ungranted one, an absent one and an unreadable one with a 400", async () => {
    for (const [name, namespace, secretName] of [
      ['theirs', 'beta-ops', 'robot'],
      ['not-granted', 'extension-cmdb-alerting', 'beta-only'],
      ['absent', 'extension-cmdb-alerting', 'nothing-here'],
      ['unreadable', 'kube-system', 'robot'],
    ] as const) {
      await assert.rejects(
        receivers.create('alpha', robot(name, namespace, secretName)),
        (err) => fieldOf(err) === 'body.secretRefs.webhookKey',
        name,
      );
    }
    assert.deepEqual(
      (await receivers.list('alpha')).items.map((r) => r.name).sort(),
      ['granted', 'own', 'own-later'],
      'none of them was stored',
    );
  });

  it('refuses the same at update', async () => {
    await assert.rejects(
      receivers.update('alpha', 'own', robot('own', 'beta-ops')),
      (err) => fieldOf(err) === 'body.secretRefs.webhookKey',
    );
    assert.equal((await receivers.get('alpha', 'own')).secretRefs.webhookKey?.namespace, 'alpha-ops');
  });

  it("lets the cluster's receivers name any Secret the backend may read", async () => {
    await receivers.create('', robot('platform', 'beta-ops'));
  });

  it('answers 503 and stores nothing when the apiserver cannot be asked', async () => {
    apiserverDown = true;
    await assert.rejects(
      receivers.create('alpha', robot('later', 'extension-cmdb-alerting', 'shared')),
      (err) => err instanceof AppError && err.statusCode === 503,
    );
    apiserverDown = false;
    await assert.rejects(
      receivers.get('alpha', 'later'),
      (err) => err instanceof AppError && err.statusCode === 404,
    );
  });
});
