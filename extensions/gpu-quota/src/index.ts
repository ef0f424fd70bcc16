// The gpu-quota console extension: one SystemJS module whose default export the console registers
// (kubesphere-extensions.md §4.1). Menu placement: cluster and workspace navigation (`parent: 'cluster'` /
// `'workspace'`), never `topbar` / `project`, which KubeSphere 4.2 removed. The project page has no menu entry: it
// is reached from the cluster and workspace pages (choose a project). It is deliberately not mounted inside 4.1's
// project layout, whose routes 4.2 changed; every route hangs off the cluster or workspace layout.
import { CLUSTER_LAYOUT, featureMenu, featureRoutes, WORKSPACE_LAYOUT } from '@ks-gpu-ml/ui';
import { locales } from './locales.js';
import { LandingPage } from './pages/LandingPage.js';
import { ProjectQuotaPage } from './pages/ProjectQuotaPage.js';
import { WorkspaceQuotaPage } from './pages/WorkspaceQuotaPage.js';

export const FEATURE = 'gpu-quota';

const route = featureRoutes(FEATURE);

const extension = {
  routes: [
    route(CLUSTER_LAYOUT, '', LandingPage),
    route(CLUSTER_LAYOUT, '/projects/:namespace', ProjectQuotaPage),
    route(WORKSPACE_LAYOUT, '', WorkspaceQuotaPage),
    route(WORKSPACE_LAYOUT, '/projects/:namespace', ProjectQuotaPage),
  ],
  menus: [
    featureMenu(FEATURE, 'cluster', { icon: 'gpu-duotone', order: 4 }),
    featureMenu(FEATURE, 'workspace', { icon: 'gpu-duotone', order: 5 }),
  ],
  locales,
};

export default extension;
