// The cmdb-alerting console extension: one SystemJS module whose default export the console registers
// (kubesphere-extensions.md §4.1). Menu placement: workspace navigation (`parent: 'workspace'`, the README's
// "workspace → CMDB Alerting") and cluster navigation for platform admins (`parent: 'cluster'`), never `topbar` /
// `project`, which KubeSphere 4.2 removed. Silences exist only at the cluster (ADR 0031).
import { CLUSTER_LAYOUT, featureMenu, featureRoutes, WORKSPACE_LAYOUT } from '@ks-gpu-ml/ui';
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

const route = featureRoutes(FEATURE);

const extension = {
  routes: [
    route(CLUSTER_LAYOUT, '', AlertsPage),
    route(CLUSTER_LAYOUT, '/alerts/:alertKey', AlertPage),
    route(CLUSTER_LAYOUT, '/silences', SilencesPage),
    route(CLUSTER_LAYOUT, '/deadletters', DeadLettersPage),
    route(CLUSTER_LAYOUT, '/receivers', ReceiversPage),
    route(CLUSTER_LAYOUT, '/policies', PoliciesPage),
    route(CLUSTER_LAYOUT, '/routing', RoutingPage),
    route(CLUSTER_LAYOUT, '/cmdb', CmdbSettingsPage),
    route(CLUSTER_LAYOUT, '/businesses', BusinessSystemsPage),
    route(CLUSTER_LAYOUT, '/mapping', MappingPage),
    route(WORKSPACE_LAYOUT, '', AlertsPage),
    route(WORKSPACE_LAYOUT, '/alerts/:alertKey', AlertPage),
    route(WORKSPACE_LAYOUT, '/receivers', ReceiversPage),
    route(WORKSPACE_LAYOUT, '/policies', PoliciesPage),
    route(WORKSPACE_LAYOUT, '/deadletters', DeadLettersPage),
  ],
  menus: [
    // Each shown when the user's RoleTemplates in that scope grant module "cmdb-alerting" the action "view".
    featureMenu(FEATURE, 'cluster', { icon: 'bell', order: 6 }),
    featureMenu(FEATURE, 'workspace', { icon: 'bell', order: 6 }),
  ],
  locales,
};

export default extension;
