// ml-apps's package: the backend is on, as an agent subchart on every scheduled cluster, serving ml-apps only, with
// the notebook images the backend itself defaults to, a kept volume for the model registry, and a ClusterRole of
// exactly the Kubernetes calls backend/src/clients/ml-apps-kube.ts makes (docs/adr/0038).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigSchema } from '../../backend/src/core/config.js';
import { render, type Manifest } from './helm.js';

const AGENT = { 'tags.extension': 'false', 'tags.agent': 'true' };
const HOST = { 'tags.extension': 'true', 'tags.agent': 'false' };

interface Rule {
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
  verbs: string[];
}
type Deployment = Manifest & {
  spec: { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } };
};
const envOf = (manifests: Manifest[]) => {
  const deployment = manifests.find((m) => m.kind === 'Deployment') as Deployment;
  return Object.fromEntries(deployment.spec.template.spec.containers[0]!.env.map((e) => [e.name, e.value]));
};
const clusterRole = (manifests: Manifest[]) =>
  manifests.find(
    (m) => m.kind === 'ClusterRole' && m.metadata.name === 'ks-gpu-ml:ml-apps-backend',
  ) as Manifest & { rules: Rule[] };
/** "group/resource verb" for every grant of a role. */
const grants = (rules: Rule[]) =>
  rules
    .flatMap((r) =>
      r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => `${g}/${res} ${v}`))),
    )
    .sort();

describe('ml-apps: the backend', () => {
  it('runs in the agent release (every scheduled cluster), never in the host release', () => {
    assert.equal(render('ml-apps', HOST).filter((m) => m.kind === 'Deployment').length, 0);
    const agent = render('ml-apps', AGENT);
    assert.equal(agent.filter((m) => m.kind === 'Deployment').length, 1);
    assert.ok(
      agent.some((m) => m.kind === 'APIService' && m.metadata.name === 'v1alpha1.ml-apps.ks-gpu-ml.io'),
    );
  });

  it("serves ml-apps only, offering the backend's own default notebook images; an operator's list replaces them", () => {
    const env = envOf(render('ml-apps', AGENT));
    assert.equal(env.FEATURES, 'ml-apps');
    assert.equal(env.ML_APPS_NOTEBOOK_IMAGES, ConfigSchema.properties.ML_APPS_NOTEBOOK_IMAGES.default);
    // Test requests never reach loopback on a real cluster: the backend's own default, off (ADR 0040).
    assert.equal(ConfigSchema.properties.ML_APPS_SERVING_ALLOW_LOOPBACK.default, false);
    assert.equal(env.ML_APPS_SERVING_ALLOW_LOOPBACK, 'false');
    const custom = envOf(
      render('ml-apps', { ...AGENT, 'backend.settings.ML_APPS_NOTEBOOK_IMAGES': 'registry.local/jupyter:1' }),
    );
    assert.equal(custom.ML_APPS_NOTEBOOK_IMAGES, 'registry.local/jupyter:1');
  });

  it("keeps the model registry's store on a kept claim, or takes an external database's URL from a Secret", () => {
    const agent = render('ml-apps', AGENT);
    const claim = agent.find((m) => m.kind === 'PersistentVolumeClaim');
    assert.equal(claim?.metadata.name, 'ml-apps-backend-data');
    assert.equal(
      (claim?.metadata as { annotations?: Record<string, string> }).annotations?.['helm.sh/resource-policy'],
      'keep',
    );
    const external = render('ml-apps', {
      ...AGENT,
      'backend.store.existingSecret': 'ml-db',
      'backend.store.persistence.enabled': 'false',
    });
    assert.ok(!external.some((m) => m.kind === 'PersistentVolumeClaim'));
  });
});

describe("ml-apps: the backend's ClusterRole", () => {
  const core = (resource: string, ...verbs: string[]) => verbs.map((v) => `/${resource} ${v}`);
  const group = (g: string, resources: string[], verbs: string[]) =>
    resources.flatMap((r) => verbs.map((v) => `${g}/${r} ${v}`));
  const WITHOUT_SERVING = [
    'authentication.k8s.io/tokenreviews create',
    'authorization.k8s.io/subjectaccessreviews create',
    ...core('namespaces', 'get'),
    ...core('nodes', 'list'),
    ...core('pods', 'list', 'get'),
    ...core('pods/log', 'get'),
    ...core('events', 'list'),
    ...core('resourcequotas', 'list'),
    ...core('persistentvolumeclaims', 'list', 'create', 'delete'),
    ...group('kubeflow.org', ['notebooks'], ['get', 'list', 'create', 'patch', 'delete']),
    ...group(
      'kubeflow.org',
      ['tfjobs', 'pytorchjobs', 'xgboostjobs', 'mpijobs'],
      ['get', 'list', 'create', 'delete'],
    ),
    ...group('trainer.kubeflow.org', ['trainjobs'], ['get', 'list', 'create', 'delete']),
    ...group('trainer.kubeflow.org', ['trainingruntimes', 'clustertrainingruntimes'], ['get', 'list']),
    ...group('kueue.x-k8s.io', ['workloads'], ['list']),
    // A pending job's queue position (Kueue's visibility API) and the idle culler's Events (ADR 0041).
    ...group('visibility.kueue.x-k8s.io', ['localqueues/pendingworkloads'], ['get']),
    ...core('events', 'create'),
  ];
  const SERVING = [
    ...group(
      'serving.kserve.io',
      ['inferenceservices'],
      ['get', 'list', 'watch', 'create', 'patch', 'delete'],
    ),
    // The services list's watch: InferenceServices, LLMInferenceServices and their pods; an open detail's wait on
    // its project's warning pod events (ADR 0040).
    ...core('pods', 'watch'),
    ...core('events', 'watch'),
    ...group('serving.kserve.io', ['llminferenceservices'], ['get', 'list', 'watch', 'create', 'delete']),
    ...group('serving.kserve.io', ['servingruntimes', 'clusterservingruntimes'], ['get', 'list']),
  ];

  it('grants exactly the calls the backend makes: no Secret, no update, a watch only for serving, nothing by wildcard', () => {
    const role = clusterRole(render('ml-apps', AGENT));
    assert.deepEqual(grants(role.rules), [...WITHOUT_SERVING, ...SERVING].sort());
    assert.ok(!role.rules.some((r) => [...r.apiGroups, ...r.resources, ...r.verbs].includes('*')));
  });

  it('without model serving, no KServe grant', () => {
    const role = clusterRole(render('ml-apps', { ...AGENT, 'backend.rbac.modelServing': 'false' }));
    assert.deepEqual(grants(role.rules), [...WITHOUT_SERVING].sort());
  });

  it("updates only ConfigMaps, and only in its own namespace: the workspaces' idle-culling policies", () => {
    const manifests = render('ml-apps', AGENT);
    const own = manifests.filter(
      (m) =>
        m.kind === 'Role' &&
        (m as Manifest & { rules: Rule[] }).rules.some((r) => r.resources.includes('configmaps')),
    ) as (Manifest & { rules: Rule[] })[];
    assert.equal(own.length, 1);
    assert.deepEqual(grants(own[0]!.rules), [
      '/configmaps create',
      '/configmaps get',
      '/configmaps list',
      '/configmaps update',
    ]);
  });
});

describe('ml-apps: opening a notebook (ADR 0046)', () => {
  type Endpoint = { service: { namespace: string; name: string; port: number }; caBundle: string };
  type Proxy = Manifest & {
    spec: { matcher: { path: string; method: string }; upstream: Endpoint; directives?: unknown };
  };
  type Template = Manifest & { spec: { rules: { nonResourceURLs?: string[]; verbs: string[] }[] } };

  it('a ReverseProxy passes the notebook paths, unstripped and with Authorization, to the backend over its TLS', () => {
    const agent = render('ml-apps', AGENT);
    const proxies = agent.filter((m) => m.kind === 'ReverseProxy') as Proxy[];
    assert.equal(proxies.length, 1);
    const proxy = proxies[0]!;
    assert.deepEqual(proxy.spec.matcher, { path: '/proxy/ml-apps.ks-gpu-ml.io/notebook/*', method: '*' });
    // No directives: the path reaches Jupyter as its base URL says, and the token reaches the backend's check.
    assert.equal(proxy.spec.directives, undefined);
    const service = agent.find((m) => m.kind === 'Service') as Manifest & {
      spec: { ports: { port: number }[] };
    };
    assert.deepEqual(proxy.spec.upstream.service, {
      namespace: 'extension-test',
      name: service.metadata.name,
      port: service.spec.ports[0]!.port,
    });
    const api = agent.find((m) => m.kind === 'APIService') as Manifest & { spec: { caBundle: string } };
    assert.equal(proxy.spec.upstream.caBundle, api.spec.caBundle, 'the CA of the same listener');
    // The stand-in Jupyter of the tests is never the chart's: the setting stays unset (loopback only anyway).
    assert.equal(envOf(agent).ML_APPS_NOTEBOOK_STAND_IN_ORIGIN, undefined);
  });

  it("signed-in users pass ks-apiserver's nonResourceURLs check for those paths with upper-case verbs; no other feature proxies", () => {
    const template = render('ml-apps', AGENT).find(
      (m) => m.kind === 'RoleTemplate' && m.metadata.name === 'global-authenticated-ml-apps-notebook-proxy',
    ) as Template | undefined;
    assert.ok(template);
    assert.equal(
      (template.metadata as { labels?: Record<string, string> }).labels?.[
        'iam.kubesphere.io/aggregate-to-authenticated'
      ],
      '',
    );
    assert.deepEqual(template.spec.rules, [
      {
        nonResourceURLs: ['/proxy/ml-apps.ks-gpu-ml.io/notebook/*'],
        verbs: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      },
    ]);
    for (const other of ['gpu-quota', 'gpu-monitoring', 'cmdb-alerting']) {
      assert.ok(!render(other, AGENT).some((m) => m.kind === 'ReverseProxy'), other);
    }
  });
});
