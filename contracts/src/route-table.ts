import { cmdbAlertingRoutes } from './cmdb-alerting.js';
import { gpuMonitoringRoutes } from './gpu-monitoring.js';
import { gpuQuotaRoutes } from './gpu-quota.js';
import { platformRoutes } from './platform-api.js';
import type { RouteSpec } from './routes.js';

/**
 * Every route of every API group, whether or not a given backend serves it (FEATURES). Tests generate their
 * permission matrix from it; the charts' RoleTemplates and the sandbox RBAC are derived from it.
 * A feature adds its `<feature>Routes` object here when it lands.
 */
export const ROUTE_TABLE: readonly RouteSpec[] = [
  ...Object.values(platformRoutes),
  ...Object.values(gpuQuotaRoutes),
  ...Object.values(gpuMonitoringRoutes),
  ...Object.values(cmdbAlertingRoutes),
];
