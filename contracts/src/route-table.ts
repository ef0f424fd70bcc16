import { cmdbAlertingRoutes } from './cmdb-alerting.js';
import { cmdbBusinessRoutes } from './cmdb-business.js';
import { cmdbRoutingRoutes } from './cmdb-routing.js';
import { gpuMonitoringRoutes } from './gpu-monitoring.js';
import { gpuQuotaRoutes } from './gpu-quota.js';
import { mlAppsRoutes } from './ml-apps.js';
import { mlAppsModelRoutes } from './ml-apps-models.js';
import { mlAppsServingRoutes } from './ml-apps-serving.js';
import { platformRoutes, platformRoutesFor } from './platform-api.js';
import type { RouteSpec } from './routes.js';

/**
 * Every route of every API group, whether or not a given backend serves it (FEATURES). Tests generate their
 * permission matrix from it; the charts' RoleTemplates and the sandbox RBAC are derived from it.
 * A feature adds its `<feature>Routes` object here when it lands, with `platformRoutesFor(<feature>)`: the
 * platform routes under its own group, which its package grants and its pages call (docs/adr/0026).
 */
export const ROUTE_TABLE: readonly RouteSpec[] = [
  ...Object.values(platformRoutes),
  ...Object.values(gpuQuotaRoutes),
  ...Object.values(platformRoutesFor('gpu-quota')),
  ...Object.values(gpuMonitoringRoutes),
  ...Object.values(platformRoutesFor('gpu-monitoring')),
  ...Object.values(cmdbAlertingRoutes),
  ...Object.values(cmdbBusinessRoutes),
  ...Object.values(cmdbRoutingRoutes),
  ...Object.values(platformRoutesFor('cmdb-alerting')),
  ...Object.values(mlAppsRoutes),
  ...Object.values(mlAppsModelRoutes),
  ...Object.values(mlAppsServingRoutes),
  ...Object.values(platformRoutesFor('ml-apps')),
];
