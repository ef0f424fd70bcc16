// Model serving in the real console against the sandbox, as a data scientist uses it: alice (a member of
// alpha-train) registers a model with its first version on her project's Models page, deploys that version on
// the Serving page through the form, and sees the service listed with its version and as waiting (no KServe
// controller runs here); she deletes it after the confirmation. Then, in a fresh project of ws-alpha with a GPU
// quota of 1: a deploy of 2 replicas with 1 GPU each is refused in the form with the quota's numbers and nothing
// is created; 1 to 2 replicas on the chosen runtime is deployed and listed; once the test writes the status as
// KServe's controller would (and makes the predictor pod, which KWOK runs), the list shows it Ready with its URL
// and the details show the pod with its live GPU figures. A ClusterServingRuntime that auto-selects the format
// exists for the test only. Needs the sandbox (`npm run sandbox -- up`) and the bundles (`npm run build`).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { ML_IDS } from '../../extensions/ml-apps/src/test-ids.js';
import { SERVING_IDS } from '../../extensions/ml-apps/src/serving-ids.js';
import { installCrds } from '../sandbox/src/crds.js';
import { adminKubeConfig, createTestNamespace, uniqueName } from '../sandbox/src/testing.js';
import { gpuQuota } from '../integration/ml-apps/ml-apps-backend.js';
import { byId, withSession, type Session } from './harness.js';
import { startStack, type Stack } from './stack.js';

const kc = adminKubeConfig();
const custom = kc.makeApiClient(CustomObjectsApi);
const core = kc.makeApiClient(CoreV1Api);
const ISVC = { group: 'serving.kserve.io', version: 'v1beta1', plural: 'inferenceservices' } as const;
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

/** Registers `model` with its first version (ONNX) on the Models page of the project at `base`, as a user does. */
async function registerModel(s: Session, base: string, model: string): Promise<void> {
  await s.page.goto(`${base}/models`);
  await s.page.locator(byId(SERVING_IDS.newModel)).click({ timeout: 60_000 });
  await s.page.getByLabel('Name', { exact: true }).fill(model);
  await s.page.getByLabel('Format', { exact: true }).selectOption('onnx');
  await s.page.getByLabel('Storage URI (s3://, gs://, pvc://, hf://)').fill(`s3://models/${model}/1`);
  await s.page.locator(byId(SERVING_IDS.modelSubmit)).click();
  await s.page.locator(byId(SERVING_IDS.versionRow), { hasText: 'v1' }).waitFor({ timeout: 30_000 });
}

describe('model serving in the console', () => {
  test('alice registers a model, deploys its version through the form and sees the service listed', async () => {
    await withSession('ml-apps-serving', { consoleUrl: stack.consoleUrl, user: 'alice' }, async (s) => {
      const model = `e2e-${Date.now().toString(36)}`;
      const base = `${stack.consoleUrl}/workspaces/ws-alpha/ml-apps/projects/alpha-train`;
      try {
        await registerModel(s, base, model);
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

  test('admin deploys 1 GPU per replica on a runtime through the form: over quota refused with its numbers, then Ready with its URL and live GPU figures', async () => {
    const project = await createTestNamespace('e2e-sv', 'ws-alpha');
    const model = `e2e-${Date.now().toString(36)}`;
    try {
      await gpuQuota(project.name, 1);
      await withSession('ml-apps-serving-gpu', { consoleUrl: stack.consoleUrl, user: 'admin' }, async (s) => {
        // The first deploy is refused by the pre-check on purpose.
        s.expect(new RegExp(`^409 POST \\S*/namespaces/${project.name}/inferenceservices`));
        const base = `${stack.consoleUrl}/workspaces/ws-alpha/ml-apps/projects/${project.name}`;
        await registerModel(s, base, model);

        await s.page.goto(`${base}/serving`);
        await s.page.locator(byId(SERVING_IDS.newService)).click({ timeout: 60_000 });
        const form = s.page.locator(byId(SERVING_IDS.serviceForm));
        await form.getByLabel('Model', { exact: true }).selectOption(model);
        await form.getByLabel('Name', { exact: true }).fill(model);
        await form.getByLabel('Runtime', { exact: true }).selectOption(`ClusterServingRuntime/${runtime}`);
        await form.getByLabel('Inference protocol', { exact: true }).selectOption('v2');
        await form.getByLabel('CPU cores per replica').fill('0.5');
        await form.getByLabel('Memory per replica').fill('1Gi');
        await form.getByLabel('GPU per replica', { exact: true }).selectOption('nvidia.com/gpu');
        await form.getByLabel('Number of GPUs').fill('1');
        await form.getByLabel('Minimum replicas').fill('2');
        await form.getByLabel('Maximum replicas').fill('2');
        await form.locator(byId(SERVING_IDS.serviceSubmit)).click();
        // Refused before creation, in the form, with the quota's numbers: 2 asked, 0 used of 1.
        const refusal = form.locator(byId(ML_IDS.refusal)).first();
        await refusal.waitFor({ timeout: 30_000 });
        assert.match(
          await refusal.innerText(),
          /nvidia\.com\/gpu: asked 2, 0 used of 1 allowed by quota gpus/,
        );
        await s.screenshot('ml-apps-serving-refused');
        await assert.rejects(
          custom.getNamespacedCustomObject({ ...ISVC, namespace: project.name, name: model }),
          'nothing created',
        );

        await form.getByLabel('Minimum replicas').fill('1');
        await s.screenshot('ml-apps-serving-gpu-form');
        await form.locator(byId(SERVING_IDS.serviceSubmit)).click();
        const row = s.page.locator('tr', {
          has: s.page.locator(byId(SERVING_IDS.serviceRow), { hasText: model }),
        });
        await row.waitFor({ timeout: 30_000 });
        assert.match(
          await row.innerText(),
          new RegExp(`${model} v1[\\s\\S]*0/0 \\(1–2\\)[\\s\\S]*1 × nvidia\\.com/gpu`),
        );
        assert.match(await row.innerText(), /Waiting/);

        // Playing KServe: the predictor pod it would make (KWOK runs it on a GPU node), then its status.
        await core.createNamespacedPod({
          namespace: project.name,
          body: {
            metadata: {
              name: `${model}-predictor-0`,
              labels: { 'serving.kserve.io/inferenceservice': model, component: 'predictor' },
            },
            spec: {
              containers: [
                {
                  name: 'kserve-container',
                  image: 'sandbox.local/triton:1',
                  resources: { limits: { cpu: '500m', memory: '1Gi', 'nvidia.com/gpu': '1' } },
                },
              ],
            },
          },
        });
        const url = `http://${model}.${project.name}.example.com`;
        await custom.patchNamespacedCustomObjectStatus(
          {
            ...ISVC,
            namespace: project.name,
            name: model,
            body: {
              status: {
                url,
                address: { url: `http://${model}.${project.name}.svc.cluster.local` },
                conditions: [
                  { type: 'PredictorReady', status: 'True' },
                  { type: 'Ready', status: 'True' },
                ],
              },
            },
          },
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
        );
        // The list follows the backend's watch: no reload.
        await row.locator(byId(SERVING_IDS.serviceUrl), { hasText: url }).waitFor({ timeout: 30_000 });
        await row.getByText(/^Ready/).waitFor({ timeout: 30_000 });
        await row.getByText('1/1 (1–2)').waitFor({ timeout: 60_000 });
        await s.screenshot('ml-apps-serving-ready');

        await row.locator(byId(SERVING_IDS.detailsOpen)).click();
        const pod = s.page.locator(byId(SERVING_IDS.pod), { hasText: `${model}-predictor-0` });
        await pod.waitFor({ timeout: 30_000 });
        // gpu-monitoring's figures for the pod, once dcgm-exporter's simulator and Prometheus have it.
        const live = pod.locator(byId(SERVING_IDS.podGpuLive));
        await live.waitFor({ timeout: 30_000 });
        for (let i = 0; i < 20 && !/utilization/.test(await live.innerText()); i++) {
          await s.page.waitForTimeout(5_000);
        }
        assert.match(
          await live.innerText(),
          /kserve-container \(1 GPU\): [\d.]+% utilization, [\d.]+ GiB( \/ [\d.]+ GiB)? memory/,
        );
        await s.screenshot('ml-apps-serving-details');
      });
    } finally {
      await project.remove();
    }
  });
});
