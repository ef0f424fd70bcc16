// The gpu-monitoring console extension: one SystemJS module whose default export the console registers
// (kubesphere-extensions.md §4.1). Menu placement: cluster navigation (`parent: 'cluster'`), never `topbar` / `project`,
// which KubeSphere 4.2 removed.
import React from 'react';
import { LandingPage } from './LandingPage.js';
import { locales } from './locales.js';

export const FEATURE = 'gpu-monitoring';

const extension = {
  routes: [
    {
      path: '/clusters/:cluster/gpu-monitoring',
      element: React.createElement(LandingPage),
      parentRoute: '/clusters/:cluster',
    },
  ],
  menus: [
    {
      parent: 'cluster',
      name: 'gpu-monitoring',
      title: 'gpu-monitoring.menu',
      icon: 'monitor',
      order: 5,
      // Shown when the user's cluster RoleTemplates grant module "gpu-monitoring" the action "view"
      // (annotation iam.kubesphere.io/role-template-rules = {"gpu-monitoring": "view"}).
      authKey: 'gpu-monitoring',
      authAction: 'view',
    },
  ],
  locales,
};

export default extension;
