import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServingRuntimeOption } from '@ks-gpu-ml/contracts';
import { AppError } from '../../core/errors.js';
import { checkRuntime, runtimeOption } from './serving-deploy.js';

const runtimes: ServingRuntimeOption[] = [
  runtimeOption('ServingRuntime', {
    metadata: { name: 'sk' },
    spec: { supportedModelFormats: [{ name: 'sklearn', autoSelect: true }], protocolVersions: ['v1', 'v2'] },
  }),
  runtimeOption('ClusterServingRuntime', {
    metadata: { name: 'triton' },
    spec: { supportedModelFormats: [{ name: 'onnx' }], protocolVersions: ['v2'] },
  }),
  runtimeOption('ClusterServingRuntime', {
    metadata: { name: 'off' },
    spec: { supportedModelFormats: [{ name: 'xgboost', autoSelect: true }], disabled: true },
  }),
];

const refuses = (fn: () => void, key: string, field: string) =>
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof AppError);
    assert.equal(err.statusCode, 400);
    assert.equal(err.key, key);
    assert.equal((err.details as { field?: string }).field, field);
    return true;
  });

describe('serving runtime checks', () => {
  it('accepts a named runtime serving the format and protocol; without one, KServe chooses', () => {
    checkRuntime(
      { runtime: { kind: 'ClusterServingRuntime', name: 'triton' }, protocolVersion: 'v2' },
      'onnx',
      runtimes,
    );
    checkRuntime({}, 'sklearn', runtimes);
    // No runtime auto-selects onnx: KServe's controller will say NoSupportingRuntime, shown verbatim.
    checkRuntime({}, 'onnx', runtimes);
  });

  it('refuses what no runtime serves, naming the field', () => {
    refuses(
      () => checkRuntime({ runtime: { kind: 'ClusterServingRuntime', name: 'off' } }, 'xgboost', runtimes),
      'ML_APPS_SERVING_RUNTIME_FORMAT',
      'body.runtime.name',
    );
    refuses(
      () => checkRuntime({ runtime: { kind: 'ServingRuntime', name: 'triton' } }, 'onnx', runtimes),
      'ML_APPS_SERVING_UNKNOWN_RUNTIME',
      'body.runtime.name',
    );
    refuses(
      () => checkRuntime({ runtime: { kind: 'ServingRuntime', name: 'sk' } }, 'onnx', runtimes),
      'ML_APPS_SERVING_RUNTIME_FORMAT',
      'body.runtime.name',
    );
    refuses(
      () =>
        checkRuntime(
          { runtime: { kind: 'ClusterServingRuntime', name: 'triton' }, protocolVersion: 'v1' },
          'onnx',
          runtimes,
        ),
      'ML_APPS_SERVING_RUNTIME_PROTOCOL',
      'body.protocolVersion',
    );
  });
});
