// Our own test CRDs (tests/sandbox/crds/*.yaml): which file holds which group, loading them, and
// installing/uninstalling them on a kube-apiserver.
//
// Two shapes of the same CRD exist here on purpose:
// - readCrdManifests() returns the documents exactly as written (wire field names such as
//   `x-kubernetes-preserve-unknown-fields`); tests and kubectl-style tooling use it.
// - loadCrds() returns @kubernetes/client-node model objects. The client serializes request bodies
//   through its model types, which name the schema extensions `x_kubernetes_*`: a plain parsed YAML
//   object passed as `body` silently loses every `x-kubernetes-*` key on the way out. loadCrds()
//   therefore converts the parsed documents with the client's own deserializer.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ApiException,
  ApiextensionsV1Api,
  loadYaml,
  type KubeConfig,
  type V1CustomResourceDefinition,
  type V1CustomResourceDefinitionCondition,
} from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';

export type CrdGroup = 'kubeflow' | 'trainer' | 'kserve' | 'kueue' | 'volcano' | 'kubesphere' | 'monitoring';

export const allCrdGroups: CrdGroup[] = [
  'kubeflow',
  'trainer',
  'kserve',
  'kueue',
  'volcano',
  'kubesphere',
  'monitoring',
];

/** File name per group. `kubesphere.io.yaml` holds every *.kubesphere.io API group. */
const crdFileNames: Record<CrdGroup, string> = {
  kubeflow: 'kubeflow.org.yaml',
  // Kubeflow Trainer v2 (TrainJob and its runtimes): its own API group, so its own file.
  trainer: 'trainer.kubeflow.org.yaml',
  kserve: 'serving.kserve.io.yaml',
  kueue: 'kueue.x-k8s.io.yaml',
  volcano: 'scheduling.volcano.sh.yaml',
  kubesphere: 'kubesphere.io.yaml',
  // The Prometheus Operator's kinds the charts create (ServiceMonitor, PrometheusRule).
  monitoring: 'monitoring.coreos.com.yaml',
};

/** The folder with the CRD files (absolute). */
export const crdsDir = fileURLToPath(new URL('../crds/', import.meta.url));

export function crdFile(group: CrdGroup): string {
  if (!Object.hasOwn(crdFileNames, group)) {
    throw new Error(`unknown CRD group "${String(group)}"; known groups: ${allCrdGroups.join(', ')}`);
  }
  return join(crdsDir, crdFileNames[group]);
}

/** A CRD document as written in the file (JSON-compatible, wire field names). */
export type CrdManifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; [key: string]: unknown };
  spec: Record<string, unknown>;
};

/** The group's CRDs exactly as written (for tests and tooling that want wire field names). */
export function readCrdManifests(group: CrdGroup): CrdManifest[] {
  const file = crdFile(group);
  if (!existsSync(file)) throw new Error(`CRD file for "${group}" is missing: ${file}`);
  const manifests: CrdManifest[] = [];
  // An empty file parses to an EmptyStream, which is an empty array too.
  parseAllDocuments(readFileSync(file, 'utf8'), { prettyErrors: true }).forEach((doc, index) => {
    const problems = [...doc.errors, ...doc.warnings];
    if (problems.length > 0) {
      throw new Error(`${file}: document ${index + 1}: ${problems.map((p) => p.message).join('; ')}`);
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return; // comment-only document
    const manifest = value as Partial<CrdManifest>;
    if (
      manifest.apiVersion !== 'apiextensions.k8s.io/v1' ||
      manifest.kind !== 'CustomResourceDefinition' ||
      typeof manifest.metadata?.name !== 'string'
    ) {
      throw new Error(
        `${file}: document ${index + 1} is not an apiextensions.k8s.io/v1 CustomResourceDefinition`,
      );
    }
    manifests.push(manifest as CrdManifest);
  });
  if (manifests.length === 0) throw new Error(`${file} holds no CustomResourceDefinition`);
  return manifests;
}

/** The group's CRDs as client-node models, ready to send with ApiextensionsV1Api. */
export function loadCrds(group: CrdGroup): V1CustomResourceDefinition[] {
  // loadYaml applies the client's ObjectSerializer (not exported on its own); JSON is valid YAML.
  return readCrdManifests(group).map((manifest) =>
    loadYaml<V1CustomResourceDefinition>(JSON.stringify(manifest)),
  );
}

export interface CrdWaitOptions {
  /** How long to wait for every CRD to become Established (install) or disappear (uninstall). */
  timeoutMs?: number;
  /** Poll interval while waiting. */
  pollMs?: number;
}

const defaultTimeoutMs = 30_000;
const defaultPollMs = 200;

function uniqueGroups(groups: CrdGroup[]): CrdGroup[] {
  return [...new Set(groups)];
}

function describeError(err: unknown): string {
  if (err instanceof ApiException) {
    const body: unknown = err.body;
    let detail = typeof body === 'string' ? body : JSON.stringify(body);
    try {
      const status = (typeof body === 'string' ? JSON.parse(body) : body) as { message?: string } | undefined;
      if (status?.message) detail = status.message;
    } catch {
      // not JSON: keep the raw body
    }
    return `HTTP ${err.code}: ${detail}`;
  }
  return err instanceof Error ? err.message : String(err);
}

const isStatus = (err: unknown, code: number): boolean => err instanceof ApiException && err.code === code;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Creates the CRD, or replaces the existing one (retrying on update conflicts). */
async function createOrReplace(api: ApiextensionsV1Api, crd: V1CustomResourceDefinition): Promise<void> {
  const name = crd.metadata!.name!;
  try {
    await api.createCustomResourceDefinition({ body: crd });
    return;
  } catch (err) {
    if (!isStatus(err, 409)) throw new Error(`creating CRD ${name} failed: ${describeError(err)}`);
  }
  for (let attempt = 1; ; attempt++) {
    try {
      const existing = await api.readCustomResourceDefinition({ name });
      const body: V1CustomResourceDefinition = {
        ...crd,
        metadata: { ...crd.metadata, resourceVersion: existing.metadata?.resourceVersion },
      };
      await api.replaceCustomResourceDefinition({ name, body });
      return;
    } catch (err) {
      if (isStatus(err, 409) && attempt < 5) continue; // changed between read and replace: read again
      throw new Error(`replacing CRD ${name} failed: ${describeError(err)}`);
    }
  }
}

const condition = (
  crd: V1CustomResourceDefinition,
  type: string,
): V1CustomResourceDefinitionCondition | undefined => crd.status?.conditions?.find((c) => c.type === type);

const describeConditions = (crd: V1CustomResourceDefinition | undefined): string =>
  crd?.status?.conditions?.length
    ? crd.status.conditions.map((c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}`).join(', ')
    : 'no conditions yet';

/** The CRD as the API server has it now, or undefined while it does not (404). */
async function readCrd(
  api: ApiextensionsV1Api,
  name: string,
): Promise<V1CustomResourceDefinition | undefined> {
  try {
    return await api.readCustomResourceDefinition({ name });
  } catch (err) {
    if (isStatus(err, 404)) return undefined;
    throw new Error(`reading CRD ${name} failed: ${describeError(err)}`);
  }
}

/**
 * Asks `done` about each name still waiting, every `pollMs`, until it has said yes to all; after `timeoutMs`
 * throws `timedOut(the names still waiting)`. Install and uninstall both wait like this, on different answers.
 */
async function waitForEach(
  names: string[],
  done: (name: string) => Promise<boolean>,
  options: CrdWaitOptions,
  timedOut: (waiting: string[], timeoutMs: number) => string,
): Promise<void> {
  const { timeoutMs = defaultTimeoutMs, pollMs = defaultPollMs } = options;
  const waiting = new Set(names);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const name of [...waiting]) if (await done(name)) waiting.delete(name);
    if (waiting.size === 0) return;
    if (Date.now() >= deadline) throw new Error(timedOut([...waiting], timeoutMs));
    await sleep(pollMs);
  }
}

/**
 * Creates (or replaces) every CRD of the given groups, then waits until each one is Established.
 * Fails fast when the API server rejects a CRD's names (NamesAccepted=False), and fails after
 * `timeoutMs` naming the CRDs that are still not Established.
 */
export async function installCrds(
  kc: KubeConfig,
  groups: CrdGroup[],
  options: CrdWaitOptions = {},
): Promise<void> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  const crds = uniqueGroups(groups).flatMap((group) => loadCrds(group));
  for (const crd of crds) await createOrReplace(api, crd);

  // What each CRD last looked like, for the timeout's message.
  const seen = new Map<string, V1CustomResourceDefinition>();
  const established = async (name: string) => {
    const current = await readCrd(api, name);
    if (!current) return false; // not visible yet
    seen.set(name, current);
    const namesAccepted = condition(current, 'NamesAccepted');
    if (namesAccepted?.status === 'False') {
      throw new Error(
        `CRD ${name} was not accepted: ${namesAccepted.reason ?? ''} ${namesAccepted.message ?? ''}`.trim(),
      );
    }
    return condition(current, 'Established')?.status === 'True';
  };
  await waitForEach(
    crds.map((c) => c.metadata!.name!),
    established,
    options,
    (waiting, timeoutMs) =>
      `CRDs not Established after ${timeoutMs} ms: ${waiting.map((name) => `${name} (${describeConditions(seen.get(name))})`).join('; ')}`,
  );
}

/**
 * Deletes every CRD of the given groups (already absent ones are fine) and waits until they are
 * gone; the API server removes a CRD only after deleting all its custom resources.
 */
export async function uninstallCrds(
  kc: KubeConfig,
  groups: CrdGroup[],
  options: CrdWaitOptions = {},
): Promise<void> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  const names = uniqueGroups(groups).flatMap((group) => readCrdManifests(group).map((m) => m.metadata.name));
  for (const name of names) {
    try {
      await api.deleteCustomResourceDefinition({ name });
    } catch (err) {
      if (!isStatus(err, 404)) throw new Error(`deleting CRD ${name} failed: ${describeError(err)}`);
    }
  }
  await waitForEach(
    names,
    async (name) => (await readCrd(api, name)) === undefined,
    options,
    (waiting, timeoutMs) => `CRDs still present ${timeoutMs} ms after delete: ${waiting.join(', ')}`,
  );
}
