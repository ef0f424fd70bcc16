// The training jobs page as a project member uses it: a job waiting on one node says why in the scheduler's
// words, each node's pod is shown with its node, progress when Trainer reports it, a missing Trainer says what to
// install, the submit form sends the contract's body and shows a pre-check refusal with its numbers, and delete
// happens only after a confirmation.
import '@ks-gpu-ml/ui/testing/dom';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { mlAppsRoutes, type TrainingJobCreate, type TrainJobCreate } from '@ks-gpu-ml/contracts';
import { ok, refusal } from '@ks-gpu-ml/ui/testing/contract-server';
import { ML_IDS } from '../test-ids.js';
import { trainJob } from '../testing/fixtures.js';
import { openPage, operatorOf, rowFinder, servePage } from '../testing/pages.js';
import { answerReview, review } from '../testing/review.js';

const SCHEDULER = '0/6 nodes are available: 6 Insufficient nvidia.com/gpu.';
const KUEUE =
  "couldn't assign flavors to pod set node: insufficient unused quota for nvidia.com/gpu in flavor a100";

const server = servePage('trainjobs', (s) =>
  s
    .on(mlAppsRoutes.listTrainJobs, () =>
      ok({
        items: [
          trainJob('blocked', {
            status: { phase: 'waiting', reason: 'Unschedulable', message: SCHEDULER },
            replicas: [
              { pod: 'blocked-node-0-0', node: 'gpu-node-0', status: { phase: 'running' } },
              {
                pod: 'blocked-node-0-1',
                status: { phase: 'waiting', reason: 'Unschedulable', message: SCHEDULER },
              },
            ],
          }),
          trainJob('mnist', {
            progress: { percentage: 40, estimatedRemainingSeconds: 600 },
            gpuHours: 3.456,
            initializer: { dataset: { storageUri: 'hf://tatsu-lab/alpaca' } },
          }),
          trainJob('queued', {
            status: { phase: 'waiting', reason: 'Pending', message: KUEUE },
            queue: {
              name: 'team-gpus',
              workload: 'trainjob-queued-1a2b3',
              admitted: false,
              position: { inLocalQueue: 1, inClusterQueue: 4 },
            },
          }),
        ],
      }),
    )
    .on(mlAppsRoutes.listTrainingJobs, () =>
      ok({
        kinds: ['TFJob', 'PyTorchJob'],
        items: [
          {
            kind: 'TFJob',
            name: 'resnet',
            namespace: 'team-a',
            status: { phase: 'running' },
            conditions: [],
            replicaTypes: [{ type: 'Worker', replicas: 2, gpus: [{ resource: 'nvidia.com/gpu', count: 1 }] }],
            replicas: [
              {
                pod: 'resnet-worker-0',
                node: 'gpu-node-1',
                type: 'worker',
                index: '0',
                status: { phase: 'running' },
              },
            ],
            createdAt: new Date().toISOString(),
          },
        ],
      }),
    )
    .on(mlAppsRoutes.getNotebookOptions, () =>
      ok({
        images: ['jupyter:1'],
        gpus: [{ resource: 'nvidia.com/gpu', models: ['A100', 'H100'], largestFree: 8 }],
        claims: [],
      }),
    ),
);

const rowOf = rowFinder(ML_IDS.trainJobRow);

test('a job waiting on one node says why verbatim, never Running; nodes, GPUs and progress per row', async () => {
  openPage('trainjobs');
  const blocked = await rowOf('blocked');
  const status = blocked.querySelector(`[data-testid="${ML_IDS.trainJobStatus}"]`)!;
  assert.match(status.textContent ?? '', /^Waiting · Unschedulable/);
  assert.equal(status.querySelector(`[data-testid="${ML_IDS.statusMessage}"]`)?.textContent, SCHEDULER);
  const replicas = blocked.querySelector(`[data-testid="${ML_IDS.replicas}"]`)?.textContent ?? '';
  assert.match(replicas, /blocked-node-0-0 @ gpu-node-0: Running/);
  assert.match(replicas, /blocked-node-0-1: Waiting/);
  assert.match(blocked.textContent ?? '', /2 × \(1 × nvidia\.com\/gpu\)/);
  const mnist = await rowOf('mnist');
  assert.match(
    mnist.querySelector(`[data-testid="${ML_IDS.progress}"]`)?.textContent ?? '',
    /40% · about 10 min left/,
  );
  assert.match(mnist.textContent ?? '', /3\.46/, 'GPU-hours so far');
  assert.equal(
    mnist.querySelector(`[data-testid="${ML_IDS.initializers}"]`)?.textContent,
    'fetches first: hf://tatsu-lab/alpaca',
    'the dataset its initializer fetches, slashes intact',
  );
});

test('without Trainer the page says what to install and asks for no jobs', async () => {
  server.on(mlAppsRoutes.listOperators, () => ok({ items: [operatorOf('trainjobs', false)] }));
  openPage('trainjobs');
  assert.match(
    (await screen.findByTestId(ML_IDS.operatorMissing)).textContent ?? '',
    /Install Kubeflow Trainer v2/,
  );
  assert.equal(server.callsTo(mlAppsRoutes.listTrainJobs).length, 0);
});

test('the submit form sends the contract body; a pre-check refusal is shown with its numbers', async () => {
  server.on(mlAppsRoutes.createTrainJob, () =>
    refusal(409, 'Conflict', 'The job asks for 4 of requests.nvidia.com/gpu …', {
      refusals: [
        { source: 'quota', resource: 'requests.nvidia.com/gpu', asked: 4, used: 0, max: 3, quota: 'gpus' },
      ],
    }),
  );
  openPage('trainjobs');
  fireEvent.click(await screen.findByTestId(ML_IDS.newTrainJob));
  fireEvent.change(await screen.findByLabelText('Name'), { target: { value: 'big' } });
  fireEvent.change(screen.getByLabelText('Image'), { target: { value: 'pytorch:2' } });
  fireEvent.change(screen.getByLabelText('Nodes'), { target: { value: '2' } });
  fireEvent.change(screen.getByLabelText('GPU per node'), { target: { value: 'nvidia.com/gpu' } });
  fireEvent.change(await screen.findByLabelText('Number of GPUs'), { target: { value: '2' } });
  fireEvent.change(screen.getByLabelText('Dataset to fetch first (storage URI, optional)'), {
    target: { value: 'hf://tatsu-lab/alpaca' },
  });
  fireEvent.click(screen.getByTestId(ML_IDS.trainJobSubmit));
  await waitFor(() => assert.equal(server.callsTo(mlAppsRoutes.createTrainJob).length, 1));
  assert.deepEqual(server.callsTo(mlAppsRoutes.createTrainJob)[0]!.body as TrainJobCreate, {
    name: 'big',
    runtimeRef: { kind: 'ClusterTrainingRuntime', name: 'torch-distributed' },
    image: 'pytorch:2',
    numNodes: 2,
    cpu: 1,
    memory: '4Gi',
    gpu: { resource: 'nvidia.com/gpu', count: 2 },
    initializer: { dataset: { storageUri: 'hf://tatsu-lab/alpaca' } },
  });
  assert.match(
    (await screen.findByTestId(ML_IDS.refusal)).textContent ?? '',
    /requests\.nvidia\.com\/gpu: asked 4, 0 used of 3 allowed by quota gpus/,
  );
});

test('delete is sent only after the confirmation', async () => {
  server.on(mlAppsRoutes.deleteTrainJob, ({ params }) => ok({ name: params.name ?? '' }));
  openPage('trainjobs');
  fireEvent.click(await within(await rowOf('mnist')).findByTestId(ML_IDS.trainJobDelete));
  assert.equal(server.callsTo(mlAppsRoutes.deleteTrainJob).length, 0, 'not before the confirmation');
  fireEvent.click(await screen.findByTestId(ML_IDS.confirm));
  await waitFor(() => assert.equal(server.callsTo(mlAppsRoutes.deleteTrainJob).length, 1));
  assert.equal(server.callsTo(mlAppsRoutes.deleteTrainJob)[0]?.params.name, 'mnist');
});

test("the Training Operator's jobs are listed below, with replica types and pods, even without Trainer", async () => {
  server.on(mlAppsRoutes.listOperators, () => ok({ items: [operatorOf('trainjobs', false)] }));
  openPage('trainjobs');
  const table = await screen.findByTestId(ML_IDS.trainingJobs);
  assert.match(table.textContent ?? '', /Training Operator jobs \(TFJob, PyTorchJob\)/);
  assert.match(
    table.textContent ?? '',
    /TFJob.*resnet.*Running.*Worker × 2 \(1 × nvidia\.com\/gpu\).*resnet-worker-0 @ gpu-node-1: Running/,
  );
});

test('the v1 submit form offers the served kinds and their replica types and sends the contract body', async () => {
  server.on(mlAppsRoutes.createTrainingJob, ({ body }) => {
    const sent = body as TrainingJobCreate;
    return ok({
      kind: sent.kind,
      name: sent.name,
      namespace: 'team-a',
      status: { phase: 'waiting' },
      conditions: [],
      replicaTypes: [],
      replicas: [],
      createdAt: new Date().toISOString(),
    });
  });
  openPage('trainjobs');
  fireEvent.click(await screen.findByTestId(ML_IDS.newTrainingJob));
  const kind = (await screen.findByTestId(ML_IDS.trainingJobKind)) as HTMLSelectElement;
  assert.deepEqual(
    [...kind.options].map((o) => o.value),
    ['TFJob', 'PyTorchJob'],
    'only what the cluster serves',
  );
  fireEvent.change(kind, { target: { value: 'PyTorchJob' } });
  const form = screen.getByTestId(ML_IDS.trainingJobForm);
  fireEvent.change(form.querySelector('#f-name')!, { target: { value: 'ddp' } });
  const input = (type: string, field: string, value: string) =>
    fireEvent.change(screen.getByTestId(ML_IDS.replicaField(type, field)), { target: { value } });
  input('Master', 'image', 'pytorch:2');
  input('Worker', 'image', 'pytorch:2');
  input('Worker', 'replicas', '3');
  input('Worker', 'command', 'torchrun train.py');
  input('Worker', 'gpuResource', 'nvidia.com/gpu');
  input('Worker', 'gpuCount', '2');
  // Two Masters: refused before any request, as the operator would.
  input('Master', 'replicas', '2');
  fireEvent.click(screen.getByTestId(ML_IDS.trainingJobSubmit));
  assert.match((await screen.findByTestId(ML_IDS.formError)).textContent ?? '', /exactly one replica/);
  assert.equal(server.callsTo(mlAppsRoutes.createTrainingJob).length, 0);
  input('Master', 'replicas', '1');
  fireEvent.click(screen.getByTestId(ML_IDS.trainingJobSubmit));
  await waitFor(() => assert.equal(server.callsTo(mlAppsRoutes.createTrainingJob).length, 1));
  assert.deepEqual(server.callsTo(mlAppsRoutes.createTrainingJob)[0]!.body as TrainingJobCreate, {
    kind: 'PyTorchJob',
    name: 'ddp',
    replicaSpecs: [
      { type: 'Master', replicas: 1, image: 'pytorch:2', cpu: 1, memory: '4Gi' },
      {
        type: 'Worker',
        replicas: 3,
        image: 'pytorch:2',
        command: ['torchrun', 'train.py'],
        cpu: 1,
        memory: '4Gi',
        gpu: { resource: 'nvidia.com/gpu', count: 2 },
      },
    ],
  });
});

test('a v1 job is deleted with its kind, only after the confirmation', async () => {
  server.on(mlAppsRoutes.deleteTrainingJob, ({ params }) => ok({ name: params.name ?? '' }));
  openPage('trainjobs');
  const table = await screen.findByTestId(ML_IDS.trainingJobs);
  fireEvent.click(await within(table).findByTestId(ML_IDS.trainingJobDelete));
  assert.equal(server.callsTo(mlAppsRoutes.deleteTrainingJob).length, 0, 'not before the confirmation');
  fireEvent.click(await screen.findByTestId(ML_IDS.confirm));
  await waitFor(() => assert.equal(server.callsTo(mlAppsRoutes.deleteTrainingJob).length, 1));
  const call = server.callsTo(mlAppsRoutes.deleteTrainingJob)[0]!;
  assert.equal(call.params.name, 'resnet');
  assert.equal(call.query.get('kind'), 'TFJob');
});

test("a replica's events and log: the scheduler's words verbatim, the log of the pod chosen", async () => {
  server
    .on(mlAppsRoutes.listAppEvents, ({ query }) => {
      assert.equal(query.get('kind'), 'TFJob');
      assert.equal(query.get('name'), 'resnet');
      return ok({
        items: [
          {
            type: 'Warning',
            reason: 'FailedScheduling',
            message: SCHEDULER,
            object: 'Pod/resnet-worker-1',
            count: 3,
            lastSeen: new Date().toISOString(),
          },
        ],
        pods: [
          { name: 'resnet-worker-0', containers: ['tensorflow'] },
          { name: 'resnet-worker-1', containers: ['tensorflow'] },
        ],
      });
    })
    .on(mlAppsRoutes.getPodLog, ({ params }) =>
      params.name === 'resnet-worker-0'
        ? ok({ pod: 'resnet-worker-0', container: 'tensorflow', log: 'epoch 1 loss 0.3\n' })
        : refusal(409, 'Conflict', 'The pod is not on a node yet, so it has no log.', { message: SCHEDULER }),
    );
  openPage('trainjobs');
  const table = await screen.findByTestId(ML_IDS.trainingJobs);
  fireEvent.click(table.querySelector(`[data-testid="${ML_IDS.inspect}"]`)!);
  assert.equal((await screen.findByTestId(ML_IDS.eventMessage)).textContent, SCHEDULER);
  fireEvent.change(screen.getByTestId(ML_IDS.logPod), { target: { value: 'resnet-worker-0' } });
  assert.equal((await screen.findByTestId(ML_IDS.podLog)).textContent, 'epoch 1 loss 0.3\n');
  fireEvent.change(screen.getByTestId(ML_IDS.logPod), { target: { value: 'resnet-worker-1' } });
  await screen.findByText(/not on a node yet/);
});

test("a job Kueue has not admitted waits in Kueue's words, names its queue and its place in it", async () => {
  openPage('trainjobs');
  const row = await rowOf('queued');
  const status = row.querySelector(`[data-testid="${ML_IDS.trainJobStatus}"]`)!;
  assert.match(status.textContent ?? '', /^Waiting · Pending/);
  assert.equal(status.querySelector(`[data-testid="${ML_IDS.statusMessage}"]`)?.textContent, KUEUE);
  assert.equal(
    row.querySelector(`[data-testid="${ML_IDS.queue}"]`)?.textContent,
    'In Kueue queue team-gpus, not admitted yet · position 2 in its queue, 5 in the cluster queue',
  );
});

test('a viewer sees both lists but no submit or delete button; the reviews asked name the routes behind them', async () => {
  answerReview(server, false);
  openPage('trainjobs');
  await rowOf('mnist');
  const table = await screen.findByTestId(ML_IDS.trainingJobs);
  assert.match(table.textContent ?? '', /resnet/, 'the v1 jobs are still listed');
  // The four questions asked, one per route the buttons call.
  await waitFor(() => assert.equal(server.callsTo(review).length, 4));
  const asked = server
    .callsTo(review)
    .map((c) => c.body as { verb: string; resource: string; scopeName: string });
  assert.deepEqual(asked.map((a) => `${a.verb} ${a.resource} ${a.scopeName}`).sort(), [
    'create trainingjobs team-a',
    'create trainjobs team-a',
    'delete trainingjobs team-a',
    'delete trainjobs team-a',
  ]);
  for (const id of [
    ML_IDS.newTrainJob,
    ML_IDS.newTrainingJob,
    ML_IDS.trainJobDelete,
    ML_IDS.trainingJobDelete,
  ])
    assert.equal(screen.queryByTestId(id), null, id);
});

test('an editor sees submit and delete on both lists', async () => {
  openPage('trainjobs');
  const table = await screen.findByTestId(ML_IDS.trainingJobs);
  await within(table).findByTestId(ML_IDS.trainingJobDelete);
  await within(table).findByTestId(ML_IDS.newTrainingJob);
  await screen.findByTestId(ML_IDS.newTrainJob);
  assert.equal((await screen.findAllByTestId(ML_IDS.trainJobDelete)).length, 3, 'one per TrainJob');
});
