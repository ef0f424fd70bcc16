// The gpu-monitoring console extension: one SystemJS module whose default export the console registers
// (kubesphere-extensions.md §4.1). Menu placement: cluster and workspace navigation (`parent: 'cluster'` /
// `'workspace'`), never `topbar` / `project`, which KubeSphere 4.2 removed. Project and workload pages have no menu
// entry: they are reached from the cluster and workspace pages. Like gpu-quota, no route is mounted inside 4.1's
// project layout, whose routes 4.2 changed; every route hangs off the cluster or workspace layout. KubeSphere 4.1
// lets an extension add no tab to its pod detail page, so the workload "GPU tab" is our own page (README).
// Project members reach their projects' GPU pages from the workspace entry "My GPU Projects", which this extension
// carries for the whole bundle (docs/adr/0020).
import { CLUSTER_LAYOUT, featureMenu, featureRoutes, TenantProjects, WORKSPACE_LAYOUT } from '@ks-gpu-ml/ui';
import { ClusterDashboard } from './pages/ClusterDashboard.js';
import { GpuHoursPage } from './pages/GpuHoursPage.js';
import { GpuPage } from './pages/GpuPage.js';
import { locales } from './locales.js';
import { NodePage } from './pages/NodePage.js';
import { ProjectPage, WorkspacePage } from './pages/ScopePage.js';
import { WorkloadPage } from './pages/WorkloadPage.js';

export const FEATURE = 'gpu-monitoring';

const route = featureRoutes(FEATURE);

const extension = {
  routes: [
    route(CLUSTER_LAYOUT, '', ClusterDashboard),
    route(CLUSTER_LAYOUT, '/nodes/:node', NodePage),
    route(CLUSTER_LAYOUT, '/gpus', GpuPage),
    route(CLUSTER_LAYOUT, '/gpus/:uuid', GpuPage),
    route(CLUSTER_LAYOUT, '/projects/:namespace', ProjectPage),
    route(CLUSTER_LAYOUT, '/projects/:namespace/workloads/:pod', WorkloadPage),
    route(CLUSTER_LAYOUT, '/gpuhours', GpuHoursPage),
    route(WORKSPACE_LAYOUT, '', WorkspacePage),
    route(WORKSPACE_LAYOUT, '/projects/:namespace', ProjectPage),
    route(WORKSPACE_LAYOUT, '/projects/:namespace/workloads/:pod', WorkloadPage),
    route(WORKSPACE_LAYOUT, '/gpuhours', GpuHoursPage),
    route(WORKSPACE_LAYOUT, '/my-projects', TenantProjects),
  ],
  menus: [
    featureMenu(FEATURE, 'cluster', { icon: 'monitor', order: 5 }),
    featureMenu(FEATURE, 'workspace', { icon: 'monitor', order: 6 }),
    {
      parent: 'workspace',
      // The console links a menu to `<layout>/<name>`: here the route of the caller's projects.
      name: `${FEATURE}/my-projects`,
      title: 'ui.tenantProjects.menu',
      icon: 'project',
      order: 7,
      // Every workspace member: the page asks only for what any member may read (KubeSphere's list of the
      // caller's own projects, then each listed project's capabilities) and links only to pages the caller may
      // open. A project member holds no workspace RoleTemplate of ours, so an authKey would hide it from them.
      skipAuth: true,
    },
  ],
  locales,
};

export default extension;
