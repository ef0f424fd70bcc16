// The stand-in's kube-state-metrics custom-resource state, driven by the file the chart ships: one Info series per
// ML app with the creator annotation as kube-state-metrics exposes it (names, label names, a missing path left
// out), and refusal of configs it would serve differently from kube-state-metrics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCustomResourceState, renderCustomResourceState } from './ksm-custom-resources.js';
import { parseExposition } from './prom-text.js';

const SHIPPED = join(import.meta.dirname, '../../../charts/gpu-monitoring/rules/ksm-ml-apps.yaml');
const CREATOR = 'kubesphere.io/creator';

const app = (kind: string, name: string, creator?: string) => ({
  kind,
  metadata: { name, namespace: 'alpha-train', ...(creator ? { annotations: { [CREATOR]: creator } } : {}) },
});

test("the shipped config gives each ML app's creator as kube_customresource_ml_app_creator", () => {
  const configs = parseCustomResourceState(readFileSync(SHIPPED, 'utf8'));
  assert.deepEqual(
    configs.map((c) => `${c.group}/${c.version}/${c.kind}`),
    [
      'kubeflow.org/v1/Notebook',
      'trainer.kubeflow.org/v1alpha1/TrainJob',
      'kubeflow.org/v1/TFJob',
      'kubeflow.org/v1/PyTorchJob',
      'kubeflow.org/v1/XGBoostJob',
      'kubeflow.org/*/MPIJob',
    ],
  );
  const byKind = (kind: string) => configs.find((c) => c.kind === kind)!;
  const text = renderCustomResourceState([
    { config: byKind('Notebook'), version: 'v1', objects: [app('Notebook', 'nb', 'alice')] },
    { config: byKind('TrainJob'), version: 'v1alpha1', objects: [app('TrainJob', 'tj')] },
    { config: byKind('MPIJob'), version: 'v1', objects: [app('MPIJob', 'mpi', 'bob')] },
    { config: byKind('TFJob'), version: 'v1', objects: [] },
  ]);
  const [family, ...others] = [...parseExposition(text).values()];
  assert.equal(others.length, 0, 'one family');
  assert.equal(family?.name, 'kube_customresource_ml_app_creator');
  assert.equal(family?.type, 'gauge', "Info families reach Prometheus' text format as gauges");
  assert.deepEqual(
    family?.samples.map((s) => [s.labels, s.value]),
    [
      [
        [
          ['creator', 'alice'],
          ['customresource_group', 'kubeflow.org'],
          ['customresource_kind', 'Notebook'],
          ['customresource_version', 'v1'],
          ['name', 'nb'],
          ['namespace', 'alpha-train'],
        ],
        1,
      ],
      [
        // No annotation: kube-state-metrics leaves the label out rather than writing an empty value.
        [
          ['customresource_group', 'trainer.kubeflow.org'],
          ['customresource_kind', 'TrainJob'],
          ['customresource_version', 'v1alpha1'],
          ['name', 'tj'],
          ['namespace', 'alpha-train'],
        ],
        1,
      ],
      [
        [
          ['creator', 'bob'],
          ['customresource_group', 'kubeflow.org'],
          ['customresource_kind', 'MPIJob'],
          ['customresource_version', 'v1'],
          ['name', 'mpi'],
          ['namespace', 'alpha-train'],
        ],
        1,
      ],
    ],
  );
});

test('a config the stand-in would serve differently is refused, not half-served', () => {
  const config = (each: string, labels = 'name: [metadata, name]') => `kind: CustomResourceStateMetrics
spec:
  resources:
    - groupVersionKind: { group: g.io, version: v1, kind: Foo }
      labelsFromPath: { ${labels} }
      metrics:
        - name: m
          help: h
          each: ${each}
`;
  assert.equal(parseCustomResourceState(config('{ type: Info, info: { labelsFromPath: {} } }')).length, 1);
  assert.throws(
    () => parseCustomResourceState(config('{ type: Gauge, gauge: { path: [spec, replicas] } }')),
    /only each.type Info/,
  );
  assert.throws(
    () => parseCustomResourceState(config('{ type: Info, info: { path: [spec, refs] } }')),
    /info.path/,
  );
  assert.throws(
    () => parseCustomResourceState(config('{ type: Info }', '"*": [metadata, labels]')),
    /"\*" labels/,
  );
  assert.throws(() => parseCustomResourceState('kind: Other\n'), /not a CustomResourceStateMetrics/);
});
