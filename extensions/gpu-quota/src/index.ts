// The gpu-quota console extension: one SystemJS module whose default export the console registers
// (kubesphere-extensions.md §4.1). Menu placement: cluster navigation (`parent: 'cluster'`), never `topbar` / `project`,
// which KubeSphere 4.2 removed.
import React from 'react';
import { LandingPage } from './LandingPage.js';
import { locales } from './locales.js';

export const FEATURE = 'gpu-quota';

const extension = {
  routes: [
    {
      path: '/clusters/:cluster/gpu-quota',
      element: React.createElement(LandingPage),
      parentRoute: '/clusters/:cluster',
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
  ],
  locales,
};

export default extension;
