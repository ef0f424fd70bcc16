import React, { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { Button, Card } from '@kubed/components';
import styled from 'styled-components';
import { gpuQuotaRoutes, type GpuQuotaProblem, type ProjectGpuQuota } from '@ks-gpu-ml/contracts';
import {
  ErrorState,
  LoadingState,
  offeredCrumb,
  PageHeader,
  ProjectLinks,
  t,
  useCallerMay,
} from '@ks-gpu-ml/ui';
import { putProjectQuota, useCatalog, useProjectQuota, type QuotaError } from '../api.js';
import { BlockedWork } from '../components/BlockedWork.js';
import { Problems } from '../components/Problems.js';
import { ProjectQuotaRows } from '../components/ProjectQuotaRows.js';
import { draftRows, placeProblems, toInput, type DraftRow, type FieldErrors } from '../rows.js';
import { QUOTA_IDS } from '../test-ids.js';

const Stack = styled.div`
  display: flex;
  flex-direction: column;
  gap: 16px;
`;
const Actions = styled.div`
  display: flex;
  gap: 8px;
  align-items: center;
  margin-top: 12px;
`;
const Note = styled.div`
  color: #79879c;
  font-size: 12px;
`;

const MAX_BELOW_USED = 'GPU_QUOTA_MAX_BELOW_USED';
const CLUSTER_OVERCOMMIT = 'GPU_QUOTA_CLUSTER_OVERCOMMIT';

interface SaveState {
  saving: boolean;
  error?: QuotaError;
  general: GpuQuotaProblem[];
  fields: FieldErrors;
  /** The API refused a max below use: offer to save with force. */
  offerForce: boolean;
  /** The API refused bases above what the cluster can guarantee, and the caller may over-commit. */
  offerOvercommit: boolean;
  saved?: boolean;
}
const IDLE: SaveState = { saving: false, general: [], fields: {}, offerForce: false, offerOvercommit: false };

/** A project's GPU quota: base and max per GPU resource, use, enforcement, blocked work. */
export function ProjectQuotaPage() {
  const { cluster, workspace, namespace = '' } = useParams();
  const quota = useProjectQuota(namespace, cluster);
  const catalog = useCatalog(cluster);
  const [draft, setDraft] = useState<DraftRow[]>();
  const [invalid, setInvalid] = useState<Record<string, boolean>>({});
  const [dirty, setDirty] = useState(false);
  const [save, setSave] = useState<SaveState>(IDLE);

  // The draft follows the server until someone edits it.
  useEffect(() => {
    if (quota.data && !dirty) setDraft(draftRows(quota.data.rows, catalog.data));
  }, [quota.data, catalog.data, dirty]);

  // A project member may not open the workspace's quota page: its crumb links only for those who may.
  const mayOpenWorkspace = useCallerMay(
    gpuQuotaRoutes.getWorkspaceQuota,
    workspace ? { scope: 'workspace', scopeName: workspace } : null,
  );
  const crumbs = [
    workspace
      ? offeredCrumb(
          { label: t('ui.crumb.workspace', { workspace }), to: `/workspaces/${workspace}/gpu-quota` },
          mayOpenWorkspace,
        )
      : {
          label: t('ui.crumb.cluster', { cluster: cluster ?? '' }),
          to: `/clusters/${cluster ?? ''}/gpu-quota`,
        },
    { label: t('gpu-quota.project.crumb', { namespace }) },
  ];
  const header = (
    <PageHeader
      title={t('gpu-quota.project.title')}
      description={t('gpu-quota.project.description', { namespace })}
      breadcrumbs={crumbs}
      actions={
        <ProjectLinks namespace={namespace} workspace={workspace} cluster={cluster} except="gpu-quota" />
      }
    />
  );
  if (quota.error)
    return wrap(header, <ErrorState error={quota.error} onRetry={() => void quota.refetch()} />);
  if (!quota.data || !draft) return wrap(header, <LoadingState />);
  const data: ProjectGpuQuota = quota.data;
  const countable = (resource: string) =>
    catalog.data?.items.find((i) => i.resource === resource)?.countable ?? true;

  const onChange = (index: number, field: 'base' | 'max', value: string | undefined) => {
    const k = `${index}.${field}`;
    setInvalid((m) => ({ ...m, [k]: value === undefined }));
    setDirty(true);
    setSave((s) => ({ ...s, saved: false }));
    if (value === undefined) return;
    setDraft((rows) => rows?.map((r, i) => (i === index ? { ...r, [field]: value } : r)));
  };

  const submit = async (force: boolean, allowBaseOvercommit = false) => {
    const { resources, index } = toInput(draft, countable);
    setSave({ ...IDLE, saving: true });
    try {
      const answer = await putProjectQuota(namespace, cluster, {
        resources,
        ...(force ? { force } : {}),
        ...(allowBaseOvercommit ? { allowBaseOvercommit } : {}),
      });
      setDirty(false);
      setInvalid({});
      setDraft(draftRows(answer.rows, catalog.data));
      setSave({ ...IDLE, saved: true });
      await quota.refetch();
    } catch (e) {
      const error = e as QuotaError;
      const { fields, general } = placeProblems(error.problems, index);
      setSave({
        saving: false,
        error,
        fields,
        general,
        offerForce: error.problems.some((p) => p.code === MAX_BELOW_USED),
        offerOvercommit: data.canOvercommit && error.problems.some((p) => p.code === CLUSTER_OVERCOMMIT),
      });
    }
  };
  const reset = () => {
    setDirty(false);
    setInvalid({});
    setSave(IDLE);
  };
  const hasInvalid = Object.values(invalid).some(Boolean);
  const usage = data.unlimitedUse;

  return wrap(
    header,
    <Stack>
      <Problems items={data.warnings} tone="warning" testId={QUOTA_IDS.warnings} />
      <Card sectionTitle={t('gpu-quota.project.quotaTitle')}>
        {!data.canEdit && <Note data-testid={QUOTA_IDS.readOnlyNote}>{t('gpu-quota.project.readOnly')}</Note>}
        {data.enforcer.enforcer === 'none' && (
          <Note data-testid={QUOTA_IDS.enforcerNote} data-setting={data.enforcer.setting}>
            {enforcerNote(data.enforcer)}
          </Note>
        )}
        <ProjectQuotaRows
          rows={draft}
          saved={data.rows}
          usage={usage}
          canEdit={data.canEdit}
          errors={save.fields}
          onChange={onChange}
        />
        {catalog.error && <ErrorState error={catalog.error} title={t('gpu-quota.catalog.error')} />}
        {data.canEdit && (
          <>
            {save.error && (
              <div style={{ marginTop: 12 }} data-testid={QUOTA_IDS.saveError}>
                <ErrorState error={save.error} title={t('gpu-quota.save.failed')} />
                <Problems items={save.general} tone="error" testId={QUOTA_IDS.saveProblems} />
              </div>
            )}
            <Actions>
              <Button
                color="secondary"
                shadow
                disabled={!dirty || hasInvalid || save.saving}
                loading={save.saving}
                onClick={() => void submit(false)}
                data-testid={QUOTA_IDS.save}
              >
                {t('gpu-quota.save.button')}
              </Button>
              {save.offerForce && (
                <Button
                  color="error"
                  disabled={save.saving}
                  onClick={() => void submit(true)}
                  data-testid={QUOTA_IDS.saveForce}
                >
                  {t('gpu-quota.save.force')}
                </Button>
              )}
              {save.offerOvercommit && (
                <Button
                  color="error"
                  disabled={save.saving}
                  onClick={() => void submit(false, true)}
                  data-testid={QUOTA_IDS.saveOvercommit}
                >
                  {t('gpu-quota.save.overcommit')}
                </Button>
              )}
              <Button variant="text" disabled={!dirty || save.saving} onClick={reset}>
                {t('gpu-quota.save.reset')}
              </Button>
              {save.offerForce && <Note>{t('gpu-quota.save.forceHint')}</Note>}
              {save.offerOvercommit && <Note>{t('gpu-quota.save.overcommitHint')}</Note>}
              {save.saved && <Note data-testid={QUOTA_IDS.saveDone}>{t('gpu-quota.save.done')}</Note>}
            </Actions>
          </>
        )}
      </Card>
      <Card sectionTitle={t('gpu-quota.blocked.title')}>
        <BlockedWork items={data.blocked} />
      </Card>
    </Stack>,
  );
}

/** Why base is not enforced: the chosen scheduler is missing (the API's message), turned off, or none installed. */
function enforcerNote(enforcer: ProjectGpuQuota['enforcer']): string {
  if (enforcer.problem) return enforcer.problem.message;
  if (enforcer.setting === 'none') return t('gpu-quota.project.baseNotEnforcedBySetting');
  return t('gpu-quota.project.baseNotEnforced');
}

function wrap(header: React.ReactNode, body: React.ReactNode) {
  return (
    <div data-testid={QUOTA_IDS.projectPage} style={{ padding: 20 }}>
      {header}
      {body}
    </div>
  );
}
