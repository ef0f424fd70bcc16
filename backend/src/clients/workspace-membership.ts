// Which workspace each namespace belongs to, from one watch of the namespaces carrying the workspace label. The
// composition root (app.ts) makes one per process and hands it to every feature (FeatureDeps.membership), so
// the process holds one copy of the namespaces and one watch on them, however many features ask (docs/adr/0023).
import { CoreV1Api } from '@kubernetes/client-node';
import { WORKSPACE_LABEL } from '../shared/workspace-label.js';
import { createWatchCache, type WatchCache } from './kube-cache.js';
import { slimNamespace, type NamespaceView } from './kube-projections.js';
import type { KubeClient } from './kube.js';
import { UpstreamError } from './upstream.js';

const RESYNC_MS = 10 * 60_000;

export interface WorkspaceMembership {
  /** Namespace → workspace, for every namespace in a workspace. */
  workspaceOf(): Promise<ReadonlyMap<string, string>>;
  /** Names of the namespaces labelled with the workspace, sorted. */
  namespacesOf(workspace: string): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * The watch starts on first use, so a process whose features never ask opens none. `maxBytes`: the watch cache's
 * budget (KUBE_WATCH_CACHE_MAX_BYTES).
 */
export function createWorkspaceMembership(
  kube: KubeClient,
  options: { maxBytes: number; onError?: (err: unknown) => void },
): WorkspaceMembership {
  let cache: WatchCache<NamespaceView> | undefined;
  // The map is rebuilt only when the watch has delivered a new list (the cache answers the same array until then).
  let built: { from: readonly NamespaceView[]; map: ReadonlyMap<string, string> } | undefined;

  const namespaces = (): WatchCache<NamespaceView> => {
    if (cache) return cache;
    const core = kube.config.makeApiClient(CoreV1Api);
    cache = createWatchCache({
      config: kube.config,
      path: '/api/v1/namespaces',
      labelSelector: WORKSPACE_LABEL,
      list: (page) => core.listNamespace({ labelSelector: WORKSPACE_LABEL, ...page }, kube.callOptions()),
      // The name and the workspace label are all the map is made of.
      project: slimNamespace([WORKSPACE_LABEL]),
      maxBytes: options.maxBytes,
      resyncMs: RESYNC_MS,
      ...(options.onError ? { onError: options.onError } : {}),
    });
    return cache;
  };

  const workspaceOf = async (): Promise<ReadonlyMap<string, string>> => {
    const current = namespaces();
    try {
      await current.ready();
    } catch (err) {
      throw new UpstreamError('kube-apiserver', err);
    }
    const list = current.list();
    if (built?.from !== list) built = { from: list, map: membershipOf(list) };
    return built.map;
  };

  return {
    workspaceOf,
    async namespacesOf(workspace) {
      const names: string[] = [];
      for (const [ns, ws] of await workspaceOf()) if (ws === workspace) names.push(ns);
      return names.sort();
    },
    stop: async () => cache?.stop(),
  };
}

function membershipOf(namespaces: readonly NamespaceView[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const ns of namespaces) {
    const ws = ns.metadata?.labels?.[WORKSPACE_LABEL];
    if (ws && ns.metadata?.name) map.set(ns.metadata.name, ws);
  }
  return map;
}
