// ks-apiserver's APIService filter (kubesphere-extensions.md §2.2, §3.3): /kapis/<group>/<version>/... goes to the
// endpoint of the installed APIService claiming that group and version. Opt-in (`apiServices` option): the sandbox's
// own shim sends every group of ours to its one backend; a test that installs the packages follows what they
// installed. Cluster DNS does not exist here, so `<service>.<namespace>.svc:<port>` is looked up in `addresses`.
import type { KubeClient } from './kube.js';
import type { List } from './kube-reads.js';

const APISERVICES = '/apis/extensions.kubesphere.io/v1alpha1/apiservices';

export interface ApiServiceRouting {
  /** `<service>.<namespace>.svc:<port>` → `127.0.0.1:<port>`: the stand-in for cluster DNS. */
  addresses: Record<string, string>;
}

interface Endpoint {
  url?: string;
  service?: { namespace: string; name: string; port?: number; path?: string };
  caBundle?: string;
  insecureSkipVerify?: boolean;
}
interface ApiService {
  metadata: { name: string };
  spec?: Endpoint & { group?: string; version?: string };
  status?: { state?: string };
}

/** Where and how to reach an APIService's backend. */
export interface UpstreamTarget {
  /** The URL connected to (scheme and address only, as ks-apiserver uses). */
  url: URL;
  /** The host name the certificate must carry (the Service's DNS name). */
  servername: string;
  /** PEM to verify with; undefined: the system's roots. */
  ca?: string;
  rejectUnauthorized: boolean;
}

export type ApiServiceLookup =
  { kind: 'none' } | { kind: 'unavailable'; name: string } | { kind: 'target'; target: UpstreamTarget };

/** The endpoint of one APIService: `service` is https://<name>.<ns>.svc:<port, 443>; `url` keeps scheme and host. */
export function upstreamOf(spec: Endpoint, addresses: Record<string, string>): UpstreamTarget {
  const base = spec.service
    ? new URL(`https://${spec.service.name}.${spec.service.namespace}.svc:${spec.service.port ?? 443}`)
    : new URL(spec.url ?? 'http://invalid.invalid');
  const servername = base.hostname;
  const mapped = addresses[`${base.hostname}:${base.port || (base.protocol === 'https:' ? 443 : 80)}`];
  const url = new URL(`${base.protocol}//${mapped ?? base.host}`);
  // caBundle is bytes (JSON: their base64), and KubeSphere decodes those bytes once more (filters/apiservice.go):
  // base64 twice over the PEM, as the chart writes it.
  const unbase64 = (text: string) => Buffer.from(text, 'base64').toString();
  const ca = spec.caBundle ? unbase64(unbase64(spec.caBundle)) : undefined;
  return { url, servername, ...(ca ? { ca } : {}), rejectUnauthorized: spec.insecureSkipVerify !== true };
}

/** The installed APIService for `group`/`version`, as ks-apiserver finds it. */
export async function findApiService(
  kube: KubeClient,
  group: string,
  version: string,
  routing: ApiServiceRouting,
): Promise<ApiServiceLookup> {
  const items = (await kube.get<List<ApiService>>(APISERVICES))?.items ?? [];
  const found = items.find((a) => a.spec?.group === group && a.spec?.version === version);
  if (!found?.spec) return { kind: 'none' };
  if (found.status?.state !== 'Available') return { kind: 'unavailable', name: found.metadata.name };
  return { kind: 'target', target: upstreamOf(found.spec, routing.addresses) };
}
