// The cmdb-alerting console extension: one SystemJS module whose default export the console registers
// (kubesphere-extensions.md §4.1). Menu placement: workspace navigation (`parent: 'workspace'`, the README's
// "workspace → CMDB Alerting") and cluster navigation for platform admins (`parent: 'cluster'`), never `topbar` /
// `project`, which KubeSphere 4.2 removed. Silences exist only at the cluster (ADR 0031).
import React from 'react';
import { locales } from './locales.js';
import { AlertPage } from './pages/AlertPage.js';
import { AlertsPage } from './pages/AlertsPage.js';
import { CmdbSettingsPage } from './pages/CmdbSettingsPage.js';
import { BusinessSystemsPage } from './pages/BusinessSystemsPage.js';
import { MappingPage } from './pages/MappingPage.js';
import { PoliciesPage } from './pages/PoliciesPage.js';
import { ReceiversPage } from './pages/ReceiversPage.js';
import { RoutingPage } from './pages/RoutingPage.js';
import { SilencesPage } from './pages/SilencesPage.js';
import { DeadLettersPage } from './pages/DeadLettersPage.js';

export const FEATURE = 'cmdb-alerting';

const CLUSTER = '/clusters/:cluster';
const WORKSPACE = '/workspaces/:workspace';

const route = (parentRoute: string, path: string, page: React.ComponentType) => ({
  path: `${parentRoute}/${FEATURE}${path}`,
  element: React.createElement(page),
  parentRoute,
});

const extension = {
  routes: [
    route(CLUSTER, '', AlertsPage),
    route(CLUSTER, '/alerts/:alertKey', AlertPage),
    route(CLUSTER, '/silences', SilencesPage),
    route(CLUSTER, '/deadletters', DeadLettersPage),
    route(CLUSTER, '/receivers', ReceiversPage),
    route(CLUSTER, '/policies', PoliciesPage),
    route(CLUSTER, '/routing', RoutingPage),
    route(CLUSTER, '/cmdb', CmdbSettingsPage),
    route(CLUSTER, '/businesses', BusinessSystemsPage),
    route(CLUSTER, '/mapping', MappingPage),
    route(WORKSPACE, '', AlertsPage),
    route(WORKSPACE, '/alerts/:alertKey', AlertPage),
    route(WORKSPACE, '/receivers', ReceiversPage),
    route(WORKSPACE, '/policies', PoliciesPage),
    route(WORKSPACE, '/deadletters', DeadLettersPage),
  ],
  menus: [
    {
      parent: 'cluster',
      name: 'cmdb-alerting',
      title: 'cmdb-alerting.menu',
      icon: 'bell',
      order: 6,
      // Shown when the user's cluster RoleTemplates grant module "cmdb-alerting" the action "view".
      authKey: 'cmdb-alerting',
      authAction: 'view',
    },
    {
      parent: 'workspace',
      name: 'cmdb-alerting',
      title: 'cmdb-alerting.menu',
      icon: 'bell',
      order: 6,
      // Shown when the user's workspace RoleTemplates grant module "cmdb-alerting" the action "view"
      // (annotation iam.kubesphere.io/role-template-rules = {"cmdb-alerting": "view"}).
      authKey: 'cmdb-alerting',
      authAction: 'view',
    },
  ],
  locales,
};

export default extension;
