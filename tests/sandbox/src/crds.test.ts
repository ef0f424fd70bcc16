// Checks our test CRDs without a cluster: every file parses, every CRD is a well-formed structural
// apiextensions.k8s.io/v1 CRD, the kinds our features use are there with the right scope and fields,
// and installCrds/uninstallCrds talk to an API server correctly (against a small fake one here; the
// real kube-apiserver is exercised by the sandbox itself).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isAbsolute, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import {
  allCrdGroups,
  crdFile,
  crdsDir,
  installCrds,
  loadCrds,
  readCrdManifests,
  uninstallCrds,
  type CrdGroup,
  type CrdManifest,
} from './crds.js';

type Schema = {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  anyOf?: Schema[];
  required?: string[];
  enum?: unknown[];
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  [key: string]: unknown;
};

type Version = {
  name: string;
  served: boolean;
  storage: boolean;
  schema?: { openAPIV3Schema?: Schema };
  subresources?: { status?: object };
  additionalPrinterColumns?: { name: string; type: string; jsonPath: string }[];
};

type CrdSpec = {
  group: string;
  scope: string;
  names: { kind: string; listKind?: string; plural: string; singular?: string; shortNames?: string[] };
  versions: Version[];
};

const specOf = (crd: CrdManifest) => crd.spec as unknown as CrdSpec;
const rootSchema = (crd: CrdManifest): Schema => specOf(crd).versions[0]!.schema!.openAPIV3Schema!;

/** API group family each file holds. */
const fileGroupSuffix: Record<CrdGroup, string> = {
  kubeflow: 'kubeflow.org',
  trainer: 'trainer.kubeflow.org',
  kserve: 'serving.kserve.io',
  kueue: 'kueue.x-k8s.io',
  volcano: 'scheduling.volcano.sh',
  kubesphere: 'kubesphere.io',
  monitoring: 'monitoring.coreos.com',
};

// Kinds whose upstream CRD stores `status` without a status subresource: a status written in the
// manifest (JSBundle status.state: Available, status.link) must survive a create.
const statusWithoutSubresource = new Set([
  'JSBundle',
  'APIService',
  'ReverseProxy',
  'ExtensionEntry',
  'Extension',
  'InstallPlan',
  'Repository',
]);

const expectedKinds: {
  group: CrdGroup;
  apiGroup: string;
  version: string;
  kind: string;
  scope: 'Namespaced' | 'Cluster';
}[] = [
  { group: 'kubeflow', apiGroup: 'kubeflow.org', version: 'v1', kind: 'Notebook', scope: 'Namespaced' },
  { group: 'kubeflow', apiGroup: 'kubeflow.org', version: 'v1', kind: 'TFJob', scope: 'Namespaced' },
  { group: 'kubeflow', apiGroup: 'kubeflow.org', version: 'v1', kind: 'PyTorchJob', scope: 'Namespaced' },
  { group: 'kubeflow', apiGroup: 'kubeflow.org', version: 'v1', kind: 'XGBoostJob', scope: 'Namespaced' },
  { group: 'kubeflow', apiGroup: 'kubeflow.org', version: 'v1', kind: 'MPIJob', scope: 'Namespaced' },
  {
    group: 'trainer',
    apiGroup: 'trainer.kubeflow.org',
    version: 'v1alpha1',
    kind: 'TrainJob',
    scope: 'Namespaced',
  },
  {
    group: 'trainer',
    apiGroup: 'trainer.kubeflow.org',
    version: 'v1alpha1',
    kind: 'TrainingRuntime',
    scope: 'Namespaced',
  },
  {
    group: 'trainer',
    apiGroup: 'trainer.kubeflow.org',
    version: 'v1alpha1',
    kind: 'ClusterTrainingRuntime',
    scope: 'Cluster',
  },
  {
    group: 'kserve',
    apiGroup: 'serving.kserve.io',
    version: 'v1beta1',
    kind: 'InferenceService',
    scope: 'Namespaced',
  },
  {
    group: 'kserve',
    apiGroup: 'serving.kserve.io',
    version: 'v1alpha1',
    kind: 'ServingRuntime',
    scope: 'Namespaced',
  },
  {
    group: 'kserve',
    apiGroup: 'serving.kserve.io',
    version: 'v1alpha1',
    kind: 'ClusterServingRuntime',
    scope: 'Cluster',
  },
  {
    group: 'kueue',
    apiGroup: 'kueue.x-k8s.io',
    version: 'v1beta1',
    kind: 'ResourceFlavor',
    scope: 'Cluster',
  },
  { group: 'kueue', apiGroup: 'kueue.x-k8s.io', version: 'v1beta1', kind: 'ClusterQueue', scope: 'Cluster' },
  { group: 'kueue', apiGroup: 'kueue.x-k8s.io', version: 'v1beta1', kind: 'LocalQueue', scope: 'Namespaced' },
  { group: 'kueue', apiGroup: 'kueue.x-k8s.io', version: 'v1beta1', kind: 'Workload', scope: 'Namespaced' },
  {
    group: 'volcano',
    apiGroup: 'scheduling.volcano.sh',
    version: 'v1beta1',
    kind: 'Queue',
    scope: 'Cluster',
  },
  {
    group: 'kubesphere',
    apiGroup: 'extensions.kubesphere.io',
    version: 'v1alpha1',
    kind: 'JSBundle',
    scope: 'Cluster',
  },
  {
    group: 'kubesphere',
    apiGroup: 'extensions.kubesphere.io',
    version: 'v1alpha1',
    kind: 'APIService',
    scope: 'Cluster',
  },
  {
    group: 'kubesphere',
    apiGroup: 'extensions.kubesphere.io',
    version: 'v1alpha1',
    kind: 'ReverseProxy',
    scope: 'Cluster',
  },
  {
    group: 'kubesphere',
    apiGroup: 'extensions.kubesphere.io',
    version: 'v1alpha1',
    kind: 'ExtensionEntry',
    scope: 'Cluster',
  },
  {
    group: 'kubesphere',
    apiGroup: 'iam.kubesphere.io',
    version: 'v1beta1',
    kind: 'RoleTemplate',
    scope: 'Cluster',
  },
  {
    group: 'kubesphere',
    apiGroup: 'tenant.kubesphere.io',
    version: 'v1beta1',
    kind: 'WorkspaceTemplate',
    scope: 'Cluster',
  },
  {
    group: 'kubesphere',
    apiGroup: 'kubesphere.io',
    version: 'v1alpha1',
    kind: 'Extension',
    scope: 'Cluster',
  },
  {
    group: 'kubesphere',
    apiGroup: 'kubesphere.io',
    version: 'v1alpha1',
    kind: 'ExtensionVersion',
    scope: 'Cluster',
  },
  {
    group: 'kubesphere',
    apiGroup: 'kubesphere.io',
    version: 'v1alpha1',
    kind: 'InstallPlan',
    scope: 'Cluster',
  },
  {
    group: 'kubesphere',
    apiGroup: 'kubesphere.io',
    version: 'v1alpha1',
    kind: 'Repository',
    scope: 'Cluster',
  },
  { group: 'kubesphere', apiGroup: 'kubesphere.io', version: 'v1alpha1', kind: 'Category', scope: 'Cluster' },
  {
    group: 'kubesphere',
    apiGroup: 'iam.kubesphere.io',
    version: 'v1beta1',
    kind: 'Category',
    scope: 'Cluster',
  },
  {
    group: 'kubesphere',
    apiGroup: 'quota.kubesphere.io',
    version: 'v1alpha2',
    kind: 'ResourceQuota',
    scope: 'Cluster',
  },
  // What the extension charts create for the Prometheus Operator.
  {
    group: 'monitoring',
    apiGroup: 'monitoring.coreos.com',
    version: 'v1',
    kind: 'ServiceMonitor',
    scope: 'Namespaced',
  },
  {
    group: 'monitoring',
    apiGroup: 'monitoring.coreos.com',
    version: 'v1',
    kind: 'PrometheusRule',
    scope: 'Namespaced',
  },
];

let manifestsCache: { group: CrdGroup; crd: CrdManifest }[] | undefined;
/** Every CRD of every file, parsed once (tests that change one work on a structuredClone). */
const allManifests = () =>
  (manifestsCache ??= allCrdGroups.flatMap((group) =>
    readCrdManifests(group).map((crd) => ({ group, crd })),
  ));

function findCrd(apiGroup: string, kind: string): CrdManifest {
  const found = allManifests().find(
    ({ crd }) => specOf(crd).group === apiGroup && specOf(crd).names.kind === kind,
  );
  assert.ok(found, `no CRD for ${kind}.${apiGroup}`);
  return found.crd;
}

/**
 * The schema node at a dotted path; `[]` steps into array items, `{}` into map values, e.g.
 * `spec.resourceGroups[].flavors[].resources[].nominalQuota`.
 */
function schemaAt(crd: CrdManifest, path: string): Schema {
  let node = rootSchema(crd);
  for (const raw of path.split('.')) {
    const m = /^([^[{]+)((?:\[\]|\{\})*)$/.exec(raw);
    assert.ok(m, `bad path step ${raw}`);
    const next = node.properties?.[m[1]!];
    assert.ok(next, `${specOf(crd).names.kind}: no property "${m[1]}" on the way to ${path}`);
    node = next;
    for (const step of m[2]!.match(/\[\]|\{\}/g) ?? []) {
      const inner = step === '[]' ? node.items : node.additionalProperties;
      assert.ok(
        inner && typeof inner === 'object',
        `${specOf(crd).names.kind}: ${raw} has no ${step} schema in ${path}`,
      );
      node = inner;
    }
  }
  return node;
}

/** Calls visit for every schema node under root with its path. */
function walk(node: Schema, path: string, visit: (node: Schema, path: string) => void): void {
  visit(node, path);
  for (const [name, child] of Object.entries(node.properties ?? {})) walk(child, `${path}.${name}`, visit);
  if (node.items) walk(node.items, `${path}[]`, visit);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') {
    walk(node.additionalProperties, `${path}{}`, visit);
  }
  node.anyOf?.forEach((branch, i) => walk(branch, `${path}.anyOf[${i}]`, visit));
}

/** Every structural-schema problem in one CRD, as readable strings (empty when fine). */
function structuralProblems(crd: CrdManifest): string[] {
  const problems: string[] = [];
  const root = rootSchema(crd);
  if (root.type !== 'object') problems.push('openAPIV3Schema.type must be object');
  const metadata = root.properties?.metadata;
  if (metadata && Object.keys(metadata).some((k) => k !== 'type')) {
    problems.push('root metadata may only declare its type here');
  }
  walk(root, '', (node, path) => {
    const where = path || '(root)';
    const isAnyOfBranch = /\.anyOf\[\d+\]$/.test(path);
    const intOrString = node['x-kubernetes-int-or-string'] === true;
    const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
    if (!isAnyOfBranch && !node.type && !intOrString && !preserve) {
      problems.push(`${where}: no type (nor int-or-string / preserve-unknown-fields)`);
    }
    if (intOrString) {
      const types = (node.anyOf ?? []).map((b) => b.type).sort();
      if (node.type || types.join(',') !== 'integer,string') {
        problems.push(`${where}: int-or-string needs anyOf [integer, string] and no type`);
      }
    }
    if (node.properties && node.additionalProperties !== undefined) {
      problems.push(`${where}: properties and additionalProperties are mutually exclusive`);
    }
    if (node.type === 'array' && !node.items) problems.push(`${where}: array without items`);
    for (const name of node.required ?? []) {
      if (!node.properties?.[name] && !preserve)
        problems.push(`${where}: required "${name}" is not a property`);
    }
    if (node['x-kubernetes-list-type'] === 'map') {
      const keys = node['x-kubernetes-list-map-keys'] ?? [];
      const required = node.items?.required ?? [];
      if (keys.length === 0 || keys.some((k) => !required.includes(k))) {
        problems.push(`${where}: list-type map needs list-map-keys that the items require`);
      }
    }
  });
  return problems;
}

describe('CRD files', () => {
  test('crdFile maps every group to an existing absolute file, and rejects unknown groups', () => {
    const seen = new Set<string>();
    for (const group of allCrdGroups) {
      const file = crdFile(group);
      assert.ok(isAbsolute(file), `${file} is not absolute`);
      assert.ok(existsSync(file), `${file} does not exist`);
      assert.ok(file.endsWith(`/${fileGroupSuffix[group]}.yaml`), `${group} → ${file}`);
      seen.add(file);
    }
    assert.equal(seen.size, allCrdGroups.length, 'two groups share a file');
    assert.throws(() => crdFile('kuberay' as CrdGroup), /unknown CRD group "kuberay"/);
  });

  for (const group of allCrdGroups) {
    test(`${group}: every document parses as a v1 CustomResourceDefinition`, () => {
      const crds = readCrdManifests(group);
      assert.ok(crds.length > 0);
      for (const crd of crds) {
        assert.equal(crd.apiVersion, 'apiextensions.k8s.io/v1');
        assert.equal(crd.kind, 'CustomResourceDefinition');
      }
      const typed = loadCrds(group);
      assert.deepEqual(
        typed.map((c) => c.metadata?.name),
        crds.map((c) => c.metadata.name),
      );
    });
  }

  test('CRD names are unique across files', () => {
    const names = allManifests().map(({ crd }) => crd.metadata.name);
    assert.deepEqual(
      names.filter((n, i) => names.indexOf(n) !== i),
      [],
    );
  });
});

describe('every CRD is well-formed', () => {
  for (const { group, crd } of allManifests()) {
    const spec = specOf(crd);
    const label = `${crd.metadata.name} (${group})`;

    test(`${label}: names, group and scope`, () => {
      const { names } = spec;
      assert.match(spec.group, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/);
      assert.ok(
        spec.group === fileGroupSuffix[group] || spec.group.endsWith(`.${fileGroupSuffix[group]}`),
        `group ${spec.group} does not belong in ${fileGroupSuffix[group]}.yaml`,
      );
      assert.equal(
        crd.metadata.name,
        `${names.plural}.${spec.group}`,
        'metadata.name must be <plural>.<group>',
      );
      assert.match(names.plural, /^[a-z][a-z0-9]*$/);
      assert.equal(names.singular, names.kind.toLowerCase());
      assert.match(names.kind, /^[A-Z][A-Za-z0-9]*$/);
      assert.equal(names.listKind, `${names.kind}List`);
      assert.ok(['Namespaced', 'Cluster'].includes(spec.scope), `scope ${spec.scope}`);
    });

    test(`${label}: exactly one version, served and storage, with a structural schema`, () => {
      assert.equal(spec.versions.length, 1);
      const [version] = spec.versions;
      assert.equal(version!.served, true);
      assert.equal(version!.storage, true);
      assert.equal(spec.versions.filter((v) => v.storage).length, 1);
      assert.equal(rootSchema(crd).type, 'object');
      assert.deepEqual(structuralProblems(crd), []);
      for (const column of version!.additionalPrinterColumns ?? []) {
        assert.match(column.jsonPath, /^\./, `printer column ${column.name}`);
      }
    });

    test(`${label}: status subresource matches the status property`, () => {
      const hasStatus = Boolean(rootSchema(crd).properties?.status);
      const hasSubresource = Boolean(spec.versions[0]!.subresources?.status);
      if (hasSubresource) assert.ok(hasStatus, 'status subresource without a status property');
      if (statusWithoutSubresource.has(spec.names.kind)) {
        assert.equal(
          hasSubresource,
          false,
          `${spec.names.kind} keeps status in the main resource, as KubeSphere does`,
        );
      } else {
        assert.equal(hasSubresource, hasStatus, 'a kind with a status needs subresources.status');
      }
    });
  }
});

describe('the structural checks catch broken schemas', () => {
  // Guards against a checker that passes everything.
  const broken = (mutate: (root: Schema) => void): string[] => {
    const crd = structuredClone(findCrd('kueue.x-k8s.io', 'ClusterQueue'));
    mutate(rootSchema(crd));
    return structuralProblems(crd);
  };
  test('a node without a type is reported', () => {
    assert.notDeepEqual(
      broken((root) => delete root.properties!.spec!.properties!.cohort!.type),
      [],
    );
  });
  test('int-or-string without anyOf is reported', () => {
    assert.notDeepEqual(
      broken((root) => {
        const quota =
          root.properties!.spec!.properties!.resourceGroups!.items!.properties!.flavors!.items!.properties!
            .resources!.items!.properties!.nominalQuota!;
        delete quota.anyOf;
      }),
      [],
    );
  });
  test('a list-type map whose key is not required is reported', () => {
    assert.notDeepEqual(
      broken((root) => {
        root.properties!.status!.properties!.conditions!.items!.required = ['status'];
      }),
      [],
    );
  });
});

describe('the kinds our features use', () => {
  test('every expected kind is present with its version and scope, and nothing else', () => {
    const actual = allManifests()
      .map(({ group, crd }) => {
        const spec = specOf(crd);
        return `${group}/${spec.group}/${spec.versions[0]!.name}/${spec.names.kind}/${spec.scope}`;
      })
      .sort();
    const expected = expectedKinds
      .map((k) => `${k.group}/${k.apiGroup}/${k.version}/${k.kind}/${k.scope}`)
      .sort();
    assert.deepEqual(actual, expected);
  });

  const isQuantity = (s: Schema) => s['x-kubernetes-int-or-string'] === true;
  const isPreserved = (s: Schema) => s['x-kubernetes-preserve-unknown-fields'] === true;

  test('Kubeflow Notebook: pod template with containers, status conditions/readyReplicas/containerState', () => {
    const nb = findCrd('kubeflow.org', 'Notebook');
    assert.ok(isPreserved(schemaAt(nb, 'spec.template.spec')));
    assert.deepEqual(schemaAt(nb, 'spec.template.spec.containers[]').required, ['name', 'image']);
    assert.equal(schemaAt(nb, 'status.readyReplicas').type, 'integer');
    assert.equal(schemaAt(nb, 'status.conditions[].lastProbeTime').format, 'date-time');
    assert.equal(schemaAt(nb, 'status.containerState.waiting.reason').type, 'string');
  });

  for (const [kind, field, types] of [
    ['TFJob', 'tfReplicaSpecs', 'Chief'],
    ['PyTorchJob', 'pytorchReplicaSpecs', 'Master'],
    ['XGBoostJob', 'xgbReplicaSpecs', 'Master'],
    ['MPIJob', 'mpiReplicaSpecs', 'Launcher'],
  ] as const) {
    test(`Kubeflow ${kind}: ${field} map, runPolicy and job status`, () => {
      const job = findCrd('kubeflow.org', kind);
      assert.deepEqual(schemaAt(job, 'spec').required, [field]);
      assert.equal(schemaAt(job, `spec.${field}{}.replicas`).type, 'integer');
      assert.deepEqual(schemaAt(job, `spec.${field}{}.restartPolicy`).enum, [
        'Always',
        'OnFailure',
        'Never',
        'ExitCode',
      ]);
      assert.ok(isPreserved(schemaAt(job, `spec.${field}{}.template`)));
      assert.match(String(schemaAt(job, `spec.${field}`).description), new RegExp(types));
      assert.deepEqual(schemaAt(job, 'spec.runPolicy.cleanPodPolicy').enum, ['All', 'Running', 'None']);
      assert.equal(schemaAt(job, 'spec.runPolicy.schedulingPolicy.queue').type, 'string');
      assert.ok(isQuantity(schemaAt(job, 'spec.runPolicy.schedulingPolicy.minResources{}')));
      assert.equal(schemaAt(job, 'spec.runPolicy.suspend').type, 'boolean');
      assert.deepEqual(schemaAt(job, 'status.conditions[]').required, ['type', 'status']);
      assert.equal(schemaAt(job, 'status.conditions[].lastUpdateTime').format, 'date-time');
      assert.equal(schemaAt(job, 'status.replicaStatuses{}.active').type, 'integer');
      assert.equal(schemaAt(job, 'status.startTime').format, 'date-time');
      assert.equal(schemaAt(job, 'status.completionTime').format, 'date-time');
    });
  }

  test('MPIJob is the Training Operator v1 kind (slotsPerWorker, mpiReplicaSpecs)', () => {
    const mpi = findCrd('kubeflow.org', 'MPIJob');
    assert.equal(specOf(mpi).versions[0]!.name, 'v1');
    assert.equal(schemaAt(mpi, 'spec.slotsPerWorker').type, 'integer');
  });

  test('KServe InferenceService: predictor model format, storageUri, GPU limits; status url and conditions', () => {
    const isvc = findCrd('serving.kserve.io', 'InferenceService');
    assert.deepEqual(schemaAt(isvc, 'spec.predictor.model.modelFormat').required, ['name']);
    assert.equal(schemaAt(isvc, 'spec.predictor.model.storageUri').type, 'string');
    assert.ok(isQuantity(schemaAt(isvc, 'spec.predictor.model.resources.limits{}')));
    assert.equal(schemaAt(isvc, 'spec.predictor.canaryTrafficPercent').maximum, 100);
    assert.equal(schemaAt(isvc, 'status.url').type, 'string');
    assert.equal(schemaAt(isvc, 'status.conditions[].severity').type, 'string');
    assert.equal(schemaAt(isvc, 'status.components{}.traffic[].percent').type, 'integer');
    assert.equal(schemaAt(isvc, 'status.modelStatus.lastFailureInfo.reason').type, 'string');
  });

  test('Kueue ClusterQueue: cohort, namespaceSelector, resourceGroups quotas, preemption; the borrowing rule', () => {
    const cq = findCrd('kueue.x-k8s.io', 'ClusterQueue');
    assert.equal(schemaAt(cq, 'spec.cohort').type, 'string');
    assert.equal(schemaAt(cq, 'spec.namespaceSelector.matchLabels{}').type, 'string');
    assert.equal(schemaAt(cq, 'spec.resourceGroups[].coveredResources[]').type, 'string');
    for (const limit of ['nominalQuota', 'borrowingLimit', 'lendingLimit']) {
      assert.ok(isQuantity(schemaAt(cq, `spec.resourceGroups[].flavors[].resources[].${limit}`)), limit);
    }
    assert.deepEqual(schemaAt(cq, 'spec.resourceGroups[].flavors[].resources[]').required, [
      'name',
      'nominalQuota',
    ]);
    assert.ok(schemaAt(cq, 'spec.preemption.reclaimWithinCohort').enum?.includes('LowerPriority'));
    const rules = (schemaAt(cq, 'spec')['x-kubernetes-validations'] as { rule: string }[] | undefined) ?? [];
    assert.ok(rules.some((r) => r.rule.includes('borrowingLimit') && r.rule.includes('cohort')));
    assert.ok(isQuantity(schemaAt(cq, 'status.flavorsUsage[].resources[].total')));
    assert.equal(schemaAt(cq, 'status.pendingWorkloads').type, 'integer');
  });

  test('Kueue ResourceFlavor and LocalQueue', () => {
    const rf = findCrd('kueue.x-k8s.io', 'ResourceFlavor');
    assert.equal(schemaAt(rf, 'spec.nodeLabels{}').type, 'string');
    assert.equal(rootSchema(rf).properties?.status, undefined, 'ResourceFlavor has no status');
    const lq = findCrd('kueue.x-k8s.io', 'LocalQueue');
    assert.equal(schemaAt(lq, 'spec.clusterQueue').type, 'string');
    assert.ok(isQuantity(schemaAt(lq, 'status.flavorUsage[].resources[].total')));
  });

  test('Volcano Queue: weight, capability, guarantee.resource, deserved, reclaimable, parent; status state', () => {
    const q = findCrd('scheduling.volcano.sh', 'Queue');
    assert.equal(schemaAt(q, 'spec.weight').type, 'integer');
    assert.ok(isQuantity(schemaAt(q, 'spec.capability{}')));
    assert.ok(isQuantity(schemaAt(q, 'spec.guarantee.resource{}')));
    assert.ok(isQuantity(schemaAt(q, 'spec.deserved{}')));
    assert.equal(schemaAt(q, 'spec.reclaimable').type, 'boolean');
    assert.equal(schemaAt(q, 'spec.parent').type, 'string');
    assert.equal(schemaAt(q, 'status.state').type, 'string');
  });

  test('KubeSphere JSBundle/APIService/ReverseProxy use insecureSkipVerify (not insecureSkipTLSVerify)', () => {
    const bundle = findCrd('extensions.kubesphere.io', 'JSBundle');
    assert.equal(schemaAt(bundle, 'status.link').type, 'string');
    assert.equal(schemaAt(bundle, 'status.state').type, 'string');
    assert.equal(schemaAt(bundle, 'spec.raw').format, 'byte');
    assert.equal(schemaAt(bundle, 'spec.rawFrom.configMapKeyRef.namespace').type, 'string');
    const api = findCrd('extensions.kubesphere.io', 'APIService');
    for (const field of ['group', 'version', 'url', 'caBundle'])
      assert.equal(schemaAt(api, `spec.${field}`).type, 'string');
    assert.deepEqual(schemaAt(api, 'spec.service').required, ['namespace', 'name']);
    const proxy = findCrd('extensions.kubesphere.io', 'ReverseProxy');
    assert.equal(schemaAt(proxy, 'spec.directives.authProxy').type, 'boolean');
    for (const [crd, base] of [
      [bundle, 'spec.rawFrom'],
      [api, 'spec'],
      [proxy, 'spec.upstream'],
    ] as const) {
      assert.equal(schemaAt(crd, `${base}.insecureSkipVerify`).type, 'boolean');
      assert.equal(schemaAt(crd, base).properties?.insecureSkipTLSVerify, undefined);
    }
    const entry = findCrd('extensions.kubesphere.io', 'ExtensionEntry');
    assert.ok(isPreserved(schemaAt(entry, 'spec.entries[]')));
  });

  test('KubeSphere RoleTemplate, WorkspaceTemplate, catalogue kinds and workspace ResourceQuota', () => {
    const rt = findCrd('iam.kubesphere.io', 'RoleTemplate');
    assert.equal(schemaAt(rt, 'spec.displayName{}').type, 'string');
    assert.equal(schemaAt(rt, 'spec.description{}').type, 'string');
    assert.deepEqual(schemaAt(rt, 'spec.rules[]').required, ['verbs']);
    const wt = findCrd('tenant.kubesphere.io', 'WorkspaceTemplate');
    assert.equal(schemaAt(wt, 'spec.template.spec.manager').type, 'string');
    const plan = findCrd('kubesphere.io', 'InstallPlan');
    assert.deepEqual(schemaAt(plan, 'spec.extension').required, ['name', 'version']);
    assert.equal(schemaAt(plan, 'status.state').type, 'string');
    assert.equal(schemaAt(findCrd('kubesphere.io', 'Extension'), 'status.installedVersion').type, 'string');
    assert.deepEqual(schemaAt(findCrd('kubesphere.io', 'ExtensionVersion'), 'spec.installationMode').enum, [
      'HostOnly',
      'Multicluster',
    ]);
    assert.equal(schemaAt(findCrd('kubesphere.io', 'Repository'), 'spec.url').type, 'string');
    assert.equal(schemaAt(findCrd('kubesphere.io', 'Category'), 'spec.displayName{}').type, 'string');
    const rq = findCrd('quota.kubesphere.io', 'ResourceQuota');
    assert.equal(schemaAt(rq, 'spec.selector{}').type, 'string');
    assert.ok(isQuantity(schemaAt(rq, 'spec.quota.hard{}')));
    assert.ok(isQuantity(schemaAt(rq, 'status.total.used{}')));
    assert.ok(isQuantity(schemaAt(rq, 'status.namespaces[].hard{}')));
    assert.equal(schemaAt(rq, 'status.namespaces[].namespace').type, 'string');
  });
});

describe('samples (crds/samples/, for server-side dry-run checks)', () => {
  test('one sample object per kind, each of a kind our CRDs serve', () => {
    const seen: string[] = [];
    for (const group of allCrdGroups) {
      const file = join(crdsDir, 'samples', `${fileGroupSuffix[group]}.yaml`);
      for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
        assert.deepEqual(doc.errors, [], file);
        const obj = doc.toJS() as {
          apiVersion: string;
          kind: string;
          metadata: { name: string; namespace?: string };
        };
        const crd = readCrdManifests(group).find(
          (c) =>
            `${specOf(c).group}/${specOf(c).versions[0]!.name}` === obj.apiVersion &&
            specOf(c).names.kind === obj.kind,
        );
        assert.ok(
          crd,
          `${file}: ${obj.apiVersion} ${obj.kind} is not served by ${fileGroupSuffix[group]}.yaml`,
        );
        assert.equal(
          Boolean(obj.metadata.namespace),
          specOf(crd).scope === 'Namespaced',
          `${obj.kind} namespace`,
        );
        seen.push(obj.kind);
      }
    }
    assert.deepEqual(seen.sort(), expectedKinds.map((k) => k.kind).sort());
  });
});

// ---------------------------------------------------------------------------------------------
// installCrds / uninstallCrds against a fake API server that records what it receives.

type Stored = { body: Record<string, unknown>; resourceVersion: number; reads: number; deleting: boolean };

class FakeApiServer {
  readonly requests: { method: string; name?: string; body?: Record<string, unknown> }[] = [];
  readonly store = new Map<string, Stored>();
  /** Reads of a CRD before it reports Established (per name; default 1). */
  establishAfter = new Map<string, number>();
  /** CRDs that never get Established, or report NamesAccepted=False. */
  neverEstablish = new Set<string>();
  rejectNames = new Set<string>();
  /** CRDs that never disappear after DELETE. */
  stuckOnDelete = new Set<string>();
  private server = http.createServer((req, res) => this.handle(req, res));
  private rv = 100;

  async start(): Promise<KubeConfig> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'fake', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
      users: [{ name: 'fake', token: 'fake' }],
      contexts: [{ name: 'fake', cluster: 'fake', user: 'fake' }],
      currentContext: 'fake',
    });
    return kc;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private send(res: http.ServerResponse, code: number, body: unknown): void {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private status(res: http.ServerResponse, code: number, reason: string, message: string): void {
    this.send(res, code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });
  }

  private view(name: string, stored: Stored): Record<string, unknown> {
    const established =
      !this.neverEstablish.has(name) && stored.reads >= (this.establishAfter.get(name) ?? 1);
    const conditions = [
      this.rejectNames.has(name)
        ? {
            type: 'NamesAccepted',
            status: 'False',
            reason: 'ListKindConflict',
            message: 'listKind is already in use',
          }
        : { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
      {
        type: 'Established',
        status: established ? 'True' : 'False',
        reason: 'Installing',
        message: 'installing',
      },
    ];
    const metadata = { ...(stored.body.metadata as object), resourceVersion: String(stored.resourceVersion) };
    return { ...stored.body, metadata, status: { conditions } };
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      const prefix = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
      const url = new URL(req.url ?? '/', 'http://x');
      if (!url.pathname.startsWith(prefix)) return this.status(res, 404, 'NotFound', url.pathname);
      const name = url.pathname.slice(prefix.length + 1) || undefined;
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
      const method = req.method ?? 'GET';
      this.requests.push({ method, name, body });
      const stored = name ? this.store.get(name) : undefined;

      if (method === 'POST' && body) {
        const newName = (body.metadata as { name: string }).name;
        if (this.store.has(newName))
          return this.status(res, 409, 'AlreadyExists', `${newName} already exists`);
        const entry = { body, resourceVersion: ++this.rv, reads: 0, deleting: false };
        this.store.set(newName, entry);
        return this.send(res, 201, this.view(newName, entry));
      }
      if (!name) return this.status(res, 405, 'MethodNotAllowed', method);
      if (!stored) return this.status(res, 404, 'NotFound', `${name} not found`);
      if (method === 'GET') {
        stored.reads++;
        if (stored.deleting && !this.stuckOnDelete.has(name)) {
          this.store.delete(name);
          return this.status(res, 404, 'NotFound', `${name} not found`);
        }
        return this.send(res, 200, this.view(name, stored));
      }
      if (method === 'PUT' && body) {
        const rv = (body.metadata as { resourceVersion?: string }).resourceVersion;
        if (rv !== String(stored.resourceVersion))
          return this.status(res, 409, 'Conflict', 'the object has been modified');
        Object.assign(stored, { body, resourceVersion: ++this.rv, reads: 0 });
        return this.send(res, 200, this.view(name, stored));
      }
      if (method === 'DELETE') {
        stored.deleting = true;
        return this.send(res, 200, this.view(name, stored));
      }
      return this.status(res, 405, 'MethodNotAllowed', method);
    });
  }
}

/** The request body without the fields installCrds adds on replace. */
const withoutResourceVersion = (body: Record<string, unknown> | undefined) => {
  const { resourceVersion: _rv, ...metadata } = (body?.metadata ?? {}) as Record<string, unknown>;
  return { ...body, metadata };
};

describe('installCrds / uninstallCrds (fake API server)', () => {
  let fake: FakeApiServer;
  let kc: KubeConfig;
  before(async () => {
    fake = new FakeApiServer();
    kc = await fake.start();
  });
  after(async () => fake.stop());

  test('creates every CRD of the groups with the exact file content, then waits for Established', async () => {
    const name = 'clusterqueues.kueue.x-k8s.io';
    fake.establishAfter.set(name, 3);
    await installCrds(kc, ['kueue', 'volcano', 'kueue'], { timeoutMs: 5_000, pollMs: 5 });
    const posts = fake.requests.filter((r) => r.method === 'POST');
    const expected = [...readCrdManifests('kueue'), ...readCrdManifests('volcano')];
    assert.deepEqual(
      posts.map((p) => (p.body?.metadata as { name: string }).name),
      expected.map((c) => c.metadata.name),
    );
    // Nothing may be lost between the YAML and the wire (x-kubernetes-* keys in particular).
    posts.forEach((p, i) => assert.deepEqual(p.body, expected[i]));
    assert.ok(fake.store.get(name)!.reads >= 3, 'returned before the ClusterQueue CRD was Established');
  });

  test('replaces a CRD that already exists, sending the current resourceVersion', async () => {
    fake.requests.length = 0;
    await installCrds(kc, ['volcano'], { timeoutMs: 5_000, pollMs: 5 });
    const put = fake.requests.find((r) => r.method === 'PUT');
    assert.ok(put, 'no PUT after the 409');
    assert.equal(put.name, 'queues.scheduling.volcano.sh');
    assert.match(String((put.body?.metadata as { resourceVersion?: string }).resourceVersion), /^\d+$/);
    assert.deepEqual(withoutResourceVersion(put.body), readCrdManifests('volcano')[0]);
  });

  test('fails after the timeout, naming the CRD that is not Established', async () => {
    fake.neverEstablish.add('inferenceservices.serving.kserve.io');
    const started = Date.now();
    await assert.rejects(
      installCrds(kc, ['kserve'], { timeoutMs: 150, pollMs: 10 }),
      /CRDs not Established after 150 ms: inferenceservices\.serving\.kserve\.io \(NamesAccepted=True.*Established=False/,
    );
    assert.ok(Date.now() - started < 3_000, 'the wait was not bounded');
    fake.neverEstablish.clear();
  });

  test('fails fast when the API server does not accept the names', async () => {
    fake.rejectNames.add('notebooks.kubeflow.org');
    await assert.rejects(
      installCrds(kc, ['kubeflow'], { timeoutMs: 60_000, pollMs: 5 }),
      /CRD notebooks\.kubeflow\.org was not accepted: ListKindConflict/,
    );
    fake.rejectNames.clear();
  });

  test('uninstall deletes every CRD of the groups and waits until they are gone', async () => {
    await uninstallCrds(kc, ['kueue', 'volcano'], { timeoutMs: 5_000, pollMs: 5 });
    for (const crd of [...readCrdManifests('kueue'), ...readCrdManifests('volcano')]) {
      assert.equal(fake.store.has(crd.metadata.name), false, `${crd.metadata.name} still stored`);
    }
    // Deleting again is fine: absent CRDs count as uninstalled.
    await uninstallCrds(kc, ['kueue'], { timeoutMs: 1_000, pollMs: 5 });
  });

  test('uninstall fails after the timeout when a CRD does not go away', async () => {
    fake.stuckOnDelete.add('inferenceservices.serving.kserve.io');
    await assert.rejects(
      uninstallCrds(kc, ['kserve'], { timeoutMs: 100, pollMs: 10 }),
      /CRDs still present 100 ms after delete: inferenceservices\.serving\.kserve\.io/,
    );
  });
});
