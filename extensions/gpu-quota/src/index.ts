// The gpu-quota console extension: one SystemJS module whose default export the console registers
// (kubesphere-extensions.md §4.1). Menu placement: cluster and workspace navigation (`parent: 'cluster'` /
// `'workspace'`), never `topbar` / `project`, which KubeSphere 4.2 removed. The project page has no menu entry: it
// is reached from the cluster and workspace pages (choose a project). It is deliberately not mounted inside 4.1's
// project layout, whose routes 4.2 changed; every route hangs off the cluster or workspace layout.
import React from 'react';
import { locales } from './locales.js';
import { LandingPage } from './pages/LandingPage.js';
import { ProjectQuotaPage } from './pages/ProjectQuotaPage.js';
import { WorkspaceQuotaPage } from './pages/WorkspaceQuotaPage.js';

export const FEATURE = 'gpu-quota';

const extension = {
  routes: [
    {
      path: '/clusters/:cluster/gpu-quota',
      element: React.createElement(LandingPage),
      parentRoute: '/clusters/:cluster',
    },
    {
      path: '/clusters/:cluster/gpu-quota/projects/:namespace',
      element: React.createElement(ProjectQuotaPage),
      parentRoute: '/clusters/:cluster',
    },
    {
      path: '/workspaces/:workspace/gpu-quota',
      element: React.createElement(WorkspaceQuotaPage),
      parentRoute: '/workspaces/:workspace',
    },
    {
      path: '/workspaces/:workspace/gpu-quota/projects/:namespace',
      element: React.createElement(ProjectQuotaPage),
      parentRoute: '/workspaces/:workspace',
    },
  ],
  menus: [
    {
      parent: 'cluster',
      name: 'gpu-quota',
      title: 'gpu-quota.menu',
      icon: 'gpu-duotone',
      order: 4,
      // Shown when the user's cluster RoleTemplates grant module "gpu-quota" the action "view"
      // (annotation iam.kubesphere.io/role-template-rules = {"gpu-quota": "view"}).
      authKey: 'gpu-quota',
      authAction: 'view',
    },
    {
      parent: 'workspace',
      name: 'gpu-quota',
      title: 'gpu-quota.menu',
      icon: 'gpu-duotone',
      order: 5,
      // Shown when the user's workspace RoleTemplates grant module "gpu-quota" the action "view".
      authKey: 'gpu-quota',
      authAction: 'view',
    },
  ],
  locales,
};

export default extension;
