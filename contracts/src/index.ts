export * from './api-groups.js';
export * from './errors.js';
export * from './routes.js';
export * from './platform.js';
export * from './gpu-quota.js';
export * from './gpu-monitoring.js';
export * from './route-table.js';
export * from './quantity.js';
