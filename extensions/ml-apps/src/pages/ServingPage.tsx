// A project's InferenceServices: readiness in the controller's words (a model that failed to load says why,
// verbatim), URL, the registered version served, replicas and GPUs; deploy a version through a form (runtime,
// resources with GPUs, replicas) with the quota pre-check's refusal shown with its numbers; a canary of another
// version with both revisions' traffic, promote or roll back; a test request (V1/V2) with the answer and latency.
import React, { useState } from 'react';
import { Button } from '@kubed/components';
import {
  type InferenceAnswer,
  type InferenceServiceSummary,
  type NotebookOptions,
  type ServingOptions,
} from '@ks-gpu-ml/contracts';
import {
  actionsColumn,
  ChoiceSelect,
  DataTable,
  ErrorState,
  LoadingState,
  t,
  useRowAction,
  type ApiError,
} from '@ks-gpu-ml/ui';
import { useNotebookOptions } from '../api.js';
import { ConfirmButton } from '../components/ConfirmButton.js';
import { useServingRights, type ServingRights } from '../components/rights.js';
import { Form, FormError } from '../components/Form.js';
import { FormFooter, GpuFields, useDraftForm, type DraftForm } from '../components/form-kit.js';
import { emptyLlmDraft, emptyServingDraft, toLlmBody, toServingBody } from '../components/serving-draft.js';
import { LlmDetails, LlmServicesTable } from '../components/LlmServicesTable.js';
import { Conditions, DetailsButton, ServingPods, Warnings } from '../components/ServingDetailParts.js';
import { ServingFrame, type ServingScope } from '../components/ServingFrame.js';
import {
  createInferenceService,
  createLLMInferenceService,
  deleteInferenceService,
  deleteLLMInferenceService,
  sendTestRequest,
  updateInferenceService,
  useInferenceService,
  useInferenceServices,
  useModels,
  useServingOptions,
} from '../serving-api.js';
import { SERVING_IDS } from '../serving-ids.js';
import { ageColumn, servedModelColumns } from '../components/columns.js';

export function ServingPage() {
  return (
    <ServingFrame section="serving" testId={SERVING_IDS.servingPage}>
      {(scope) => <Services scope={scope} />}
    </ServingFrame>
  );
}

const versionText = (s: InferenceServiceSummary) => (s.model ? `${s.model.name} v${s.model.version}` : '-');

const replicasText = (s: InferenceServiceSummary) =>
  `${s.replicas.ready}/${s.replicas.pods}` +
  (s.replicas.min !== undefined || s.replicas.max !== undefined
    ? ` (${s.replicas.min ?? 0}–${s.replicas.max ?? '∞'})`
    : '');

type PanelKind = 'canary' | 'test' | 'details' | 'llm';

function Services({ scope }: { scope: ServingScope }) {
  const { namespace, cluster } = scope;
  const services = useInferenceServices(namespace, cluster);
  const [deploying, setDeploying] = useState(false);
  const [panel, setPanel] = useState<{ name: string; kind: PanelKind }>();
  const { actionError, act } = useRowAction(() => services.refetch());
  const may = useServingRights(scope);
  if (services.error) return <ErrorState error={services.error} onRetry={() => void services.refetch()} />;
  if (!services.data) return <LoadingState />;

  const toggle = (name: string, kind: PanelKind) =>
    setPanel(panel?.name === name && panel.kind === kind ? undefined : { name, kind });

  return (
    <>
      {deploying ? (
        <DeployPanel
          scope={scope}
          onDone={(created) => {
            setDeploying(false);
            if (created) void services.refetch();
          }}
        />
      ) : (
        (may.create || may.createLlm) && (
          <div>
            <Button color="secondary" data-testid={SERVING_IDS.newService} onClick={() => setDeploying(true)}>
              {t('ml-apps.serving.new')}
            </Button>
          </div>
        )
      )}
      {actionError && <ErrorState error={actionError} />}
      {/* Two kinds listed: each table says which it is. */}
      {services.data.llmItems && <h3>{t('ml-apps.serving.isvcTitle')}</h3>}
      <DataTable<InferenceServiceSummary>
        columns={[
          ...servedModelColumns<InferenceServiceSummary>({
            testIds: {
              row: SERVING_IDS.serviceRow,
              status: SERVING_IDS.serviceStatus,
              url: SERVING_IDS.serviceUrl,
            },
            versionText,
            replicas: { title: t('ml-apps.serving.replicas'), text: replicasText },
          }),
          {
            key: 'traffic',
            title: t('ml-apps.serving.traffic'),
            render: (s) => (
              <Traffic service={s} mayUpdate={may.update} onAct={(run) => void act(run)} scope={scope} />
            ),
          },
          ageColumn(),
          actionsColumn((s) => (
            <span>
              <DetailsButton testId={SERVING_IDS.detailsOpen} onClick={() => toggle(s.name, 'details')} />{' '}
              {may.update && s.model && !s.canary && (
                <Button
                  size="sm"
                  data-testid={SERVING_IDS.canaryOpen}
                  onClick={() => toggle(s.name, 'canary')}
                >
                  {t('ml-apps.serving.canary')}
                </Button>
              )}{' '}
              {may.predict && (
                <Button size="sm" data-testid={SERVING_IDS.testOpen} onClick={() => toggle(s.name, 'test')}>
                  {t('ml-apps.serving.test')}
                </Button>
              )}{' '}
              {may.delete && (
                <ConfirmButton
                  label={t('ml-apps.action.delete')}
                  question={t('ml-apps.serving.confirmDelete', { name: s.name })}
                  testId={SERVING_IDS.serviceDelete}
                  onConfirm={() => void act(() => deleteInferenceService(namespace, s.name, cluster))}
                />
              )}
            </span>
          )),
        ]}
        rows={services.data.items}
        rowKey={(s) => s.name}
        searchText={(s) => `${s.name} ${s.model?.name ?? ''} ${s.storageUri ?? ''}`}
        initialSort={{ key: 'name', direction: 'asc' }}
        emptyTitle={t('ml-apps.serving.empty')}
      />
      {services.data.llmItems && (
        <LlmServicesTable
          rows={services.data.llmItems}
          onDetails={(name) => toggle(name, 'llm')}
          onDelete={
            may.deleteLlm
              ? (name) => void act(() => deleteLLMInferenceService(namespace, name, cluster))
              : undefined
          }
        />
      )}
      {panel?.kind === 'canary' && (
        <CanaryForm
          scope={scope}
          service={services.data.items.find((s) => s.name === panel.name)}
          onDone={() => {
            setPanel(undefined);
            void services.refetch();
          }}
        />
      )}
      {panel?.kind === 'test' && <TestRequest scope={scope} name={panel.name} />}
      {panel?.kind === 'llm' && (
        <LlmDetails scope={scope} name={panel.name} revision={services.data.revision} />
      )}
      {panel?.kind === 'details' && (
        <Details scope={scope} name={panel.name} revision={services.data?.revision} />
      )}
    </>
  );
}

/** Each revision's share of traffic and the version it serves; during a canary, promote and roll back. */
function Traffic(props: {
  service: InferenceServiceSummary;
  /** Promote and roll back are offered only when the caller may update the service. */
  mayUpdate: ServingRights['update'];
  scope: ServingScope;
  onAct: (run: () => Promise<unknown>) => void;
}) {
  const { service: s } = props;
  const { namespace, cluster } = props.scope;
  return (
    <div data-testid={SERVING_IDS.traffic}>
      {s.traffic.map((r) => (
        <div key={r.revisionName}>
          {t('ml-apps.serving.revision', {
            percent: r.percent,
            revision: r.revisionName,
            version: r.model ? `v${r.model.version}` : '-',
          })}
        </div>
      ))}
      {s.canary && (
        <div>
          {t('ml-apps.serving.canaryOf', {
            percent: s.canary.percent,
            version: s.model ? `v${s.model.version}` : '-',
            previous: s.canary.previous ? `v${s.canary.previous.version}` : '-',
          })}{' '}
          {props.mayUpdate && (
            <>
              <Button
                size="sm"
                color="secondary"
                data-testid={SERVING_IDS.promote}
                onClick={() =>
                  props.onAct(() => updateInferenceService(namespace, s.name, cluster, { action: 'promote' }))
                }
              >
                {t('ml-apps.serving.promote')}
              </Button>{' '}
              <Button
                size="sm"
                data-testid={SERVING_IDS.rollback}
                onClick={() =>
                  props.onAct(() =>
                    updateInferenceService(namespace, s.name, cluster, { action: 'rollback' }),
                  )
                }
              >
                {t('ml-apps.serving.rollback')}
              </Button>
            </>
          )}
        </div>
      )}
    </div>
  );
}

/** The deploy form, once its options (GPUs from the nodes, runtimes, the registry's models) are read. */
function DeployPanel(props: { scope: ServingScope; onDone: (created: boolean) => void }) {
  const { namespace, cluster } = props.scope;
  const gpus = useNotebookOptions(namespace, cluster);
  const options = useServingOptions(namespace, cluster);
  const models = useModels(namespace, cluster);
  const [llm, setLlm] = useState(false);
  const error = gpus.error ?? options.error ?? models.error;
  if (error) return <ErrorState error={error} />;
  if (!gpus.data || !options.data || !models.data) return <LoadingState />;
  const modelList = models.data.items.map((m) => ({ name: m.name, latest: m.latestVersion }));
  return (
    <>
      {options.data.llmInferenceService && (
        <label>
          {t('ml-apps.serving.kind')}{' '}
          <ChoiceSelect
            testId={SERVING_IDS.kind}
            value={llm ? 'llm' : 'isvc'}
            choices={['isvc', 'llm'] as const}
            label={(kind) => (kind === 'llm' ? t('ml-apps.serving.kindLlm') : 'InferenceService')}
            onChange={(kind) => setLlm(kind === 'llm')}
          />
        </label>
      )}
      {llm && options.data.llmInferenceService ? (
        <LlmForm scope={props.scope} gpus={gpus.data} models={modelList} onDone={props.onDone} />
      ) : (
        <DeployForm
          scope={props.scope}
          gpus={gpus.data}
          options={options.data}
          models={modelList}
          onDone={props.onDone}
        />
      )}
    </>
  );
}

type RegisteredModel = { name: string; latest?: number };

/** The version a model is served at unless the user types another: its latest, when it has one. */
const latestVersion = (model: RegisteredModel | undefined) => (model?.latest ? String(model.latest) : '');

/** The service's name and the registered model and version it serves (both serving forms). */
function ServedModelFields<D extends { name: string; model: string; version: string }>(props: {
  form: DraftForm<D>;
  models: RegisteredModel[];
}) {
  const { form, models } = props;
  // Choosing a model also picks its latest version.
  const choose = (model: string) =>
    form.set({ model, version: latestVersion(models.find((m) => m.name === model)) } as Partial<D>);
  return (
    <>
      {form.text('name', t('ml-apps.form.name'))}
      {form.field(
        'model',
        t('ml-apps.serving.model'),
        <ChoiceSelect
          value={form.draft.model}
          choices={models.map((m) => m.name)}
          label={(name) => name}
          onChange={choose}
        />,
      )}
      {form.text('version', t('ml-apps.serving.versionNumber'))}
    </>
  );
}

/** A registered version served as KServe's LLMInferenceService (offered when the cluster serves it). */
function LlmForm(props: {
  scope: ServingScope;
  gpus: NotebookOptions;
  models: RegisteredModel[];
  onDone: (created: boolean) => void;
}) {
  const first = props.models[0];
  const form = useDraftForm({
    initial: emptyLlmDraft(first?.name ?? '', latestVersion(first)),
    toBody: toLlmBody,
    send: (body) => createLLMInferenceService(props.scope.namespace, props.scope.cluster, body),
    onSent: () => props.onDone(true),
  });
  const { draft, set, text } = form;
  return (
    <Form data-testid={SERVING_IDS.llmForm} onSubmit={(e) => void form.submit(e)}>
      <ServedModelFields form={form} models={props.models} />
      {text('minReplicas', t('ml-apps.serving.llmReplicas'))}
      {text('cpu', t('ml-apps.serving.cpuPerReplica'))}
      {text('memory', t('ml-apps.serving.memoryPerReplica'))}
      <GpuFields gpus={props.gpus.gpus} form={form} label={t('ml-apps.serving.gpuPerReplica')} />
      <label>
        <input type="checkbox" checked={draft.router} onChange={(e) => set({ router: e.target.checked })} />{' '}
        {t('ml-apps.serving.llmRouter')}
      </label>
      <FormFooter
        form={form}
        submitLabel={t('ml-apps.serving.deploy')}
        submitTestId={SERVING_IDS.llmSubmit}
        onCancel={() => props.onDone(false)}
      />
    </Form>
  );
}

function DeployForm(props: {
  scope: ServingScope;
  gpus: NotebookOptions;
  options: ServingOptions;
  models: RegisteredModel[];
  onDone: (created: boolean) => void;
}) {
  const first = props.models[0];
  const form = useDraftForm({
    initial: emptyServingDraft(first?.name ?? '', latestVersion(first)),
    toBody: toServingBody,
    send: (body) => createInferenceService(props.scope.namespace, props.scope.cluster, body),
    onSent: () => props.onDone(true),
  });
  const { draft, text, choice } = form;
  const runtimes = new Map<string, (typeof props.options.runtimes)[number]>(
    props.options.runtimes.filter((r) => !r.disabled).map((r) => [`${r.kind}/${r.name}`, r]),
  );
  return (
    <Form data-testid={SERVING_IDS.serviceForm} onSubmit={(e) => void form.submit(e)}>
      <ServedModelFields form={form} models={props.models} />
      {/* '' leaves the choice to KServe (by the model's format); a runtime is named `<kind>/<name>`. */}
      {choice('runtime', t('ml-apps.serving.runtime'), ['', ...runtimes.keys()], (key) => {
        const r = runtimes.get(key);
        return r
          ? `${r.name} (${r.formats.map((f) => f.name).join(', ')})`
          : t('ml-apps.serving.autoRuntime');
      })}
      {choice('protocolVersion', t('ml-apps.serving.protocol'), ['', 'v1', 'v2'] as const, (p) =>
        p ? p.toUpperCase() : t('ml-apps.serving.runtimeDefault'),
      )}
      {text('cpu', t('ml-apps.serving.cpuPerReplica'))}
      {text('memory', t('ml-apps.serving.memoryPerReplica'))}
      <GpuFields gpus={props.gpus.gpus} form={form} label={t('ml-apps.serving.gpuPerReplica')} />
      {text('minReplicas', t('ml-apps.serving.minReplicas'))}
      {text('maxReplicas', t('ml-apps.serving.maxReplicas'))}
      {text('transformerImage', t('ml-apps.serving.transformerImage'))}
      {draft.transformerImage.trim() && (
        <>
          {text('transformerCpu', t('ml-apps.serving.transformerCpu'))}
          {text('transformerMemory', t('ml-apps.serving.transformerMemory'))}
        </>
      )}
      {text('explainerImage', t('ml-apps.serving.explainerImage'))}
      {draft.explainerImage.trim() && (
        <>
          {text('explainerCpu', t('ml-apps.serving.explainerCpu'))}
          {text('explainerMemory', t('ml-apps.serving.explainerMemory'))}
        </>
      )}
      <FormFooter
        form={form}
        submitLabel={t('ml-apps.serving.deploy')}
        submitTestId={SERVING_IDS.serviceSubmit}
        onCancel={() => props.onDone(false)}
      />
    </Form>
  );
}

function CanaryForm(props: {
  scope: ServingScope;
  service: InferenceServiceSummary | undefined;
  onDone: () => void;
}) {
  const [version, setVersion] = useState('');
  const [percent, setPercent] = useState('10');
  const [error, setError] = useState<string>();
  const s = props.service;
  if (!s) return null;
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const v = Number(version);
    const p = Number(percent);
    if (!Number.isInteger(v) || v < 1 || !Number.isInteger(p) || p < 1 || p > 99) {
      setError(t('ml-apps.form.invalid.canary'));
      return;
    }
    try {
      await updateInferenceService(props.scope.namespace, s.name, props.scope.cluster, {
        action: 'canary',
        version: v,
        percent: p,
      });
      props.onDone();
    } catch (err) {
      setError((err as ApiError).message);
    }
  };
  return (
    <Form data-testid={SERVING_IDS.canaryForm} onSubmit={(e) => void submit(e)}>
      <label htmlFor="canary-version">{t('ml-apps.serving.canaryVersion')}</label>
      <input id="canary-version" value={version} onChange={(e) => setVersion(e.target.value)} />
      <label htmlFor="canary-percent">{t('ml-apps.serving.canaryPercent')}</label>
      <input id="canary-percent" value={percent} onChange={(e) => setPercent(e.target.value)} />
      {error && (
        <FormError role="alert" data-testid="canary-error">
          {error}
        </FormError>
      )}
      <span />
      <span>
        <Button type="submit" color="secondary" data-testid={SERVING_IDS.canarySubmit}>
          {t('ml-apps.serving.startCanary')}
        </Button>
      </span>
    </Form>
  );
}

const V1_EXAMPLE = '{"instances": [[6.8, 2.8, 4.8, 1.4]]}';
const V2_EXAMPLE =
  '{"inputs": [{"name": "input-0", "shape": [1, 4], "datatype": "FP32", "data": [6.8, 2.8, 4.8, 1.4]}]}';

/** Sends a JSON body through the backend to the service and shows the predictor's status, answer and latency. */
function TestRequest(props: { scope: ServingScope; name: string }) {
  const [protocol, setProtocol] = useState<'v1' | 'v2'>('v1');
  const [body, setBody] = useState(V1_EXAMPLE);
  const [answer, setAnswer] = useState<InferenceAnswer>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const send = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      setError(t('ml-apps.form.invalid.json'));
      return;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      setError(t('ml-apps.form.invalid.json'));
      return;
    }
    setBusy(true);
    try {
      setAnswer(
        await sendTestRequest(props.scope.namespace, props.name, props.scope.cluster, {
          protocol,
          body: parsed as Record<string, unknown>,
        }),
      );
    } catch (err) {
      setError((err as ApiError).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form data-testid={SERVING_IDS.testForm} onSubmit={(e) => void send(e)}>
      <label htmlFor="test-protocol">{t('ml-apps.serving.protocol')}</label>
      <ChoiceSelect
        id="test-protocol"
        value={protocol}
        choices={['v1', 'v2'] as const}
        label={(p) => p.toUpperCase()}
        onChange={(p) => {
          setProtocol(p);
          setBody(p === 'v1' ? V1_EXAMPLE : V2_EXAMPLE);
        }}
      />
      <label htmlFor="test-body">{t('ml-apps.serving.requestBody')}</label>
      <textarea id="test-body" rows={5} value={body} onChange={(e) => setBody(e.target.value)} />
      {error && <FormError role="alert">{error}</FormError>}
      <span />
      <span>
        <Button type="submit" color="secondary" disabled={busy} data-testid={SERVING_IDS.testSend}>
          {t('ml-apps.serving.send')}
        </Button>
      </span>
      {answer && (
        <>
          <span>{t('ml-apps.serving.answer', { status: answer.status, ms: answer.latencyMs })}</span>
          <pre data-testid={SERVING_IDS.testAnswer}>{JSON.stringify(answer.body, null, 2)}</pre>
        </>
      )}
    </Form>
  );
}

/**
 * Conditions, the model's status with its last failure verbatim, the predictor and transformer pods with their
 * logs, and the warnings; loaded again whenever the list's revision (the watch) says the service or its pods changed.
 */
function Details(props: { scope: ServingScope; name: string; revision: string | undefined }) {
  const detail = useInferenceService(props.scope.namespace, props.name, props.scope.cluster, props.revision);
  if (detail.error) return <ErrorState error={detail.error} />;
  if (!detail.data) return <LoadingState />;
  const d = detail.data;
  const failure = d.modelStatus?.lastFailureInfo;
  return (
    <section data-testid={SERVING_IDS.details}>
      <h3>{t('ml-apps.serving.detailsOf', { name: d.name })}</h3>
      {d.storageUri && (
        <p>
          {d.format} · <code>{d.storageUri}</code>
          {d.runtime ? ` · ${d.runtime}` : ''}
        </p>
      )}
      {d.modelStatus && (
        <p>
          {t('ml-apps.serving.modelStatus', {
            transition: d.modelStatus.transitionStatus ?? '-',
            state: d.modelStatus.targetModelState ?? d.modelStatus.activeModelState ?? '-',
          })}
          {failure && (
            <>
              <br />
              <strong>{failure.reason}</strong>: {failure.message}
            </>
          )}
        </p>
      )}
      <Conditions conditions={d.conditions} />
      <ServingPods scope={props.scope} pods={d.pods} logs />
      <Warnings events={d.events} />
    </section>
  );
}
