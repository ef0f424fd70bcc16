// The data-testid values of the ml-apps pages, in one place: the components set them, the component tests and the
// browser tests select by them.
export const ML_IDS = {
  landing: 'ml-apps-landing',
  operators: 'ml-operators',
  operator: (id: string) => `ml-operator-${id}` as const,
  projects: 'ml-projects',
  notebooksPage: 'ml-notebooks',
  operatorMissing: 'ml-operator-missing',
  notebookRow: 'notebook-row',
  status: 'notebook-status',
  statusMessage: 'notebook-status-message',
  newNotebook: 'new-notebook',
  form: 'notebook-form',
  submit: 'notebook-submit',
  formError: 'notebook-form-error',
  refusal: 'notebook-refusal',
  stop: 'notebook-stop',
  start: 'notebook-start',
  remove: 'notebook-delete',
  confirm: 'notebook-confirm',
  cancel: 'notebook-cancel',
} as const;
