// The ml-apps console extension: one SystemJS module whose default export the console registers
// (kubesphere-extensions.md §4.1). Menu placement: workspace navigation (`parent: 'workspace'`), never `topbar` /
// `project`, which KubeSphere 4.2 removed; a project's pages hang off the workspace layout, as gpu-quota's do.
import React from 'react';
import { locales } from './locales.js';
import { LandingPage } from './pages/LandingPage.js';
import { ModelsPage } from './pages/ModelsPage.js';
import { NotebooksPage } from './pages/NotebooksPage.js';
import { ServingPage } from './pages/ServingPage.js';
import { TrainJobsPage } from './pages/TrainJobsPage.js';

export const FEATURE = 'ml-apps';

const extension = {
  routes: [
    {
      path: '/workspaces/:workspace/ml-apps',
      element: React.createElement(LandingPage),
      parentRoute: '/workspaces/:workspace',
    },
    {
      path: '/workspaces/:workspace/ml-apps/projects/:namespace/notebooks',
      element: React.createElement(NotebooksPage),
      parentRoute: '/workspaces/:workspace',
    },
    {
      path: '/workspaces/:workspace/ml-apps/projects/:namespace/trainjobs',
      element: React.createElement(TrainJobsPage),
      parentRoute: '/workspaces/:workspace',
    },
    {
      path: '/workspaces/:workspace/ml-apps/projects/:namespace/models',
      element: React.createElement(ModelsPage),
      parentRoute: '/workspaces/:workspace',
    },
    {
      path: '/workspaces/:workspace/ml-apps/projects/:namespace/serving',
      element: React.createElement(ServingPage),
      parentRoute: '/workspaces/:workspace',
    },
  ],
  menus: [
    {
      parent: 'workspace',
      name: 'ml-apps',
      title: 'ml-apps.menu',
      icon: 'appcenter',
      order: 3,
      // Every workspace member: data scientists are project members, who hold no workspace RoleTemplate of ours,
      // so an authKey would hide the entry from exactly its users (docs/adr/0020). The page lists only the
      // caller's own projects (KubeSphere's answer) and each notebook call is authorized by the backend.
      skipAuth: true,
    },
  ],
  locales,
};

export default extension;
