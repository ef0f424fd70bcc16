// The cluster's CMDB connection (platform admins, docs/adr/0043): which CMDB, where, the Secret holding its
// credential (a reference: the value is never shown), how long answers stay fresh and how long to wait; and "test
// connection", which asks the CMDB with what the form holds (saved or not) and shows what it really answered.
import React, { useState } from 'react';
import { Button } from '@kubed/components';
import { CMDB_KINDS, type CmdbConnectionTest, type CmdbSettings } from '@ks-gpu-ml/contracts';
import { ChoiceSelect, ErrorState, LoadingState, t, type ApiError } from '@ks-gpu-ml/ui';
import { cmdbBody, cmdbDraftOf, emptyCmdbDraft, type CmdbDraft } from '../components/routing-drafts.js';
import { Form, FormFooter, Hint, Panel, problemText, TextField, useDraftForm } from '../components/kit.js';
import { Section } from '../components/Section.js';
import { saveCmdbSettings, testCmdbConnection, useCmdbSettings } from '../routing-api.js';
import { ROUTING_IDS } from '../routing-test-ids.js';

export function CmdbSettingsPage() {
  return (
    <Section section="cmdb" testId={ROUTING_IDS.cmdbPage}>
      {(scope) => <CmdbSettingsView cluster={scope.kind === 'cluster' ? scope.cluster : undefined} />}
    </Section>
  );
}

/** The hint of a field the adapter defaults when it is left empty. */
const emptyMeans = (value: string) => t('cmdb-alerting.cmdb.emptyMeans', { value });

function CmdbSettingsView({ cluster }: { cluster: string | undefined }) {
  const query = useCmdbSettings(cluster);
  if (query.error) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return <LoadingState />;
  return <CmdbForm key={query.data.updatedAt ?? ''} cluster={cluster} shown={query.data} />;
}

function CmdbForm({ cluster, shown }: { cluster: string | undefined; shown: CmdbSettings }) {
  const [saved, setSaved] = useState<string | undefined>(shown.updatedAt);
  const form = useDraftForm({
    initial: shown.settings ? cmdbDraftOf(shown.settings) : emptyCmdbDraft(),
    toBody: cmdbBody,
    send: (body) => saveCmdbSettings(cluster, body),
    onSent: (reply: CmdbSettings) => setSaved(reply.updatedAt),
  });
  const { draft, set } = form;
  const field = (name: keyof CmdbDraft & string, hint?: string) => (
    <TextField
      form={form}
      field={name}
      id={`cmdb-${name}`}
      label={t(`cmdb-alerting.cmdb.${name}`)}
      {...(hint ? { hint } : {})}
    />
  );
  return (
    <>
      {!shown.configured && !saved && (
        <p data-testid={ROUTING_IDS.cmdbNone} style={{ color: '#79879c', marginBottom: 12 }}>
          {t('cmdb-alerting.cmdb.none')}
        </p>
      )}
      <Form data-testid={ROUTING_IDS.cmdbForm} onSubmit={(e) => void form.submit(e)}>
        <label htmlFor="cmdb-kind">{t('cmdb-alerting.cmdb.kind')}</label>
        <ChoiceSelect
          id="cmdb-kind"
          value={draft.kind}
          choices={CMDB_KINDS}
          label={(k) => t(`cmdb-alerting.cmdb.kind.${k}`)}
          onChange={(kind) => set({ kind })}
        />
        <label htmlFor="cmdb-enabled">{t('cmdb-alerting.cmdb.enabled')}</label>
        <input
          id="cmdb-enabled"
          type="checkbox"
          style={{ justifySelf: 'start' }}
          checked={draft.enabled}
          onChange={(e) => set({ enabled: e.target.checked })}
        />
        {draft.kind !== 'generic' && field('url', t(`cmdb-alerting.cmdb.urlHint.${draft.kind}`))}
        {field('secretNamespace')}
        {field('secretName')}
        {field('secretKey', t('cmdb-alerting.cmdb.secretHint'))}
        {draft.kind === 'bk-cmdb' && (
          <>
            {field('appCode')}
            {field('username')}
            {field('clusterUid')}
          </>
        )}
        {draft.kind === 'netbox' && (
          <>
            {field('namespaceField', emptyMeans('k8s_namespaces'))}
            {field('wecomField', emptyMeans('wecom_userid'))}
          </>
        )}
        {draft.kind !== 'generic' &&
          field('importanceField', emptyMeans(draft.kind === 'bk-cmdb' ? 'biz_level' : 'importance'))}
        {draft.kind === 'generic' && (
          <TextField
            form={form}
            field="generic"
            id="cmdb-generic"
            label={t('cmdb-alerting.cmdb.generic')}
            multiline
            hint={t('cmdb-alerting.cmdb.genericHint')}
          />
        )}
        {field('ttlSeconds')}
        {field('lastKnownSeconds', t('cmdb-alerting.cmdb.lastKnownHint'))}
        {field('timeoutMs')}
        <FormFooter
          form={form}
          submitLabel={t('cmdb-alerting.form.save')}
          onCancel={() => form.setDraft(shown.settings ? cmdbDraftOf(shown.settings) : emptyCmdbDraft())}
        />
        {saved && (
          <Hint data-testid={ROUTING_IDS.cmdbSaved}>{t('cmdb-alerting.cmdb.saved', { at: saved })}</Hint>
        )}
      </Form>
      <ConnectionTest cluster={cluster} draft={draft} />
    </>
  );
}

/** Asks the CMDB with the form's settings and shows its answer: the mapping, or its error in its own words. */
function ConnectionTest({ cluster, draft }: { cluster: string | undefined; draft: CmdbDraft }) {
  const [lookup, setLookup] = useState('default');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<CmdbConnectionTest | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const run = async () => {
    setFailure(undefined);
    setResult(undefined);
    const built = cmdbBody(draft);
    if ('problem' in built) return setFailure(problemText(built.problem));
    const value = lookup.trim() || 'default';
    const asNamespace = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value) && value.length <= 63;
    setBusy(true);
    try {
      setResult(
        await testCmdbConnection(cluster, {
          settings: built.body,
          ...(asNamespace ? { namespace: value } : { system: value }),
        }),
      );
    } catch (err) {
      setFailure((err as ApiError).message || `HTTP ${(err as ApiError).status}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Panel>
      <h3>{t('cmdb-alerting.cmdb.test')}</h3>
      <div style={{ display: 'flex', gap: 8, alignItems: 'center', marginBottom: 8 }}>
        <label htmlFor="cmdb-test-query">{t('cmdb-alerting.cmdb.testQuery')}</label>
        <input
          id="cmdb-test-query"
          data-testid={ROUTING_IDS.testQuery}
          value={lookup}
          onChange={(e) => setLookup(e.target.value)}
        />
        <Button
          color="secondary"
          data-testid={ROUTING_IDS.testRun}
          disabled={busy}
          onClick={() => void run()}
        >
          {t('cmdb-alerting.cmdb.testRun')}
        </Button>
      </div>
      {failure && <div data-testid={ROUTING_IDS.testResult}>{failure}</div>}
      {result && <TestResult result={result} />}
    </Panel>
  );
}

function TestResult({ result }: { result: CmdbConnectionTest }) {
  const head = t(result.ok ? 'cmdb-alerting.cmdb.testOk' : 'cmdb-alerting.cmdb.testFailed', {
    query: result.query,
    status: result.status ?? '-',
    ms: result.latencyMs,
  });
  return (
    <div data-testid={ROUTING_IDS.testResult}>
      <p>{head}</p>
      {result.ok && !result.sample && <p>{t('cmdb-alerting.cmdb.testNoSystem')}</p>}
      {result.sample && (
        <ul>
          <li>{t('cmdb-alerting.cmdb.sampleSystem', { name: result.sample.name })}</li>
          {result.sample.importance && (
            <li>{t('cmdb-alerting.cmdb.sampleImportance', { importance: result.sample.importance })}</li>
          )}
          <li>
            {t('cmdb-alerting.cmdb.sampleOwners', {
              owners:
                result.sample.owners
                  .map((o) => [o.name, o.role, o.wecomUserId, o.email, o.mobile].filter(Boolean).join(' / '))
                  .join('; ') || '-',
            })}
          </li>
          <li>{t('cmdb-alerting.cmdb.sampleRule', { rule: result.sample.rule })}</li>
        </ul>
      )}
      {result.error && (
        <>
          <p>
            {t(`cmdb-alerting.cmdb.error.${result.error.key}`)} ({result.error.detail})
          </p>
          {result.error.answer !== undefined && (
            <pre data-testid={ROUTING_IDS.testAnswer} style={{ whiteSpace: 'pre-wrap', maxWidth: 800 }}>
              {result.error.answer}
            </pre>
          )}
        </>
      )}
    </div>
  );
}
