// The events of one ML app as its page shows them: about the app itself or what its controller makes under its
// name (StatefulSet, JobSet, Service), and about its pods — scheduler, quota admission, kubelet — verbatim, newest
// first. Which pods are the app's comes from the labels its controller puts on them. Pure.
import type { MlAppEvent, MlAppKind } from '@ks-gpu-ml/contracts';
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { NOTEBOOK_POD_LABEL } from './notebook-status.js';
import { ISVC_POD_LABEL } from './serving-manifest.js';
import { JOBSET_NAME_LABEL } from './trainjob-manifest.js';
import { JOB_NAME_LABEL } from './training-job-view.js';

/** The most events one answer holds. */
export const EVENTS_LIMIT = 200;

/** The label whose value names the app on each of its pods. */
export function podLabelOf(kind: MlAppKind): string {
  if (kind === 'Notebook') return NOTEBOOK_POD_LABEL;
  if (kind === 'TrainJob') return JOBSET_NAME_LABEL;
  return JOB_NAME_LABEL;
}

/** Labels that make a pod an ML app's: the only pods whose logs the log route reads. */
// A KServe service's pods too (predictor, transformer, explainer): the serving detail shows their logs.
export const APP_POD_LABELS = [
  NOTEBOOK_POD_LABEL,
  JOBSET_NAME_LABEL,
  JOB_NAME_LABEL,
  ISVC_POD_LABEL,
] as const;

const when = (e: CoreV1Event): string => {
  const t = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
  return t ? new Date(t as unknown as string).toISOString() : '';
};

export function appEvents(
  name: string,
  pods: readonly V1Pod[],
  events: readonly CoreV1Event[],
): MlAppEvent[] {
  const podNames = new Set(pods.map((p) => p.metadata?.name ?? ''));
  return events
    .filter((e) => {
      const about = e.involvedObject;
      return about.kind === 'Pod' ? podNames.has(about.name ?? '') : about.name === name;
    })
    .map((e) => ({
      type: e.type ?? 'Normal',
      reason: e.reason ?? '',
      message: e.message ?? '',
      object: `${e.involvedObject.kind ?? ''}/${e.involvedObject.name ?? ''}`,
      count: e.count ?? e.series?.count ?? 1,
      lastSeen: when(e),
    }))
    .sort((a, b) => b.lastSeen.localeCompare(a.lastSeen))
    .slice(0, EVENTS_LIMIT);
}
