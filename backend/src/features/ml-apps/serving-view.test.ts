import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import type { KubeInferenceService } from '../../clients/serving-kube.js';
import { askOf, inferenceServiceManifest } from './serving-manifest.js';
import { detailView, servingStatus, summaryView } from './serving-view.js';
import { irisDeploy, irisVersion } from './test-fixtures.js';

const isvc = (
  status: KubeInferenceService['status'] = {},
  extra: Partial<KubeInferenceService> = {},
): KubeInferenceService => ({
  ...inferenceServiceManifest('proj', irisDeploy, irisVersion, 'alice'),
  status,
  ...extra,
});

const pod = (name: string, status: V1Pod['status']): V1Pod => ({
  metadata: { name, labels: { 'serving.kserve.io/inferenceservice': 'iris', component: 'predictor' } },
  spec: { containers: [{ name: 'kserve-container' }], nodeName: 'n1' },
  status,
});

const LOAD_FAILURE =
  'Failed to load model iris: [Errno 2] No such file or directory: /mnt/models/model.joblib';

describe('serving status', () => {
  it("shows a model load failure with the controller's reason and message, verbatim", () => {
    const s = servingStatus(
      isvc({
        conditions: [
          { type: 'Ready', status: 'False', reason: 'RevisionFailed', message: 'Revision failed' },
        ],
        modelStatus: {
          transitionStatus: 'BlockedByFailedLoad',
          states: { activeModelState: 'Pending', targetModelState: 'FailedToLoad' },
          lastFailureInfo: { reason: 'ModelLoadFailed', message: LOAD_FAILURE },
        },
      }),
      [],
      [],
    );
    assert.deepEqual(s, { phase: 'failed', reason: 'ModelLoadFailed', message: LOAD_FAILURE });
  });

  it("shows a crashing predictor's last termination reason and message", () => {
    const crashing = pod('iris-predictor-abc', {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'kserve-container',
          image: 'x',
          imageID: '',
          ready: false,
          restartCount: 4,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 1m20s' } },
          lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', message: 'killed at 2.0Gi' } },
        },
      ],
    });
    assert.deepEqual(servingStatus(isvc({ conditions: [] }), [crashing], []), {
      phase: 'failed',
      reason: 'OOMKilled',
      message: 'killed at 2.0Gi',
    });
  });

  it('is ready only when Ready is True; else waits with the component condition that says why', () => {
    assert.equal(
      servingStatus(isvc({ conditions: [{ type: 'Ready', status: 'True' }] }), [], []).phase,
      'ready',
    );
    const waiting = servingStatus(
      isvc({
        conditions: [
          { type: 'Ready', status: 'False', reason: 'PredictorNotReady' },
          {
            type: 'PredictorReady',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/4 nodes are available: 4 Insufficient nvidia.com/gpu.',
          },
        ],
      }),
      [],
      [],
    );
    assert.deepEqual(waiting, {
      phase: 'waiting',
      reason: 'Unschedulable',
      message: '0/4 nodes are available: 4 Insufficient nvidia.com/gpu.',
    });
  });

  it('falls back to the newest warning about the service or its derived objects', () => {
    const event = (name: string, message: string, at: string): CoreV1Event => ({
      metadata: {},
      involvedObject: { kind: 'Deployment', name },
      reason: 'FailedCreate',
      message,
      lastTimestamp: new Date(at),
    });
    const s = servingStatus(
      isvc({}),
      [],
      [
        event('other-predictor', 'not ours', '2026-01-01T00:00:03Z'),
        event('iris-predictor-00001-deployment', 'exceeded quota: gpus', '2026-01-01T00:00:02Z'),
        event('iris-predictor-00001-deployment', 'older', '2026-01-01T00:00:01Z'),
      ],
    );
    assert.deepEqual(s, { phase: 'waiting', reason: 'FailedCreate', message: 'exceeded quota: gpus' });
  });
});

describe('serving views', () => {
  it('lists URL, version, replicas, GPUs and both canary revisions with the versions they serve', () => {
    const service = isvc({
      url: 'http://iris.proj.example.com',
      conditions: [{ type: 'Ready', status: 'True' }],
      components: {
        predictor: {
          traffic: [
            { revisionName: 'iris-predictor-00002', percent: 10, latestRevision: true, tag: 'latest' },
            { revisionName: 'iris-predictor-00001', percent: 90, latestRevision: false, tag: 'prev' },
          ],
        },
      },
    });
    service.metadata!.annotations!['ml-apps.ks-gpu-ml.io/previous-version'] = '1';
    service.spec!.predictor!.canaryTrafficPercent = 10;
    const ready = pod('iris-predictor-1', {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'kserve-container',
          image: 'x',
          imageID: '',
          ready: true,
          restartCount: 0,
          state: { running: {} },
        },
      ],
    });
    const view = summaryView(service, [ready, pod('iris-predictor-2', { phase: 'Pending' })], []);
    assert.equal(view.url, 'http://iris.proj.example.com');
    assert.deepEqual(view.model, { name: 'iris', version: 2 });
    assert.deepEqual(view.replicas, { min: 2, max: 4, ready: 1, pods: 2 }, "the deploy's replica bounds");
    assert.deepEqual(view.gpus, [{ resource: 'nvidia.com/gpu', count: 1 }]);
    assert.deepEqual(view.canary, { percent: 10, previous: { name: 'iris', version: 1 } });
    assert.deepEqual(
      view.traffic.map((t) => [t.revisionName, t.percent, t.model?.version]),
      [
        ['iris-predictor-00002', 10, 2],
        ['iris-predictor-00001', 90, 1],
      ],
    );
    assert.equal(view.creator, 'alice');
    assert.equal(view.gpuHours, undefined, 'no pod was given a GPU');
    const detail = detailView(service, [ready], []);
    assert.deepEqual(detail.pods, [
      { name: 'iris-predictor-1', component: 'predictor', node: 'n1', status: { phase: 'ready' } },
    ]);
  });

  it("counts GPU-hours of the service's pods, transformer included, from their start to now", () => {
    const start = Date.UTC(2026, 0, 1, 10);
    const gpuPod = (name: string, gpus: string): V1Pod => ({
      ...pod(name, { phase: 'Running', startTime: new Date(start) }),
      spec: {
        nodeName: 'n1',
        containers: [{ name: 'kserve-container', resources: { limits: { 'nvidia.com/gpu': gpus } } }],
      },
    });
    const view = summaryView(
      isvc({}),
      [gpuPod('iris-predictor-1', '2'), gpuPod('iris-transformer-1', '1')],
      [],
      start + 90 * 60_000,
    );
    assert.equal(view.gpuHours, 4.5);
  });

  it('asks the pre-check for every replica that must run, at least one', () => {
    const resources = { cpu: 0.5, memory: '1Gi', gpu: { resource: 'nvidia.com/gpu', count: 2 } };
    assert.deepEqual(askOf(resources, 3), { cpu: 1.5, memory: 3 * 2 ** 30, 'nvidia.com/gpu': 6, pods: 3 });
  });
});
