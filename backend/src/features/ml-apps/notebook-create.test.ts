import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NotebookCreate } from '@ks-gpu-ml/contracts';
import type { V1Node, V1PersistentVolumeClaim, V1ResourceQuota } from '@kubernetes/client-node';
import type { KubeNotebook, MlAppsKube } from '../../clients/ml-apps-kube.js';
import { AppError } from '../../core/errors.js';
import { createNotebook } from './notebook-create.js';

/** An in-memory cluster: what the create reads, and a log of what it writes. */
function fakeKube(opts: { quotas?: V1ResourceQuota[]; refuseNotebook?: boolean; claims?: string[] } = {}) {
  const writes: string[] = [];
  const node: V1Node = {
    metadata: { name: 'n1', labels: { 'nvidia.com/gpu.product': 'A100' } },
    status: { allocatable: { 'nvidia.com/gpu': '8' } },
  };
  const claims = (opts.claims ?? []).map((name): V1PersistentVolumeClaim => ({ metadata: { name } }));
  const unused = () => Promise.reject(new Error('not used'));
  const kube: MlAppsKube = {
    servedResources: unused,
    listNotebooks: unused,
    getNotebook: async () => undefined,
    async createNotebook(_ns, body) {
      if (opts.refuseNotebook) throw new AppError(400, 'Invalid', 'ML_APPS_REFUSED_BY_CLUSTER', {});
      writes.push(`notebook ${body.metadata?.name}`);
      return body;
    },
    annotateNotebook: unused,
    deleteNotebook: unused,
    listTrainJobs: unused,
    listTrainingJobs: unused,
    getTrainingJob: unused,
    createTrainingJob: unused,
    deleteTrainingJob: unused,
    getTrainJob: unused,
    createTrainJob: unused,
    deleteTrainJob: unused,
    trainingRuntime: unused,
    pods: unused,
    workloads: unused,
    pendingWorkloads: unused,
    events: unused,
    pod: unused,
    podLog: unused,
    warningEvents: unused,
    resourceQuotas: async () => opts.quotas ?? [],
    namespaceExists: async () => true,
    nodes: async () => [node],
    placedRequests: async () => ({}),
    claims: async () => claims,
    async createClaim(_ns, body) {
      writes.push(`claim ${body.metadata?.name}`);
    },
    async deleteClaim(_ns, name) {
      writes.push(`delete claim ${name}`);
    },
  };
  return { kube, writes };
}

const input = (extra: Partial<NotebookCreate> = {}): NotebookCreate => ({
  name: 'nb',
  image: 'img:1',
  cpu: 1,
  memory: '1Gi',
  gpu: { resource: 'nvidia.com/gpu', count: 2 },
  workspaceVolume: { kind: 'new', size: '5Gi' },
  ...extra,
});

const refusedWith = (status: number, key: string) => (err: unknown) =>
  err instanceof AppError && err.statusCode === status && err.key === key;

test('the workspace claim, then the notebook; the creator and the GPU are in the notebook', async () => {
  const { kube, writes } = fakeKube();
  const nb: KubeNotebook = await createNotebook(kube, 'ns', input(), 'alice');
  assert.deepEqual(writes, ['claim nb-workspace', 'notebook nb']);
  assert.equal(nb.metadata?.annotations?.['kubesphere.io/creator'], 'alice');
  const container = nb.spec?.template?.spec?.containers[0];
  assert.deepEqual(container?.resources?.limits, { cpu: '1', memory: '1Gi', 'nvidia.com/gpu': '2' });
  assert.deepEqual(container?.volumeMounts, [{ name: 'workspace', mountPath: '/home/jovyan' }]);
});

test('a quota refusal writes nothing', async () => {
  const hard = { 'requests.nvidia.com/gpu': '1' };
  const { kube, writes } = fakeKube({
    quotas: [{ metadata: { name: 'q' }, status: { hard, used: { 'requests.nvidia.com/gpu': '0' } } }],
  });
  await assert.rejects(
    createNotebook(kube, 'ns', input(), 'alice'),
    refusedWith(409, 'ML_APPS_PRECHECK_QUOTA'),
  );
  assert.deepEqual(writes, []);
});

test('a notebook the apiserver refuses takes its new claim with it', async () => {
  const { kube, writes } = fakeKube({ refuseNotebook: true });
  await assert.rejects(
    createNotebook(kube, 'ns', input(), 'alice'),
    refusedWith(400, 'ML_APPS_REFUSED_BY_CLUSTER'),
  );
  assert.deepEqual(writes, ['claim nb-workspace', 'delete claim nb-workspace']);
});

test('claims, GPUs, mounts and env names the cluster or the request does not have are 400s naming the field', async () => {
  const { kube, writes } = fakeKube({ claims: ['data'] });
  const field = (err: unknown) => (err as AppError).details.field;
  const cases: [Partial<NotebookCreate>, string, string][] = [
    [{ gpu: { resource: 'amd.com/gpu', count: 1 } }, 'ML_APPS_UNKNOWN_GPU', 'body.gpu.resource'],
    [
      { gpu: { resource: 'nvidia.com/gpu', count: 1, model: 'H100' } },
      'ML_APPS_UNKNOWN_GPU_MODEL',
      'body.gpu.model',
    ],
    [
      { workspaceVolume: { kind: 'existing', claimName: 'nope' } },
      'ML_APPS_UNKNOWN_CLAIM',
      'body.workspaceVolume.claimName',
    ],
    [
      { dataVolumes: [{ claimName: 'data', mountPath: '/home/jovyan', readOnly: true }] },
      'ML_APPS_DUPLICATE_MOUNT',
      'body.dataVolumes.0.mountPath',
    ],
    [
      {
        env: [
          { name: 'A', value: '1' },
          { name: 'A', value: '2' },
        ],
      },
      'ML_APPS_DUPLICATE_ENV',
      'body.env.1.name',
    ],
  ];
  for (const [extra, key, path] of cases) {
    await assert.rejects(createNotebook(kube, 'ns', input(extra), 'alice'), (err) => {
      assert.ok(refusedWith(400, key)(err), `${key}: ${String(err)}`);
      assert.equal(field(err), path);
      return true;
    });
  }
  assert.deepEqual(writes, []);
});
