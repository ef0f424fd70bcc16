// What the InferenceService and LLMInferenceService details share: the button that opens them, the conditions in the controller's words, the
// pods (the part each plays, node, state, live GPU figures and gpu-monitoring's page where the caller may read
// them, ADR 0020; a log where the pod-log route admits the pod) and the warnings about them.
import React, { useState } from 'react';
import styled from 'styled-components';
import { Link } from 'react-router-dom';
import { Button } from '@kubed/components';
import { gpuMonitoringRoutes, type InferenceServiceDetail } from '@ks-gpu-ml/contracts';
import { ErrorState, installedExtensions, layoutPath, LoadingState, t, useCallerMay } from '@ks-gpu-ml/ui';
import { usePodLog } from '../api.js';
import { SERVING_IDS } from '../serving-ids.js';
import { PodGpuFigures } from './PodGpuFigures.js';
import type { ServingScope } from './ServingFrame.js';
import { StatusCell } from './StatusCell.js';

type Parts = Pick<InferenceServiceDetail, 'conditions' | 'pods' | 'events'>;

/** One pod on one line: who it is, its state, its live GPU figures, its links. */
const PodLine = styled.div`
  display: flex;
  flex-wrap: wrap;
  align-items: baseline;
  gap: 4px 16px;
  padding: 4px 0;
`;

/** A served model's row button that opens its details below the list (or closes them). */
export function DetailsButton(props: { testId: string; onClick: () => void }) {
  return (
    <Button size="sm" data-testid={props.testId} onClick={props.onClick}>
      {t('ml-apps.serving.details')}
    </Button>
  );
}

export function Conditions({ conditions }: { conditions: Parts['conditions'] }) {
  return (
    <ul>
      {conditions.map((c) => (
        <li key={c.type}>
          {`${c.type}=${c.status}`}
          {c.reason ? ` · ${c.reason}` : ''}
          {c.message ? `: ${c.message}` : ''}
        </li>
      ))}
    </ul>
  );
}

/** A pod's log (its first container: KServe's `kserve-container`), through the ML apps' pod log route. */
function ServingPodLog(props: { scope: ServingScope; pod: string }) {
  const log = usePodLog(props.scope.namespace, props.pod, '', props.scope.cluster);
  if (log.error) return <ErrorState error={log.error} onRetry={() => void log.refetch()} />;
  if (!log.data) return <LoadingState />;
  return (
    <pre
      data-testid={SERVING_IDS.podLog}
      style={{ maxHeight: 300, overflow: 'auto', background: '#f9fbfd', padding: 8 }}
    >
      {log.data.log || t('ml-apps.inspect.emptyLog')}
    </pre>
  );
}

/** `logs`: whether the pod-log route admits these pods (it admits InferenceServices' pods by KServe's label). */
export function ServingPods(props: { scope: ServingScope; pods: Parts['pods']; logs: boolean }) {
  const [logOf, setLogOf] = useState<string>();
  const { workspace, namespace, cluster } = props.scope;
  const monitoring = installedExtensions().has('gpu-monitoring');
  const mayMonitor = useCallerMay(
    gpuMonitoringRoutes.getWorkloadUsage,
    monitoring ? { scope: 'namespace', scopeName: namespace, cluster } : null,
  );
  const gpuPage = (pod: string) =>
    `${layoutPath({ workspace, cluster })}/gpu-monitoring/projects/${encodeURIComponent(namespace)}/workloads/${encodeURIComponent(pod)}`;
  return (
    <>
      <h4>{t('ml-apps.serving.pods')}</h4>
      <ul>
        {props.pods.length === 0 && <li>-</li>}
        {props.pods.map((p) => (
          <li key={p.name} data-testid={SERVING_IDS.pod}>
            <PodLine>
              <span>
                {p.component ? `${p.component} · ` : ''}
                {p.name}
                {p.node ? ` @ ${p.node}` : ''}
              </span>
              <StatusCell status={p.status} />
              {mayMonitor && (
                <>
                  <PodGpuFigures namespace={namespace} pod={p.name} cluster={cluster} />
                  <Link to={gpuPage(p.name)} data-testid={SERVING_IDS.podGpu}>
                    {t('ml-apps.serving.podGpu')}
                  </Link>
                </>
              )}
              {props.logs && (
                <Button
                  size="sm"
                  data-testid={SERVING_IDS.podLogOpen}
                  onClick={() => setLogOf(logOf === p.name ? undefined : p.name)}
                >
                  {t('ml-apps.serving.podLog')}
                </Button>
              )}
            </PodLine>
            {logOf === p.name && <ServingPodLog scope={props.scope} pod={p.name} />}
          </li>
        ))}
      </ul>
    </>
  );
}

export function Warnings({ events }: { events: Parts['events'] }) {
  return (
    <>
      <h4>{t('ml-apps.serving.events')}</h4>
      <ul>
        {events.length === 0 && <li>-</li>}
        {events.map((e, i) => (
          <li key={i}>
            {e.object} · {e.reason}: {e.message}
          </li>
        ))}
      </ul>
    </>
  );
}
