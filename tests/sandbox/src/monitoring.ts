// Debian's Prometheus and Alertmanager, and our dcgm-exporter simulator that Prometheus scrapes.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify, parse } from 'yaml';
import { placeRuleFile } from './alert-timing.js';
import { layout, repoRoot } from './layout.js';
import { assertRunning, startProcess } from './processes.js';
import { httpOk, waitFor } from './wait.js';

/**
 * Plain Prometheus rule files shipped by the features (`charts/<feature>/rules/*.rules.yaml`) are
 * linked into one folder: Prometheus globs only the last path element, and links keep edits live
 * (`curl -X POST $PROMETHEUS_URL/-/reload`). Features whose alert waits the sandbox shortens get a derived
 * copy instead (alert-timing.ts).
 */
export function rulesDir(): string {
  return join(layout.config, 'rules');
}

export const featureRuleGlob = (): string => join(rulesDir(), '*.rules.yaml');

export function linkFeatureRules(): string[] {
  mkdirSync(rulesDir(), { recursive: true });
  const charts = join(repoRoot, 'charts');
  const linked: string[] = [];
  for (const feature of existsSync(charts) ? readdirSync(charts) : []) {
    const dir = join(charts, feature, 'rules');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.rules.yaml'))) {
      placeRuleFile(feature, join(dir, file), join(rulesDir(), `${feature}--${file}`));
      linked.push(`${feature}/${file}`);
    }
  }
  return linked;
}

export const SCRAPE_INTERVAL_SECONDS = 5;

/** The job gpu-operator's dcgm-exporter ServiceMonitor gives its series (its Service's name). */
export const DCGM_EXPORTER_JOB = 'nvidia-dcgm-exporter';
/** The job of HAMi's vGPU monitor (the hami-device-plugin-monitor Service of HAMi's chart). */
export const HAMI_MONITOR_JOB = 'hami-device-plugin-monitor';
/** A job standing for tenants' own scrape targets (KubeSphere custom monitoring). */
export const TENANT_METRICS_JOB = 'tenant-custom-metrics';

/** The file_sd file listing the tenant job's targets (`[{"targets": ["127.0.0.1:port"]}]`). */
export function tenantTargetsFile(): string {
  return join(layout.config, 'tenant-targets.json');
}

export function prometheusConfig(targets: {
  dcgm: string;
  ksm: string;
  alertmanager: string | string[];
}): string {
  return stringify({
    global: {
      scrape_interval: `${SCRAPE_INTERVAL_SECONDS}s`,
      evaluation_interval: `${SCRAPE_INTERVAL_SECONDS}s`,
    },
    rule_files: [featureRuleGlob()],
    // Every Alertmanager of the pair, not one behind a balancer (Alertmanager's README, High Availability).
    alerting: { alertmanagers: [{ static_configs: [{ targets: [targets.alertmanager].flat() }] }] },
    scrape_configs: [
      // honor_labels keeps the workload's pod/namespace labels; the simulator's "exported" variant
      // reproduces what clusters scraping with honor_labels: false store instead. The job is named as
      // gpu-operator's ServiceMonitor names it (its Service), which the backend and the rules pin to.
      { job_name: DCGM_EXPORTER_JOB, honor_labels: true, static_configs: [{ targets: [targets.dcgm] }] },
      // What a tenant's custom-monitoring ServiceMonitor adds: any target, scraped without honor_labels.
      // Empty until a test writes targets into the file (Prometheus watches it), to show that DCGM_FI_*
      // series from anywhere but the exporter's job change no GPU figure.
      {
        job_name: TENANT_METRICS_JOB,
        file_sd_configs: [{ files: [tenantTargetsFile()], refresh_interval: '5s' }],
      },
      // The simulator also plays HAMi's vGPU monitor for its HAMi node (per-container figures on shared GPUs),
      // under the job name HAMi's chart gives that Service.
      {
        job_name: HAMI_MONITOR_JOB,
        honor_labels: true,
        metrics_path: '/hami/metrics',
        static_configs: [{ targets: [targets.dcgm] }],
      },
      {
        job_name: 'kube-state-metrics',
        honor_labels: true,
        metrics_path: '/ksm/metrics',
        static_configs: [{ targets: [targets.ksm] }],
      },
    ],
  });
}

/**
 * Where alerts go: `webhookUrl` (the backend's intake once it runs) or nowhere yet; with `credentialsFile`,
 * Alertmanager sends that file's token as `Authorization: Bearer` (the intake's http_config.authorization).
 */
export function alertmanagerConfig(webhookUrl?: string, credentialsFile?: string): string {
  const auth = credentialsFile
    ? { http_config: { authorization: { credentials_file: credentialsFile } } }
    : {};
  const receiver = webhookUrl
    ? { name: 'webhook', webhook_configs: [{ url: webhookUrl, send_resolved: true, ...auth }] }
    : { name: 'webhook' };
  return stringify({
    route: {
      receiver: 'webhook',
      group_by: ['alertname'],
      group_wait: '1s',
      group_interval: '5s',
      repeat_interval: '1h',
    },
    receivers: [receiver],
  });
}

export async function startPrometheus(
  port: number,
  targets: { dcgm: string; ksm: string; alertmanager: string | string[] },
) {
  const dir = join(layout.data, 'prometheus');
  mkdirSync(dir, { recursive: true });
  const config = join(layout.config, 'prometheus.yml');
  linkFeatureRules();
  writeFileSync(config, prometheusConfig(targets));
  writeFileSync(tenantTargetsFile(), '[]\n');
  const url = `http://127.0.0.1:${port}`;
  const record = startProcess(
    'prometheus',
    'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${dir}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ].concat(['--web.enable-lifecycle', '--web.enable-admin-api', '--log.level=warn']),
    { url },
  );
  await waitFor('Prometheus /-/ready', async () => (assertRunning(record), httpOk(`${url}/-/ready`)));
  return url;
}

export function alertmanagerConfigPath(): string {
  return join(layout.config, 'alertmanager.yml');
}

/**
 * Points the running Alertmanager's receiver at a webhook and reloads it (tests and `npm start`); the intake's
 * credentials_file stays, so routing back to the intake restores a working receiver.
 */
export async function routeAlertsTo(alertmanagerUrl: string, webhookUrl: string | undefined): Promise<void> {
  writeFileSync(alertmanagerConfigPath(), alertmanagerConfig(webhookUrl, currentCredentialsFile()));
  const response = await fetch(`${alertmanagerUrl}/-/reload`, { method: 'POST' });
  if (!response.ok)
    throw new Error(`Alertmanager reload failed: HTTP ${response.status} ${await response.text()}`);
}

export function currentAlertWebhook(): string | undefined {
  if (!existsSync(alertmanagerConfigPath())) return undefined;
  const config = parse(readFileSync(alertmanagerConfigPath(), 'utf8')) as {
    receivers?: { webhook_configs?: { url: string }[] }[];
  };
  return config.receivers?.[0]?.webhook_configs?.[0]?.url;
}

function currentCredentialsFile(): string | undefined {
  if (!existsSync(alertmanagerConfigPath())) return undefined;
  const config = parse(readFileSync(alertmanagerConfigPath(), 'utf8')) as {
    receivers?: { webhook_configs?: { http_config?: { authorization?: { credentials_file?: string } } }[] }[];
  };
  return config.receivers?.[0]?.webhook_configs?.[0]?.http_config?.authorization?.credentials_file;
}
