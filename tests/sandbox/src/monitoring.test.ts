import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import {
  alertmanagerConfig,
  DCGM_EXPORTER_JOB,
  featureRuleGlob,
  prometheusConfig,
  TENANT_METRICS_JOB,
} from './monitoring.js';

describe('monitoring configs', () => {
  it('scrapes the simulator and kube-state-metrics series keeping workload labels, and loads feature rules', () => {
    const config = parse(prometheusConfig({ dcgm: 'a:1', ksm: 'a:1', alertmanager: 'b:2' })) as {
      rule_files: string[];
      scrape_configs: { job_name: string; honor_labels: boolean; metrics_path?: string }[];
    };
    assert.deepEqual(config.rule_files, [featureRuleGlob()]);
    assert.match(
      config.rule_files[0]!,
      /\/rules\/\*\.rules\.yaml$/,
      'Prometheus globs only the last element',
    );
    const jobs = Object.fromEntries(config.scrape_configs.map((j) => [j.job_name, j]));
    assert.equal(jobs[DCGM_EXPORTER_JOB]?.honor_labels, true);
    assert.equal(
      DCGM_EXPORTER_JOB,
      'nvidia-dcgm-exporter',
      "gpu-operator's ServiceMonitor job, the backend's default",
    );
    assert.equal(jobs[TENANT_METRICS_JOB]?.honor_labels, undefined, 'tenant targets cannot set job');
    assert.equal(jobs['kube-state-metrics']?.metrics_path, '/ksm/metrics');
  });

  it('routes alerts to the webhook when one is set, nowhere otherwise', () => {
    const withHook = parse(alertmanagerConfig('http://127.0.0.1:9/x')) as {
      receivers: { webhook_configs?: { url: string }[] }[];
    };
    assert.equal(withHook.receivers[0]?.webhook_configs?.[0]?.url, 'http://127.0.0.1:9/x');
    const without = parse(alertmanagerConfig()) as { receivers: { webhook_configs?: unknown }[] };
    assert.equal(without.receivers[0]?.webhook_configs, undefined);
  });
});
