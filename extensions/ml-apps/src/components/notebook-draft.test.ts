import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CUSTOM_IMAGE, emptyDraft, toCreateBody } from './notebook-draft.js';

test('a filled draft becomes the contract body: custom image, GPU with model, data volume, env', () => {
  const out = toCreateBody({
    ...emptyDraft('img:1'),
    name: 'nb-1',
    image: CUSTOM_IMAGE,
    customImage: ' me/mine:2 ',
    cpu: '2',
    memory: '8Gi',
    gpuResource: 'nvidia.com/gpu',
    gpuCount: '2',
    gpuModel: 'A100',
    workspace: 'existing',
    workspaceClaim: 'home',
    dataVolumes: { data: { mounted: true, readOnly: true }, other: { mounted: false, readOnly: false } },
    env: 'A=1\n\nB=x=y\n',
  });
  assert.deepEqual(out, {
    body: {
      name: 'nb-1',
      image: 'me/mine:2',
      cpu: 2,
      memory: '8Gi',
      gpu: { resource: 'nvidia.com/gpu', count: 2, model: 'A100' },
      workspaceVolume: { kind: 'existing', claimName: 'home' },
      dataVolumes: [{ claimName: 'data', mountPath: '/data/data', readOnly: true }],
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: 'x=y' },
      ],
    },
  });
});

test('bad text names the field before any request', () => {
  const base = { ...emptyDraft('img:1'), name: 'nb' };
  assert.deepEqual(toCreateBody({ ...base, name: 'Nb' }), { problem: { field: 'name', key: 'name' } });
  assert.deepEqual(toCreateBody({ ...base, cpu: 'lots' }), { problem: { field: 'cpu', key: 'cpu' } });
  assert.deepEqual(toCreateBody({ ...base, memory: '1 GB' }), {
    problem: { field: 'memory', key: 'memory' },
  });
  assert.deepEqual(toCreateBody({ ...base, gpuResource: 'nvidia.com/gpu', gpuCount: '1.5' }), {
    problem: { field: 'gpuCount', key: 'gpuCount' },
  });
  assert.deepEqual(toCreateBody({ ...base, env: '1BAD=x' }), { problem: { field: 'env', key: 'env' } });
  assert.ok('body' in toCreateBody(base), 'the defaults are a valid body');
});
