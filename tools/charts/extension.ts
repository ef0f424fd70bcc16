// An extension's extension.yaml: read it, check what `ksbuilder package`/`lint` validate (ksbuilder
// pkg/api/metadata.go, kubesphere-extensions.md §1.2), and derive the Chart.yaml ksbuilder would write from it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The categories ks-core ships (config/ks-core/templates/extension-categories.yaml). */
export const KS_CATEGORIES = [
  'ai-machine-learning',
  'deepseek',
  'database',
  'observability',
  'integration-delivery',
  'networking',
  'security',
  'storage',
  'streaming-messaging',
  'computing',
  'dev-tools',
] as const;

type Localized = Record<string, string>;

export interface ExtensionDependency {
  name: string;
  tags: ('extension' | 'agent')[];
  condition?: string;
}

export interface ExtensionMetadata {
  apiVersion: string;
  name: string;
  version: string;
  displayName: Localized;
  description: Localized;
  category: string;
  keywords?: string[];
  home?: string;
  sources?: string[];
  kubeVersion?: string;
  ksVersion?: string;
  provider: Record<string, { name: string; email?: string; url?: string }>;
  icon: string;
  screenshots?: string[];
  staticFileDirectory?: string;
  installationMode?: 'HostOnly' | 'Multicluster';
  namespace?: string;
  dependencies?: ExtensionDependency[];
  images?: string[];
}

const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/;
/** The languages the console speaks; each text must exist in both (the project's en + zh rule). */
const LANGUAGES = ['en', 'zh'];

/** Every problem of the metadata, as ksbuilder would refuse it (empty: valid). */
export function metadataProblems(meta: Partial<ExtensionMetadata>, chartDir: string): string[] {
  const problems: string[] = [];
  for (const field of [
    'apiVersion',
    'name',
    'version',
    'displayName',
    'description',
    'category',
    'provider',
    'icon',
  ] as const) {
    if (!meta[field]) problems.push(`${field}: required`);
  }
  if (meta.name && !(meta.name.length <= 253 && DNS_1123_SUBDOMAIN.test(meta.name)))
    problems.push(`name: "${meta.name}" is not a DNS-1123 subdomain`);
  if (meta.version && !(SEMVER.test(meta.version) && DNS_1123_SUBDOMAIN.test(meta.version)))
    problems.push(`version: "${meta.version}" must be semver and a DNS-1123 subdomain`);
  for (const field of ['displayName', 'description'] as const) {
    for (const lang of LANGUAGES)
      if (meta[field] && !meta[field][lang]) problems.push(`${field}.${lang}: required`);
  }
  for (const lang of LANGUAGES) {
    if (meta.provider && !meta.provider[lang]?.name) problems.push(`provider.${lang}.name: required`);
  }
  if (meta.category && !(KS_CATEGORIES as readonly string[]).includes(meta.category))
    problems.push(`category: "${meta.category}" is not one of ks-core's: ${KS_CATEGORIES.join(', ')}`);
  for (const file of [meta.icon, ...(meta.screenshots ?? [])]) {
    if (file && !/^(https?:|data:image)/.test(file) && !existsSync(join(chartDir, file)))
      problems.push(`${file}: file missing in ${chartDir}`);
  }
  if (meta.installationMode && !['HostOnly', 'Multicluster'].includes(meta.installationMode))
    problems.push(`installationMode: "${meta.installationMode}" is not HostOnly or Multicluster`);
  for (const dep of meta.dependencies ?? []) {
    const tags = dep.tags ?? [];
    if (tags.length !== 1 || !['extension', 'agent'].includes(tags[0]!))
      problems.push(`dependencies.${dep.name}.tags: exactly one of extension, agent`);
    // A HostOnly extension never gets agent releases: an agent subchart would never be installed (§1.2 pitfall).
    if (tags.includes('agent') && meta.installationMode !== 'Multicluster')
      problems.push(`dependencies.${dep.name}: tagged agent but installationMode is not Multicluster`);
  }
  return problems;
}

export function readExtension(chartDir: string): ExtensionMetadata {
  return parse(readFileSync(join(chartDir, 'extension.yaml'), 'utf8')) as ExtensionMetadata;
}

/** Chart.yaml as ksbuilder's ToChartYaml writes it: description = description.en, subcharts as dependencies. */
export function chartYaml(meta: ExtensionMetadata): Record<string, unknown> {
  const chart: Record<string, unknown> = {
    apiVersion: 'v2',
    name: meta.name,
    version: meta.version,
    appVersion: meta.version,
    description: meta.description.en,
    icon: meta.icon,
  };
  if (meta.keywords) chart.keywords = meta.keywords;
  if (meta.home) chart.home = meta.home;
  if (meta.sources) chart.sources = meta.sources;
  if (meta.kubeVersion) chart.kubeVersion = meta.kubeVersion;
  if (meta.dependencies) chart.dependencies = meta.dependencies;
  const maintainers = Object.values(meta.provider).slice(0, 1);
  if (maintainers.length) chart.maintainers = maintainers;
  return chart;
}

/** A subchart's Chart.yaml: same version as the extension, so an image tag defaults to it. */
export const subchartYaml = (meta: ExtensionMetadata, name: string): Record<string, unknown> => ({
  apiVersion: 'v2',
  name,
  version: meta.version,
  appVersion: meta.version,
  description: `${meta.displayName.en}: ${name}`,
});
