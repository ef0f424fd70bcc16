// The project's LLMInferenceServices beside its InferenceServices (shown when the cluster serves the CRD): readiness
// in the controller's words, URL, the registered version, replicas (ready of desired) and GPUs; from the same
// watched list (the long poll), so they change without polling.
import React from 'react';
import type { LLMInferenceServiceSummary } from '@ks-gpu-ml/contracts';
import { DataTable, t } from '@ks-gpu-ml/ui';
import { ConfirmButton } from './ConfirmButton.js';
import { ageColumn, gpuHoursColumn, nameColumn } from './columns.js';
import { StatusCell } from './StatusCell.js';
import { SERVING_IDS } from '../serving-ids.js';

const versionText = (s: LLMInferenceServiceSummary) =>
  s.model ? `${s.model.name} v${s.model.version}` : (s.modelName ?? s.modelUri ?? '-');

const replicasText = (s: LLMInferenceServiceSummary) =>
  `${s.replicas.ready}/${s.replicas.desired ?? s.replicas.pods}`;

const gpusText = (s: LLMInferenceServiceSummary) =>
  s.gpus.length === 0 ? '-' : s.gpus.map((g) => `${g.count} × ${g.resource}`).join(', ');

export function LlmServicesTable(props: {
  rows: LLMInferenceServiceSummary[];
  onDelete: (name: string) => void;
}) {
  return (
    <section data-testid={SERVING_IDS.llmServices}>
      <h3>{t('ml-apps.serving.llmTitle')}</h3>
      <DataTable<LLMInferenceServiceSummary>
        columns={[
          nameColumn(SERVING_IDS.llmRow),
          {
            key: 'status',
            title: t('ml-apps.column.status'),
            render: (s) => <StatusCell status={s.status} testId={SERVING_IDS.llmStatus} />,
          },
          {
            key: 'url',
            title: t('ml-apps.serving.url'),
            render: (s) => (s.url ? <code>{s.url}</code> : '-'),
          },
          { key: 'version', title: t('ml-apps.serving.version'), render: versionText },
          { key: 'replicas', title: t('ml-apps.serving.llmReplicasColumn'), render: replicasText },
          { key: 'gpus', title: t('ml-apps.column.gpus'), render: gpusText },
          gpuHoursColumn(),
          {
            key: 'router',
            title: t('ml-apps.serving.llmRouterColumn'),
            render: (s) => (s.router ? t('ml-apps.serving.llmRouterManaged') : '-'),
          },
          ageColumn(),
          {
            key: 'actions',
            title: '',
            render: (s) => (
              <ConfirmButton
                label={t('ml-apps.action.delete')}
                question={t('ml-apps.serving.confirmDeleteLlm', { name: s.name })}
                testId={SERVING_IDS.llmDelete}
                onConfirm={() => props.onDelete(s.name)}
              />
            ),
          },
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
