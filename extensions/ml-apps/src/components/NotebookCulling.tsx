// GPU-aware idle culling on the notebooks page (docs/adr/0041): the workspace's policy in words, a banner naming
// each notebook the culler is watching (idle since), has warned (stopped at) or has stopped, and - for those who
// may set it, workspace administrators - the policy's form. The state comes from the notebook list itself.
import React, { useState } from 'react';
import { mlAppsRoutes, type Notebook, type NotebookCullPolicy } from '@ks-gpu-ml/contracts';
import { ErrorState, t, useCallerMay, type ApiError } from '@ks-gpu-ml/ui';
import { saveNotebookCullPolicy, useNotebookCullPolicy, useNotebooks } from '../api.js';
import { ML_IDS } from '../test-ids.js';
import type { SectionScope } from './ProjectSection.js';

/**
 * Local "YYYY-MM-DD HH:MM": the same in both languages and free of "/", which the console's i18next escapes in
 * interpolated values (a slash would show as "&#x2F;").
 */
export function when(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** One line per notebook the culler has something to say about, most urgent first. */
export function cullLines(
  notebooks: readonly Notebook[],
): { name: string; text: string; tone: 'warn' | 'info' }[] {
  const lines: { name: string; text: string; tone: 'warn' | 'info'; order: number }[] = [];
  for (const nb of notebooks) {
    const c = nb.cull;
    if (!c) continue;
    if (c.culledAt) {
      lines.push({
        name: nb.name,
        tone: 'info',
        order: 1,
        text: t('ml-apps.cull.culled', { name: nb.name, at: when(c.culledAt) }),
      });
    } else if (c.warnedAt && c.stopAt) {
      lines.push({
        name: nb.name,
        tone: 'warn',
        order: 0,
        text: t('ml-apps.cull.warned', {
          name: nb.name,
          since: when(c.idleSince ?? c.warnedAt),
          at: when(c.stopAt),
        }),
      });
    } else if (c.idleSince) {
      lines.push({
        name: nb.name,
        tone: 'info',
        order: 2,
        text: t('ml-apps.cull.idle', { name: nb.name, since: when(c.idleSince) }),
      });
    }
  }
  return lines.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
}

export function NotebookCulling({ scope }: { scope: SectionScope }) {
  const { namespace, cluster } = scope;
  const policy = useNotebookCullPolicy(namespace, cluster);
  const notebooks = useNotebooks(namespace, cluster);
  const workspace = policy.data?.workspace ?? '';
  const mayEdit = useCallerMay(
    mlAppsRoutes.updateNotebookCullPolicy,
    workspace ? { scope: 'workspace', scopeName: workspace, cluster } : null,
  );
  const [editing, setEditing] = useState(false);
  if (!policy.data) return null;
  const p = policy.data.policy;
  const lines = cullLines(notebooks.data?.items ?? []);
  return (
    <section data-testid={ML_IDS.cullPolicy} style={{ margin: '8px 0 12px' }}>
      <div>
        <strong>{t('ml-apps.cull.title')}</strong>{' '}
        {p.enabled
          ? t('ml-apps.cull.on', {
              hours: p.idleHours,
              minutes: p.warnMinutes,
              via: t(`ml-apps.cull.via.${policy.data.warnedBy}`),
            })
          : t('ml-apps.cull.off', { workspace: workspace || '-' })}
        {policy.data.updatedBy && policy.data.updatedAt && (
          <span style={{ color: '#79879c' }}>
            {' '}
            {t('ml-apps.cull.updated', { by: policy.data.updatedBy, at: when(policy.data.updatedAt) })}
          </span>
        )}{' '}
        {mayEdit && !editing && (
          <button type="button" data-testid={ML_IDS.cullEdit} onClick={() => setEditing(true)}>
            {t('ml-apps.cull.edit')}
          </button>
        )}
      </div>
      {lines.length > 0 && (
        <div
          role="alert"
          data-testid={ML_IDS.cullBanner}
          style={{
            marginTop: 8,
            padding: 8,
            background: '#fff7e6',
            border: '1px solid #f5a623',
            borderRadius: 4,
          }}
        >
          {lines.map((l) => (
            <div key={l.name} data-tone={l.tone}>
              {l.text}
            </div>
          ))}
        </div>
      )}
      {editing && mayEdit && (
        <PolicyForm
          workspace={workspace}
          cluster={cluster}
          initial={p}
          onDone={(saved) => {
            setEditing(false);
            if (saved) void policy.refetch();
          }}
        />
      )}
    </section>
  );
}

function PolicyForm(props: {
  workspace: string;
  cluster: string | undefined;
  initial: NotebookCullPolicy;
  onDone: (saved: boolean) => void;
}) {
  const [enabled, setEnabled] = useState(props.initial.enabled);
  const [hours, setHours] = useState(String(props.initial.idleHours));
  const [minutes, setMinutes] = useState(String(props.initial.warnMinutes));
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await saveNotebookCullPolicy(props.workspace, props.cluster, {
        enabled,
        idleHours: Number(hours),
        warnMinutes: Math.round(Number(minutes)),
      });
      props.onDone(true);
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ display: 'flex', gap: 12, alignItems: 'center', marginTop: 8, flexWrap: 'wrap' }}>
      <label>
        <input
          type="checkbox"
          data-testid={ML_IDS.cullEnabled}
          checked={enabled}
          onChange={(e) => setEnabled(e.target.checked)}
        />{' '}
        {t('ml-apps.cull.enabled')}
      </label>
      <label>
        {t('ml-apps.cull.hours')}{' '}
        <input
          type="number"
          min={0.5}
          step={0.5}
          data-testid={ML_IDS.cullHours}
          value={hours}
          onChange={(e) => setHours(e.target.value)}
        />
      </label>
      <label>
        {t('ml-apps.cull.warnMinutes')}{' '}
        <input
          type="number"
          min={0}
          data-testid={ML_IDS.cullWarnMinutes}
          value={minutes}
          onChange={(e) => setMinutes(e.target.value)}
        />
      </label>
      <button type="button" data-testid={ML_IDS.cullSave} disabled={busy} onClick={() => void save()}>
        {t('ml-apps.cull.save')}
      </button>
      <button type="button" onClick={() => props.onDone(false)}>
        {t('ml-apps.cull.cancel')}
      </button>
      {error && <ErrorState error={error} />}
    </div>
  );
}
