// Opening a notebook through KubeSphere's path (docs/adr/0046, issue 16), in the real console: alice, a member of
// alpha-train, clicks Open on her running notebook; the new tab loads through the console's own origin and path —
// the console's server (@ks-console/server routes.js passes /proxy/* to ks-apiserver with the cookie's token; its
// components/wsProxy.js sends every WebSocket upgrade to apiServer.wsUrl) → the ks-apiserver stand-in's ReverseProxy
// filter (authorized by nonResourceURLs, then the ReverseProxy object of tests/e2e/fixtures/notebook-proxy.yaml) →
// our backend → the notebook's Jupyter, here a loopback STAND-IN (KWOK's pods run nothing), named by the backend's
// test-only ML_APPS_NOTEBOOK_STAND_IN_ORIGIN. The page and a kernel WebSocket must both get through. viewer, who
// may see but not stop/start notebooks in alpha-train, is offered no Open and is refused at the path.
// Needs the sandbox (`npm run sandbox -- up`) and the bundles (`npm run build`).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CoreV1Api, CustomObjectsApi, type V1PodSpec } from '@kubernetes/client-node';
import { notebookOpenPath } from '@ks-gpu-ml/contracts';
import { ML_IDS } from '../../extensions/ml-apps/src/test-ids.js';
import { repoRoot, sandboxUser } from '../sandbox/src/env.js';
import { adminKubeConfig, writeStatus } from '../sandbox/src/testing.js';
import { startStandInJupyter, type StandInJupyter } from '../integration/ml-apps/stand-in-jupyter.js';
import { SCREENSHOTS, withSession } from './harness.js';
import { kubectlApply, startStack, type Stack } from './stack.js';

const NS = 'alpha-train';
const NAME = `e2e-open-${Date.now().toString(36)}`;
const OPEN_PATH = `${notebookOpenPath(NS, NAME)}/`;
const NOTEBOOKS_PAGE = `/workspaces/ws-alpha/ml-apps/projects/${NS}/notebooks`;
const NOTEBOOKS_API = `/kapis/ml-apps.ks-gpu-ml.io/v1alpha1/namespaces/${NS}/notebooks`;
const NOTEBOOK = { group: 'kubeflow.org', version: 'v1', plural: 'notebooks', namespace: NS, name: NAME };

let jupyter: StandInJupyter;
let stack: Stack;

/** A KubeSphere access token from the stand-in, as the console's login gets one. */
async function ksToken(user: string): Promise<string> {
  const res = await fetch(`${stack.shimUrl}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      username: user,
      password: sandboxUser(user).password,
      client_id: 'kubesphere',
      client_secret: 'kubesphere',
    }),
  });
  assert.equal(res.status, 200);
  return ((await res.json()) as { access_token: string }).access_token;
}

before(async () => {
  kubectlApply(['-f', join(repoRoot, 'tests/e2e/fixtures/notebook-proxy.yaml')]);
  jupyter = await startStandInJupyter();
  stack = await startStack({
    backendEnv: { ML_APPS_NOTEBOOK_STAND_IN_ORIGIN: jupyter.origin },
    reverseProxyService: 'ml-apps-backend.ks-gpu-ml-e2e.svc:80',
  });
  // alice makes the notebook through our API (so NB_PREFIX is the proxied path); the test then plays the notebook
  // controller: its pod runs (KWOK) and its status says ready.
  const created = await fetch(`${stack.shimUrl}${NOTEBOOKS_API}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await ksToken('alice')}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: NAME,
      image: 'sandbox.local/jupyter:1',
      cpu: 0.5,
      memory: '1Gi',
      workspaceVolume: { kind: 'none' },
    }),
  });
  assert.equal(created.status, 200, await created.text());
  const custom = adminKubeConfig().makeApiClient(CustomObjectsApi);
  const nb = (await custom.getNamespacedCustomObject(NOTEBOOK)) as {
    spec: { template: { spec: V1PodSpec } };
  };
  const env = nb.spec.template.spec.containers[0]?.env ?? [];
  assert.equal(env.find((e) => e.name === 'NB_PREFIX')?.value, OPEN_PATH.slice(0, -1));
  await adminKubeConfig()
    .makeApiClient(CoreV1Api)
    .createNamespacedPod({
      namespace: NS,
      body: {
        metadata: { name: `${NAME}-0`, labels: { 'notebook-name': NAME, statefulset: NAME } },
        spec: nb.spec.template.spec,
      },
    });
  await writeStatus(NOTEBOOK, { readyReplicas: 1 });
});

after(async () => {
  await adminKubeConfig()
    .makeApiClient(CustomObjectsApi)
    .deleteNamespacedCustomObject(NOTEBOOK)
    .catch(() => undefined);
  await adminKubeConfig()
    .makeApiClient(CoreV1Api)
    .deleteNamespacedPod({ namespace: NS, name: `${NAME}-0`, gracePeriodSeconds: 0 })
    .catch(() => undefined);
  await stack?.close();
  await jupyter?.close();
});

const byId = (id: string) => `[data-testid="${id}"]`;

describe('opening a notebook through the console', () => {
  test("alice's Open loads the notebook's Jupyter through the console's origin, and a kernel WebSocket connects", async () => {
    await withSession('ml-apps-notebook-open', { consoleUrl: stack.consoleUrl, user: 'alice' }, async (s) => {
      await s.page.goto(`${stack.consoleUrl}${NOTEBOOKS_PAGE}`);
      const row = s.page.locator('tr', { has: s.page.locator(byId(ML_IDS.notebookRow), { hasText: NAME }) });
      await row.getByText('Running').waitFor({ timeout: 90_000 });
      const open = row.locator(byId(ML_IDS.open));
      await open.waitFor({ timeout: 30_000 });
      await s.screenshot('ml-apps-notebook-open-button');
      const seen = jupyter.requests.length;
      const [tab] = await Promise.all([s.context.waitForEvent('page'), open.click()]);
      await tab.waitForLoadState('load');
      assert.equal(
        tab.url(),
        `${stack.consoleUrl}${OPEN_PATH}`,
        "the console's origin and the notebook's path",
      );
      assert.equal(await tab.locator('body').innerText(), `stand-in jupyter at ${OPEN_PATH}`);
      const reached = jupyter.requests.slice(seen).find((r) => r.method === 'GET');
      assert.equal(reached?.url, OPEN_PATH, 'the path reached Jupyter unchanged');
      assert.equal(reached?.headers.authorization, undefined, 'no KubeSphere credential reaches Jupyter');

      // A kernel channel from the notebook's page, as JupyterLab opens it: same origin, under the notebook's path,
      // reconnecting after a failed attempt as JupyterLab's kernel connection does. The console's server sends the
      // FIRST upgrade of its life without Authorization (components/wsProxy.js adds its header-setting listener only
      // after calling http-proxy's ws(), which emits proxyReqWs synchronously), so that attempt is refused (401).
      const upgradesBefore = stack.shimLog.filter((l) => l.endsWith('(upgrade)')).length;
      // A string, not a function: tsx's transform would wrap named closures in a helper the page does not have.
      const kernelUrl = `ws://${new URL(stack.consoleUrl).host}${OPEN_PATH}api/kernels/k1/channels`;
      const { echo, attempts } = (await tab.evaluate(`(async () => {
        for (let attempt = 1; attempt <= 3; attempt++) {
          const data = await new Promise((resolve) => {
            const ws = new WebSocket(${JSON.stringify(kernelUrl)});
            const timer = setTimeout(() => resolve(undefined), 15000);
            ws.onopen = () => ws.send('{"msg_type":"kernel_info_request"}');
            ws.onmessage = (event) => { clearTimeout(timer); resolve(String(event.data)); ws.close(); };
            ws.onclose = () => resolve(undefined);
          });
          if (data !== undefined) return { echo: data, attempts: attempt };
        }
        return { echo: '', attempts: 3 };
      })()`)) as { echo: string; attempts: number };
      const upgrades = stack.shimLog.filter((l) => l.endsWith('(upgrade)')).slice(upgradesBefore);
      console.log(`kernel WebSocket: ${attempts} attempt(s); the stand-in saw: ${upgrades.join(' | ')}`);
      // Every failed attempt is the console server's missing Authorization, nothing else; the last one got through.
      assert.deepEqual(
        upgrades.map((l) => l.split(' ')[0] + ' ' + l.split(' ').at(-2)),
        [...Array<string>(attempts - 1).fill('401 -'), '101 alice'],
      );
      assert.equal(echo, 'echo:{"msg_type":"kernel_info_request"}');
      const upgraded = jupyter.requests.slice(seen).find((r) => r.method === 'UPGRADE');
      assert.equal(upgraded?.url, `${OPEN_PATH}api/kernels/k1/channels`);
      // Shown on the tab for the screenshot (the stand-in's page is one line of text).
      const note = JSON.stringify(`kernel WebSocket through the console: ${echo}`);
      await tab.evaluate(
        `document.body.append(Object.assign(document.createElement('p'), { textContent: ${note} }))`,
      );
      mkdirSync(SCREENSHOTS, { recursive: true });
      await tab.screenshot({ path: join(SCREENSHOTS, 'ml-apps-notebook-open-tab.png') });
      await tab.close();
    });
  });

  test('viewer sees the running notebook without Open, and the path refuses her', async () => {
    await withSession(
      'ml-apps-notebook-open-viewer',
      { consoleUrl: stack.consoleUrl, user: 'viewer' },
      async (s) => {
        await s.page.goto(`${stack.consoleUrl}${NOTEBOOKS_PAGE}`);
        const row = s.page.locator('tr', {
          has: s.page.locator(byId(ML_IDS.notebookRow), { hasText: NAME }),
        });
        await row.getByText('Running').waitFor({ timeout: 90_000 });
        assert.equal(await row.locator(byId(ML_IDS.open)).count(), 0);
        await s.screenshot('ml-apps-notebook-open-viewer');
        const seen = jupyter.requests.length;
        const refused = await s.page.goto(`${stack.consoleUrl}${OPEN_PATH}`);
        assert.equal(refused?.status(), 403);
        assert.equal(jupyter.requests.length, seen, 'nothing reached Jupyter');
      },
    );
  });
});
