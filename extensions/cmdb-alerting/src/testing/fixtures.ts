// A saved CMDB connection as the contract types it, for the tests of the settings draft and of the settings page:
// NetBox, its token a Secret reference (never a value), the default cache lifetime and lookup deadline. One
// value, so the draft's body and the page's form are checked against the same connection.
// Under testing/: no extension entry imports it, so no bundle holds it.
import type { CmdbSettingsInput } from '@ks-gpu-ml/contracts';

export const netboxSettings: CmdbSettingsInput = {
  kind: 'netbox',
  enabled: true,
  url: 'https://netbox.example.com',
  secretRef: { namespace: 'kube-system', name: 'cmdb', key: 'token' },
  ttlSeconds: 300,
  timeoutMs: 2000,
};
