import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import { gpuHoursOf } from './gpu-hours.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const pod = (resources: Record<string, string>, start?: string, finishedAt?: string): V1Pod => ({
  metadata: { name: 'p' },
  spec: { nodeName: 'n1', containers: [{ name: 'c', resources: { limits: resources } }] },
  status: {
    ...(start ? { startTime: new Date(start) } : {}),
    ...(finishedAt
      ? {
          phase: 'Succeeded',
          containerStatuses: [
            {
              name: 'c',
              image: 'i',
              imageID: '',
              ready: false,
              restartCount: 0,
              state: { terminated: { exitCode: 0, finishedAt: new Date(finishedAt) } },
            },
          ],
        }
      : { phase: 'Running' }),
  },
});

test('GPUs × hours run: until now while running, until the end when finished; MIG slices count, shares do not', () => {
  assert.equal(gpuHoursOf([pod({ 'nvidia.com/gpu': '2' }, '2026-01-01T10:30:00Z')], NOW), 3);
  assert.equal(
    gpuHoursOf([pod({ 'nvidia.com/gpu': '1' }, '2026-01-01T08:00:00Z', '2026-01-01T09:15:00Z')], NOW),
    1.25,
  );
  assert.equal(
    gpuHoursOf(
      [pod({ 'nvidia.com/mig-1g.10gb': '1', 'nvidia.com/gpumem': '4000' }, '2026-01-01T11:00:00Z')],
      NOW,
    ),
    1,
  );
  // Two replicas add up.
  assert.equal(
    gpuHoursOf(
      [
        pod({ 'nvidia.com/gpu': '1' }, '2026-01-01T11:00:00Z'),
        pod({ 'nvidia.com/gpu': '1' }, '2026-01-01T11:30:00Z'),
      ],
      NOW,
    ),
    1.5,
  );
});

test('no figure when no pod with GPUs has started', () => {
  assert.equal(gpuHoursOf([pod({ 'nvidia.com/gpu': '1' })], NOW), undefined);
  assert.equal(gpuHoursOf([pod({ cpu: '2' }, '2026-01-01T10:00:00Z')], NOW), undefined);
  assert.equal(gpuHoursOf([], NOW), undefined);
});
