// The project's LLMInferenceServices beside its InferenceServices (shown when the cluster serves the CRD): readiness
// in the controller's words, URL, the registered version, replicas (ready of desired) and GPUs; from the same
// watched list (the long poll), so they change without polling. Their detail: conditions, pods, warnings.
import React from 'react';
import type { LLMInferenceServiceSummary } from '@ks-gpu-ml/contracts';
import { actionsColumn, DataTable, ErrorState, LoadingState, t } from '@ks-gpu-ml/ui';
import { ConfirmButton } from './ConfirmButton.js';
import { ageColumn, servedModelColumns } from './columns.js';
import { Conditions, DetailsButton, ServingPods, Warnings } from './ServingDetailParts.js';
import type { ServingScope } from './ServingFrame.js';
import { useLLMInferenceService } from '../serving-api.js';
import { SERVING_IDS } from '../serving-ids.js';

const versionText = (s: LLMInferenceServiceSummary) =>
  s.model ? `${s.model.name} v${s.model.version}` : (s.modelName ?? s.modelUri ?? '-');

const replicasText = (s: LLMInferenceServiceSummary) =>
  `${s.replicas.ready}/${s.replicas.desired ?? s.replicas.pods}`;

export function LlmServicesTable(props: {
  rows: LLMInferenceServiceSummary[];
  onDetails: (name: string) => void;
  /** Left out when the caller may not delete LLMInferenceServices: no delete button then. */
  onDelete: ((name: string) => void) | undefined;
}) {
  return (
    <section data-testid={SERVING_IDS.llmServices}>
      <h3>{t('ml-apps.serving.llmTitle')}</h3>
      <DataTable<LLMInferenceServiceSummary>
        columns={[
          ...servedModelColumns<LLMInferenceServiceSummary>({
            testIds: { row: SERVING_IDS.llmRow, status: SERVING_IDS.llmStatus },
            versionText,
            replicas: { title: t('ml-apps.serving.llmReplicasColumn'), text: replicasText },
          }),
          {
            key: 'router',
            title: t('ml-apps.serving.llmRouterColumn'),
            render: (s) => (s.router ? t('ml-apps.serving.llmRouterManaged') : '-'),
          },
          ageColumn(),
          actionsColumn((s) => (
            <span>
              <DetailsButton testId={SERVING_IDS.llmDetailsOpen} onClick={() => props.onDetails(s.name)} />{' '}
              {props.onDelete && (
                <ConfirmButton
                  label={t('ml-apps.action.delete')}
                  question={t('ml-apps.serving.confirmDeleteLlm', { name: s.name })}
                  testId={SERVING_IDS.llmDelete}
                  onConfirm={() => props.onDelete?.(s.name)}
                />
              )}
            </span>
          )),
        ]}
        rows={props.rows}
        rowKey={(s) => s.name}
        searchText={(s) => `${s.name} ${s.model?.name ?? ''} ${s.modelUri ?? ''}`}
        initialSort={{ key: 'name', direction: 'asc' }}
        emptyTitle={t('ml-apps.serving.llmEmpty')}
      />
    </section>
  );
}

/**
 * One LLMInferenceService's conditions, its pods (the part each plays, live GPU figures where the caller may read
 * them; no log: the pod-log route admits InferenceServices' pods only) and warnings; loaded again when the list's
 * revision changes.
 */
export function LlmDetails(props: { scope: ServingScope; name: string; revision: string | undefined }) {
  const { namespace, cluster } = props.scope;
  const detail = useLLMInferenceService(namespace, props.name, cluster, props.revision);
  if (detail.error) return <ErrorState error={detail.error} />;
  if (!detail.data) return <LoadingState />;
  const d = detail.data;
  return (
    <section data-testid={SERVING_IDS.llmDetails}>
      <h3>{t('ml-apps.serving.detailsOf', { name: d.name })}</h3>
      {d.modelUri && (
        <p>
          <code>{d.modelUri}</code>
          {d.modelName ? ` · ${d.modelName}` : ''}
        </p>
      )}
      <Conditions conditions={d.conditions} />
      <ServingPods scope={props.scope} pods={d.pods} logs={false} />
      <Warnings events={d.events} />
    </section>
  );
}
