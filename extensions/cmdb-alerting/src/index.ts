// The cmdb-alerting console extension: one SystemJS module whose default export the console registers
// (kubesphere-extensions.md §4.1). Menu placement: workspace navigation (`parent: 'workspace'`), never `topbar` / `project`,
// which KubeSphere 4.2 removed.
import React from 'react';
import { LandingPage } from './LandingPage.js';
import { locales } from './locales.js';

export const FEATURE = 'cmdb-alerting';

const extension = {
  routes: [
    {
      path: '/workspaces/:workspace/cmdb-alerting',
      element: React.createElement(LandingPage),
      parentRoute: '/workspaces/:workspace',
    },
  ],
  menus: [
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
