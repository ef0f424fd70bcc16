import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import type { KubeLLMInferenceService } from '../../clients/serving-kube.js';
import { llmDetailView, llmSummaryView } from './serving-llm-view.js';
import { llmInferenceServiceManifest } from './serving-manifest.js';

const llm = (status: KubeLLMInferenceService['status'] = {}): KubeLLMInferenceService => ({
  ...llmInferenceServiceManifest(
    'proj',
    {
      name: 'chat',
      model: 'llama',
      version: 3,
      replicas: 2,
      cpu: 4,
      memory: '32Gi',
      gpu: { resource: 'nvidia.com/gpu', count: 2 },
      router: true,
    },
    { format: 'huggingface', storageUri: 'hf://org/llama' },
    'alice',
  ),
  status,
});

/** A pod as KServe's llmisvc controller labels it. */
const pod = (name: string, component: string, status: V1Pod['status'], service = 'chat'): V1Pod => ({
  metadata: {
    name,
    labels: {
      'app.kubernetes.io/name': service,
      'app.kubernetes.io/part-of': 'llminferenceservice',
      'app.kubernetes.io/component': component,
    },
  },
  spec: {
    nodeName: 'n1',
    containers: [{ name: 'main', resources: { limits: { 'nvidia.com/gpu': '2' } } }],
  },
  status,
});

const running = (start: string): V1Pod['status'] => ({
  phase: 'Running',
  startTime: new Date(start),
  conditions: [{ type: 'Ready', status: 'True' }],
  containerStatuses: [
    { name: 'main', ready: true, restartCount: 0, image: 'x', imageID: '', state: { running: {} } },
  ],
});

describe('LLMInferenceService summary', () => {
  it('is ready with its URL, the version served, replicas counted from its workload pods and GPU-hours', () => {
    const now = Date.parse('2026-01-01T02:00:00Z');
    const view = llmSummaryView(
      llm({
        url: 'http://chat.proj.svc.cluster.local',
        conditions: [{ type: 'Ready', status: 'True' }],
      }),
      [
        pod('chat-kserve-0', 'llminferenceservice-workload', running('2026-01-01T00:00:00Z')),
        pod('chat-kserve-1', 'llminferenceservice-workload', { phase: 'Pending' }),
        // The router's scheduler is the service's pod but not a serving replica.
        pod('chat-epp', 'llminferenceservice-router-scheduler', running('2026-01-01T01:00:00Z')),
        pod('other-kserve-0', 'llminferenceservice-workload', running('2026-01-01T00:00:00Z'), 'other'),
      ],
      [],
      now,
    );
    assert.deepEqual(view.status, { phase: 'ready' });
    assert.equal(view.url, 'http://chat.proj.svc.cluster.local');
    assert.deepEqual(view.model, { name: 'llama', version: 3 });
    assert.equal(view.modelUri, 'hf://org/llama');
    assert.deepEqual(view.replicas, { desired: 2, ready: 1, pods: 2 });
    assert.deepEqual(view.gpus, [{ resource: 'nvidia.com/gpu', count: 2 }]);
    // 2 GPUs × 2 h (workload) + 2 GPUs × 1 h (scheduler, as written); the other service's pod is not counted.
    assert.equal(view.gpuHours, 6);
    assert.equal(view.router, true);
    assert.equal(view.creator, 'alice');
  });

  it("is waiting with the sub-condition that says which part is not ready, in the controller's words", () => {
    const view = llmSummaryView(
      llm({
        conditions: [
          { type: 'Ready', status: 'False', reason: 'WorkloadsNotReady', message: 'workloads not ready' },
          { type: 'WorkloadsReady', status: 'False', reason: 'MainWorkloadNotReady', message: 'not ready' },
          {
            type: 'MainWorkloadReady',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            message: 'Deployment does not have minimum availability.',
          },
        ],
      }),
      [],
      [],
    );
    assert.deepEqual(view.status, {
      phase: 'waiting',
      reason: 'MinimumReplicasUnavailable',
      message: 'Deployment does not have minimum availability.',
    });
  });

  it("is failed with a crashing workload container's termination reason and message", () => {
    const view = llmSummaryView(
      llm({ conditions: [{ type: 'Ready', status: 'False', reason: 'WorkloadsNotReady' }] }),
      [
        pod('chat-kserve-0', 'llminferenceservice-workload', {
          phase: 'Running',
          containerStatuses: [
            {
              name: 'main',
              ready: false,
              restartCount: 3,
              image: 'vllm',
              imageID: '',
              state: { waiting: { reason: 'CrashLoopBackOff' } },
              lastState: {
                terminated: { exitCode: 1, reason: 'Error', message: 'CUDA out of memory' },
              },
            },
          ],
        }),
      ],
      [],
    );
    assert.deepEqual(view.status, { phase: 'failed', reason: 'Error', message: 'CUDA out of memory' });
  });

  it('is waiting with the newest warning about it when nothing else says why', () => {
    const warning = (name: string, message: string, at: string): CoreV1Event => ({
      metadata: {},
      involvedObject: { kind: 'Deployment', name },
      reason: 'FailedCreate',
      message,
      type: 'Warning',
      lastTimestamp: new Date(at),
    });
    const view = llmSummaryView(
      llm(),
      [],
      [
        warning('chat-kserve', 'older', '2026-01-01T00:00:00Z'),
        warning('chat-kserve', 'exceeded quota: gpus', '2026-01-01T00:05:00Z'),
        warning('chatter', 'not ours', '2026-01-01T00:09:00Z'),
      ],
    );
    assert.deepEqual(view.status, {
      phase: 'waiting',
      reason: 'FailedCreate',
      message: 'exceeded quota: gpus',
    });
  });
});

describe('LLMInferenceService detail', () => {
  it('shows its conditions, its pods with the part each plays, and the warnings about them', () => {
    const pending = pod('chat-kserve-0', 'llminferenceservice-workload', { phase: 'Pending' });
    pending.spec = { containers: pending.spec!.containers };
    const view = llmDetailView(
      llm({
        conditions: [
          { type: 'Ready', status: 'False', reason: 'WorkloadsNotReady', message: 'workloads not ready' },
        ],
      }),
      [
        pending,
        pod('chat-epp', 'llminferenceservice-router-scheduler', running('2026-01-01T00:00:00Z')),
        pod('other-kserve-0', 'llminferenceservice-workload', running('2026-01-01T00:00:00Z'), 'other'),
      ],
      [
        {
          metadata: {},
          involvedObject: { kind: 'Pod', name: 'chat-kserve-0' },
          type: 'Warning',
          reason: 'FailedScheduling',
          message: '0/3 nodes are available: 3 Insufficient nvidia.com/gpu.',
          lastTimestamp: new Date('2026-01-01T00:00:00Z'),
        },
      ],
    );
    assert.deepEqual(view.conditions, [
      { type: 'Ready', status: 'False', reason: 'WorkloadsNotReady', message: 'workloads not ready' },
    ]);
    assert.deepEqual(
      view.pods.map((p) => [p.name, p.component, p.node, p.status.phase, p.status.reason]),
      [
        ['chat-kserve-0', 'workload', undefined, 'waiting', 'FailedScheduling'],
        ['chat-epp', 'router-scheduler', 'n1', 'ready', undefined],
      ],
    );
    assert.deepEqual(view.events, [
      {
        object: 'Pod/chat-kserve-0',
        reason: 'FailedScheduling',
        message: '0/3 nodes are available: 3 Insufficient nvidia.com/gpu.',
        at: '2026-01-01T00:00:00.000Z',
      },
    ]);
  });
});
