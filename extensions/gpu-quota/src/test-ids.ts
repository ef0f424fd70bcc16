// The data-testid values of the gpu-quota pages, in one place: the components set them, the component tests
// (*.test.tsx) and the browser tests (tests/e2e/gpu-quota.test.ts) select by them, so a rename cannot leave a
// test looking for an element that no longer exists.
export const QUOTA_IDS = {
  projectPage: 'gpu-quota-project',
  workspacePage: 'gpu-quota-workspace',
  rows: 'quota-rows',
  row: 'quota-row',
  workspaceRows: 'workspace-rows',
  workspaceRow: 'workspace-row',
  workspaceRemaining: 'workspace-remaining',
  usageBar: 'usage-bar',
  usageText: 'usage-text',
  readOnlyNote: 'read-only-note',
  enforcerNote: 'enforcer-note',
  warnings: 'quota-warnings',
  save: 'save-quota',
  saveForce: 'save-quota-force',
  saveOvercommit: 'save-quota-overcommit',
  saveDone: 'save-done',
  saveError: 'save-error',
  saveProblems: 'save-problems',
  rowError: 'row-error',
  fieldError: (field: 'base' | 'max') => `field-error-${field}` as const,
  value: (field: 'base' | 'max') => `value-${field}` as const,
} as const;
