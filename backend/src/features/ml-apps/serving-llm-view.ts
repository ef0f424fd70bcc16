// What an LLMInferenceService is doing, in the controller's own words, for the services list (ADR 0040): KServe's
// llmisvc controller sets knative conditions — `Ready` over `WorkloadsReady` and `RouterReady`, with sub-conditions
// such as `MainWorkloadReady` or `HTTPRoutesReady` saying which part is not — and labels the pods it makes with
// `app.kubernetes.io/name=<service>` and the part in `app.kubernetes.io/component`. Pure: the caller reads them.
import type {
  LLMInferenceServiceDetail,
  LLMInferenceServiceSummary,
  ServingStatus,
} from '@ks-gpu-ml/contracts';
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import type { KubeLLMInferenceService } from '../../clients/serving-kube.js';
import { gpuHoursOf } from './gpu-hours.js';
import { CREATOR_ANNOTATION } from './notebook-manifest.js';
import { MODEL_LABEL, VERSION_LABEL } from './serving-manifest.js';
import {
  conditionsStatus,
  conditionsView,
  eventView,
  gpusOf,
  servingPodStatus,
  versionOf,
  warningsAbout,
} from './serving-view.js';

export const LLM_NAME_LABEL = 'app.kubernetes.io/name';
const LLM_COMPONENT_LABEL = 'app.kubernetes.io/component';
/** The pods' selector for one service (the controller's labels). */
export const llmPodSelector = (name: string) =>
  `${LLM_NAME_LABEL}=${name},app.kubernetes.io/part-of=llminferenceservice`;
/** The serving replicas' pods (not the workers of a multi-node replica, the prefill pool or the router). */
const MAIN_WORKLOAD = 'llminferenceservice-workload';
/** The aggregates over the parts' conditions (`MainWorkloadReady`, `HTTPRoutesReady`, …), which say more. */
const AGGREGATES: ReadonlySet<string> = new Set(['Ready', 'WorkloadsReady', 'RouterReady']);

/** The pods the controller made for this service (every part). */
export const llmPodsOf = (pods: readonly V1Pod[], name: string): V1Pod[] =>
  pods.filter((p) => p.metadata?.labels?.[LLM_NAME_LABEL] === name);

export function llmServingStatus(
  llm: KubeLLMInferenceService,
  pods: readonly V1Pod[],
  events: readonly CoreV1Event[],
): ServingStatus {
  return conditionsStatus(llm.metadata?.name ?? '', llm.status?.conditions ?? [], pods, events, AGGREGATES);
}

/** `pods`: the namespace's LLM pods (or already this service's); `events`: its warnings. */
export function llmSummaryView(
  llm: KubeLLMInferenceService,
  pods: readonly V1Pod[],
  events: readonly CoreV1Event[],
  now = Date.now(),
): LLMInferenceServiceSummary {
  const meta = llm.metadata ?? {};
  const name = meta.name ?? '';
  const own = llmPodsOf(pods, name);
  const workload = own.filter((p) => p.metadata?.labels?.[LLM_COMPONENT_LABEL] === MAIN_WORKLOAD);
  const containers = llm.spec?.template?.containers ?? [];
  const main = containers.find((c) => c.name === 'main') ?? containers[0];
  const modelName = meta.labels?.[MODEL_LABEL];
  const version = versionOf(meta.labels?.[VERSION_LABEL]);
  const url = llm.status?.url ?? llm.status?.address?.url;
  const gpuHours = gpuHoursOf(own, now);
  return {
    name,
    namespace: meta.namespace ?? '',
    ...(modelName && version ? { model: { name: modelName, version } } : {}),
    ...(llm.spec?.model?.uri ? { modelUri: llm.spec.model.uri } : {}),
    ...(llm.spec?.model?.name ? { modelName: llm.spec.model.name } : {}),
    ...(url ? { url } : {}),
    status: llmServingStatus(llm, own, events),
    replicas: {
      ...(typeof llm.spec?.replicas === 'number' ? { desired: llm.spec.replicas } : {}),
      ready: workload.filter((p) => servingPodStatus(p).phase === 'ready').length,
      pods: workload.length,
    },
    gpus: gpusOf(main?.resources?.limits ?? {}),
    ...(gpuHours !== undefined ? { gpuHours } : {}),
    router: llm.spec?.router !== undefined && llm.spec.router !== null,
    createdAt: meta.creationTimestamp ? new Date(meta.creationTimestamp).toISOString() : '',
    ...(meta.annotations?.[CREATOR_ANNOTATION] ? { creator: meta.annotations[CREATOR_ANNOTATION] } : {}),
  };
}

/** The part a pod plays, as its component label says without the common prefix: `workload`, `router-scheduler`. */
const partOf = (pod: V1Pod): string | undefined =>
  pod.metadata?.labels?.[LLM_COMPONENT_LABEL]?.replace(/^llminferenceservice-/, '');

export function llmDetailView(
  llm: KubeLLMInferenceService,
  pods: readonly V1Pod[],
  events: readonly CoreV1Event[],
): LLMInferenceServiceDetail {
  const name = llm.metadata?.name ?? '';
  const warnings = warningsAbout(events, name);
  return {
    ...llmSummaryView(llm, pods, events),
    conditions: conditionsView(llm.status?.conditions),
    pods: llmPodsOf(pods, name).map((p) => {
      const podName = p.metadata?.name ?? '';
      const warning = warnings.find(
        (e) => e.involvedObject.kind === 'Pod' && e.involvedObject.name === podName,
      );
      const part = partOf(p);
      return {
        name: podName,
        ...(part ? { component: part } : {}),
        ...(p.spec?.nodeName ? { node: p.spec.nodeName } : {}),
        status: servingPodStatus(p, warning),
      };
    }),
    events: warnings.slice(0, 50).map(eventView),
  };
}
