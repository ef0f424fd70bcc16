// Kubeconfig files for the sandbox's identities (all bearer tokens from the static token file).
import { readFileSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

export function kubeconfigYaml(server: string, caCertFile: string, user: string, token: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'sandbox',
        cluster: { server, 'certificate-authority-data': readFileSync(caCertFile).toString('base64') },
      },
    ],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: user, context: { cluster: 'sandbox', user } }],
    'current-context': user,
  });
}

export function writeKubeconfig(
  path: string,
  server: string,
  caCertFile: string,
  user: string,
  token: string,
) {
  writeFileSync(path, kubeconfigYaml(server, caCertFile, user, token), { mode: 0o600 });
}
