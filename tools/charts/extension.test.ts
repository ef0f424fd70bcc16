// extension.yaml checks: what ksbuilder refuses, plus the project's rules (en and zh texts; no agent subchart in a
// HostOnly extension), and the Chart.yaml derived from it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chartYaml, metadataProblems, readExtension, type ExtensionMetadata } from './extension.js';

const chartDir = fileURLToPath(new URL('../../charts/gpu-quota/', import.meta.url));
/** Screenshots are copied in from docs/images at assembly (stage.ts), so the source folder has none. */
const valid = (): ExtensionMetadata => ({ ...structuredClone(readExtension(chartDir)), screenshots: [] });

describe('extension.yaml checks', () => {
  it("accepts gpu-quota's file", () => {
    assert.deepEqual(metadataProblems(valid(), chartDir), []);
  });

  it('names each problem: missing text in a language, an unknown category, a bad version, a missing icon', () => {
    const meta = valid();
    delete (meta.displayName as Record<string, string>).zh;
    meta.category = 'monitoring';
    meta.version = '1.0';
    meta.icon = './static/missing.svg';
    const problems = metadataProblems(meta, chartDir);
    assert.ok(problems.includes('displayName.zh: required'), problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('category: "monitoring" is not one of')));
    assert.ok(problems.some((p) => p.startsWith('version: "1.0"')));
    assert.ok(problems.some((p) => p.startsWith('./static/missing.svg: file missing')));
  });

  it('refuses an agent subchart in a HostOnly extension (it would never be installed)', () => {
    const meta = { ...valid(), installationMode: 'HostOnly' as const };
    assert.deepEqual(metadataProblems(meta, chartDir), [
      'dependencies.backend: tagged agent but installationMode is not Multicluster',
    ]);
  });

  it('derives Chart.yaml as ksbuilder does: English description, subcharts as dependencies', () => {
    const meta = valid();
    const chart = chartYaml(meta);
    assert.equal(chart.apiVersion, 'v2');
    assert.equal(chart.name, 'gpu-quota');
    assert.equal(chart.version, meta.version);
    assert.equal(chart.description, meta.description.en);
    assert.deepEqual(chart.dependencies, meta.dependencies);
  });
});
