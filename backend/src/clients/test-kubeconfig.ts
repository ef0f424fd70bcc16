// For tests: a kubeconfig file pointing at a stand-in apiserver (one that never answers, or refuses).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes a kubeconfig for `server` (namespace ks-gpu-ml, a token that means nothing) and returns its path. */
export function kubeconfigFor(server: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ks-gpu-ml-kubeconfig-')), 'kubeconfig');
  writeFileSync(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: c, cluster: {server: "${server}", insecure-skip-tls-verify: true}}]`,
      'users: [{name: u, user: {token: not-a-real-token}}]',
      'contexts: [{name: x, context: {cluster: c, user: u, namespace: ks-gpu-ml}}]',
      'current-context: x',
    ].join('\n'),
  );
  return path;
}
