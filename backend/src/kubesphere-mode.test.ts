import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { kapisPath } from '@ks-gpu-ml/contracts';
import { buildApp, type BuiltApp } from './app.js';
import type { KubeClient } from './clients/kube.js';
import { startHttpStandIn, type ListeningStandIn } from './clients/test-http-stand-in.js';
import { createStore } from './clients/store/index.js';
import { loadConfig } from './core/config.js';
import { createLogger } from './core/logger.js';

/**
 * AUTH_MODE=kubesphere against a stand-in ks-apiserver on 127.0.0.1:0 that answers `/oauth/userinfo` and
 * KubeSphere's SubjectAccessReview the way kubesphere/kubesphere does (shapes from kubesphere-extensions.md §3).
 * ws-admin administers ws-alpha; the stand-in records every review it is asked.
 */
let ks: ListeningStandIn;
let built: BuiltApp;
const reviews: {
  auth: string | undefined;
  spec: { user: string; resourceAttributes: Record<string, string> };
}[] = [];

before(async () => {
  ks = await startHttpStandIn((req, body, res) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    res.setHeader('content-type', 'application/json');
    if (req.url === '/oauth/userinfo') {
      if (!token?.startsWith('ks-')) return void res.writeHead(401).end('{"message":"token is invalid"}');
      return void res.end(
        JSON.stringify({ sub: token.slice(3), name: token.slice(3), preferred_username: token.slice(3) }),
      );
    }
    if (req.url === '/kapis/iam.kubesphere.io/v1beta1/subjectaccessreviews' && req.method === 'POST') {
      const review = JSON.parse(body) as {
        spec: { user: string; resourceAttributes: Record<string, string> };
      };
      reviews.push({ auth: req.headers.authorization, spec: review.spec });
      const a = review.spec.resourceAttributes;
      const allowed =
        review.spec.user === 'ws-admin' && a.resourceScope === 'Workspace' && a.workspace === 'ws-alpha';
      return void res.end(
        JSON.stringify({
          ...review,
          status: { allowed, ...(allowed ? {} : { reason: 'no matching rule' }) },
        }),
      );
    }
    res.writeHead(404).end('{}');
  });
  const url = ks.url;
  const config = loadConfig(
    { AUTH_MODE: 'kubesphere', KS_APISERVER_URL: url, STORE_URL: 'sqlite::memory:' },
    [],
  );
  const kube = { ping: async () => undefined } as unknown as KubeClient;
  const silent = new Writable({ write: (_c, _e, done) => done() });
  built = await buildApp(config, {
    logger: createLogger('info', silent),
    clients: { kube, store: createStore('sqlite::memory:') },
  });
});
after(async () => {
  await built.app.close();
  await ks.stop();
});

const capabilities = (ws: string) =>
  kapisPath({ group: 'platform.ks-gpu-ml.io', scope: 'workspace', scopeName: ws, resource: 'capabilities' });

describe('KubeSphere mode', () => {
  it('verifies tokens with /oauth/userinfo and authorizes workspaces with KubeSphere SubjectAccessReview', async () => {
    const ok = await built.app.inject({
      url: capabilities('ws-alpha'),
      headers: {
        authorization: 'Bearer ks-ws-admin',
        'x-remote-user': 'ws-admin',
        'x-remote-group': 'system:authenticated',
      },
    });
    assert.equal(ok.statusCode, 200, ok.body);
    const asked = reviews.at(-1)!;
    assert.equal(
      asked.auth,
      'Bearer ks-ws-admin',
      'asked with the caller token when KS_TOKEN_FILE is not set',
    );
    assert.deepEqual(asked.spec.resourceAttributes, {
      resourceScope: 'Workspace',
      workspace: 'ws-alpha',
      verb: 'list',
      group: 'platform.ks-gpu-ml.io',
      version: 'v1alpha1',
      resource: 'capabilities',
    });

    const denied = await built.app.inject({
      url: capabilities('ws-beta'),
      headers: { authorization: 'Bearer ks-ws-admin' },
    });
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.json().details.reason, 'no matching rule');
    assert.equal(denied.json().details.workspace, 'ws-beta');
  });

  it('answers 401 for tokens ks-apiserver rejects and for forged X-Remote-User', async () => {
    const rejected = await built.app.inject({
      url: capabilities('ws-alpha'),
      headers: { authorization: 'Bearer forged' },
    });
    assert.equal(rejected.statusCode, 401);
    const forged = await built.app.inject({
      url: capabilities('ws-alpha'),
      headers: { authorization: 'Bearer ks-alice', 'x-remote-user': 'ws-admin' },
    });
    assert.equal(forged.statusCode, 401);
  });
});
