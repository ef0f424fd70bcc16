// The ml-apps console extension: one SystemJS module whose default export the console registers
// (kubesphere-extensions.md §4.1). Menu placement: workspace navigation (`parent: 'workspace'`), never `topbar` /
// `project`, which KubeSphere 4.2 removed; a project's pages hang off the workspace layout, as gpu-quota's do.
import { featureMenu, featureRoutes, WORKSPACE_LAYOUT } from '@ks-gpu-ml/ui';
import { locales } from './locales.js';
import { LandingPage } from './pages/LandingPage.js';
import { ModelsPage } from './pages/ModelsPage.js';
import { NotebooksPage } from './pages/NotebooksPage.js';
import { ServingPage } from './pages/ServingPage.js';
import { TrainJobsPage } from './pages/TrainJobsPage.js';

export const FEATURE = 'ml-apps';

const route = featureRoutes(FEATURE);

const extension = {
  routes: [
    route(WORKSPACE_LAYOUT, '', LandingPage),
    route(WORKSPACE_LAYOUT, '/projects/:namespace/notebooks', NotebooksPage),
    route(WORKSPACE_LAYOUT, '/projects/:namespace/trainjobs', TrainJobsPage),
    route(WORKSPACE_LAYOUT, '/projects/:namespace/models', ModelsPage),
    route(WORKSPACE_LAYOUT, '/projects/:namespace/serving', ServingPage),
  ],
  menus: [
    // Every workspace member: data scientists are project members, who hold no workspace RoleTemplate of ours,
    // so an authKey would hide the entry from exactly its users (docs/adr/0020). The page lists only the
    // caller's own projects (KubeSphere's answer) and each notebook call is authorized by the backend.
    featureMenu(FEATURE, 'workspace', { icon: 'appcenter', order: 3, everyMember: true }),
  ],
  locales,
};

export default extension;
