// A stand-in for Kueue's visibility server (the on-demand pending-workloads API the Kueue manager serves as an
// aggregated API): no Kueue manager runs in the sandbox, so this answers what it would, from the Workload and
// LocalQueue objects in the real kube-apiserver, over HTTPS on loopback. The kube-apiserver authenticates and
// authorizes each caller (RBAC on visibility.kueue.x-k8s.io) before it proxies here, as with Kueue's own server.
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  clusterQueuePending,
  DEFAULT_LIMIT,
  localQueuePending,
  summary,
  VISIBILITY_GROUP,
  VISIBILITY_VERSION,
  type LocalQueueLike,
  type WorkloadLike,
} from './pending.js';

/** The Kueue API the sandbox's CRDs serve (tests/sandbox/crds/kueue.x-k8s.io.yaml). */
const KUEUE = { group: 'kueue.x-k8s.io', version: 'v1beta1' } as const;

const GROUP_VERSION = `${VISIBILITY_GROUP}/${VISIBILITY_VERSION}`;
const LOCAL = new RegExp(`^/apis/${GROUP_VERSION}/namespaces/([^/]+)/localqueues/([^/]+)/pendingworkloads$`);
const CLUSTER = new RegExp(`^/apis/${GROUP_VERSION}/clusterqueues/([^/]+)/pendingworkloads$`);

/** Kueue's discovery: the queues (get only) and their pendingworkloads subresources. */
const RESOURCES = {
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: GROUP_VERSION,
  resources: [
    { name: 'clusterqueues', singularName: '', namespaced: false, kind: 'ClusterQueue', verbs: ['get'] },
    {
      name: 'clusterqueues/pendingworkloads',
      singularName: '',
      namespaced: false,
      kind: 'PendingWorkloadsSummary',
      verbs: ['get'],
    },
    { name: 'localqueues', singularName: '', namespaced: true, kind: 'LocalQueue', verbs: ['get'] },
    {
      name: 'localqueues/pendingworkloads',
      singularName: '',
      namespaced: true,
      kind: 'PendingWorkloadsSummary',
      verbs: ['get'],
    },
  ],
};
const GROUP = {
  kind: 'APIGroup',
  apiVersion: 'v1',
  name: VISIBILITY_GROUP,
  versions: [{ groupVersion: GROUP_VERSION, version: VISIBILITY_VERSION }],
  preferredVersion: { groupVersion: GROUP_VERSION, version: VISIBILITY_VERSION },
};

function status(code: number, reason: string, message: string) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

/** `limit` and `offset` as Kueue reads them: whole numbers, limit at least 1. */
function page(params: URLSearchParams): { offset: number; limit: number } | string {
  const read = (name: string, fallback: number, min: number) => {
    const raw = params.get(name);
    if (raw === null) return fallback;
    const n = Number(raw);
    return Number.isInteger(n) && n >= min ? n : undefined;
  };
  const limit = read('limit', DEFAULT_LIMIT, 1);
  const offset = read('offset', 0, 0);
  if (limit === undefined) return 'limit must be a whole number of at least 1';
  if (offset === undefined) return 'offset must be a whole number of at least 0';
  return { offset, limit };
}

export interface VisibilityServer {
  server: Server;
  port: number;
}

/** Starts the stand-in on 127.0.0.1 (a free port unless given), with the TLS key and certificate given. */
export async function startVisibilityServer(
  kc: KubeConfig,
  tls: { key: string; cert: string },
  port = 0,
): Promise<VisibilityServer> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const list = async <T>(plural: string) =>
    ((await custom.listClusterCustomObject({ ...KUEUE, plural })) as { items?: T[] }).items ?? [];
  const server = createServer(tls, (req, res) => {
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'https://localhost');
    if (req.method !== 'GET') return send(405, status(405, 'MethodNotAllowed', 'only GET is served'));
    if (url.pathname === '/healthz' || url.pathname === '/readyz') return send(200, 'ok');
    if (url.pathname === `/apis/${GROUP_VERSION}`) return send(200, RESOURCES);
    if (url.pathname === `/apis/${VISIBILITY_GROUP}`) return send(200, GROUP);
    if (url.pathname === '/apis')
      return send(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [GROUP] });
    const local = LOCAL.exec(url.pathname);
    const cluster = CLUSTER.exec(url.pathname);
    if (!local && !cluster) return send(404, status(404, 'NotFound', `${url.pathname} is not served`));
    const paging = page(url.searchParams);
    if (typeof paging === 'string') return send(400, status(400, 'BadRequest', paging));
    Promise.all([list<WorkloadLike>('workloads'), list<LocalQueueLike>('localqueues')])
      .then(([workloads, queues]) => {
        const items = local
          ? localQueuePending(decodeURIComponent(local[1]!), decodeURIComponent(local[2]!), workloads, queues)
          : clusterQueuePending(decodeURIComponent(cluster![1]!), workloads, queues);
        send(200, summary(items, paging.offset, paging.limit));
      })
      .catch((err: unknown) =>
        send(503, status(503, 'ServiceUnavailable', `listing Kueue objects: ${String(err)}`)),
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
