import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeNotebook } from '../../clients/ml-apps-kube.js';
import { AppError } from '../../core/errors.js';
import { notebookManifest } from './notebook-manifest.js';
import {
  assertOpenable,
  downstreamHeaders,
  notebookOrigin,
  servedUnderProxy,
  upstreamPath,
  upstreamRequestHeaders,
} from './notebook-open.js';
import { notebookView } from './notebook-view.js';

const PREFIX = '/proxy/ml-apps.ks-gpu-ml.io/notebook/team-a/nb1';

const keyOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AppError, String(err));
    return `${err.statusCode} ${err.key}`;
  }
  return 'ok';
};

describe('upstreamPath', () => {
  it('keeps a path under the notebook prefix as it came, query included', () => {
    for (const url of [
      PREFIX,
      `${PREFIX}/`,
      `${PREFIX}/lab?reset`,
      `${PREFIX}/api/contents/a%20b.ipynb?content=1`,
    ]) {
      assert.equal(upstreamPath(url, 'team-a', 'nb1'), url);
    }
  });

  it('refuses another notebook, a longer name and dot segments, plain or encoded', () => {
    for (const url of [
      '/proxy/ml-apps.ks-gpu-ml.io/notebook/team-a/nb10/lab',
      '/proxy/ml-apps.ks-gpu-ml.io/notebook/team-b/nb1/lab',
      `${PREFIX}/../../team-b/nb2/api`,
      `${PREFIX}/%2e%2e/%2E%2E/team-b/nb2/api`,
      `${PREFIX}/a%2F..%2F..%2Fb`,
      `${PREFIX}/%E0%A4%A`,
    ]) {
      assert.equal(
        keyOf(() => upstreamPath(url, 'team-a', 'nb1')),
        '400 ML_APPS_NOTEBOOK_OPEN_BAD_PATH',
        url,
      );
    }
  });
});

describe('upstreamRequestHeaders', () => {
  it("drops the caller's KubeSphere credentials and hop-by-hop headers, keeps Jupyter's", () => {
    const out = upstreamRequestHeaders({
      host: 'console.example',
      authorization: 'Bearer ks-token',
      'x-remote-user': 'alice',
      'x-remote-group': 'system:authenticated',
      'x-remote-extra-scopes': 'x',
      cookie: 'token=ks-token; _xsrf=2|abc; refreshToken=r; username-x=y',
      connection: 'keep-alive, x-private',
      'x-private': 'hop',
      'keep-alive': 'timeout=5',
      'transfer-encoding': 'chunked',
      'x-xsrftoken': '2|abc',
      'content-type': 'application/json',
    });
    assert.deepEqual(out, {
      host: 'console.example',
      cookie: '_xsrf=2|abc; username-x=y',
      'x-xsrftoken': '2|abc',
      'content-type': 'application/json',
    });
  });

  it("gives Jupyter its XSRF token as a cookie when the console's server dropped the cookies, never a forged one", () => {
    const token = '2|a1b2c3d4|0f1e2d3c|1765000000';
    assert.equal(upstreamRequestHeaders({ 'x-xsrftoken': token }).cookie, `_xsrf=${token}`);
    assert.equal(
      upstreamRequestHeaders({ 'x-xsrftoken': token, cookie: '_xsrf=own; a=b' }).cookie,
      '_xsrf=own; a=b',
      "a cookie that came is Jupyter's own check",
    );
    assert.equal(upstreamRequestHeaders({ 'x-xsrftoken': 'x; token=stolen' }).cookie, undefined);
  });

  it('sends no cookie header when only console cookies came', () => {
    assert.equal(upstreamRequestHeaders({ cookie: 'token=a; expire=1' }).cookie, undefined);
  });

  it('keeps a WebSocket handshake an upgrade and refuses any other protocol', () => {
    const out = upstreamRequestHeaders({
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-key': 'k',
      'sec-websocket-version': '13',
      authorization: 'Bearer t',
    });
    assert.deepEqual(out, {
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-key': 'k',
      'sec-websocket-version': '13',
    });
    assert.equal(
      keyOf(() => upstreamRequestHeaders({ connection: 'Upgrade', upgrade: 'h2c' })),
      '400 ML_APPS_NOTEBOOK_OPEN_BAD_UPGRADE',
    );
  });

  it('does not pass on where the client says it came from', () => {
    const out = upstreamRequestHeaders({
      'x-forwarded-for': '10.0.0.1',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'https',
      forwarded: 'for=10.0.0.1',
      'x-real-ip': '10.0.0.1',
      accept: 'text/html',
    });
    assert.deepEqual(out, { accept: 'text/html' });
  });

  it("passes the notebook's response headers but its hop-by-hop ones", () => {
    assert.deepEqual(
      downstreamHeaders(
        {
          'content-type': 'text/html',
          'set-cookie': [`_xsrf=1; Path=${PREFIX}/`],
          connection: 'keep-alive, x-hop',
          'x-hop': '1',
          'transfer-encoding': 'chunked',
        },
        `${PREFIX}/`,
      ),
      { 'content-type': 'text/html', 'set-cookie': [`_xsrf=1; Path=${PREFIX}/`] },
    );
  });

  it("keeps the notebook's cookies under its own path and drops headers that act on the console's whole origin", () => {
    const out = downstreamHeaders(
      {
        'set-cookie': [
          '_xsrf=2|a; Path=/; expires=Wed, 01 Jan 2031 00:00:00 GMT',
          'token=attacker; Path=/; HttpOnly',
          'refreshToken=r',
          'username-x=y; Domain=.example.com; path=/; HttpOnly',
        ],
        'clear-site-data': '"cookies", "storage"',
        'service-worker-allowed': '/',
        'strict-transport-security': 'max-age=31536000',
        'alt-svc': 'h3=":443"',
        'content-type': 'text/html',
      },
      `${PREFIX}/`,
    );
    assert.deepEqual(out, {
      'set-cookie': [
        `_xsrf=2|a; expires=Wed, 01 Jan 2031 00:00:00 GMT; Path=${PREFIX}/`,
        `username-x=y; HttpOnly; Path=${PREFIX}/`,
      ],
      'content-type': 'text/html',
    });
    assert.deepEqual(downstreamHeaders({ 'set-cookie': ['token=a; Path=/'] }, `${PREFIX}/`), {});
  });
});

describe('where and whether a notebook opens', () => {
  const made = notebookManifest(
    'team-a',
    {
      name: 'nb1',
      image: 'jupyter:1',
      cpu: 1,
      memory: '1Gi',
      workspaceVolume: { kind: 'none' },
      env: [
        { name: 'NB_PREFIX', value: '/elsewhere' },
        { name: 'A', value: 'b' },
      ],
    },
    'alice',
  );
  const running = (extra: Partial<KubeNotebook> = {}): KubeNotebook => ({
    ...structuredClone(made),
    status: { readyReplicas: 1 },
    ...extra,
  });

  it("is made with the proxy path as Jupyter's base URL, over any NB_PREFIX the form gave", () => {
    const env = made.spec?.template?.spec?.containers?.[0]?.env;
    assert.deepEqual(env, [
      { name: 'NB_PREFIX', value: PREFIX },
      { name: 'A', value: 'b' },
    ]);
    assert.equal(servedUnderProxy(made), true);
    assert.equal(notebookView(running(), undefined, []).openPath, `${PREFIX}/`);
  });

  it('goes to the Service the controller makes, or the test stand-in when one is set', () => {
    assert.equal(notebookOrigin('team-a', 'nb1'), 'http://nb1.team-a.svc');
    assert.equal(notebookOrigin('team-a', 'nb1', 'http://127.0.0.1:9'), 'http://127.0.0.1:9');
  });

  it('opens only a running notebook made for the proxy, and says why not otherwise', () => {
    const judge = (nb: KubeNotebook | undefined) => keyOf(() => assertOpenable(nb, 'team-a', 'nb1'));
    assert.equal(judge(running()), 'ok');
    assert.equal(judge(undefined), '404 ML_APPS_NOTEBOOK_NOT_FOUND');
    const stopped = running({
      metadata: { ...made.metadata, annotations: { 'kubeflow-resource-stopped': '2026-01-01T00:00:00Z' } },
    });
    assert.equal(judge(stopped), '409 ML_APPS_NOTEBOOK_OPEN_STOPPED');
    assert.equal(judge(running({ status: { readyReplicas: 0 } })), '503 ML_APPS_NOTEBOOK_OPEN_NOT_READY');
    const kubeflows = running();
    kubeflows.spec!.template!.spec!.containers[0]!.env = [
      { name: 'NB_PREFIX', value: '/notebook/team-a/nb1' },
    ];
    assert.equal(judge(kubeflows), '409 ML_APPS_NOTEBOOK_OPEN_OTHER_PREFIX');
    assert.equal(notebookView(kubeflows, undefined, []).openPath, undefined);
  });
});
