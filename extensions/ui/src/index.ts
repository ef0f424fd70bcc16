// @ks-gpu-ml/ui: small UI parts shared by the ks-gpu-ml console extensions. Bundled into each extension
// (it is not one of the console's shared runtime modules), so keep it small.
export * from './api-error.js';
export * from './api-client.js';
export * from './chart-data.js';
export * from './i18n.js';
export * from './pagination.js';
export * from './quantity.js';
export * from './time-range.js';
export * from './use-api.js';
export * from './test-ids.js';
export * from './components/PageHeader.js';
export * from './components/States.js';
export * from './components/DataTable.js';
export * from './components/ChoiceSelect.js';
export * from './components/TimeRangePicker.js';
export * from './components/TimeSeriesChart.js';
export * from './components/QuantityInput.js';
export * from './platform-api.js';
export * from './tenant-api.js';
export * from './components/PlatformOverview.js';
export * from './access.js';
export * from './project-pages.js';
export * from './components/ProjectLinks.js';
export * from './components/TenantProjects.js';
export * from './extension-routes.js';
export * from './components/FormKit.js';
export * from './use-row-action.js';
