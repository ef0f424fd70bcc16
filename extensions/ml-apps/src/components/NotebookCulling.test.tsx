// GPU idle culling on the notebooks page: the workspace's policy in words, a banner naming the warned, stopped and
// idle notebooks, and the policy form offered only to whom the API lets set it (workspace administrators).
import '@ks-gpu-ml/ui/testing/dom';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { mlAppsRoutes, type Notebook, type NotebookCullPolicyView } from '@ks-gpu-ml/contracts';
import { ok } from '@ks-gpu-ml/ui/testing/contract-server';
import { ML_IDS } from '../test-ids.js';
import { openPage, servePage } from '../testing/pages.js';
import { review } from '../testing/review.js';

const H = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

const notebook = (name: string, extra: Partial<Notebook>): Notebook => ({
  name,
  namespace: 'team-a',
  image: 'jupyter:1',
  status: { phase: 'running' },
  cpu: 1,
  memoryBytes: 2 ** 30,
  gpus: [{ resource: 'nvidia.com/gpu', count: 1 }],
  createdAt: iso(Date.now() - 9 * H),
  ...extra,
});

const policyView = (enabled: boolean): NotebookCullPolicyView => ({
  workspace: 'ws-a',
  policy: { enabled, idleHours: 4, warnMinutes: 30 },
  updatedBy: 'ws-admin',
  updatedAt: iso(Date.now() - H),
  warnedBy: 'event',
});

let allowed = false;
const server = servePage('notebooks', (s) =>
  s
    .on(mlAppsRoutes.listNotebooks, () =>
      ok({
        items: [
          notebook('quiet', { cull: { idleSince: iso(Date.now() - H) } }),
          notebook('doomed', {
            cull: {
              idleSince: iso(Date.now() - 4 * H),
              warnedAt: iso(Date.now() - 10 * 60_000),
              stopAt: iso(Date.now() + 20 * 60_000),
            },
          }),
          notebook('culled', { status: { phase: 'stopped' }, cull: { culledAt: iso(Date.now() - 2 * H) } }),
          notebook('fine', {}),
        ],
      }),
    )
    .on(mlAppsRoutes.getNotebookCullPolicy, () => ok(policyView(true)))
    .on(mlAppsRoutes.updateNotebookCullPolicy, (call) =>
      ok({ ...policyView(true), policy: call.body as never }),
    )
    .on(review, () => ok({ allowed })),
);

test('the policy in words and a banner: the warned notebook first, then the stopped and the idle one', async () => {
  allowed = false;
  openPage('notebooks');
  const panel = await screen.findByTestId(ML_IDS.cullPolicy);
  assert.match(
    panel.textContent ?? '',
    /idle for more than 4 h is stopped, 30 min after its owner is warned/,
  );
  const banner = await screen.findByTestId(ML_IDS.cullBanner);
  const lines = [...banner.children].map((el) => el.textContent ?? '');
  assert.equal(lines.length, 3, lines.join(' | '));
  assert.match(lines[0]!, /^doomed: GPUs idle since \d{4}-\d\d-\d\d \d\d:\d\d; it will be stopped at /);
  assert.match(lines[1]!, /^culled was stopped at .* because its GPUs were idle/);
  assert.match(lines[2]!, /^quiet: GPUs allocated but idle since /);
  // A project member is not offered the policy form (the review said no).
  await waitFor(() => assert.notEqual(server.callsTo(review).length, 0, 'the page asked the access review'));
  assert.equal(screen.queryByTestId(ML_IDS.cullEdit), null);
});

test('a workspace administrator changes the policy: the contract body goes to the workspace route', async () => {
  allowed = true;
  openPage('notebooks');
  fireEvent.click(await screen.findByTestId(ML_IDS.cullEdit));
  fireEvent.change(screen.getByTestId(ML_IDS.cullHours), { target: { value: '2.5' } });
  fireEvent.change(screen.getByTestId(ML_IDS.cullWarnMinutes), { target: { value: '15' } });
  fireEvent.click(screen.getByTestId(ML_IDS.cullSave));
  await waitFor(() => assert.equal(server.callsTo(mlAppsRoutes.updateNotebookCullPolicy).length, 1));
  const [put] = server.callsTo(mlAppsRoutes.updateNotebookCullPolicy);
  assert.equal(put?.params.workspace, 'ws-a');
  assert.deepEqual(put?.body, { enabled: true, idleHours: 2.5, warnMinutes: 15 });
  await waitFor(() => assert.equal(screen.queryByTestId(ML_IDS.cullSave), null));
});
