import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { askOf, inferenceServiceManifest } from './serving-manifest.js';
import { irisDeploy as input, irisVersion as version } from './test-fixtures.js';

describe('serving manifest: transformer and explainer', () => {
  it('writes neither unless asked', () => {
    const isvc = inferenceServiceManifest('team-a', input, version, 'alice');
    assert.equal(isvc.spec?.transformer, undefined);
    assert.equal(isvc.spec?.explainer, undefined);
  });

  it("writes each as KServe's custom component: one kserve-container, its resources, the predictor's bounds", () => {
    const isvc = inferenceServiceManifest(
      'team-a',
      {
        ...input,
        transformer: {
          image: 'registry.local/iris-transformer:1',
          args: ['--model_name', 'iris'],
          cpu: 0.5,
          memory: '512Mi',
        },
        explainer: { image: 'registry.local/iris-explainer:1', cpu: 1, memory: '1Gi' },
      },
      version,
      'alice',
    );
    assert.deepEqual(isvc.spec?.transformer, {
      containers: [
        {
          name: 'kserve-container',
          image: 'registry.local/iris-transformer:1',
          args: ['--model_name', 'iris'],
          resources: {
            requests: { cpu: '0.5', memory: '512Mi' },
            limits: { cpu: '0.5', memory: '512Mi' },
          },
        },
      ],
      minReplicas: 2,
      maxReplicas: 4,
    });
    const explainer = isvc.spec?.explainer as { containers: { image: string; args?: string[] }[] };
    assert.equal(explainer.containers[0]?.image, 'registry.local/iris-explainer:1');
    assert.equal(explainer.containers[0]?.args, undefined);
  });

  it("the pre-check's ask adds their pods, CPU and memory per replica; GPUs stay the predictor's", () => {
    assert.deepEqual(askOf(input, 2), { cpu: 2, memory: 2 * 2 ** 31, 'nvidia.com/gpu': 2, pods: 2 });
    const ask = askOf(
      {
        ...input,
        transformer: { image: 't:1', cpu: 0.5, memory: '512Mi' },
        explainer: { image: 'e:1', cpu: 1, memory: '1Gi' },
      },
      2,
    );
    assert.deepEqual(ask, {
      cpu: 5,
      memory: 2 * (2 * 2 ** 30 + 512 * 2 ** 20 + 2 ** 30),
      'nvidia.com/gpu': 2,
      pods: 6,
    });
  });
});
