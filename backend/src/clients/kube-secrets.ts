// Reads Kubernetes Secrets by name, for the channels of cmdb-alerting's receivers (a robot key, a corp secret, an
// HMAC key). One GET per Secret, never a list or a watch, so the backend's ClusterRole needs only `secrets: get`.
// Each read has the kube client's deadline. Values are decoded here and handed to the caller only: they are never
// logged, never part of an error (a failed read is an UpstreamError whose cause is reduced when logged).
import { CoreV1Api } from '@kubernetes/client-node';
import type { KubeClient } from './kube.js';
import { statusOf } from './kube-calls.js';
import { UpstreamError } from './upstream.js';

export interface SecretData {
  /** Changes whenever the Secret changes: callers rebuild what they made from it. */
  resourceVersion: string;
  /** key → decoded value (UTF-8). */
  data: ReadonlyMap<string, string>;
  /** The Secret's annotations (who may use it, e.g. cmdb-alerting's workspace grant). */
  annotations: Readonly<Record<string, string>>;
}

/** The apiserver refused the read (403): the backend's ClusterRole lacks `secrets: get`, an operator's fix. */
export class SecretForbidden extends Error {
  constructor(
    readonly namespace: string,
    readonly secretName: string,
  ) {
    super(`the backend may not read Secret ${namespace}/${secretName} (forbidden)`);
  }
}

export interface SecretReader {
  /** undefined when the Secret does not exist; SecretForbidden on 403; UpstreamError on any other failure. */
  read(namespace: string, name: string): Promise<SecretData | undefined>;
}

export function createSecretReader(kube: KubeClient): SecretReader {
  let core: CoreV1Api | undefined;
  return {
    async read(namespace, name) {
      core ??= kube.config.makeApiClient(CoreV1Api);
      const api = core;
      let secret;
      try {
        secret = await api.readNamespacedSecret({ name, namespace }, kube.callOptions());
      } catch (err) {
        const code = statusOf(err);
        if (code === 404) return undefined;
        if (code === 403) throw new SecretForbidden(namespace, name);
        throw new UpstreamError('kube-apiserver', err);
      }
      const data = new Map<string, string>();
      for (const [key, value] of Object.entries(secret.data ?? {}))
        data.set(key, Buffer.from(value, 'base64').toString('utf8'));
      // stringData is write-only in the API, but a stand-in may echo it: take it as the apiserver would have.
      for (const [key, value] of Object.entries(secret.stringData ?? {})) data.set(key, value);
      return {
        resourceVersion: secret.metadata?.resourceVersion ?? '',
        data,
        annotations: secret.metadata?.annotations ?? {},
      };
    },
  };
}
