// The data-testid values of the CMDB settings and routing pages (docs/adr/0043): the components set them, the
// component and browser tests select by them.
export const ROUTING_IDS = {
  cmdbPage: 'cmdb-settings',
  cmdbForm: 'cmdb-settings-form',
  cmdbSaved: 'cmdb-settings-saved',
  cmdbNone: 'cmdb-settings-none',
  testQuery: 'cmdb-test-query',
  testRun: 'cmdb-test-run',
  testResult: 'cmdb-test-result',
  testAnswer: 'cmdb-test-answer',
  routingPage: 'cmdb-routing',
  routingRow: 'cmdb-routing-row',
  newRouting: 'cmdb-new-routing',
  editRouting: 'cmdb-edit-routing',
  deleteRouting: 'cmdb-delete-routing',
  routingForm: 'cmdb-routing-form',
} as const;
