import React from 'react';
import { useSearchParams } from 'react-router-dom';
import type { Silence } from '@ks-gpu-ml/contracts';
import { actionsColumn, DataTable, t, timeColumn, valueColumn } from '@ks-gpu-ml/ui';
import { createSilence, expireSilence, useSilences } from '../api.js';
import { EditableList } from '../components/EditableList.js';
import { emptySilenceDraft, matcherText, silenceBody } from '../components/drafts.js';
import { Badge, ConfirmButton, Form, FormFooter, TextField, useDraftForm } from '../components/kit.js';
import { Section } from '../components/Section.js';
import { ALERTING_IDS } from '../test-ids.js';

/** Alertmanager's silences (API v2, the cluster's only): matchers, state, window, who and why; create, expire. */
export function SilencesPage() {
  return (
    <Section section="silences" testId={ALERTING_IDS.silencesPage}>
      {(scope) => <Silences cluster={scope.kind === 'cluster' ? scope.cluster : undefined} />}
    </Section>
  );
}

function SilenceForm(props: {
  cluster: string | undefined;
  matchers: string;
  onCancel: () => void;
  onSaved: () => void;
}) {
  const form = useDraftForm({
    initial: emptySilenceDraft(props.matchers),
    toBody: silenceBody,
    send: (body) => createSilence(props.cluster, body),
    onSent: props.onSaved,
  });
  return (
    <Form data-testid={ALERTING_IDS.silenceForm} onSubmit={(e) => void form.submit(e)}>
      <TextField
        form={form}
        field="matchers"
        id="s-matchers"
        label={t('cmdb-alerting.silence.matchers')}
        multiline
        hint={t('cmdb-alerting.silence.matchersHint')}
      />
      <TextField
        form={form}
        field="durationMinutes"
        id="s-duration"
        label={t('cmdb-alerting.silence.duration')}
      />
      <TextField form={form} field="comment" id="s-comment" label={t('cmdb-alerting.silence.comment')} />
      <FormFooter form={form} submitLabel={t('cmdb-alerting.form.create')} onCancel={props.onCancel} />
    </Form>
  );
}

function Silences({ cluster }: { cluster: string | undefined }) {
  // An alert's "Silence" link opens the form with its matchers (`?matchers=` one a line).
  const [search] = useSearchParams();
  const preset = search.get('matchers') ?? '';
  return (
    <EditableList
      query={useSilences(cluster)}
      startNew={preset !== ''}
      newTestId={ALERTING_IDS.newSilence}
      newLabel={t('cmdb-alerting.silences.new')}
      form={(_editing, on) => <SilenceForm cluster={cluster} matchers={preset} {...on} />}
      table={(rows, { act }) => (
        <DataTable<Silence>
          columns={[
            {
              key: 'matchers',
              title: t('cmdb-alerting.column.matchers'),
              render: (s) => (
                <span
                  data-testid={ALERTING_IDS.silenceRow}
                  style={{ fontFamily: 'monospace', overflowWrap: 'anywhere' }}
                >
                  {s.matchers.map(matcherText).join(', ')}
                </span>
              ),
            },
            {
              key: 'state',
              title: t('cmdb-alerting.column.state'),
              render: (s) => <Badge value={s.state} label={t(`cmdb-alerting.silenceState.${s.state}`)} />,
              sortValue: (s) => s.state,
            },
            timeColumn('startsAt', t('cmdb-alerting.column.startsAt'), (s) => s.startsAt),
            timeColumn('endsAt', t('cmdb-alerting.column.endsAt'), (s) => s.endsAt),
            valueColumn('createdBy', t('cmdb-alerting.column.createdBy'), (s) => s.createdBy),
            {
              key: 'comment',
              title: t('cmdb-alerting.column.comment'),
              // A long unbroken comment wraps instead of pushing the table off the page.
              render: (s) => <span style={{ overflowWrap: 'anywhere' }}>{s.comment}</span>,
            },
            actionsColumn((s) =>
              s.state === 'expired' ? null : (
                <ConfirmButton
                  label={t('cmdb-alerting.action.expire')}
                  question={t('cmdb-alerting.confirm.expire')}
                  testId={ALERTING_IDS.expireSilence}
                  onConfirm={() => act(() => expireSilence(cluster, s.id))}
                />
              ),
            ),
          ]}
          rows={rows}
          rowKey={(s) => s.id}
          searchText={(s) => `${s.matchers.map(matcherText).join(' ')} ${s.createdBy} ${s.comment}`}
          initialSort={{ key: 'endsAt', direction: 'desc' }}
          emptyTitle={t('cmdb-alerting.silences.empty')}
        />
      )}
    />
  );
}
