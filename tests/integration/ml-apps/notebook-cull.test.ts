// GPU-aware idle culling against the sandbox (docs/adr/0041). Two parts:
// - the policy routes through our backend: a workspace administrator sets the workspace's policy, a project member
//   may read it through the project but not set it (403);
// - the culler itself, in this process, on real kube-apiserver objects: notebooks, their annotations, Events, and
//   its policy ConfigMap (in a namespace of this test's own, so the backends running against the shared sandbox,
//   whose policies live elsewhere, never act on these notebooks). What is not real here is the idle reader: a
//   stand-in answers which pods hold idle-allocated GPUs, because gpu-monitoring's series needs 30 real minutes
//   of an idle GPU. Time is passed to each run, so no test waits for the policy's hours.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CoreV1Event } from '@kubernetes/client-node';
import type { NotebookCullPolicy } from '@ks-gpu-ml/contracts';
import { createKubeClient } from '../../../backend/src/clients/kube.js';
import { createMlAppsKube } from '../../../backend/src/clients/ml-apps-kube.js';
import { createNotebookCullClient } from '../../../backend/src/clients/notebook-cull.js';
import {
  CULLED_AT_ANNOTATION,
  CULL_WARNED_ANNOTATION,
  IDLE_SINCE_ANNOTATION,
} from '../../../backend/src/features/ml-apps/notebook-cull.js';
import {
  CULL_POLICY_LABEL,
  cullPolicyStore,
} from '../../../backend/src/features/ml-apps/notebook-cull-policy.js';
import {
  CULL_WARNING_REASON,
  CULLED_REASON,
  createNotebookCuller,
} from '../../../backend/src/features/ml-apps/notebook-culler.js';
import { STOPPED_ANNOTATION } from '../../../backend/src/features/ml-apps/notebook-status.js';
import { createTranslator, loadCatalogues } from '../../../backend/src/core/i18n.js';
import { readSandboxEnv, sandboxUser } from '../../sandbox/src/env.js';
import { adminClients, createTestNamespace, uniqueName } from '../../sandbox/src/testing.js';
import { call } from '../backend/backend-process.js';
import { GROUP_PATH, useMlAppsBackend } from './ml-apps-backend.js';

const { core, custom } = adminClients();
const NOTEBOOKS = { group: 'kubeflow.org', version: 'v1', plural: 'notebooks' } as const;
const H = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

const run = useMlAppsBackend();

describe('the workspace policy routes', () => {
  const path = `${GROUP_PATH}/workspaces/ws-alpha/notebookcullpolicies`;
  after(async () => {
    // The backend keeps it in its own namespace: remove ours wherever that is.
    const maps = await core.listConfigMapForAllNamespaces({ labelSelector: `${CULL_POLICY_LABEL}=ws-alpha` });
    for (const cm of maps.items) {
      await core
        .deleteNamespacedConfigMap({ name: cm.metadata!.name!, namespace: cm.metadata!.namespace! })
        .catch(() => undefined);
    }
  });

  it('is off by default, set by the workspace admin only, and read by project members through their project', async () => {
    const alice = sandboxUser('alice').token;
    const project = `${GROUP_PATH}/namespaces/alpha-train/notebookcullpolicies`;
    const first = await call(run.process, 'GET', project, { token: alice });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.workspace, 'ws-alpha');

    // Off, so the sandbox's backends have nothing to cull in ws-alpha while this test runs.
    const body: NotebookCullPolicy = { enabled: false, idleHours: 12, warnMinutes: 30 };
    const refused = await call(run.process, 'PUT', path, { token: alice, body });
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    const bad = await call(run.process, 'PUT', path, {
      token: sandboxUser('ws-admin').token,
      body: { ...body, idleHours: 0 },
    });
    assert.equal(bad.status, 400, JSON.stringify(bad.body));

    const saved = await call(run.process, 'PUT', path, { token: sandboxUser('ws-admin').token, body });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.deepEqual(saved.body.policy, body);
    assert.equal(saved.body.updatedBy, 'ws-admin');

    const read = await call(run.process, 'GET', project, { token: alice });
    assert.equal(read.status, 200, JSON.stringify(read.body));
    assert.deepEqual(read.body.policy, body);
    assert.equal(read.body.updatedBy, 'ws-admin');
  });
});

describe('the idle culler on real notebooks', () => {
  const workspace = uniqueName('cull-ws');
  let ns: Awaited<ReturnType<typeof createTestNamespace>>;
  let policyNs: Awaited<ReturnType<typeof createTestNamespace>>;
  /** Stand-in for gpu-monitoring's idle-allocated series: pod → idle GPUs, per namespace. */
  let idlePods = new Map<string, number>();
  let culler: ReturnType<typeof createNotebookCuller>;
  const t0 = Date.now();

  const notebook = (name: string, gpus: number, annotations: Record<string, string>) => ({
    apiVersion: 'kubeflow.org/v1',
    kind: 'Notebook',
    metadata: { name, annotations },
    spec: {
      template: {
        spec: {
          containers: [
            {
              name,
              image: 'sandbox.local/jupyter:1',
              resources: {
                requests: { cpu: '100m', ...(gpus ? { 'nvidia.com/gpu': String(gpus) } : {}) },
                limits: { cpu: '100m', ...(gpus ? { 'nvidia.com/gpu': String(gpus) } : {}) },
              },
            },
          ],
        },
      },
    },
  });
  const annotationsOf = async (name: string) =>
    (
      (await custom.getNamespacedCustomObject({ ...NOTEBOOKS, namespace: ns.name, name })) as {
        metadata: { annotations?: Record<string, string> };
      }
    ).metadata.annotations ?? {};
  const eventsOf = async (name: string): Promise<CoreV1Event[]> =>
    (
      await core.listNamespacedEvent({
        namespace: ns.name,
        fieldSelector: `involvedObject.name=${name},involvedObject.kind=Notebook`,
      })
    ).items;

  before(async () => {
    ns = await createTestNamespace('cull', workspace);
    policyNs = await createTestNamespace('cull-policy');
    // "old": idle 5 h (policy: 4 h); "young": idle 1 h; "busy": was idle, works again; "cpu": no GPU.
    const bodies = [
      notebook('old', 1, { [IDLE_SINCE_ANNOTATION]: iso(t0 - 5 * H) }),
      notebook('young', 1, { [IDLE_SINCE_ANNOTATION]: iso(t0 - 1 * H) }),
      notebook('busy', 1, { [IDLE_SINCE_ANNOTATION]: iso(t0 - 6 * H) }),
      notebook('cpu', 0, {}),
    ];
    for (const body of bodies) {
      await custom.createNamespacedCustomObject({ ...NOTEBOOKS, namespace: ns.name, body });
    }
    idlePods = new Map([
      ['old-0', 1],
      ['young-0', 1],
      ['cpu-0', 1],
    ]);

    const kube = createKubeClient({ kubeconfigPath: readSandboxEnv().KUBECONFIG, timeoutMs: 10_000 });
    const client = createNotebookCullClient({ kube, prometheus: undefined, ownNamespace: policyNs.name });
    const standIn = { ...client, idleGpus: async () => new Map([[ns.name, idlePods]]) };
    const policies = cullPolicyStore(standIn);
    await policies.put(workspace, { enabled: true, idleHours: 4, warnMinutes: 10 }, 'ws-admin', t0);
    culler = createNotebookCuller({
      kube: createMlAppsKube(kube),
      client: standIn,
      policies,
      namespacesOf: async (ws) => (ws === workspace ? [ns.name] : []),
      translate: createTranslator(loadCatalogues()),
    });
  });
  after(async () => {
    await ns?.remove();
    await policyNs?.remove();
  });

  it('warns the owner of the notebook past its limit first, with an Event, and stops nothing yet', async () => {
    const first = await culler.runOnce(t0);
    assert.equal(first.failures, 0);
    assert.deepEqual(first.actions.map((a) => [a.action.kind, a.action.name]).sort(), [
      ['clear', 'busy'],
      ['warn', 'old'],
    ]);
    const old = await annotationsOf('old');
    assert.equal(old[CULL_WARNED_ANNOTATION], iso(t0));
    assert.equal(old[STOPPED_ANNOTATION], undefined);
    const warning = (await eventsOf('old')).find((e) => e.reason === CULL_WARNING_REASON);
    assert.ok(warning, 'a GpuIdleCullWarning Event on the notebook');
    assert.equal(warning.type, 'Warning');
    assert.match(warning.message ?? '', /idle-culling policy \(4 h\)/);
    assert.equal((await annotationsOf('busy'))[IDLE_SINCE_ANNOTATION], undefined);
  });

  it('stops only the notebook past its limit once the warning lead has passed', async () => {
    // Still inside the 10-minute lead: nothing happens.
    assert.deepEqual((await culler.runOnce(t0 + 9 * 60_000)).actions, []);
    const later = t0 + 11 * 60_000;
    const second = await culler.runOnce(later);
    assert.deepEqual(
      second.actions.map((a) => [a.action.kind, a.action.name]),
      [['stop', 'old']],
    );
    const old = await annotationsOf('old');
    assert.equal(old[STOPPED_ANNOTATION], iso(later));
    assert.equal(old[CULLED_AT_ANNOTATION], iso(later));
    assert.equal(old[IDLE_SINCE_ANNOTATION], undefined);
    assert.ok((await eventsOf('old')).some((e) => e.reason === CULLED_REASON && e.type === 'Normal'));

    for (const name of ['young', 'busy', 'cpu']) {
      const a = await annotationsOf(name);
      assert.equal(a[STOPPED_ANNOTATION], undefined, `${name} is not stopped`);
      assert.equal(a[CULL_WARNED_ANNOTATION], undefined, `${name} is not warned`);
    }
    assert.equal((await annotationsOf('young'))[IDLE_SINCE_ANNOTATION], iso(t0 - 1 * H));
  });

  it('the notebooks list shows the stop and the idle time, and starting it again drops the stop', async () => {
    const admin = sandboxUser('admin').token;
    const list = await call(run.process, 'GET', `${GROUP_PATH}/namespaces/${ns.name}/notebooks`, {
      token: admin,
    });
    assert.equal(list.status, 200, JSON.stringify(list.body));
    const items = list.body.items as {
      name: string;
      status: { phase: string };
      cull?: Record<string, string>;
    }[];
    const old = items.find((n) => n.name === 'old');
    assert.equal(old?.status.phase, 'stopped');
    assert.ok(old?.cull?.culledAt);
    assert.equal(items.find((n) => n.name === 'young')?.cull?.idleSince, iso(t0 - 1 * H));

    const started = await call(run.process, 'PATCH', `${GROUP_PATH}/namespaces/${ns.name}/notebooks/old`, {
      token: admin,
      body: { stopped: false },
    });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const a = await annotationsOf('old');
    assert.equal(a[STOPPED_ANNOTATION], undefined);
    assert.equal(a[CULLED_AT_ANNOTATION], undefined);
  });
});
