// The recorded path answers as the raw path does (ADR 0010). promtool evaluates the shipped rule file over a small
// fleet written in each label scheme, then the queries queries.ts builds both ways: with `recordingRules` false
// (raw dcgm-exporter series) and true (recorded series). Unit test: promtool only, no server.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { DEFAULT_EXPORTER_JOB, workloadLabels, type LabelScheme } from './labels.js';
import {
  clusterSummaryQueries,
  idleAllocatedQuery,
  metricQuery,
  nodeTableQueries,
  readsRecordedSeries,
  type GpuMetric,
} from './queries.js';
import { RECORDED_BY_LEVEL } from './recorded.js';
import { EXPORTED, PLAIN } from './test-fixtures.js';

const ruleFile = fileURLToPath(
  new URL('../../../../charts/gpu-monitoring/rules/gpu.rules.yaml', import.meta.url),
);
const promtool = process.env.PROMTOOL ?? '/usr/bin/promtool';
const EVAL_AT = '40m'; // past the 30-minute idle window

type Labels = Record<string, string>;
const render = (labels: Labels) =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ')}}`;

/**
 * One hour of a small fleet in `scheme`'s labels. node-a: GPU 0 held by `idle` at 0 %, GPU 1 held by `busy` at 50 %;
 * node-b: GPU 0 free at 50 %. Every GPU has 81,920 MiB (FB_USED + FB_FREE) and draws power.
 */
function fleet(scheme: LabelScheme) {
  const w = workloadLabels(scheme);
  const gpu = (node: string, i: number): Labels => ({
    [scheme.hostLabel]: node,
    gpu: `${i}`,
    UUID: `GPU-${node}-${i}`,
    modelName: 'A100',
  });
  const holder = (pod: string): Labels => ({ [w.namespace]: 'team-a', [w.pod]: pod, [w.container]: 'main' });
  // Under an Operator scrape the plain labels name the exporter pod, on every series.
  const exporter: Labels =
    scheme.workload === 'exported' ? { namespace: 'gpu-operator', pod: 'dcgm-exporter-x1' } : {};
  const device = (labels: Labels, util: number, usedMiB: number, watts: number) =>
    (
      [
        ['DCGM_FI_DEV_GPU_UTIL', util],
        ['DCGM_FI_DEV_FB_USED', usedMiB],
        ['DCGM_FI_DEV_FB_FREE', 81_920 - usedMiB],
        ['DCGM_FI_DEV_POWER_USAGE', watts],
      ] as const
    ).map(([name, value]) => ({
      series: `${name}${render({ ...labels, ...exporter, job: DEFAULT_EXPORTER_JOB })}`,
      values: `${value}x60`,
    }));
  const input = [
    ...['idle', 'busy'].map((pod) => ({
      series: `kube_pod_container_resource_requests{namespace="team-a",pod="${pod}",container="main",resource="nvidia_com_gpu"}`,
      values: '1x60',
    })),
    ...device({ ...gpu('node-a', 0), ...holder('idle') }, 0, 800, 60),
    ...device({ ...gpu('node-a', 1), ...holder('busy') }, 50, 70_000, 300),
    ...device(gpu('node-b', 0), 50, 0, 50),
  ];
  return { input, idleGpu: { ...gpu('node-a', 0), ...holder('idle') } };
}

function runPromtool(scheme: LabelScheme, exprTests: object[]): void {
  const dir = mkdtempSync(join(tmpdir(), 'recorded-'));
  try {
    const file = join(dir, 'recorded.test.yaml');
    writeFileSync(
      file,
      stringify({
        rule_files: [ruleFile],
        evaluation_interval: '1m',
        tests: [{ interval: '1m', input_series: fleet(scheme).input, promql_expr_test: exprTests }],
      }),
    );
    const r = spawnSync(promtool, ['test', 'rules', file], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A promtool check that two queries give the same numbers for the same label sets: `expected` lists every label
 * set the raw answer has; a missing, extra-labelled or different recorded sample leaves one out, and the test fails.
 */
function agree(raw: string, recorded: string, expected: Labels[]) {
  assert.notEqual(recorded, raw, 'the recorded path is taken (a query agrees with itself trivially)');
  return {
    expr: `abs((${raw}) - (${recorded})) < bool 1e-9`,
    eval_time: EVAL_AT,
    exp_samples: expected.map((labels) => ({ labels: render(labels), value: 1 })),
  };
}

const SCHEMES = [
  ['released dcgm-exporter, plain labels', PLAIN],
  ['Operator scrape, exported_* labels, lowercase hostname', EXPORTED],
] as const;
const skip = !existsSync(promtool) && `${promtool} not installed`;
const both = (scheme: LabelScheme) => ({
  raw: { ...scheme, recordingRules: false },
  ruled: { ...scheme, recordingRules: true },
});

describe(
  'idle-allocated: the recording rule names exactly the idle GPU, as the raw query does',
  { skip },
  () => {
    for (const [name, scheme] of SCHEMES) {
      it(name, () => {
        const { raw, ruled } = both(scheme);
        const check = (s: LabelScheme) => ({
          expr: idleAllocatedQuery(s, { scope: ['team-a'] }),
          eval_time: EVAL_AT,
          exp_samples: [{ labels: render(fleet(scheme).idleGpu), value: 0 }],
        });
        assert.notEqual(check(raw).expr, check(ruled).expr);
        runPromtool(scheme, [check(raw), check(ruled)]);
      });
    }
  },
);

describe('whole-cluster figures: recorded and raw agree', { skip }, () => {
  for (const [name, scheme] of SCHEMES) {
    it(`summary by model, node and cluster metrics, node table counts: ${name}`, () => {
      const { raw, ruled } = both(scheme);
      const model = [{ modelName: 'A100' }];
      const nodes = ['node-a', 'node-b'].map((n) => ({ [scheme.hostLabel]: n }));
      const nodeA = [nodes[0]!];
      const rawSummary = clusterSummaryQueries(raw);
      const ruledSummary = clusterSummaryQueries(ruled);
      const checks = (['devices', 'allocated', 'busy', 'idleAllocated'] as const).map((count) =>
        agree(rawSummary[count], ruledSummary[count], model),
      );
      for (const level of ['cluster', 'node'] as const) {
        for (const metric of Object.keys(RECORDED_BY_LEVEL[level]) as GpuMetric[]) {
          assert.ok(readsRecordedSeries(ruled, metric, level), `${level} ${metric} is read from the rules`);
          checks.push(
            agree(
              metricQuery(raw, metric, level),
              metricQuery(ruled, metric, level),
              level === 'node' ? nodes : [{}],
            ),
          );
        }
      }
      const rawNodes = nodeTableQueries(raw);
      const ruledNodes = nodeTableQueries(ruled);
      checks.push(agree(rawNodes.allocated, ruledNodes.allocated, nodeA));
      checks.push(agree(rawNodes.idleAllocated, ruledNodes.idleAllocated, nodeA));
      runPromtool(scheme, checks);
    });
  }
});
