// GPU-aware idle culling (docs/adr/0041): what the culler does to each notebook of a workspace, from the
// notebooks' annotations, the pods gpu-monitoring counts as idle-allocated now, the workspace's policy and the
// time. The state lives on the notebook itself (annotations), so a restarted backend or a second replica picks
// up where the last run stopped, and the list shows it. Pure.
import type { Notebook, NotebookCullPolicy } from '@ks-gpu-ml/contracts';
import type { KubeNotebook } from '../../clients/ml-apps-kube.js';
import { STOPPED_ANNOTATION } from './notebook-status.js';

/** Since when the notebook's GPUs have been allocated but idle (the start of the first idle window seen). */
export const IDLE_SINCE_ANNOTATION = 'ml-apps.ks-gpu-ml.io/gpu-idle-since';
/** When its owner was warned, and when it will be stopped if it stays idle. */
export const CULL_WARNED_ANNOTATION = 'ml-apps.ks-gpu-ml.io/cull-warned-at';
export const CULL_STOP_AT_ANNOTATION = 'ml-apps.ks-gpu-ml.io/cull-stop-at';
/** When the culler stopped it; removed when the notebook is started again. */
export const CULLED_AT_ANNOTATION = 'ml-apps.ks-gpu-ml.io/culled-at';

/**
 * gpu-monitoring's idle-allocated series (charts/gpu-monitoring/rules/gpu.rules.yaml): one sample per GPU held by
 * the same pod for the last 30 minutes at under 5 % utilization throughout. A test checks the rule file records it.
 */
export const IDLE_ALLOCATED_SERIES = 'gpu_pod:dcgm_idle_allocated:max30m';
/** The series' window: a GPU seen idle now has been idle at least this long. */
export const IDLE_WINDOW_MS = 30 * 60_000;

export type CullAction =
  /** First seen idle: record since when (now minus the idle window). */
  | { kind: 'mark-idle'; name: string; idleSince: string }
  /** Busy again, GPU-less, stopped, or the policy is off: forget the idle time and any warning. */
  | { kind: 'clear'; name: string }
  /** Warn the owner that it will be stopped at `stopAt` if it stays idle. */
  | { kind: 'warn'; name: string; idleSince: string; stopAt: string }
  /** Stop it: the policy's limit has passed and the owner was warned long enough ago. */
  | { kind: 'stop'; name: string; idleSince: string };

const iso = (ms: number) => new Date(ms).toISOString();
const msOf = (text: string | undefined): number | undefined => {
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
};

/** How many GPU devices (whole GPUs and MIG instances) the notebook's container asks for. */
export function notebookGpuCount(notebook: KubeNotebook): number {
  const container = notebook.spec?.template?.spec?.containers?.[0];
  const amounts = { ...container?.resources?.limits, ...container?.resources?.requests };
  return Object.entries(amounts)
    .filter(([r]) => /\/(gpu|mig-[^/]+)$/.test(r))
    .reduce((n, [, v]) => n + (Number.parseInt(String(v), 10) || 0), 0);
}

/** The notebook controller's StatefulSet has one replica: the notebook's pod is `<name>-0`. */
export const notebookPodName = (name: string) => `${name}-0`;

/**
 * What to do with each notebook of one namespace. `idleGpus` counts, per pod of the namespace, the GPUs it holds
 * that are idle-allocated now. A notebook is idle when all the GPUs it asks for are: one working GPU keeps it.
 */
export function cullPlan(
  notebooks: readonly KubeNotebook[],
  idleGpus: ReadonlyMap<string, number>,
  policy: NotebookCullPolicy,
  nowMs: number,
): CullAction[] {
  const actions: CullAction[] = [];
  const limitMs = policy.idleHours * 3_600_000;
  const leadMs = policy.warnMinutes * 60_000;
  for (const notebook of notebooks) {
    const name = notebook.metadata?.name ?? '';
    const annotations = notebook.metadata?.annotations ?? {};
    const tracked =
      annotations[IDLE_SINCE_ANNOTATION] !== undefined || annotations[CULL_WARNED_ANNOTATION] !== undefined;
    const stopped = annotations[STOPPED_ANNOTATION] !== undefined;
    const gpus = notebookGpuCount(notebook);
    const idle = policy.enabled && !stopped && gpus > 0 && (idleGpus.get(notebookPodName(name)) ?? 0) >= gpus;
    if (!idle) {
      if (tracked) actions.push({ kind: 'clear', name });
      continue;
    }
    let idleSinceMs = msOf(annotations[IDLE_SINCE_ANNOTATION]);
    if (idleSinceMs === undefined) {
      idleSinceMs = nowMs - IDLE_WINDOW_MS;
      actions.push({ kind: 'mark-idle', name, idleSince: iso(idleSinceMs) });
    }
    const idleSince = iso(idleSinceMs);
    const limitAt = idleSinceMs + limitMs;
    const warnedMs = msOf(annotations[CULL_WARNED_ANNOTATION]);
    if (warnedMs === undefined) {
      if (nowMs >= limitAt - leadMs) {
        actions.push({ kind: 'warn', name, idleSince, stopAt: iso(Math.max(limitAt, nowMs + leadMs)) });
      }
      continue;
    }
    // Warned: stop once the limit has passed and the owner had the whole lead to react.
    if (nowMs >= Math.max(limitAt, warnedMs + leadMs)) actions.push({ kind: 'stop', name, idleSince });
  }
  return actions;
}

/** The annotation patch (merge patch: null removes) an action writes, with `nowMs` for warnings and stops. */
export function cullPatch(action: CullAction, nowMs: number): Record<string, string | null> {
  switch (action.kind) {
    case 'mark-idle':
      return { [IDLE_SINCE_ANNOTATION]: action.idleSince };
    case 'clear':
      return {
        [IDLE_SINCE_ANNOTATION]: null,
        [CULL_WARNED_ANNOTATION]: null,
        [CULL_STOP_AT_ANNOTATION]: null,
      };
    case 'warn':
      return {
        [IDLE_SINCE_ANNOTATION]: action.idleSince,
        [CULL_WARNED_ANNOTATION]: iso(nowMs),
        [CULL_STOP_AT_ANNOTATION]: action.stopAt,
      };
    case 'stop':
      return {
        [STOPPED_ANNOTATION]: iso(nowMs),
        [CULLED_AT_ANNOTATION]: iso(nowMs),
        [IDLE_SINCE_ANNOTATION]: null,
        [CULL_WARNED_ANNOTATION]: null,
        [CULL_STOP_AT_ANNOTATION]: null,
      };
  }
}

/** The list's view of the culler's state (absent when there is none). */
export function cullView(notebook: KubeNotebook): Notebook['cull'] {
  const a = notebook.metadata?.annotations ?? {};
  const cull = {
    ...(a[IDLE_SINCE_ANNOTATION] ? { idleSince: a[IDLE_SINCE_ANNOTATION] } : {}),
    ...(a[CULL_WARNED_ANNOTATION] ? { warnedAt: a[CULL_WARNED_ANNOTATION] } : {}),
    ...(a[CULL_STOP_AT_ANNOTATION] ? { stopAt: a[CULL_STOP_AT_ANNOTATION] } : {}),
    ...(a[CULLED_AT_ANNOTATION] ? { culledAt: a[CULLED_AT_ANNOTATION] } : {}),
  };
  return Object.keys(cull).length ? cull : undefined;
}
