// Model serving in the real console against the sandbox, as a data scientist uses it: alice (a member of
// alpha-train) registers a model with its first version on her project's Models page, deploys that version on
// the Serving page through the form, and sees the service listed with its version and as waiting (no KServe
// controller runs here); she deletes it after the confirmation. A ClusterServingRuntime that auto-selects the
// format exists for the test only. Needs the sandbox (`npm run sandbox -- up`) and the bundles (`npm run build`).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { SERVING_IDS } from '../../extensions/ml-apps/src/serving-ids.js';
import { installCrds } from '../sandbox/src/crds.js';
import { adminKubeConfig, uniqueName } from '../sandbox/src/testing.js';
import { withSession } from './harness.js';
import { startStack, type Stack } from './stack.js';

const kc = adminKubeConfig();
const custom = kc.makeApiClient(CustomObjectsApi);
const RUNTIMES = {
  group: 'serving.kserve.io',
  version: 'v1alpha1',
  plural: 'clusterservingruntimes',
} as const;
const runtime = uniqueName('e2e-onnx-rt');

let stack: Stack;
before(async () => {
  await installCrds(kc, ['kserve']);
  await custom.createClusterCustomObject({
    ...RUNTIMES,
    body: {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ClusterServingRuntime',
      metadata: { name: runtime },
      spec: {
        supportedModelFormats: [{ name: 'onnx', autoSelect: true }],
        protocolVersions: ['v2'],
        containers: [{ name: 'kserve-container', image: 'sandbox.local/triton:1' }],
      },
    },
  });
  stack = await startStack();
});
after(async () => {
  await stack?.close();
  await custom.deleteClusterCustomObject({ ...RUNTIMES, name: runtime }).catch(() => undefined);
});

const byId = (id: string) => `[data-testid="${id}"]`;

describe('model serving in the console', () => {
  test('alice registers a model, deploys its version through the form and sees the service listed', async () => {
    await withSession('ml-apps-serving', { consoleUrl: stack.consoleUrl, user: 'alice' }, async (s) => {
      const model = `e2e-${Date.now().toString(36)}`;
      const base = `${stack.consoleUrl}/workspaces/ws-alpha/ml-apps/projects/alpha-train`;
      try {
        await s.page.goto(`${base}/models`);
        await s.page.locator(byId(SERVING_IDS.newModel)).click({ timeout: 60_000 });
        await s.page.getByLabel('Name', { exact: true }).fill(model);
        await s.page.getByLabel('Format', { exact: true }).selectOption('onnx');
        await s.page.getByLabel('Storage URI (s3://, gs://, pvc://, hf://)').fill(`s3://models/${model}/1`);
        await s.page.locator(byId(SERVING_IDS.modelSubmit)).click();
        await s.page.locator(byId(SERVING_IDS.versionRow), { hasText: 'v1' }).waitFor({ timeout: 30_000 });
        await s.screenshot('ml-apps-models');

        await s.page.locator(byId('ml-section-serving')).first().click();
        await s.page.waitForURL('**/ml-apps/projects/alpha-train/serving');
        await s.page.locator(byId(SERVING_IDS.newService)).click({ timeout: 60_000 });
        await s.page.getByLabel('Model', { exact: true }).selectOption(model);
        await s.page.getByLabel('Name', { exact: true }).fill(model);
        await s.page.getByLabel('CPU cores per replica').fill('0.5');
        await s.page.getByLabel('Memory per replica').fill('1Gi');
        await s.screenshot('ml-apps-serving-form');
        await s.page.locator(byId(SERVING_IDS.serviceSubmit)).click();

        const row = s.page.locator('tr', {
          has: s.page.locator(byId(SERVING_IDS.serviceRow), { hasText: model }),
        });
        await row.waitFor({ timeout: 30_000 });
        const text = await row.innerText();
        assert.match(text, new RegExp(`${model} v1`));
        assert.match(text, /Waiting/);
        assert.doesNotMatch(text, /Ready/);
        await s.screenshot('ml-apps-serving');

        await row.locator(byId(SERVING_IDS.serviceDelete)).click();
        await s.page.locator('[data-testid="notebook-confirm"]').click();
        await row.waitFor({ state: 'detached', timeout: 30_000 });
      } finally {
        await custom
          .deleteNamespacedCustomObject({
            group: 'serving.kserve.io',
            version: 'v1beta1',
            plural: 'inferenceservices',
            namespace: 'alpha-train',
            name: model,
          })
          .catch(() => undefined);
      }
    });
  });
});
