import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GPU_MONITORING_GROUP, ROUTE_TABLE } from '@ks-gpu-ml/contracts';
import { buildOpenApi } from './openapi.js';

describe('buildOpenApi', () => {
  it("documents a route's alternate media types beside JSON on its 200 answer", () => {
    const doc = buildOpenApi(GPU_MONITORING_GROUP, ROUTE_TABLE, 'test') as {
      paths: Record<string, { get: { responses: Record<string, { content: Record<string, unknown> }> } }>;
    };
    const hours = doc.paths['/kapis/gpu-monitoring.ks-gpu-ml.io/v1alpha1/gpuhours']!.get.responses['200']!;
    assert.deepEqual(Object.keys(hours.content), ['application/json', 'text/csv']);
    const summary =
      doc.paths['/kapis/gpu-monitoring.ks-gpu-ml.io/v1alpha1/gpusummary']!.get.responses['200']!;
    assert.deepEqual(Object.keys(summary.content), ['application/json']);
  });
});
