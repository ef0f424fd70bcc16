// KubeSphere RoleTemplates for a feature's API group, derived from the route table (contracts/src/route-table.ts),
// so the chart grants exactly what the routes' `grant` metadata says (kubesphere-extensions.md §3.2, docs/adr/0003).
//
//   npx tsx tools/charts/role-templates.ts gpu-quota > charts/gpu-quota/charts/backend/templates/roletemplates.yaml
//
// Per scope of the feature's routes (names follow KubeSphere's `<scope>-<action>-<module>`, as
// tests/e2e/fixtures/role-templates.yaml does):
// - `<scope>-view-<feature>`: the routes granted to `authenticated` or `view`, plus get/list/watch on their
//   resources; annotation {"<feature>":"view"} (the console shows the menus). Aggregated to the project roles
//   operator and viewer, to the workspace role viewer; at cluster scope to nobody but the cluster admin.
// - `<scope>-edit-<feature>`: only when `edit` routes exist (namespace scope: aggregated to operator).
// - `<scope>-manage-<feature>`: every route of the scope; no aggregation label, KubeSphere's admin roles take every
//   RoleTemplate of their scope.
// - `global-authenticated-<feature>`: the routes granted to `authenticated` (any scope), aggregated to the global
//   role `authenticated` that every user holds, hidden in the role editor, and without a console module.
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import {
  FEATURE_NAMES,
  ROUTE_TABLE,
  gpuQuotaAuthority,
  groupOf,
  type FeatureName,
  type Grant,
  type Scope,
} from '@ks-gpu-ml/contracts';

export type TemplateScope = 'global' | Scope;

/**
 * The routes, plus the permissions a service asks for besides a route's own (gpu-quota's cluster-level
 * authority, docs/adr/0013), so a template grants what the backend will ask.
 */
export const PERMISSION_TABLE: readonly RouteLike[] = [...ROUTE_TABLE, ...Object.values(gpuQuotaAuthority)];
export type Level = 'view' | 'edit' | 'manage';

/** The route fields a RoleTemplate depends on. */
export interface RouteLike {
  group: string;
  scope: Scope;
  resource: string;
  subresource?: string;
  verb: string;
  grant: Grant;
}

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

export interface RoleTemplate {
  apiVersion: 'iam.kubesphere.io/v1beta1';
  kind: 'RoleTemplate';
  metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: { displayName: Record<string, string>; description: Record<string, string>; rules: PolicyRule[] };
}

export const READ_VERBS = ['get', 'list', 'watch'] as const;
export const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection', '*'] as const;

const IAM = 'iam.kubesphere.io';
export const SCOPE_LABEL = `${IAM}/scope`;
export const RULES_ANNOTATION = `${IAM}/role-template-rules`;
const aggregateTo = (role: string) => `${IAM}/aggregate-to-${role}`;

const GRANT_RANK: Record<Grant, number> = { authenticated: 0, view: 1, edit: 2, admin: 3 };

/**
 * KubeSphere's non-admin built-in roles per scope that receive a level's template (dev guide, access control:
 * namespace operator/viewer, workspace viewer/regular/self-provisioner, cluster cluster-viewer). Cluster-scope
 * templates go to nobody but the cluster admin: our cluster pages need `admin` routes, so a cluster-viewer would see
 * a menu whose data it may not read. `edit` has a counterpart only in a project (operator).
 */
const AGGREGATE: Record<Scope, Partial<Record<Exclude<Level, 'manage'>, string[]>>> = {
  namespace: { view: ['operator', 'viewer'], edit: ['operator'] },
  workspace: { view: ['viewer'] },
  cluster: { view: [] },
};

/**
 * Permission-item groups (label iam.kubesphere.io/category) in the console's role editor. gpu-quota and
 * gpu-monitoring use KubeSphere's own categories (roletemplate-categories.yaml in ks-core), so their charts need no
 * Category objects: quota beside the built-in quota settings; GPU usage, which ks-core has no monitoring category
 * for, beside the workloads (project) and the projects (workspace) it is reported by. Other features get a category
 * of their own per scope, `<scope>-<feature>`, written as an iam.kubesphere.io/v1beta1 Category into the same
 * generated chart file (ownCategories), so no template names a category nobody ships.
 */
const CATEGORIES: Partial<Record<FeatureName, Record<TemplateScope, string>>> = {
  'gpu-quota': {
    global: 'global-cluster-management',
    cluster: 'cluster-resource-management',
    workspace: 'workspace-settings',
    namespace: 'namespace-settings',
  },
  'gpu-monitoring': {
    global: 'global-cluster-management',
    cluster: 'cluster-resource-management',
    workspace: 'workspace-project-management',
    namespace: 'namespace-application-workloads',
  },
};

const TITLES: Record<FeatureName, { en: string; zh: string }> = {
  'gpu-quota': { en: 'GPU Quota', zh: 'GPU 配额' },
  'gpu-monitoring': { en: 'GPU Monitoring', zh: 'GPU 监控' },
  'cmdb-alerting': { en: 'CMDB Alerting', zh: 'CMDB 告警' },
  'ml-apps': { en: 'ML Apps', zh: '机器学习应用' },
};

const SCOPE_WORDS: Record<TemplateScope, { en: string; zh: string }> = {
  global: { en: 'every signed-in user', zh: '所有已登录用户' },
  cluster: { en: 'the cluster', zh: '集群' },
  workspace: { en: 'the workspace', zh: '企业空间' },
  namespace: { en: 'the project', zh: '项目' },
};

const LEVEL_WORDS: Record<Level, { en: string; zh: string; verb: string; verbZh: string }> = {
  view: { en: 'Viewing', zh: '查看', verb: 'View', verbZh: '查看' },
  edit: { en: 'Editing', zh: '编辑', verb: 'Edit', verbZh: '编辑' },
  manage: { en: 'Management', zh: '管理', verb: 'View and change', verbZh: '查看和修改' },
};

const SCOPE_ORDER: Scope[] = ['namespace', 'workspace', 'cluster'];

const categoryOf = (feature: FeatureName, scope: TemplateScope) =>
  CATEGORIES[feature]?.[scope] ?? `${scope}-${feature}`;

export interface CategoryObject {
  apiVersion: 'iam.kubesphere.io/v1beta1';
  kind: 'Category';
  metadata: { name: string; labels: Record<string, string> };
  spec: { displayName: { en: string; zh: string } };
}

/** The Categories a feature's templates name when KubeSphere ships none for it: one per scope its templates use. */
export function ownCategories(
  feature: FeatureName,
  routeTable: readonly RouteLike[] = PERMISSION_TABLE,
): CategoryObject[] {
  if (CATEGORIES[feature]) return [];
  const scopes = [...new Set(roleTemplates(feature, routeTable).map((t) => t.metadata.labels[SCOPE_LABEL]!))];
  return scopes.map((scope) => ({
    apiVersion: 'iam.kubesphere.io/v1beta1',
    kind: 'Category',
    metadata: {
      name: categoryOf(feature, scope as TemplateScope),
      labels: {
        [SCOPE_LABEL]: scope,
        'kubesphere.io/managed': 'true',
        'kubesphere.io/extension-ref': feature,
      },
    },
    spec: { displayName: TITLES[feature] },
  }));
}

export const templateName = (scope: TemplateScope, level: Level | 'authenticated', feature: string) =>
  `${scope}-${level}-${feature}`;

const resourceOf = (r: RouteLike) => (r.subresource ? `${r.resource}/${r.subresource}` : r.resource);

const verbOrder = (v: string) => {
  const i = [...READ_VERBS, ...WRITE_VERBS].indexOf(v as never);
  return i < 0 ? 99 : i;
};

/** One rule per resource: the routes' verbs plus get/list/watch, sorted, so the output is stable. */
export function rulesFor(routes: readonly RouteLike[]): PolicyRule[] {
  const byKey = new Map<string, { group: string; resource: string; verbs: Set<string> }>();
  for (const route of routes) {
    const resource = resourceOf(route);
    const key = `${route.group} ${resource}`;
    const entry = byKey.get(key) ?? { group: route.group, resource, verbs: new Set<string>(READ_VERBS) };
    entry.verbs.add(route.verb);
    byKey.set(key, entry);
  }
  return [...byKey.keys()].sort().map((key) => {
    const { group, resource, verbs } = byKey.get(key)!;
    return {
      apiGroups: [group],
      resources: [resource],
      verbs: [...verbs].sort((a, b) => verbOrder(a) - verbOrder(b) || a.localeCompare(b)),
    };
  });
}

function template(
  feature: FeatureName,
  scope: TemplateScope,
  level: Level | 'authenticated',
  routes: readonly RouteLike[],
  extra: { aggregate?: string[]; dependencies?: string[]; hidden?: boolean },
): RoleTemplate {
  const title = TITLES[feature];
  const category = categoryOf(feature, scope);
  const labels: Record<string, string> = {
    [SCOPE_LABEL]: scope,
    [`${IAM}/category`]: category,
    'kubesphere.io/managed': 'true',
    'kubesphere.io/extension-ref': feature,
  };
  for (const role of [...(extra.aggregate ?? [])].sort()) labels[aggregateTo(role)] = '';
  if (extra.hidden) labels[`${IAM}/hidden-role-template`] = 'true';

  let displayName: { en: string; zh: string };
  let description: { en: string; zh: string };
  let module: Record<string, string>;
  if (level === 'authenticated') {
    displayName = { en: `${title.en} Basics`, zh: `${title.zh}基础权限` };
    const resources = rulesFor(routes).flatMap((r) => r.resources);
    description = {
      en: `What ${title.en} opens to ${SCOPE_WORDS.global.en}: ${resources.join(', ')}.`,
      zh: `${title.zh}对${SCOPE_WORDS.global.zh}开放的内容：${resources.join('、')}。`,
    };
    module = {};
  } else {
    const words = LEVEL_WORDS[level];
    const where = SCOPE_WORDS[scope];
    displayName = { en: `${title.en} ${words.en}`, zh: `${title.zh}${words.zh}` };
    description = {
      en: `${words.verb} ${title.en} in ${where.en}.`,
      zh: `${words.verbZh}${where.zh}的${/^[A-Za-z]/.test(title.zh) ? ' ' : ''}${title.zh}。`,
    };
    module = { [feature]: level };
  }
  const annotations: Record<string, string> = {
    [RULES_ANNOTATION]: JSON.stringify(module),
    'kubesphere.io/alias-name': displayName.en,
  };
  if (extra.dependencies?.length) annotations[`${IAM}/dependencies`] = JSON.stringify(extra.dependencies);

  return {
    apiVersion: 'iam.kubesphere.io/v1beta1',
    kind: 'RoleTemplate',
    metadata: { name: templateName(scope, level, feature), labels, annotations },
    spec: { displayName, description, rules: rulesFor(routes) },
  };
}

/** The RoleTemplates of one feature's API group, in a stable order. */
export function roleTemplates(
  feature: FeatureName,
  routeTable: readonly RouteLike[] = PERMISSION_TABLE,
): RoleTemplate[] {
  const group = groupOf(feature);
  // A feature whose routes have not landed yet gets no templates: its chart installs without granting anything.
  const routes = routeTable.filter((r) => r.group === group);
  const out: RoleTemplate[] = [];

  for (const scope of SCOPE_ORDER) {
    const inScope = routes.filter((r) => r.scope === scope);
    if (inScope.length === 0) continue;
    const upTo = (grant: Grant) => inScope.filter((r) => GRANT_RANK[r.grant] <= GRANT_RANK[grant]);
    const has = (grant: Grant) => inScope.some((r) => r.grant === grant);

    const viewName = templateName(scope, 'view', feature);
    out.push(template(feature, scope, 'view', upTo('view'), { aggregate: AGGREGATE[scope].view ?? [] }));
    const dependencies = [viewName];
    if (has('edit')) {
      const aggregate = AGGREGATE[scope].edit;
      if (!aggregate) {
        throw new Error(
          `${group}: ${scope} routes granted to "edit" have no KubeSphere ${scope} role to aggregate to; ` +
            'decide one in AGGREGATE (tools/charts/role-templates.ts)',
        );
      }
      out.push(template(feature, scope, 'edit', upTo('edit'), { aggregate, dependencies: [viewName] }));
      dependencies.push(templateName(scope, 'edit', feature));
    }
    if (has('admin')) out.push(template(feature, scope, 'manage', inScope, { dependencies }));
  }

  const everyone = routes.filter((r) => r.grant === 'authenticated');
  if (everyone.length > 0) {
    out.push(
      template(feature, 'global', 'authenticated', everyone, { aggregate: ['authenticated'], hidden: true }),
    );
  }
  return out;
}

export const generatedHeader = (feature: FeatureName) =>
  [
    `# GENERATED by tools/charts/role-templates.ts from the route table (contracts/src/route-table.ts); do not edit.`,
    `# Regenerate: npx tsx tools/charts/role-templates.ts ${feature} > charts/${feature}/charts/backend/templates/roletemplates.yaml`,
    `# KubeSphere RoleTemplates for ${groupOf(feature)}: ks-apiserver authorizes /kapis/${groupOf(feature)}/... with them`,
    `# before proxying, and the console shows the menus from iam.kubesphere.io/role-template-rules.`,
  ].join('\n');

/** The chart file: header, then one YAML document per own Category and per template (Prettier-stable). */
export function renderRoleTemplates(
  feature: FeatureName,
  routeTable: readonly RouteLike[] = PERMISSION_TABLE,
): string {
  const objects = [...ownCategories(feature, routeTable), ...roleTemplates(feature, routeTable)];
  const docs = objects.map((t) =>
    stringify(t, { singleQuote: true, lineWidth: 0, indentSeq: true }).trimEnd(),
  );
  return `${generatedHeader(feature)}\n${docs.map((d) => `---\n${d}\n`).join('')}`;
}

function main(argv: string[]): number {
  const feature = argv[0];
  if (!feature || !(FEATURE_NAMES as readonly string[]).includes(feature) || argv.length > 1) {
    process.stderr.write(`usage: tsx tools/charts/role-templates.ts <${FEATURE_NAMES.join('|')}>\n`);
    return 2;
  }
  process.stdout.write(renderRoleTemplates(feature as FeatureName));
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  process.exitCode = main(process.argv.slice(2));
