// The gpu-quota project page in the real console against the sandbox: an administrator sets a project's max of
// nvidia.com/gpu, a 1-GPU pod starts and the usage bar shows it; a project member sees the quota without edit
// controls. Needs the sandbox (`npm run sandbox -- up`) and the bundles (`npm run build`).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api } from '@kubernetes/client-node';
import { withSession } from './harness.js';
import { startStack, type Stack } from './stack.js';
import { adminKubeConfig, createTestNamespace, gpuPod } from '../sandbox/src/testing.js';

let stack: Stack;
let project: { name: string; remove: () => Promise<void> };
before(async () => {
  stack = await startStack();
  project = await createTestNamespace('e2e-gq', 'ws-alpha');
});
after(async () => {
  await project?.remove();
  await stack?.close();
});

const GPU_ROW = '[data-testid="quota-row"][data-resource="nvidia.com/gpu"][data-model=""]';

describe('gpu-quota project page', () => {
  test('admin sets max 2, a 1-GPU pod runs, the usage bar shows 1 of 2', async () => {
    await withSession(
      'gpu-quota-project-admin',
      { consoleUrl: stack.consoleUrl, user: 'admin' },
      async (s) => {
        await s.page.goto(`${stack.consoleUrl}/workspaces/ws-alpha/gpu-quota/projects/${project.name}`);
        const row = s.page.locator(GPU_ROW);
        await row.waitFor({ timeout: 60_000 });
        await row.getByLabel('nvidia.com/gpu: Max', { exact: true }).fill('2');
        await s.page.locator('[data-testid="save-quota"]').click();
        await s.page.locator('[data-testid="save-done"]').waitFor({ timeout: 30_000 });
        await row.locator('[data-testid="usage-bar"][data-max="2"]').waitFor({ timeout: 15_000 });

        const core = adminKubeConfig().makeApiClient(CoreV1Api);
        await core.createNamespacedPod({ namespace: project.name, body: gpuPod('one-gpu', project.name, 1) });

        // The page polls the quota: the bar follows the ResourceQuota's use.
        await row
          .locator('[data-testid="usage-bar"][data-used="1"][data-max="2"]')
          .waitFor({ timeout: 60_000 });
        const text = await row.locator('[data-testid="usage-text"]').innerText();
        assert.match(text, /^1 of 2 used/);
        await s.screenshot('gpu-quota-project-admin');
      },
    );
  });

  test('a project member (alice) sees the quota without edit controls', async () => {
    await withSession(
      'gpu-quota-project-alice',
      { consoleUrl: stack.consoleUrl, user: 'alice' },
      async (s) => {
        await s.page.goto(`${stack.consoleUrl}/workspaces/ws-alpha/gpu-quota/projects/alpha-train`);
        await s.page.locator('[data-testid="quota-rows"]').waitFor({ timeout: 60_000 });
        await s.page.locator('[data-testid="read-only-note"]').waitFor();
        assert.equal(await s.page.locator('[data-testid="quota-rows"] input').count(), 0, 'no inputs');
        assert.equal(await s.page.locator('[data-testid="save-quota"]').count(), 0, 'no save button');
        await s.screenshot('gpu-quota-project-alice');
      },
    );
  });
});
