// The data-testid values of the shared UI parts, in one place: the components set them, the component tests and
// the browser tests select by them (each extension keeps its own pages' ids in its src/test-ids.ts).
export const UI_IDS = {
  dataTable: 'data-table',
  pageHeader: 'page-header',
  stateLoading: 'state-loading',
  stateEmpty: 'state-empty',
  stateError: 'state-error',
  stateErrorMessage: 'state-error-message',
  timeRangePicker: 'time-range-picker',
  projectLinks: 'project-links',
  projectLink: 'project-link',
  tenantProjects: 'tenant-projects',
} as const;
