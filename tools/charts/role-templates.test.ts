import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { FEATURE_NAMES, ROUTE_TABLE, groupOf, type FeatureName } from '@ks-gpu-ml/contracts';
import { loadCrds } from '../../tests/sandbox/src/crds.js';
import {
  PERMISSION_TABLE,
  READ_VERBS,
  RULES_ANNOTATION,
  SCOPE_LABEL,
  WRITE_VERBS,
  renderRoleTemplates,
  roleTemplates,
  type RoleTemplate,
  type RouteLike,
} from './role-templates.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const isAccessReview = (resource: string) => resource === 'accessreviews' || resource === 'selfaccessreviews';
const chartFileOf = (feature: FeatureName) => `charts/${feature}/charts/backend/templates/roletemplates.yaml`;

/** The features whose chart ships generated RoleTemplates, and the templates each must have. */
const CHARTED: Partial<Record<FeatureName, string[]>> = {
  // As the gpu-quota issue asks: view and manage at namespace and workspace scope.
  'gpu-quota': [
    'namespace-view-gpu-quota',
    'namespace-manage-gpu-quota',
    'workspace-view-gpu-quota',
    'workspace-manage-gpu-quota',
    'cluster-view-gpu-quota',
    'cluster-manage-gpu-quota',
  ],
  // Read-only in projects and workspaces; the cluster pages need admin routes. cluster-view keeps the name
  // the console fixture (tests/e2e/fixtures/role-templates.yaml) uses for the menu.
  'gpu-monitoring': [
    'namespace-view-gpu-monitoring',
    'workspace-view-gpu-monitoring',
    'cluster-view-gpu-monitoring',
    'cluster-manage-gpu-monitoring',
  ],
};

const resourceOf = (r: RouteLike) => (r.subresource ? `${r.resource}/${r.subresource}` : r.resource);
const allows = (t: RoleTemplate, group: string, resource: string, verb: string) =>
  t.spec.rules.some(
    (rule) =>
      (rule.apiGroups.includes(group) || rule.apiGroups.includes('*')) &&
      (rule.resources.includes(resource) || rule.resources.includes('*')) &&
      (rule.verbs.includes(verb) || rule.verbs.includes('*')),
  );
const aggregations = (t: RoleTemplate) =>
  Object.keys(t.metadata.labels)
    .filter((k) => k.startsWith('iam.kubesphere.io/aggregate-to-'))
    .map((k) => k.slice('iam.kubesphere.io/aggregate-to-'.length));
const isView = (t: RoleTemplate) => t.metadata.name.includes('-view-');

for (const [feature, expectedNames] of Object.entries(CHARTED) as [FeatureName, string[]][]) {
  const chartFile = chartFileOf(feature);
  const GROUP = groupOf(feature);
  const featureRoutes = ROUTE_TABLE.filter((r) => r.group === GROUP);
  const templates = roleTemplates(feature);

  describe(`${feature} RoleTemplates`, () => {
    it('covers every route of the group at its scope with its verb', () => {
      assert.ok(featureRoutes.length > 0);
      for (const route of featureRoutes) {
        const covering = templates.filter(
          (t) =>
            t.metadata.labels[SCOPE_LABEL] === route.scope && allows(t, GROUP, resourceOf(route), route.verb),
        );
        assert.ok(
          covering.length > 0,
          `route ${route.id} (${route.scope} ${route.verb} ${resourceOf(route)})`,
        );
      }
    });

    it('gives project and workspace viewers the view routes and only admins the admin routes', () => {
      for (const route of featureRoutes) {
        const reaching = (role: string) =>
          templates.some(
            (t) =>
              aggregations(t).includes(role) &&
              t.metadata.labels[SCOPE_LABEL] === route.scope &&
              allows(t, GROUP, resourceOf(route), route.verb),
          );
        if (route.grant === 'admin') {
          // A template's rules hold only at its scope (project Roles, workspace roles, cluster roles) - global
          // roles hold everywhere - so the same resource name may be viewable in a project and admin-only
          // at cluster scope (gpu-monitoring's gpumetrics).
          for (const t of templates) {
            if (aggregations(t).length === 0) continue;
            if (![route.scope, 'global'].includes(t.metadata.labels[SCOPE_LABEL]!)) continue;
            assert.ok(
              !allows(t, GROUP, resourceOf(route), route.verb),
              `${route.id} leaks into ${t.metadata.name}`,
            );
          }
        }
        if (route.grant === 'view' && route.scope !== 'cluster') assert.ok(reaching('viewer'), route.id);
        if (route.grant === 'view' && route.scope === 'namespace') assert.ok(reaching('operator'), route.id);
        if (route.grant === 'authenticated') {
          const global = templates.find((t) => t.metadata.labels[SCOPE_LABEL] === 'global');
          assert.ok(global && aggregations(global).includes('authenticated'));
          assert.ok(allows(global, GROUP, resourceOf(route), route.verb), route.id);
        }
      }
    });

    it('has the view and manage templates the feature needs, with unique names', () => {
      const names = templates.map((t) => t.metadata.name);
      for (const name of expectedNames) assert.ok(names.includes(name), name);
      assert.equal(new Set(names).size, names.length, 'template names are unique');
    });

    it('view templates (and the everyone template) hold no write verbs', () => {
      const readOnly = templates.filter((t) => isView(t) || t.metadata.labels[SCOPE_LABEL] === 'global');
      assert.ok(readOnly.length >= 3);
      for (const t of readOnly) {
        // Asking an access review "creates" only a question about the caller (like Kubernetes'
        // SelfSubjectAccessReview), so the platform routes under the feature's group may grant that to viewers.
        for (const rule of t.spec.rules.filter((r) => !r.resources.every(isAccessReview))) {
          for (const verb of rule.verbs) {
            assert.ok((READ_VERBS as readonly string[]).includes(verb), `${t.metadata.name}: ${verb}`);
            assert.ok(!(WRITE_VERBS as readonly string[]).includes(verb));
          }
        }
      }
    });

    it('carries the labels and annotations KubeSphere and the console read', () => {
      for (const t of templates) {
        const { labels, annotations } = t.metadata;
        assert.equal(t.apiVersion, 'iam.kubesphere.io/v1beta1');
        assert.equal(t.kind, 'RoleTemplate');
        assert.ok(['global', 'cluster', 'workspace', 'namespace'].includes(labels[SCOPE_LABEL]!));
        assert.ok(t.metadata.name.startsWith(`${labels[SCOPE_LABEL]}-`), t.metadata.name);
        assert.equal(labels['kubesphere.io/managed'], 'true');
        assert.ok(labels['iam.kubesphere.io/category']);
        for (const role of aggregations(t))
          assert.equal(labels[`iam.kubesphere.io/aggregate-to-${role}`], '');
        const rules = JSON.parse(annotations[RULES_ANNOTATION]!) as Record<string, string>;
        if (labels[SCOPE_LABEL] === 'global') assert.deepEqual(rules, {});
        else assert.deepEqual(rules, { [feature]: isView(t) ? 'view' : 'manage' });
        assert.ok(t.spec.displayName.en && t.spec.displayName.zh);
        assert.ok(t.spec.description.en && t.spec.description.zh);
        const deps = annotations['iam.kubesphere.io/dependencies'];
        if (deps) {
          for (const dep of JSON.parse(deps) as string[]) {
            assert.ok(
              templates.some((o) => o.metadata.name === dep),
              `${t.metadata.name} depends on missing ${dep}`,
            );
          }
        }
      }
    });

    it(`can replace the ${feature} part of tests/e2e/fixtures/role-templates.yaml`, () => {
      const fixture = parseAllDocuments(readFileSync(`${root}tests/e2e/fixtures/role-templates.yaml`, 'utf8'))
        .map((d) => d.toJS() as RoleTemplate)
        .filter((t) => t.metadata.labels['kubesphere.io/extension-ref'] === feature);
      assert.ok(fixture.length > 0);
      for (const old of fixture) {
        const mine = templates.find((t) => t.metadata.name === old.metadata.name);
        assert.ok(mine, `generated templates lack ${old.metadata.name}`);
        assert.equal(mine.metadata.labels[SCOPE_LABEL], old.metadata.labels[SCOPE_LABEL]);
        assert.deepEqual(
          JSON.parse(mine.metadata.annotations[RULES_ANNOTATION]!),
          JSON.parse(old.metadata.annotations[RULES_ANNOTATION]!),
        );
        // Cluster admins hold every template of the scope: together they still allow every route of it.
        const scope = old.metadata.labels[SCOPE_LABEL];
        for (const route of featureRoutes.filter((r) => r.scope === scope)) {
          assert.ok(
            templates.some(
              (t) =>
                t.metadata.labels[SCOPE_LABEL] === scope && allows(t, GROUP, resourceOf(route), route.verb),
            ),
            route.id,
          );
        }
      }
    });

    it('the committed chart file equals the generator output (regenerate after a route change)', () => {
      const committed = readFileSync(`${root}${chartFile}`, 'utf8');
      assert.equal(
        committed,
        renderRoleTemplates(feature),
        `${chartFile} is stale: run npx tsx tools/charts/role-templates.ts ${feature} > ${chartFile}`,
      );
      const parsed = parseAllDocuments(committed).map((d) => d.toJS() as unknown);
      assert.deepEqual(parsed, JSON.parse(JSON.stringify(templates)));
    });

    it('each template is valid against our RoleTemplate CRD (structural schema, names, labels)', () => {
      const crd = loadCrds('kubesphere').find((c) => c.metadata?.name === 'roletemplates.iam.kubesphere.io');
      assert.ok(crd, 'RoleTemplate CRD in tests/sandbox/crds/kubesphere.io.yaml');
      assert.equal(crd.spec.scope, 'Cluster');
      const version = crd.spec.versions.find((v) => v.served && v.name === 'v1beta1');
      assert.ok(version?.schema?.openAPIV3Schema);
      const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
      const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
      const labelName = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
      for (const t of templates) {
        assert.equal(t.apiVersion, `${crd.spec.group}/${version.name}`);
        assert.equal(t.kind, crd.spec.names.kind);
        assert.ok(!('namespace' in t.metadata), 'cluster-scoped: no namespace');
        assert.ok(t.metadata.name.length <= 253 && dnsSubdomain.test(t.metadata.name), t.metadata.name);
        for (const [key, value] of Object.entries(t.metadata.labels)) {
          const [prefix, name] = key.includes('/') ? key.split('/') : [undefined, key];
          if (prefix !== undefined) assert.ok(prefix.length <= 253 && dnsSubdomain.test(prefix), key);
          assert.ok(name!.length <= 63 && labelName.test(name!), key);
          assert.ok(value.length <= 63 && labelValue.test(value), `${key}=${value}`);
        }
        const problems = validate(t, version.schema.openAPIV3Schema as V1JSONSchemaPropsLike, '');
        assert.deepEqual(problems, [], t.metadata.name);
      }
    });
  });
}

describe("every feature's chart ships the RoleTemplates of its routes, none when it has none yet", () => {
  for (const feature of FEATURE_NAMES) {
    it(feature, () => {
      const file = chartFileOf(feature);
      const committed = readFileSync(`${root}${file}`, 'utf8');
      assert.equal(
        committed,
        renderRoleTemplates(feature),
        `${file} is stale: run npx tsx tools/charts/role-templates.ts ${feature} > ${file}`,
      );
    });
  }
});

describe('roleTemplates on other route tables', () => {
  const g = groupOf('ml-apps');
  const route = (r: Partial<RouteLike>): RouteLike => ({
    group: g,
    scope: 'namespace',
    resource: 'things',
    verb: 'list',
    grant: 'view',
    ...r,
  });

  it('adds an edit template aggregated to the project operator when edit routes exist', () => {
    const table = [
      route({}),
      route({ verb: 'create', grant: 'edit' }),
      route({ verb: 'delete', grant: 'admin', resource: 'things', subresource: 'owner' }),
    ];
    const out = roleTemplates('ml-apps', table);
    assert.deepEqual(
      out.map((t) => t.metadata.name),
      ['namespace-view-ml-apps', 'namespace-edit-ml-apps', 'namespace-manage-ml-apps'],
    );
    const [view, edit, manage] = out as [RoleTemplate, RoleTemplate, RoleTemplate];
    assert.deepEqual(aggregations(view), ['operator', 'viewer']);
    assert.deepEqual(aggregations(edit), ['operator']);
    assert.deepEqual(aggregations(manage), []);
    assert.ok(allows(edit, g, 'things', 'create') && !allows(edit, g, 'things/owner', 'delete'));
    assert.ok(allows(manage, g, 'things/owner', 'delete'));
    assert.ok(!allows(view, g, 'things', 'create'));
  });

  it('keeps a view-granted write verb in the view template (the route table decides)', () => {
    const [view] = roleTemplates('ml-apps', [route({ resource: 'reviews', verb: 'create', grant: 'view' })]);
    assert.ok(view && allows(view, g, 'reviews', 'create'));
  });

  it('refuses edit routes outside a project', () => {
    assert.throws(() => roleTemplates('ml-apps', [route({ scope: 'workspace', grant: 'edit' })]), /edit/);
  });

  it('gives a group without routes no templates, and a chart file with only its header', () => {
    assert.deepEqual(roleTemplates('ml-apps', []), []);
    const text = renderRoleTemplates('ml-apps', []);
    assert.deepEqual(
      parseAllDocuments(text).filter((d) => d.contents !== null),
      [],
      'no YAML document, so Helm renders nothing',
    );
    assert.match(text, /^# GENERATED by tools\/charts\/role-templates\.ts/);
  });

  it('ships a Category per scope for a feature KubeSphere has no category for, named by its templates', () => {
    const table = [route({}), route({ scope: 'workspace', grant: 'admin' })];
    const docs = parseAllDocuments(renderRoleTemplates('ml-apps', table)).map(
      (d) => d.toJS() as { kind: string; metadata: { name: string; labels: Record<string, string> } },
    );
    const categories = new Map(
      docs.filter((d) => d.kind === 'Category').map((c) => [c.metadata.name, c.metadata.labels[SCOPE_LABEL]]),
    );
    assert.deepEqual([...categories.keys()].sort(), ['namespace-ml-apps', 'workspace-ml-apps']);
    const templates = docs.filter((d) => d.kind === 'RoleTemplate');
    assert.ok(templates.length >= 3);
    for (const t of templates) {
      const category = t.metadata.labels['iam.kubesphere.io/category']!;
      assert.equal(
        categories.get(category),
        t.metadata.labels[SCOPE_LABEL],
        `${t.metadata.name} → ${category}`,
      );
    }
    assert.ok(
      !renderRoleTemplates('gpu-quota').includes('kind: Category'),
      "gpu-quota uses KubeSphere's own",
    );
  });

  it('is stable whatever the order of the route table', () => {
    const reversed = [...PERMISSION_TABLE].reverse();
    assert.equal(renderRoleTemplates('gpu-quota', reversed), renderRoleTemplates('gpu-quota'));
  });
});

/** The parts of a CRD's JSON schema (client-node model names) the check below reads. */
interface V1JSONSchemaPropsLike {
  type?: string;
  required?: string[];
  properties?: Record<string, V1JSONSchemaPropsLike>;
  additionalProperties?: unknown;
  items?: V1JSONSchemaPropsLike;
  x_kubernetes_preserve_unknown_fields?: boolean;
}

/** A structural-schema check without a server: types, required fields, and fields the API server would prune. */
function validate(value: unknown, schema: V1JSONSchemaPropsLike, path: string): string[] {
  const problems: string[] = [];
  const where = path || '<root>';
  const type = schema.type;
  if (type === 'object') {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return [`${where}: not an object`];
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in obj)) problems.push(`${where}: missing ${key}`);
    for (const [key, child] of Object.entries(obj)) {
      const sub = schema.properties?.[key];
      if (sub) problems.push(...validate(child, sub, `${path}.${key}`));
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object')
        problems.push(
          ...validate(child, schema.additionalProperties as V1JSONSchemaPropsLike, `${path}.${key}`),
        );
      else if (schema.properties && !schema.x_kubernetes_preserve_unknown_fields)
        problems.push(`${path}.${key}: unknown field, the API server would prune it`);
    }
  } else if (type === 'array') {
    if (!Array.isArray(value)) return [`${where}: not an array`];
    if (schema.items) value.forEach((v, i) => problems.push(...validate(v, schema.items!, `${path}[${i}]`)));
  } else if (type === 'string') {
    if (typeof value !== 'string') problems.push(`${where}: not a string`);
  } else if (type === 'boolean') {
    if (typeof value !== 'boolean') problems.push(`${where}: not a boolean`);
  } else if (type === 'integer' || type === 'number') {
    if (typeof value !== 'number' || (type === 'integer' && !Number.isInteger(value)))
      problems.push(`${where}: not a ${type}`);
  }
  return problems;
}

describe('gpu-quota authority in the RoleTemplates (docs/adr/0013)', () => {
  const templates = roleTemplates('gpu-quota');
  const named = (name: string) => templates.find((t) => t.metadata.name === name)!;
  const GROUP = groupOf('gpu-quota');

  it('only the cluster-level template grants the cluster authority (workspace quotas, over-commitment)', () => {
    assert.ok(allows(named('cluster-manage-gpu-quota'), GROUP, 'gpuquotas', 'update'));
    for (const t of templates.filter((t) => t.metadata.labels[SCOPE_LABEL] === 'cluster' && isView(t)))
      assert.ok(!allows(t, GROUP, 'gpuquotas', 'update'), t.metadata.name);
  });

  it('no template a project member holds through aggregation grants updating quotas', () => {
    for (const t of templates.filter((t) => aggregations(t).some((a) => ['operator', 'viewer'].includes(a))))
      assert.ok(!allows(t, GROUP, 'gpuquotas', 'update'), t.metadata.name);
  });
});
