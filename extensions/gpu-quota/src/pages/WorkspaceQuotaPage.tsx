import React, { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { Button, Card } from '@kubed/components';
import type { GpuQuotaProblem, WorkspaceGpuQuota } from '@ks-gpu-ml/contracts';
import { DataTable, ErrorState, LoadingState, PageHeader, t } from '@ks-gpu-ml/ui';
import { putWorkspaceQuota, useCatalog, useWorkspaceQuota, type QuotaError } from '../api.js';
import { Problems } from '../components/Problems.js';
import { projectColumn } from '../components/projectColumn.js';
import { WorkspaceSplit } from '../components/WorkspaceSplit.js';
import { draftRows, placeProblems, rowKey, toInput, type DraftRow, type FieldErrors } from '../rows.js';
import { QUOTA_IDS } from '../test-ids.js';

type Project = WorkspaceGpuQuota['projects'][number];

/** A workspace's GPU quota and its split across the workspace's projects. */
export function WorkspaceQuotaPage() {
  const { workspace = '' } = useParams();
  const quota = useWorkspaceQuota(workspace);
  const catalog = useCatalog();
  const [draft, setDraft] = useState<DraftRow[]>();
  const [invalid, setInvalid] = useState<Record<string, boolean>>({});
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<{
    error: QuotaError;
    fields: FieldErrors;
    general: GpuQuotaProblem[];
  }>();

  useEffect(() => {
    if (quota.data && !dirty) setDraft(draftRows(quota.data.rows, catalog.data));
  }, [quota.data, catalog.data, dirty]);

  let body: React.ReactNode;
  if (quota.error) body = <ErrorState error={quota.error} onRetry={() => void quota.refetch()} />;
  else if (!quota.data || !draft) body = <LoadingState />;
  else {
    const data = quota.data;
    const onChange = (index: number, field: 'base' | 'max', value: string | undefined) => {
      setInvalid((m) => ({ ...m, [`${index}.${field}`]: value === undefined }));
      setDirty(true);
      setSaved(false);
      if (value !== undefined)
        setDraft((rows) => rows?.map((r, i) => (i === index ? { ...r, [field]: value } : r)));
    };
    const submit = async () => {
      const countable = (resource: string) =>
        catalog.data?.items.find((i) => i.resource === resource)?.countable ?? true;
      const { resources, index } = toInput(draft, countable);
      setSaving(true);
      setSaved(false);
      setError(undefined);
      try {
        const answer = await putWorkspaceQuota(workspace, undefined, { resources });
        // The split (holders, what is left) is shown from the server's figures: fetch them before saying "saved".
        await quota.refetch();
        setDirty(false);
        setInvalid({});
        setDraft(draftRows(answer.rows, catalog.data));
        setSaved(true);
      } catch (e) {
        const err = e as QuotaError;
        setError({ error: err, ...placeProblems(err.problems, index) });
      } finally {
        setSaving(false);
      }
    };
    body = (
      <div style={{ display: 'flex', flexDirection: 'column', gap: 16 }}>
        <Problems items={data.warnings} tone="warning" testId={QUOTA_IDS.warnings} />
        <Card sectionTitle={t('gpu-quota.workspace.quotaTitle')}>
          <div style={{ color: '#79879c', fontSize: 12, marginBottom: 8 }}>
            {t(
              data.storage === 'kubesphere'
                ? 'gpu-quota.workspace.storageKs'
                : 'gpu-quota.workspace.storageCm',
            )}
          </div>
          {!data.canEdit && (
            <div
              style={{ color: '#79879c', fontSize: 12, marginBottom: 8 }}
              data-testid={QUOTA_IDS.readOnlyNote}
            >
              {t('gpu-quota.workspace.readOnly')}
            </div>
          )}
          <WorkspaceSplit
            rows={draft}
            saved={data.rows}
            projects={data.projects}
            canEdit={data.canEdit}
            errors={error?.fields ?? {}}
            onChange={onChange}
          />
          {error && (
            <div style={{ marginTop: 12 }} data-testid={QUOTA_IDS.saveError}>
              <ErrorState error={error.error} title={t('gpu-quota.save.failed')} />
              <Problems items={error.general} tone="error" testId={QUOTA_IDS.saveProblems} />
            </div>
          )}
          {data.canEdit && (
            <div style={{ display: 'flex', gap: 8, marginTop: 12, alignItems: 'center' }}>
              <Button
                color="secondary"
                shadow
                disabled={!dirty || saving || Object.values(invalid).some(Boolean)}
                loading={saving}
                onClick={() => void submit()}
                data-testid={QUOTA_IDS.save}
              >
                {t('gpu-quota.save.button')}
              </Button>
              <Button
                variant="text"
                disabled={!dirty || saving}
                onClick={() => {
                  setDirty(false);
                  setInvalid({});
                  setError(undefined);
                }}
              >
                {t('gpu-quota.save.reset')}
              </Button>
              {saved && (
                <span style={{ color: '#79879c', fontSize: 12 }} data-testid={QUOTA_IDS.saveDone}>
                  {t('gpu-quota.save.done')}
                </span>
              )}
            </div>
          )}
        </Card>
        <Card sectionTitle={t('gpu-quota.workspace.projectsTitle')}>
          <DataTable<Project>
            columns={[
              projectColumn<Project>((p) => `/workspaces/${workspace}/gpu-quota/projects/${p.namespace}`),
              {
                key: 'rows',
                title: t('gpu-quota.workspace.projectRows'),
                render: (p) =>
                  p.rows.length === 0
                    ? '—'
                    : p.rows
                        .map(
                          (r) =>
                            `${rowKey(r)}: ${t('gpu-quota.workspace.projectRow', { base: r.base, max: r.max })}`,
                        )
                        .join('; '),
              },
            ]}
            rows={data.projects}
            rowKey={(p) => p.namespace}
            searchText={(p) => p.namespace}
            initialSort={{ key: 'namespace', direction: 'asc' }}
            emptyTitle={t('gpu-quota.workspace.noProjects')}
          />
        </Card>
      </div>
    );
  }
  return (
    <div data-testid={QUOTA_IDS.workspacePage} style={{ padding: 20 }}>
      <PageHeader
        title={t('gpu-quota.workspace.title')}
        description={t('gpu-quota.workspace.description', { workspace })}
        breadcrumbs={[
          { label: t('ui.crumb.workspace', { workspace }), to: `/workspaces/${workspace}/overview` },
          { label: t('gpu-quota.workspace.title') },
        ]}
      />
      {body}
    </div>
  );
}
