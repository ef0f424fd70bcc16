// ML Apps in the real console against the sandbox, as a data scientist uses it: alice (a member of alpha-train
// only) opens ML Apps from the workspace menu, goes to her project's notebooks, creates a notebook with 1 GPU,
// sees it listed with its GPU and as waiting (no controller makes its pod here); once its pod runs (the test plays
// the notebook controller) she sees it Running with its GPU's live utilization and memory, and deletes it after
// the confirmation; then her project's training jobs show a 2-node job's pods with their nodes. Needs the sandbox (`npm run sandbox -- up`) and the bundles (`npm run build`).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api, CustomObjectsApi, type V1PodSpec } from '@kubernetes/client-node';
import { ML_IDS } from '../../extensions/ml-apps/src/test-ids.js';
import { adminKubeConfig, createClusterTrainingRuntime, uniqueName } from '../sandbox/src/testing.js';
import { byId, withSession } from './harness.js';
import { stackAroundTests } from './stack.js';

const stack = stackAroundTests();

describe('notebooks in the console', () => {
  test('alice creates a 1-GPU notebook in alpha-train, sees it waiting, then running with its GPU use, and deletes it', async () => {
    const name = `e2e-${Date.now().toString(36)}`;
    const core = adminKubeConfig().makeApiClient(CoreV1Api);
    const custom = adminKubeConfig().makeApiClient(CustomObjectsApi);
    const namespace = 'alpha-train';
    try {
      await withSession('ml-apps-notebooks', { consoleUrl: stack().consoleUrl, user: 'alice' }, async (s) => {
        // From another of our workspace pages (the console's own overview asks for metrics the stand-in lacks).
        await s.page.goto(`${stack().consoleUrl}/workspaces/ws-alpha/gpu-monitoring/my-projects`);
        await s.page.getByText('ML Apps', { exact: true }).first().click({ timeout: 60_000 });
        await s.page.locator(byId(ML_IDS.operator('notebooks'))).waitFor({ timeout: 60_000 });
        assert.match(await s.page.locator(byId(ML_IDS.operator('notebooks'))).innerText(), /installed/);
        const projects = await s.page.locator(byId(ML_IDS.projects)).innerText();
        assert.match(projects, /alpha-train/);
        assert.doesNotMatch(projects, /alpha-serve|beta-research/, 'only her own project');

        await s.page.locator(byId(ML_IDS.projects)).getByRole('link', { name: 'Notebooks' }).click();
        await s.page.waitForURL('**/workspaces/ws-alpha/ml-apps/projects/alpha-train/notebooks');
        await s.page.locator(byId(ML_IDS.newNotebook)).click({ timeout: 60_000 });
        await s.page.getByLabel('Name', { exact: true }).fill(name);
        await s.page.getByLabel('GPU', { exact: true }).selectOption('nvidia.com/gpu');
        await s.page.getByLabel('Number of GPUs').fill('1');
        await s.page.getByLabel('Workspace volume').selectOption('none');
        await s.screenshot('ml-apps-notebook-form');
        await s.page.locator(byId(ML_IDS.submit)).click();

        const row = s.page.locator('tr', {
          has: s.page.locator(byId(ML_IDS.notebookRow), { hasText: name }),
        });
        await row.waitFor({ timeout: 30_000 });
        const text = await row.innerText();
        assert.match(text, /1 × nvidia\.com\/gpu/);
        assert.match(text, /Waiting/);
        assert.doesNotMatch(text, /Running/);
        await s.screenshot('ml-apps-notebooks-waiting');

        // The notebook controller's StatefulSet would now make pod <name>-0 from the notebook's pod spec; on an
        // 8-GPU node, where the sandbox's dcgm-exporter stand-in reports each GPU's holder.
        const nb = (await custom.getNamespacedCustomObject({
          group: 'kubeflow.org',
          version: 'v1',
          plural: 'notebooks',
          namespace,
          name,
        })) as { spec: { template: { spec: V1PodSpec } } };
        await core.createNamespacedPod({
          namespace,
          body: {
            metadata: { name: `${name}-0`, labels: { 'notebook-name': name, statefulset: name } },
            spec: { ...nb.spec.template.spec, nodeSelector: { 'nvidia.com/gpu.count': '8' } },
          },
        });
        const gpuUse = row.locator(byId(ML_IDS.gpuUse));
        await gpuUse.getByText(/^\d+% · /).waitFor({ timeout: 90_000 });
        assert.match(await row.innerText(), /Running/);
        assert.match(
          await gpuUse.innerText(),
          /^\d+% · [\d.]+( \w+)? (used|\/ [\d.]+ \w+)$/,
          'utilization · memory used (of the total, where known)',
        );
        assert.match(
          (await gpuUse.getAttribute('href')) ?? '',
          new RegExp(`/gpu-monitoring/projects/${namespace}/workloads/${name}-0$`),
        );
        await s.screenshot('ml-apps-notebooks');

        await row.locator(byId(ML_IDS.remove)).click();
        await s.page.locator(byId(ML_IDS.confirm)).click();
        await row.waitFor({ state: 'detached', timeout: 30_000 });
      });
    } finally {
      await core
        .deleteNamespacedPod({ name: `${name}-0`, namespace, gracePeriodSeconds: 0 })
        .catch(() => undefined);
      // A run that failed before the page's delete leaves no notebook behind for the next one to list.
      await custom
        .deleteNamespacedCustomObject({
          group: 'kubeflow.org',
          version: 'v1',
          plural: 'notebooks',
          namespace,
          name,
        })
        .catch(() => undefined);
    }
  });

  test("alice sees a TrainJob's per-node pods with their nodes", async () => {
    // Trainer does not run here: the test makes the runtime, the job and its JobSet's pods (KWOK runs them).
    const kc = adminKubeConfig();
    const core = kc.makeApiClient(CoreV1Api);
    const custom = kc.makeApiClient(CustomObjectsApi);
    const trainer = { group: 'trainer.kubeflow.org', version: 'v1alpha1' } as const;
    const runtime = uniqueName('e2e-torch');
    const name = uniqueName('e2e-job');
    const namespace = 'alpha-train';
    const removeRuntime = await createClusterTrainingRuntime(runtime);
    await custom.createNamespacedCustomObject({
      ...trainer,
      plural: 'trainjobs',
      namespace,
      body: {
        apiVersion: 'trainer.kubeflow.org/v1alpha1',
        kind: 'TrainJob',
        metadata: { name },
        spec: {
          runtimeRef: { name: runtime, kind: 'ClusterTrainingRuntime' },
          trainer: { image: 'sandbox.local/pytorch:2', numNodes: 2 },
        },
      },
    });
    const pods = [0, 1].map((i) => `${name}-node-0-${i}`);
    for (const pod of pods) {
      await core.createNamespacedPod({
        namespace,
        body: {
          metadata: { name: pod, labels: { 'jobset.sigs.k8s.io/jobset-name': name } },
          spec: { containers: [{ name: 'node', image: 'sandbox.local/pytorch:2' }] },
        },
      });
    }
    try {
      await withSession('ml-apps-trainjobs', { consoleUrl: stack().consoleUrl, user: 'alice' }, async (s) => {
        await s.page.goto(
          `${stack().consoleUrl}/workspaces/ws-alpha/ml-apps/projects/${namespace}/notebooks`,
        );
        await s.page
          .locator(byId(ML_IDS.sectionLink('trainjobs')))
          .first()
          .click({ timeout: 60_000 });
        await s.page.waitForURL(`**/ml-apps/projects/${namespace}/trainjobs`);
        const row = s.page.locator('tr', {
          has: s.page.locator(byId(ML_IDS.trainJobRow), { hasText: name }),
        });
        const replicas = row.locator(byId(ML_IDS.replicas));
        await replicas
          .getByText(/@ .*: Running/)
          .nth(1)
          .waitFor({ timeout: 60_000 });
        const text = await replicas.innerText();
        for (const pod of pods) assert.match(text, new RegExp(`${pod} @ \\S+: Running`));
        assert.match(await row.innerText(), /Running/);
        await s.screenshot('ml-apps-trainjobs');
      });
    } finally {
      for (const pod of pods) await core.deleteNamespacedPod({ name: pod, namespace }).catch(() => undefined);
      await custom
        .deleteNamespacedCustomObject({ ...trainer, plural: 'trainjobs', namespace, name })
        .catch(() => undefined);
      await removeRuntime();
    }
  });
});
