// A project's model registry: its models with version counts, latest and production version; a model's versions
// (format, storage URI, metrics, parameters, the TrainJob that produced it, stage) with who changed what when;
// register a model (with version 1, e.g. from a finished TrainJob) or a new version; move a version between stages.
// Each of the last three is offered only to a caller the self access review of its route allows (docs/adr/0020).
import React, { useState } from 'react';
import { Button } from '@kubed/components';
import {
  MODEL_FORMATS,
  MODEL_STAGES,
  mlAppsModelRoutes,
  type ModelDetail,
  type ModelStage,
  type ModelSummary,
} from '@ks-gpu-ml/contracts';
import {
  ChoiceSelect,
  DataTable,
  ErrorState,
  LoadingState,
  t,
  useCallerMay,
  type ApiError,
} from '@ks-gpu-ml/ui';
import { createModel, createModelVersion, setModelStage, useModel, useModels } from '../serving-api.js';
import { SERVING_IDS } from '../serving-ids.js';
import { Form } from '../components/Form.js';
import { FormFooter, useDraftForm } from '../components/form-kit.js';
import { emptyModelDraft, toModelBody, toVersionBody, type ModelDraft } from '../components/model-draft.js';
import { ageText } from '../components/notebook-format.js';
import { ServingFrame, type ServingScope } from '../components/ServingFrame.js';
import { ageColumn } from '../components/columns.js';
import { projectScope } from '../components/rights.js';

/** What the caller may do to the project's models: undefined while asking, false when refused. */
interface ModelRights {
  create: boolean | undefined;
  addVersion: boolean | undefined;
  stage: boolean | undefined;
}

function useModelRights(scope: ServingScope): ModelRights {
  const where = projectScope(scope);
  return {
    create: useCallerMay(mlAppsModelRoutes.createModel, where),
    addVersion: useCallerMay(mlAppsModelRoutes.createModelVersion, where),
    stage: useCallerMay(mlAppsModelRoutes.updateModelStage, where),
  };
}

export function ModelsPage() {
  return (
    <ServingFrame section="models" testId={SERVING_IDS.modelsPage}>
      {(scope) => <Models scope={scope} />}
    </ServingFrame>
  );
}

function Models({ scope }: { scope: ServingScope }) {
  const { namespace, cluster } = scope;
  const models = useModels(namespace, cluster);
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<string>();
  const may = useModelRights(scope);
  if (models.error) return <ErrorState error={models.error} onRetry={() => void models.refetch()} />;
  if (!models.data) return <LoadingState />;
  return (
    <>
      {creating ? (
        <ModelForm
          mode="model"
          send={(draft) => {
            const out = toModelBody(draft);
            return 'problem' in out ? out : { send: () => createModel(namespace, cluster, out.body) };
          }}
          onCancel={() => setCreating(false)}
          onSent={(m) => {
            setCreating(false);
            setOpen(m.name);
            void models.refetch();
          }}
        />
      ) : (
        may.create && (
          <div>
            <Button color="secondary" data-testid={SERVING_IDS.newModel} onClick={() => setCreating(true)}>
              {t('ml-apps.models.new')}
            </Button>
          </div>
        )
      )}
      <DataTable<ModelSummary>
        columns={[
          {
            key: 'name',
            title: t('ml-apps.column.name'),
            render: (m) => (
              <a
                href="#"
                data-testid={SERVING_IDS.modelRow}
                onClick={(e) => {
                  e.preventDefault();
                  setOpen(open === m.name ? undefined : m.name);
                }}
              >
                {m.name}
              </a>
            ),
            sortValue: (m) => m.name,
          },
          { key: 'versions', title: t('ml-apps.models.versions'), render: (m) => String(m.versionCount) },
          {
            key: 'latest',
            title: t('ml-apps.models.latest'),
            render: (m) => (m.latestVersion ? `v${m.latestVersion}` : '-'),
          },
          {
            key: 'production',
            title: t('ml-apps.models.production'),
            render: (m) => (m.productionVersion ? `v${m.productionVersion}` : '-'),
          },
          { key: 'creator', title: t('ml-apps.models.createdBy'), render: (m) => m.createdBy },
          ageColumn(),
        ]}
        rows={models.data.items}
        rowKey={(m) => m.name}
        searchText={(m) => `${m.name} ${m.description ?? ''}`}
        initialSort={{ key: 'name', direction: 'asc' }}
        emptyTitle={t('ml-apps.models.empty')}
      />
      {open && <ModelVersions scope={scope} name={open} may={may} onChanged={() => void models.refetch()} />}
    </>
  );
}

function ModelVersions(props: {
  scope: ServingScope;
  name: string;
  may: ModelRights;
  onChanged: () => void;
}) {
  const { namespace, cluster } = props.scope;
  // The pages of older versions the user went to (each one's `before`); the newest page when empty.
  const [pages, setPages] = useState<number[]>([]);
  const model = useModel(namespace, props.name, cluster, true, pages.at(-1));
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<ApiError>();
  if (model.error) return <ErrorState error={model.error} onRetry={() => void model.refetch()} />;
  if (!model.data) return <LoadingState />;
  const detail = model.data;

  const stage = async (version: number, to: ModelStage) => {
    setError(undefined);
    try {
      await setModelStage(namespace, props.name, cluster, { version, stage: to });
    } catch (err) {
      setError(err as ApiError);
    }
    await model.refetch();
    props.onChanged();
  };

  return (
    <section data-testid={SERVING_IDS.versions}>
      <h3>{t('ml-apps.models.versionsOf', { name: detail.name })}</h3>
      {detail.description && <p>{detail.description}</p>}
      {adding ? (
        <ModelForm
          mode="version"
          send={(draft) => {
            const out = toVersionBody(draft);
            return 'problem' in out
              ? out
              : { send: () => createModelVersion(namespace, props.name, cluster, out.body) };
          }}
          onCancel={() => setAdding(false)}
          onSent={() => {
            setAdding(false);
            void model.refetch();
            props.onChanged();
          }}
        />
      ) : (
        props.may.addVersion && (
          <div>
            <Button color="secondary" data-testid={SERVING_IDS.newVersion} onClick={() => setAdding(true)}>
              {t('ml-apps.models.newVersion')}
            </Button>
          </div>
        )
      )}
      {error && <ErrorState error={error} />}
      <DataTable<ModelDetail['versions'][number]>
        columns={[
          {
            key: 'version',
            title: t('ml-apps.models.version'),
            render: (v) => <span data-testid={SERVING_IDS.versionRow}>{`v${v.version}`}</span>,
            sortValue: (v) => v.version,
          },
          {
            key: 'format',
            title: t('ml-apps.models.format'),
            render: (v) =>
              `${v.format}${v.formatVersion ? ` ${v.formatVersion}` : ''}${v.frameworkVersion ? ` (${v.frameworkVersion})` : ''}`,
          },
          { key: 'uri', title: t('ml-apps.models.storageUri'), render: (v) => <code>{v.storageUri}</code> },
          {
            key: 'metrics',
            title: t('ml-apps.models.metrics'),
            render: (v) =>
              [...Object.entries(v.metrics), ...Object.entries(v.parameters)]
                .map(([k, x]) => `${k}=${x}`)
                .join(', ') || '-',
          },
          { key: 'trainJob', title: t('ml-apps.models.trainJob'), render: (v) => v.trainJob ?? '-' },
          {
            key: 'stage',
            title: t('ml-apps.models.stage'),
            // A caller who may not move versions reads the stage as text.
            render: (v) =>
              !props.may.stage ? (
                <span data-testid={SERVING_IDS.stage(v.version)}>{t(`ml-apps.models.stage.${v.stage}`)}</span>
              ) : (
                <ChoiceSelect
                  ariaLabel={t('ml-apps.models.stageOf', { version: v.version })}
                  testId={SERVING_IDS.stage(v.version)}
                  value={v.stage}
                  choices={MODEL_STAGES}
                  label={(s) => t(`ml-apps.models.stage.${s}`)}
                  onChange={(s) => void stage(v.version, s)}
                />
              ),
          },
          {
            key: 'changed',
            title: t('ml-apps.models.changed'),
            render: (v) => t('ml-apps.models.changedBy', { by: v.updatedBy, age: ageText(v.updatedAt) }),
          },
        ]}
        rows={detail.versions}
        rowKey={(v) => String(v.version)}
        searchText={(v) => `${v.version} ${v.format} ${v.storageUri} ${v.trainJob ?? ''}`}
        initialSort={{ key: 'version', direction: 'desc' }}
        emptyTitle={t('ml-apps.models.noVersions')}
      />
      {(pages.length > 0 || detail.nextBefore) && (
        <div>
          <Button
            color="secondary"
            data-testid={SERVING_IDS.newerVersions}
            disabled={pages.length === 0}
            onClick={() => setPages(pages.slice(0, -1))}
          >
            {t('ml-apps.models.newerVersions')}
          </Button>{' '}
          <Button
            color="secondary"
            data-testid={SERVING_IDS.olderVersions}
            disabled={!detail.nextBefore}
            onClick={() => detail.nextBefore && setPages([...pages, detail.nextBefore])}
          >
            {t('ml-apps.models.olderVersions')}
          </Button>
        </div>
      )}
      <ul data-testid={SERVING_IDS.history}>
        {detail.history.slice(0, 20).map((h, i) => (
          <li key={i}>
            {t(`ml-apps.models.history.${h.action}`, {
              by: h.by,
              version: h.version ?? '',
              from: h.from ? t(`ml-apps.models.stage.${h.from}`) : '',
              to: h.to ? t(`ml-apps.models.stage.${h.to}`) : '',
            })}{' '}
            · {ageText(h.at)}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Registers a model with its first version (`mode="model"`) or the next version of one. */
function ModelForm<R>(props: {
  mode: 'model' | 'version';
  send: (
    draft: ModelDraft,
  ) => { problem: { field: keyof ModelDraft; key: string } } | { send: () => Promise<R> };
  onSent: (reply: R) => void;
  onCancel: () => void;
}) {
  const form = useDraftForm<ModelDraft, () => Promise<R>, R>({
    initial: emptyModelDraft(),
    toBody: (draft) => {
      const out = props.send(draft);
      return 'problem' in out ? out : { body: out.send };
    },
    send: (go) => go(),
    onSent: props.onSent,
  });
  const { text, choice } = form;
  return (
    <Form data-testid={SERVING_IDS.modelForm} onSubmit={(e) => void form.submit(e)}>
      {props.mode === 'model' && text('name', t('ml-apps.form.name'))}
      {props.mode === 'model' && text('description', t('ml-apps.models.descriptionInput'))}
      {choice('format', t('ml-apps.models.format'), MODEL_FORMATS, (f) => f)}
      {text('storageUri', t('ml-apps.models.storageUri'))}
      {text('frameworkVersion', t('ml-apps.models.frameworkVersion'))}
      {text('trainJob', t('ml-apps.models.trainJob'))}
      {form.textArea('metrics', t('ml-apps.models.metricsInput'))}
      {form.textArea('parameters', t('ml-apps.models.parametersInput'))}
      <FormFooter
        form={form}
        submitLabel={t(props.mode === 'model' ? 'ml-apps.models.register' : 'ml-apps.models.registerVersion')}
        submitTestId={SERVING_IDS.modelSubmit}
        onCancel={props.onCancel}
      />
    </Form>
  );
}
