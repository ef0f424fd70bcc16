// The GPU-aware idle culler (docs/adr/0041): once per run, for every workspace whose policy is on, it reads the
// idle-allocated GPUs once, plans each project's notebooks (notebook-cull.ts) and carries the plan out: annotations
// on the notebook (the state, which the list shows), an Event on it for a warning or a stop, and the warning as an
// alert for cmdb-alerting when Alertmanager is configured. One notebook's failure is logged and does not stop the
// others; the next run retries what is still due.
import type { NotebookCullPolicy } from '@ks-gpu-ml/contracts';
import type { CoreV1Event } from '@kubernetes/client-node';
import type { KubeNotebook, MlAppsKube } from '../../clients/ml-apps-kube.js';
import type { NotebookCullClient } from '../../clients/notebook-cull.js';
import type { Translate } from '../../core/i18n.js';
import { CREATOR_ANNOTATION } from './notebook-manifest.js';
import { cullPatch, cullPlan, IDLE_ALLOCATED_SERIES, type CullAction } from './notebook-cull.js';
import type { CullPolicyStore } from './notebook-cull-policy.js';

export const CULL_WARNING_REASON = 'GpuIdleCullWarning';
export const CULLED_REASON = 'GpuIdleCulled';
export const CULL_ALERT_NAME = 'NotebookGpuIdleCull';

export interface CullerDeps {
  kube: Pick<MlAppsKube, 'listNotebooks' | 'annotateNotebook'>;
  client: NotebookCullClient;
  policies: CullPolicyStore;
  namespacesOf(workspace: string): Promise<string[]>;
  translate: Translate;
  log?: (msg: string, err?: unknown) => void;
}

export interface CullRun {
  actions: { workspace: string; namespace: string; action: CullAction }[];
  failures: number;
}

export function createNotebookCuller(deps: CullerDeps) {
  const t = (key: string, params: Record<string, unknown>) => deps.translate('en', key, params);

  function event(
    notebook: KubeNotebook,
    type: 'Warning' | 'Normal',
    reason: string,
    message: string,
    nowMs: number,
  ): CoreV1Event {
    const at = new Date(nowMs);
    const meta = notebook.metadata ?? {};
    return {
      metadata: { generateName: `${meta.name ?? 'notebook'}.`, namespace: meta.namespace ?? '' },
      involvedObject: {
        apiVersion: 'kubeflow.org/v1',
        kind: 'Notebook',
        name: meta.name ?? '',
        namespace: meta.namespace ?? '',
        ...(meta.uid ? { uid: meta.uid } : {}),
      },
      type,
      reason,
      message,
      source: { component: 'ks-gpu-ml-ml-apps' },
      reportingComponent: 'ks-gpu-ml-ml-apps',
      firstTimestamp: at,
      lastTimestamp: at,
      count: 1,
    };
  }

  async function carryOut(
    workspace: string,
    policy: NotebookCullPolicy,
    notebook: KubeNotebook,
    action: CullAction,
    nowMs: number,
  ): Promise<void> {
    const namespace = notebook.metadata?.namespace ?? '';
    await deps.kube.annotateNotebook(namespace, action.name, cullPatch(action, nowMs));
    if (action.kind === 'warn') {
      const params = {
        name: action.name,
        idleSince: action.idleSince,
        stopAt: action.stopAt,
        hours: policy.idleHours,
      };
      const message = t('ML_APPS_CULL_WARNING_EVENT', params);
      await deps.client.createEvent(
        namespace,
        event(notebook, 'Warning', CULL_WARNING_REASON, message, nowMs),
      );
      if (deps.client.alerting) {
        const creator = notebook.metadata?.annotations?.[CREATOR_ANNOTATION];
        await deps.client.postAlerts([
          {
            labels: {
              alertname: CULL_ALERT_NAME,
              severity: 'warning',
              namespace,
              workspace,
              notebook: action.name,
              ...(creator ? { creator } : {}),
            },
            annotations: { summary: t('ML_APPS_CULL_WARNING_SUMMARY', params), description: message },
            startsAt: new Date(nowMs).toISOString(),
            endsAt: action.stopAt,
          },
        ]);
      }
    }
    if (action.kind === 'stop') {
      const message = t('ML_APPS_CULL_STOPPED_EVENT', {
        name: action.name,
        idleSince: action.idleSince,
        hours: policy.idleHours,
      });
      await deps.client.createEvent(namespace, event(notebook, 'Normal', CULLED_REASON, message, nowMs));
    }
  }

  return {
    /** One pass over every workspace with a stored policy at `nowMs`; what it did. */
    async runOnce(nowMs = Date.now()): Promise<CullRun> {
      const run: CullRun = { actions: [], failures: 0 };
      const policies = await deps.policies.stored();
      if (policies.length === 0) return run;
      // Prometheus is asked only when some policy is on: a policy turned off only clears.
      const idle = policies.some((p) => p.policy.enabled)
        ? await deps.client.idleGpus(IDLE_ALLOCATED_SERIES)
        : new Map<string, Map<string, number>>();
      for (const { workspace, policy } of policies) {
        for (const namespace of await deps.namespacesOf(workspace)) {
          let notebooks: KubeNotebook[];
          try {
            notebooks = await deps.kube.listNotebooks(namespace);
          } catch (err) {
            run.failures += 1;
            deps.log?.(`notebook culling: listing notebooks of ${namespace} failed`, err);
            continue;
          }
          const byName = new Map(notebooks.map((n) => [n.metadata?.name ?? '', n]));
          for (const action of cullPlan(notebooks, idle.get(namespace) ?? new Map(), policy, nowMs)) {
            try {
              await carryOut(workspace, policy, byName.get(action.name)!, action, nowMs);
              run.actions.push({ workspace, namespace, action });
            } catch (err) {
              run.failures += 1;
              deps.log?.(`notebook culling: ${action.kind} of ${namespace}/${action.name} failed`, err);
            }
          }
        }
      }
      return run;
    },
  };
}
