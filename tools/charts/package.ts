// `npm run package [-- --url https://charts.example.com/ks-gpu-ml]`: writes dist/charts/ with every extension's
// chart package (<name>-<version>.tgz, assembled by stage.ts), a Helm repository index.yaml that KubeSphere's
// Repository controller reads, and example Repository and InstallPlan manifests.
//
// KubeSphere resolves a relative chart URL against the repository's scheme and host only, so a repository served
// under a path needs --url (the absolute base the tgz files are served from).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { ensureHelm } from '../../tests/sandbox/src/binaries.js';
import { readExtension, type ExtensionMetadata } from './extension.js';
import { packagedFeatures, repoRoot, stageChart } from './stage.js';

export const OUT_DIR = join(repoRoot, 'dist/charts');

/** A Repository object for the served folder (kubesphere-extensions.md §1.5–1.6). */
export const repositoryManifest = (url: string) => ({
  apiVersion: 'kubesphere.io/v1alpha1',
  kind: 'Repository',
  metadata: { name: 'ks-gpu-ml' },
  spec: {
    url,
    description: 'GPU quotas, GPU monitoring, CMDB-linked alerting and ML apps for KubeSphere',
    updateStrategy: { registryPoll: { interval: '15m' }, timeout: '2m' },
  },
});

/** An InstallPlan for one extension; Multicluster ones also schedule their agent on the host cluster. */
export const installPlanManifest = (meta: ExtensionMetadata) => ({
  apiVersion: 'kubesphere.io/v1alpha1',
  kind: 'InstallPlan',
  metadata: { name: meta.name },
  spec: {
    extension: { name: meta.name, version: meta.version },
    enabled: true,
    upgradeStrategy: 'Manual',
    config: 'backend:\n  resources:\n    limits:\n      memory: 512Mi\n',
    ...(meta.installationMode === 'Multicluster'
      ? { clusterScheduling: { placement: { clusters: ['host'] } } }
      : {}),
  },
});

function main(): void {
  const { values } = parseArgs({ options: { url: { type: 'string' } } });
  const helm = ensureHelm();
  rmSync(OUT_DIR, { recursive: true, force: true });
  const staging = join(OUT_DIR, '.staging');
  const examples = join(OUT_DIR, 'examples');
  mkdirSync(examples, { recursive: true });
  for (const feature of packagedFeatures()) {
    const dir = stageChart(feature, staging);
    execFileSync(helm, ['package', dir, '--destination', OUT_DIR], { stdio: 'inherit' });
    writeFileSync(
      join(examples, `installplan-${feature}.yaml`),
      stringify(installPlanManifest(readExtension(dir))),
    );
  }
  rmSync(staging, { recursive: true, force: true });
  execFileSync(helm, ['repo', 'index', OUT_DIR, ...(values.url ? ['--url', values.url] : [])], {
    stdio: 'inherit',
  });
  const url = values.url ?? 'https://charts.example.com/ks-gpu-ml';
  writeFileSync(join(examples, 'repository.yaml'), stringify(repositoryManifest(url)));
  console.log(`packages, index.yaml and examples/ in ${OUT_DIR}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
