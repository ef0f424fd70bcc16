// The ml-apps console extension: one SystemJS module whose default export the console registers
// (kubesphere-extensions.md §4.1). Menu placement: workspace navigation (`parent: 'workspace'`), never `topbar` / `project`,
// which KubeSphere 4.2 removed.
import React from 'react';
import { LandingPage } from './LandingPage.js';
import { locales } from './locales.js';

export const FEATURE = 'ml-apps';

const extension = {
  routes: [
    {
      path: '/workspaces/:workspace/ml-apps',
      element: React.createElement(LandingPage),
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
      // Shown when the user's workspace RoleTemplates grant module "ml-apps" the action "view"
      // (annotation iam.kubesphere.io/role-template-rules = {"ml-apps": "view"}).
      authKey: 'ml-apps',
      authAction: 'view',
    },
  ],
  locales,
};

export default extension;
