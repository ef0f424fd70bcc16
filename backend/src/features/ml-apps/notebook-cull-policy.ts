// Where a workspace's GPU-aware idle culling policy lives (docs/adr/0041): one ConfigMap per workspace in the
// backend's own namespace, labelled with the workspace so the culler lists the enabled ones in one call. A missing
// or unreadable ConfigMap is the default policy: off.
import {
  DEFAULT_NOTEBOOK_CULL_POLICY,
  NotebookCullPolicy,
  type NotebookCullPolicyView,
} from '@ks-gpu-ml/contracts';
import { Value } from '@sinclair/typebox/value';
import type { V1ConfigMap } from '@kubernetes/client-node';
import type { NotebookCullClient } from '../../clients/notebook-cull.js';
import { MANAGED_BY } from './notebook-manifest.js';

export const CULL_POLICY_LABEL = 'ml-apps.ks-gpu-ml.io/notebook-cull-workspace';
export const CULL_POLICY_KEY = 'policy.json';
export const cullPolicyConfigMapName = (workspace: string) => `ks-gpu-ml-notebook-cull-${workspace}`;

export interface StoredCullPolicy {
  workspace: string;
  policy: NotebookCullPolicy;
  updatedBy?: string;
  updatedAt?: string;
}

/** The stored policy of a ConfigMap, or undefined when its data is not a policy (then the default applies). */
export function readCullPolicy(cm: V1ConfigMap): StoredCullPolicy | undefined {
  const workspace = cm.metadata?.labels?.[CULL_POLICY_LABEL];
  const text = cm.data?.[CULL_POLICY_KEY];
  if (!workspace || !text) return undefined;
  let parsed: { policy?: unknown; updatedBy?: unknown; updatedAt?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    return undefined;
  }
  if (!Value.Check(NotebookCullPolicy, parsed.policy)) return undefined;
  return {
    workspace,
    policy: parsed.policy,
    ...(typeof parsed.updatedBy === 'string' ? { updatedBy: parsed.updatedBy } : {}),
    ...(typeof parsed.updatedAt === 'string' ? { updatedAt: parsed.updatedAt } : {}),
  };
}

export function cullPolicyConfigMap(namespace: string, stored: StoredCullPolicy): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: cullPolicyConfigMapName(stored.workspace),
      namespace,
      labels: { ...MANAGED_BY, [CULL_POLICY_LABEL]: stored.workspace },
    },
    data: {
      [CULL_POLICY_KEY]: JSON.stringify({
        policy: stored.policy,
        updatedBy: stored.updatedBy,
        updatedAt: stored.updatedAt,
      }),
    },
  };
}

export interface CullPolicyStore {
  get(workspace: string): Promise<NotebookCullPolicyView>;
  put(
    workspace: string,
    policy: NotebookCullPolicy,
    by: string,
    nowMs: number,
  ): Promise<NotebookCullPolicyView>;
  /** Every stored policy (on or off: a policy turned off still clears its workspace's warnings). */
  stored(): Promise<StoredCullPolicy[]>;
}

export function cullPolicyStore(client: NotebookCullClient): CullPolicyStore {
  const warnedBy = client.alerting ? ('cmdb-alerting' as const) : ('event' as const);
  const view = (workspace: string, stored: StoredCullPolicy | undefined): NotebookCullPolicyView => ({
    workspace,
    policy: stored?.policy ?? DEFAULT_NOTEBOOK_CULL_POLICY,
    ...(stored?.updatedBy ? { updatedBy: stored.updatedBy } : {}),
    ...(stored?.updatedAt ? { updatedAt: stored.updatedAt } : {}),
    warnedBy,
  });
  return {
    async get(workspace) {
      if (!workspace) return view('', undefined);
      const cm = await client.configMap(cullPolicyConfigMapName(workspace));
      const stored = cm ? readCullPolicy(cm) : undefined;
      return view(workspace, stored?.workspace === workspace ? stored : undefined);
    },
    async put(workspace, policy, by, nowMs) {
      const stored = { workspace, policy, updatedBy: by, updatedAt: new Date(nowMs).toISOString() };
      await client.putConfigMap(cullPolicyConfigMap(client.ownNamespace, stored));
      return view(workspace, stored);
    },
    async stored() {
      const maps = await client.configMaps(CULL_POLICY_LABEL);
      return maps.flatMap((cm) => {
        const stored = readCullPolicy(cm);
        return stored && cm.metadata?.name === cullPolicyConfigMapName(stored.workspace) ? [stored] : [];
      });
    },
  };
}
