// kube-state-metrics' custom-resource state (--custom-resource-state-config-file), the part the product's shipped
// configuration uses: `Info` metrics whose labels come from paths in each object (labelsFromPath on the resource,
// the metric and its `info`), plus commonLabels. The stand-in reads the very file the chart ships
// (charts/gpu-monitoring/rules/ksm-ml-apps.yaml), so the sandbox's Prometheus gets the series a real
// kube-state-metrics would make from it: name `<metricNamePrefix>_<name>` (prefix `kube_customresource` by
// default), labels sorted by name with customresource_group / _kind / _version from the resource, a label whose
// path is missing left out, value 1. Anything else in a config (Gauge, StateSet, `path`, `*` labels) is refused
// at start-up rather than silently served differently. Pure.
import { parse } from 'yaml';
import { sanitizeLabelName } from './ksm.js';
import { familyHeader, formatSeries, type Labels } from './prom-text.js';

export interface CustomResourceMetric {
  /** The full family name, prefix included. */
  name: string;
  help: string;
  commonLabels: Record<string, string>;
  labelsFromPath: Record<string, string[]>;
}

export interface CustomResourceConfig {
  group: string;
  /** A version, or `*` for every version the cluster serves. */
  version: string;
  kind: string;
  metrics: CustomResourceMetric[];
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function stringMap(v: unknown, where: string): Record<string, string> {
  if (v === undefined) return {};
  if (!isObject(v) || Object.values(v).some((x) => typeof x !== 'string')) {
    throw new Error(`${where}: expected a map of strings`);
  }
  return v as Record<string, string>;
}

function pathMap(v: unknown, where: string): Record<string, string[]> {
  if (v === undefined) return {};
  if (!isObject(v)) throw new Error(`${where}: expected a map of label -> path`);
  const out: Record<string, string[]> = {};
  for (const [label, path] of Object.entries(v)) {
    if (label.includes('*')) throw new Error(`${where}.${label}: "*" labels are not served by the stand-in`);
    if (!Array.isArray(path) || path.some((p) => typeof p !== 'string')) {
      throw new Error(`${where}.${label}: expected a path (a list of keys)`);
    }
    out[label] = path as string[];
  }
  return out;
}

function compileMetric(
  m: unknown,
  where: string,
  prefix: string,
  resource: { commonLabels: Record<string, string>; labelsFromPath: Record<string, string[]> },
): CustomResourceMetric {
  if (!isObject(m) || typeof m.name !== 'string') throw new Error(`${where}: a metric needs a name`);
  const each = m.each;
  if (!isObject(each) || each.type !== 'Info') {
    throw new Error(`${where} (${m.name}): only each.type Info is served by the stand-in`);
  }
  const info = isObject(each.info) ? each.info : {};
  if (info.path !== undefined || info.labelFromKey !== undefined) {
    throw new Error(`${where} (${m.name}): info.path / labelFromKey are not served by the stand-in`);
  }
  return {
    name: prefix ? `${prefix}_${m.name}` : m.name,
    help: typeof m.help === 'string' ? m.help : '',
    commonLabels: { ...resource.commonLabels, ...stringMap(m.commonLabels, `${where}.commonLabels`) },
    labelsFromPath: {
      ...resource.labelsFromPath,
      ...pathMap(m.labelsFromPath, `${where}.labelsFromPath`),
      ...pathMap(info.labelsFromPath, `${where}.each.info.labelsFromPath`),
    },
  };
}

/** A CustomResourceStateMetrics document, compiled; throws on what the stand-in does not serve. */
export function parseCustomResourceState(text: string): CustomResourceConfig[] {
  const doc: unknown = parse(text);
  if (!isObject(doc) || doc.kind !== 'CustomResourceStateMetrics' || !isObject(doc.spec)) {
    throw new Error('not a CustomResourceStateMetrics document');
  }
  const resources = doc.spec.resources;
  if (!Array.isArray(resources)) throw new Error('spec.resources: expected a list');
  return resources.map((r: unknown, i) => {
    const where = `spec.resources[${i}]`;
    if (!isObject(r) || !isObject(r.groupVersionKind)) throw new Error(`${where}: groupVersionKind missing`);
    const { group, version, kind } = r.groupVersionKind;
    if (
      typeof group !== 'string' ||
      typeof version !== 'string' ||
      typeof kind !== 'string' ||
      kind === '*'
    ) {
      throw new Error(`${where}: groupVersionKind needs a group, a version (or *) and a kind`);
    }
    const prefix = typeof r.metricNamePrefix === 'string' ? r.metricNamePrefix : 'kube_customresource';
    const base = {
      commonLabels: stringMap(r.commonLabels, `${where}.commonLabels`),
      labelsFromPath: pathMap(r.labelsFromPath, `${where}.labelsFromPath`),
    };
    if (!Array.isArray(r.metrics)) throw new Error(`${where}.metrics: expected a list`);
    const metrics = r.metrics.map((m: unknown, j) =>
      compileMetric(m, `${where}.metrics[${j}]`, prefix, base),
    );
    return { group, version, kind, metrics };
  });
}

/** The value at `path` in `obj` as kube-state-metrics prints it (%v), or undefined when absent. */
function valueAt(obj: unknown, path: readonly string[]): string | undefined {
  let v: unknown = obj;
  for (const key of path) {
    if (!isObject(v)) return undefined;
    v = v[key];
  }
  if (v === undefined || v === null) return undefined;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** The objects of one configured resource as listed, with the version they were listed at. */
export interface ListedResource {
  config: CustomResourceConfig;
  version: string;
  objects: readonly unknown[];
}

/** The exposition of every configured metric over the listed objects (families with no series left out). */
export function renderCustomResourceState(listed: readonly ListedResource[]): string {
  const families = new Map<string, { help: string; series: Labels[] }>();
  for (const { config, version, objects } of listed) {
    for (const metric of config.metrics) {
      const family = families.get(metric.name) ?? { help: metric.help, series: [] };
      families.set(metric.name, family);
      for (const obj of objects) {
        const labels: Record<string, string> = { ...metric.commonLabels };
        for (const [label, path] of Object.entries(metric.labelsFromPath)) {
          const value = valueAt(obj, path);
          if (value !== undefined) labels[sanitizeLabelName(label)] = value;
        }
        labels.customresource_group = config.group;
        labels.customresource_kind = config.kind;
        labels.customresource_version = version;
        family.series.push(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      }
    }
  }
  const lines: string[] = [];
  for (const [name, { help, series }] of families) {
    if (series.length === 0) continue;
    // kube-state-metrics writes Info families as gauges in the text format Prometheus scrapes (0.0.4).
    lines.push(familyHeader(name, help, 'gauge'));
    for (const labels of series) lines.push(formatSeries(name, labels, '1'));
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}
