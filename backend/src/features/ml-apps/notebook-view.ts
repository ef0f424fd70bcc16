// A stored notebook as the list shows it: status from its pod and events, and what its first container asks for.
import { notebookOpenPath, parseQuantity, type Notebook } from '@ks-gpu-ml/contracts';
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import type { KubeNotebook } from '../../clients/ml-apps-kube.js';
import { gpuHoursOf } from './gpu-hours.js';
import { cullView } from './notebook-cull.js';
import { CREATOR_ANNOTATION } from './notebook-manifest.js';
import { servedUnderProxy } from './notebook-open.js';
import { notebookStatus } from './notebook-status.js';
import { GPU_MODEL_LABEL } from './precheck.js';

/** Kubeflow's culling controller writes this when it checks the kernels. */
const LAST_ACTIVITY_ANNOTATION = 'notebooks.kubeflow.org/last-activity';

/** Node resources that are not accelerators. */
const PLAIN = /^(cpu|memory|pods|ephemeral-storage|storage|hugepages-.*)$/;

export function notebookView(
  notebook: KubeNotebook,
  pod: V1Pod | undefined,
  events: readonly CoreV1Event[],
): Notebook {
  const spec = notebook.spec?.template?.spec;
  const container = spec?.containers?.[0];
  const amounts = { ...container?.resources?.limits, ...container?.resources?.requests };
  const model = spec?.nodeSelector?.[GPU_MODEL_LABEL];
  const annotations = notebook.metadata?.annotations ?? {};
  const created = notebook.metadata?.creationTimestamp;
  const gpuHours = gpuHoursOf(pod ? [pod] : []);
  const cull = cullView(notebook);
  return {
    name: notebook.metadata?.name ?? '',
    namespace: notebook.metadata?.namespace ?? '',
    image: container?.image ?? '',
    status: notebookStatus(notebook, pod, events),
    cpu: parseQuantity(amounts.cpu) ?? 0,
    memoryBytes: parseQuantity(amounts.memory) ?? 0,
    gpus: Object.entries(amounts)
      .filter(([resource]) => !PLAIN.test(resource))
      .map(([resource, value]) => ({
        resource,
        count: parseQuantity(value) ?? 0,
        ...(model ? { model } : {}),
      })),
    createdAt: created ? new Date(created).toISOString() : '',
    ...(annotations[LAST_ACTIVITY_ANNOTATION] ? { lastActivity: annotations[LAST_ACTIVITY_ANNOTATION] } : {}),
    ...(annotations[CREATOR_ANNOTATION] ? { creator: annotations[CREATOR_ANNOTATION] } : {}),
    ...(gpuHours !== undefined ? { gpuHours } : {}),
    ...(cull ? { cull } : {}),
    ...(servedUnderProxy(notebook)
      ? {
          openPath: `${notebookOpenPath(notebook.metadata?.namespace ?? '', notebook.metadata?.name ?? '')}/`,
        }
      : {}),
  };
}
