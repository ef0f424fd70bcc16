// The gpu-quota pages in the real console against the sandbox: an administrator sets a project's max of
// nvidia.com/gpu, a 1-GPU pod starts and the usage bar shows it; a project member sees the quota without edit
// controls; the workspace admin sees its own workspace's quota read-only; an administrator edits a workspace's
// split, sees "remaining" follow the inputs, is refused (with the API's message) below what a project holds,
// and saves. Needs the sandbox (`npm run sandbox -- up`) and the bundles (`npm run build`).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CoreV1Api,
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject,
} from '@kubernetes/client-node';
import {
  GPU_QUOTA_FIELD_MANAGER,
  resourceQuotaApply,
} from '../../backend/src/features/gpu-quota/resourcequota.js';
import { QUOTA_IDS } from '../../extensions/gpu-quota/src/test-ids.js';
import { withSession } from './harness.js';
import { startStack, type Stack } from './stack.js';
import { adminKubeConfig, createTestNamespace, gpuPod, uniqueName } from '../sandbox/src/testing.js';

let stack: Stack;
let project: { name: string; remove: () => Promise<void> };
const cleanups: (() => Promise<void>)[] = [];
before(async () => {
  stack = await startStack();
  project = await createTestNamespace('e2e-gq', 'ws-alpha');
});
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await project?.remove();
  await stack?.close();
});

/** A CSS selector for a data-testid the pages and the component tests share. */
const byId = (id: string) => `[data-testid="${id}"]`;
const GPU_ROW = `${byId(QUOTA_IDS.row)}[data-resource="nvidia.com/gpu"][data-model=""]`;
const WS_GPU_ROW = `${byId(QUOTA_IDS.workspaceRow)}[data-resource="nvidia.com/gpu"][data-model=""]`;

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
        await s.page.locator(byId(QUOTA_IDS.save)).click();
        await s.page.locator(byId(QUOTA_IDS.saveDone)).waitFor({ timeout: 30_000 });
        await row.locator(`${byId(QUOTA_IDS.usageBar)}[data-max="2"]`).waitFor({ timeout: 15_000 });

        const core = adminKubeConfig().makeApiClient(CoreV1Api);
        await core.createNamespacedPod({ namespace: project.name, body: gpuPod('one-gpu', project.name, 1) });

        // The page polls the quota: the bar follows the ResourceQuota's use.
        await row
          .locator(`${byId(QUOTA_IDS.usageBar)}[data-used="1"][data-max="2"]`)
          .waitFor({ timeout: 60_000 });
        const text = await row.locator(byId(QUOTA_IDS.usageText)).innerText();
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
        await s.page.locator(byId(QUOTA_IDS.rows)).waitFor({ timeout: 60_000 });
        await s.page.locator(byId(QUOTA_IDS.readOnlyNote)).waitFor();
        assert.equal(await s.page.locator(`${byId(QUOTA_IDS.rows)} input`).count(), 0, 'no inputs');
        assert.equal(await s.page.locator(byId(QUOTA_IDS.save)).count(), 0, 'no save button');
        await s.screenshot('gpu-quota-project-alice');
      },
    );
  });
});

describe('gpu-quota as the workspace admin (docs/adr/0013)', () => {
  test("ws-admin sees its own workspace's GPU quota read-only, and a project page says who sets a project's", async () => {
    await withSession(
      'gpu-quota-workspace-ws-admin',
      { consoleUrl: stack.consoleUrl, user: 'ws-admin' },
      async (s) => {
        await s.page.goto(`${stack.consoleUrl}/workspaces/ws-alpha/gpu-quota`);
        const note = s.page.locator(byId(QUOTA_IDS.readOnlyNote));
        await note.waitFor({ timeout: 60_000 });
        assert.match(await note.innerText(), /set by a platform administrator/);
        assert.equal(await s.page.locator(`${WS_GPU_ROW} input`).count(), 0, 'no inputs');
        assert.equal(await s.page.locator(byId(QUOTA_IDS.save)).count(), 0, 'no save button');
        await s.screenshot('gpu-quota-workspace-ws-admin');

        // ws-alpha has no GPU quota, so its projects' quotas are the platform's to set.
        await s.page.goto(`${stack.consoleUrl}/workspaces/ws-alpha/gpu-quota/projects/alpha-serve`);
        await s.page.locator(byId(QUOTA_IDS.rows)).waitFor({ timeout: 60_000 });
        const projectNote = s.page.locator(byId(QUOTA_IDS.readOnlyNote));
        assert.match(
          await projectNote.innerText(),
          /workspace's administrator, within the workspace's GPU quota/,
        );
        assert.equal(await s.page.locator(byId(QUOTA_IDS.save)).count(), 0, 'no save button');
      },
    );
  });
});

describe('gpu-quota workspace page', () => {
  test('admin edits the split: remaining follows the inputs, a max below what a project holds is refused with the API message, a valid one is saved', async () => {
    // A fresh workspace with two projects; one already holds base 1 / max 3 GPUs (as our backend writes it).
    const ws = uniqueName('e2e-gqws');
    const holder = await createTestNamespace('e2e-gqa', ws);
    const other = await createTestNamespace('e2e-gqb', ws);
    const objects = KubernetesObjectApi.makeApiClient(adminKubeConfig());
    const wsQuota = {
      apiVersion: 'quota.kubesphere.io/v1alpha2',
      kind: 'ResourceQuota',
      metadata: { name: ws },
    };
    cleanups.push(holder.remove, other.remove, async () => void (await objects.delete(wsQuota)));
    await objects.patch(
      resourceQuotaApply(holder.name, [{ resource: 'nvidia.com/gpu', base: 1, max: 3 }]) as KubernetesObject,
      undefined,
      undefined,
      GPU_QUOTA_FIELD_MANAGER,
      true,
      PatchStrategy.ServerSideApply,
    );

    await withSession(
      'gpu-quota-workspace-admin',
      { consoleUrl: stack.consoleUrl, user: 'admin' },
      async (s) => {
        // The refusal below is provoked: its 409 is expected.
        s.expect(new RegExp(`^409 PUT \\S*/workspaces/${ws}/gpuquotas`));
        const open = async () => {
          await s.page.goto(`${stack.consoleUrl}/workspaces/${ws}/gpu-quota`);
          const row = s.page.locator(WS_GPU_ROW);
          await row.waitFor({ timeout: 60_000 });
          return row;
        };
        let row = await open();
        const remaining = row.locator(byId(QUOTA_IDS.workspaceRemaining));
        const input = (field: 'Base' | 'Max') => row.getByLabel(`nvidia.com/gpu: ${field}`, { exact: true });
        // No workspace quota yet: not limited; the project's share is already counted.
        await s.page
          .locator(`${byId(QUOTA_IDS.workspaceRemaining)}[data-max=""]`)
          .first()
          .waitFor();
        assert.match(await row.innerText(), /1 \/ 3/);

        // Remaining follows the inputs before anything is saved: 2 − 3 held = −1.
        await input('Base').fill('1');
        await input('Max').fill('2');
        await row.locator(`${byId(QUOTA_IDS.workspaceRemaining)}[data-base="0"][data-max="-1"]`).waitFor();
        assert.match(await remaining.innerText(), /base 0 · max -1/);

        // Saving that is refused by the API; its message (naming the holder) is shown, also under the max input.
        await s.page.locator(byId(QUOTA_IDS.save)).click();
        const saveError = s.page.locator(byId(QUOTA_IDS.saveError));
        await saveError.waitFor({ timeout: 30_000 });
        assert.match(
          await saveError.innerText(),
          new RegExp(`below what its projects hold .*${holder.name}`),
        );
        const fieldError = row.locator(byId(QUOTA_IDS.fieldError('max')));
        assert.match(await fieldError.innerText(), new RegExp(holder.name));
        await s.screenshot('gpu-quota-workspace-refused');

        // A max of 5 leaves 2 — shown live, then saved.
        await input('Max').fill('5');
        await row.locator(`${byId(QUOTA_IDS.workspaceRemaining)}[data-base="0"][data-max="2"]`).waitFor();
        await s.page.locator(byId(QUOTA_IDS.save)).click();
        await s.page.locator(byId(QUOTA_IDS.saveDone)).waitFor({ timeout: 30_000 });
        assert.equal(await saveError.count(), 0, 'the refusal is gone after a successful save');
        await row.getByText(`${holder.name}: base 1, max 3`).waitFor();
        await s.screenshot('gpu-quota-workspace-admin');

        // The saved split, as the server now answers it.
        row = await open();
        await row.locator(`${byId(QUOTA_IDS.workspaceRemaining)}[data-base="0"][data-max="2"]`).waitFor();
        assert.equal(await input('Max').inputValue(), '5');
        assert.equal(await input('Base').inputValue(), '1');
      },
    );
  });
});
