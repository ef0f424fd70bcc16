// The workspace quota as its two kinds of reader meet it (docs/adr/0013): a workspace admin reads it, a platform
// admin edits it and sees what is left for the projects change while typing; a refusal lands on its field.
import '@ks-gpu-ml/ui/testing/dom';
import React from 'react';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { gpuQuotaRoutes, type WorkspaceGpuQuotaUpdate } from '@ks-gpu-ml/contracts';
import { ok } from '@ks-gpu-ml/ui/testing/contract-server';
import { serveEachTest } from '@ks-gpu-ml/ui/testing/each-test';
import { renderPage } from '@ks-gpu-ml/ui/testing/render';
import { locales } from '../locales.js';
import { QUOTA_IDS } from '../test-ids.js';
import { catalog, quotaRefusal, workspaceQuota } from '../testing/fixtures.js';
import { WorkspaceQuotaPage } from './WorkspaceQuotaPage.js';

const server = serveEachTest(locales, (s) => s.on(gpuQuotaRoutes.listGpuResources, () => ok(catalog())));

const openPage = () =>
  renderPage(<WorkspaceQuotaPage />, {
    path: '/workspaces/:workspace/gpu-quota',
    at: '/workspaces/ws-a/gpu-quota',
  });
const remaining = () =>
  within(screen.getByTestId(QUOTA_IDS.workspaceRow)).getByTestId(QUOTA_IDS.workspaceRemaining);

test('a workspace admin reads the quota and its split, with nothing to edit', async () => {
  server.on(gpuQuotaRoutes.getWorkspaceQuota, () => ok(workspaceQuota({ canEdit: false })));
  openPage();
  await screen.findByTestId(QUOTA_IDS.readOnlyNote);
  assert.equal(screen.getByTestId(QUOTA_IDS.workspaceRows).querySelectorAll('input').length, 0);
  assert.equal(screen.queryByTestId(QUOTA_IDS.save), null);
  assert.equal(screen.getAllByTestId(QUOTA_IDS.value('max'))[0]?.textContent, '4');
  assert.equal(remaining().dataset.max, '2', 'max 4 less the 2 that team-a holds');
});

test('a platform admin edits: what is left follows the draft, Save sends the contract body', async () => {
  let current = workspaceQuota({ canEdit: true });
  server
    .on(gpuQuotaRoutes.getWorkspaceQuota, () => ok(current))
    .on(gpuQuotaRoutes.updateWorkspaceQuota, ({ body }) => {
      const [row] = (body as WorkspaceGpuQuotaUpdate).resources;
      const saved = { ...current.rows[0]!, base: row!.base, max: row!.max };
      current = {
        ...current,
        rows: [{ ...saved, remainingBase: saved.base - 1, remainingMax: saved.max - 2 }],
      };
      return ok(current);
    });
  openPage();
  const max = await screen.findByLabelText<HTMLInputElement>('nvidia.com/gpu: Max');
  assert.equal(screen.queryByTestId(QUOTA_IDS.readOnlyNote), null);
  fireEvent.change(max, { target: { value: '6' } });
  assert.equal(remaining().dataset.max, '4', 'left for projects updates before saving');
  fireEvent.click(screen.getByTestId(QUOTA_IDS.save));
  await screen.findByTestId(QUOTA_IDS.saveDone);
  assert.deepEqual(server.callsTo(gpuQuotaRoutes.updateWorkspaceQuota)[0]?.body, {
    resources: [{ resource: 'nvidia.com/gpu', base: 2, max: 6 }],
  });
  assert.equal(server.callsTo(gpuQuotaRoutes.updateWorkspaceQuota)[0]?.params.workspace, 'ws-a');
  assert.ok(
    server.callsTo(gpuQuotaRoutes.getWorkspaceQuota).length >= 2,
    'the split is read again after saving',
  );
});

test('a max below what the projects hold is refused on its field, and nothing says saved', async () => {
  server
    .on(gpuQuotaRoutes.getWorkspaceQuota, () => ok(workspaceQuota({ canEdit: true })))
    .on(gpuQuotaRoutes.updateWorkspaceQuota, () =>
      quotaRefusal('the projects hold more than this quota', {
        path: 'body.resources.0.max',
        code: 'GPU_QUOTA_WORKSPACE_BELOW_ALLOCATED',
        params: { held: 2 },
        message: 'Max 1 is below the 2 GPUs its projects hold.',
      }),
    );
  openPage();
  fireEvent.change(await screen.findByLabelText('nvidia.com/gpu: Max'), { target: { value: '1' } });
  assert.equal(remaining().dataset.max, '-1', 'the draft already shows the shortfall');
  fireEvent.click(screen.getByTestId(QUOTA_IDS.save));
  const saveError = await screen.findByTestId(QUOTA_IDS.saveError);
  assert.match(saveError.textContent ?? '', /the projects hold more than this quota/);
  const fieldError = within(screen.getByTestId(QUOTA_IDS.workspaceRow)).getByTestId(
    QUOTA_IDS.fieldError('max'),
  );
  assert.match(fieldError.textContent ?? '', /below the 2 GPUs its projects hold/);
  await waitFor(() => assert.equal(screen.getByTestId(QUOTA_IDS.save).hasAttribute('disabled'), false));
  assert.equal(screen.queryByTestId(QUOTA_IDS.saveDone), null);
});
