// What an InferenceService is doing, in the controller's and the model server's own words: a model that failed
// to load shows `status.modelStatus.lastFailureInfo` verbatim, a crashing predictor its container's termination
// reason and message, a service not ready yet the first condition or pod that says why — never just "failed"
// (what KServe's web app shows). Pure: the caller reads the objects.
import type { InferenceServiceDetail, InferenceServiceSummary, ServingStatus } from '@ks-gpu-ml/contracts';
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import type { KubeInferenceService } from '../../clients/serving-kube.js';
import { gpuHoursOf } from './gpu-hours.js';
import { CREATOR_ANNOTATION } from './notebook-manifest.js';
import { podStatus } from './notebook-status.js';
import {
  COMPONENT_LABEL,
  ISVC_POD_LABEL,
  MODEL_LABEL,
  PREVIOUS_VERSION_ANNOTATION,
  STOP_ANNOTATION,
  VERSION_LABEL,
} from './serving-manifest.js';

const NOT_GPU = new Set(['cpu', 'memory', 'ephemeral-storage', 'pods']);
const FAILED_MODEL_STATES = new Set(['BlockedByFailedLoad', 'InvalidSpec']);

/** A status with its reason and message only when there are some (InferenceServices and LLM ones alike). */
const status = (phase: ServingStatus['phase'], reason?: string, message?: string): ServingStatus => ({
  phase,
  ...(reason ? { reason } : {}),
  ...(message ? { message } : {}),
});

/** The GPUs a serving container's limits ask for: every resource but the ones that are not devices. */
export const gpusOf = (limits: Record<string, unknown>) =>
  Object.entries(limits)
    .filter(([resource]) => !NOT_GPU.has(resource))
    .map(([resource, count]) => ({ resource, count: Number(count) }));

/** A version label's value as a model version (a positive integer), else undefined. */
export const versionOf = (value: string | undefined): number | undefined => {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : undefined;
};

type Condition = { type: string; status: string; reason?: string; message?: string };

/**
 * What a KServe resource's knative conditions, pods and warnings say, once nothing decided before (stopped, a
 * failed load): Ready; else a crashing pod; else the first not-ready condition that says why, the parts' conditions
 * before the `aggregates` (they say more); else a waiting pod; else the newest warning.
 */
export function conditionsStatus(
  name: string,
  conditions: readonly Condition[],
  pods: readonly V1Pod[],
  events: readonly CoreV1Event[],
  aggregates: ReadonlySet<string>,
): ServingStatus {
  if (conditions.find((c) => c.type === 'Ready')?.status === 'True') return status('ready');
  const podStates = pods.map((p) => servingPodStatus(p));
  const crashing = podStates.find((s) => s.phase === 'failed');
  if (crashing) return crashing;
  const said = [
    ...conditions.filter((c) => !aggregates.has(c.type) && c.status === 'False' && c.message),
    ...conditions.filter((c) => aggregates.has(c.type) && c.status === 'False' && c.message),
  ][0];
  if (said) return status('waiting', said.reason, said.message);
  const waitingPod = podStates.find((s) => s.phase === 'waiting' && s.message);
  if (waitingPod) return waitingPod;
  const warning = warningsAbout(events, name)[0];
  if (warning) return status('waiting', warning.reason, warning.message);
  return status('waiting', conditions.find((c) => c.type === 'Ready')?.reason);
}

const READY_ONLY: ReadonlySet<string> = new Set(['Ready']);

/** A predictor pod's state: a crashing container first (its last termination's words), else as a notebook's pod. */
export function servingPodStatus(pod: V1Pod, warning?: CoreV1Event): ServingStatus {
  for (const c of pod.status?.containerStatuses ?? []) {
    const last = c.lastState?.terminated;
    const now = c.state?.terminated;
    const crashed = c.state?.waiting?.reason === 'CrashLoopBackOff' || (now && now.exitCode !== 0);
    if (crashed) {
      const t = now && now.exitCode !== 0 ? now : last;
      return status('failed', t?.reason ?? c.state?.waiting?.reason, t?.message ?? c.state?.waiting?.message);
    }
  }
  const state = podStatus(pod, warning);
  return state.phase === 'running' ? status('ready') : status(state.phase, state.reason, state.message);
}

const when = (e: CoreV1Event) =>
  new Date(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? 0).getTime();

/** A warning as the detail shows it: the object it is about, its reason and message, when it was last seen. */
export const eventView = (e: CoreV1Event): InferenceServiceDetail['events'][number] => ({
  object: `${e.involvedObject.kind ?? ''}/${e.involvedObject.name ?? ''}`,
  ...(e.reason ? { reason: e.reason } : {}),
  ...(e.message ? { message: e.message } : {}),
  ...(when(e) > 0 ? { at: new Date(when(e)).toISOString() } : {}),
});

/** A served model's conditions as the detail shows them (an InferenceService's and an LLMInferenceService's alike). */
export const conditionsView = (
  conditions: NonNullable<KubeInferenceService['status']>['conditions'],
): InferenceServiceDetail['conditions'] =>
  (conditions ?? []).map((c) => ({
    type: c.type,
    status: c.status,
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.message ? { message: c.message } : {}),
    ...(c.lastTransitionTime ? { lastTransitionTime: c.lastTransitionTime } : {}),
  }));

/** Warnings about the service or the objects KServe derives from it (`<name>-predictor…`), newest first. */
export function warningsAbout(events: readonly CoreV1Event[], name: string): CoreV1Event[] {
  return events
    .filter((e) => {
      const object = e.involvedObject.name ?? '';
      return object === name || object.startsWith(`${name}-`);
    })
    .sort((a, b) => when(b) - when(a));
}

export function servingStatus(
  isvc: KubeInferenceService,
  pods: readonly V1Pod[],
  events: readonly CoreV1Event[],
): ServingStatus {
  if (isvc.metadata?.annotations?.[STOP_ANNOTATION] === 'true') return status('stopped');
  const model = isvc.status?.modelStatus;
  const failure = model?.lastFailureInfo;
  const loadFailed =
    FAILED_MODEL_STATES.has(model?.transitionStatus ?? '') ||
    model?.states?.targetModelState === 'FailedToLoad' ||
    model?.states?.activeModelState === 'FailedToLoad';
  if (failure && loadFailed) return status('failed', failure.reason, failure.message);
  const conditions = isvc.status?.conditions ?? [];
  return conditionsStatus(isvc.metadata?.name ?? '', conditions, pods, events, READY_ONLY);
}

export function summaryView(
  isvc: KubeInferenceService,
  pods: readonly V1Pod[],
  events: readonly CoreV1Event[],
  now = Date.now(),
): InferenceServiceSummary {
  const meta = isvc.metadata ?? {};
  const predictor = isvc.spec?.predictor;
  const model = predictor?.model;
  const modelName = meta.labels?.[MODEL_LABEL];
  const version = versionOf(meta.labels?.[VERSION_LABEL]);
  const previous = versionOf(meta.annotations?.[PREVIOUS_VERSION_ANNOTATION]);
  const ref = (v: number | undefined) => (modelName && v ? { name: modelName, version: v } : undefined);
  const predictors = pods.filter(
    (p) => (p.metadata?.labels?.[COMPONENT_LABEL] ?? 'predictor') === 'predictor',
  );
  const limits = model?.resources?.limits ?? {};
  const canaryPercent = predictor?.canaryTrafficPercent;
  const traffic = isvc.status?.components?.predictor?.traffic ?? [];
  const url = isvc.status?.url ?? isvc.status?.address?.url;
  const current = ref(version);
  const before = ref(previous);
  const gpuHours = gpuHoursOf(pods, now);
  return {
    name: meta.name ?? '',
    namespace: meta.namespace ?? '',
    ...(current ? { model: current } : {}),
    ...(model?.modelFormat?.name ? { format: model.modelFormat.name } : {}),
    ...(model?.storageUri ? { storageUri: model.storageUri } : {}),
    ...(model?.runtime ? { runtime: model.runtime } : {}),
    ...(model?.protocolVersion ? { protocolVersion: model.protocolVersion } : {}),
    ...(url ? { url } : {}),
    status: servingStatus(isvc, pods, events),
    replicas: {
      ...(predictor?.minReplicas !== undefined ? { min: predictor.minReplicas } : {}),
      ...(predictor?.maxReplicas !== undefined ? { max: predictor.maxReplicas } : {}),
      ready: predictors.filter((p) => servingPodStatus(p).phase === 'ready').length,
      pods: predictors.length,
    },
    gpus: gpusOf(limits),
    ...(gpuHours !== undefined ? { gpuHours } : {}),
    ...(canaryPercent !== undefined && canaryPercent !== null && canaryPercent < 100
      ? { canary: { percent: canaryPercent, ...(before ? { previous: before } : {}) } }
      : {}),
    traffic: traffic.map((t) => {
      const latest = t.latestRevision === true;
      const served = latest ? current : before;
      return {
        revisionName: t.revisionName ?? '',
        percent: t.percent ?? 0,
        ...(t.tag ? { tag: t.tag } : {}),
        latest,
        ...(served ? { model: served } : {}),
      };
    }),
    createdAt: meta.creationTimestamp ? new Date(meta.creationTimestamp).toISOString() : '',
    ...(meta.annotations?.[CREATOR_ANNOTATION] ? { creator: meta.annotations[CREATOR_ANNOTATION] } : {}),
  };
}

export function detailView(
  isvc: KubeInferenceService,
  pods: readonly V1Pod[],
  events: readonly CoreV1Event[],
): InferenceServiceDetail {
  const name = isvc.metadata?.name ?? '';
  const ms = isvc.status?.modelStatus;
  const failure = ms?.lastFailureInfo;
  const warnings = warningsAbout(events, name);
  return {
    ...summaryView(isvc, pods, events),
    conditions: conditionsView(isvc.status?.conditions),
    ...(ms
      ? {
          modelStatus: {
            ...(ms.transitionStatus ? { transitionStatus: ms.transitionStatus } : {}),
            ...(ms.states?.activeModelState ? { activeModelState: ms.states.activeModelState } : {}),
            ...(ms.states?.targetModelState ? { targetModelState: ms.states.targetModelState } : {}),
            ...(failure
              ? {
                  lastFailureInfo: {
                    ...(failure.reason ? { reason: failure.reason } : {}),
                    ...(failure.message ? { message: failure.message } : {}),
                    ...(failure.location ? { location: failure.location } : {}),
                    ...(failure.exitCode !== undefined ? { exitCode: failure.exitCode } : {}),
                  },
                }
              : {}),
          },
        }
      : {}),
    pods: pods
      .filter((p) => p.metadata?.labels?.[ISVC_POD_LABEL] === name)
      .map((p) => {
        const podName = p.metadata?.name ?? '';
        const warning = warnings.find(
          (e) => e.involvedObject.kind === 'Pod' && e.involvedObject.name === podName,
        );
        return {
          name: podName,
          ...(p.metadata?.labels?.[COMPONENT_LABEL] ? { component: p.metadata.labels[COMPONENT_LABEL] } : {}),
          ...(p.spec?.nodeName ? { node: p.spec.nodeName } : {}),
          status: servingPodStatus(p, warning),
        };
      }),
    events: warnings.slice(0, 50).map(eventView),
  };
}
