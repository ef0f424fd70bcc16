// Silences by business system (ADR 0042), on the business systems page: the active ones, each with the Alertmanager
// silences it expanded to, an Expire for the whole of it, and a form that silences one system for a while.
import React, { useState } from 'react';
import { Button } from '@kubed/components';
import { ErrorState, localTime, t, type ApiError } from '@ks-gpu-ml/ui';
import { createBusinessSilence, expireBusinessSilence, useBusinessSilences } from '../api.js';
import { matcherText } from './drafts.js';
import { Table } from './business.js';
import { ConfirmButton, Form, Hint, Panel } from './kit.js';
import { ALERTING_IDS } from '../test-ids.js';

export function BusinessSilences(props: { cluster: string | undefined; systems: readonly string[] }) {
  const silences = useBusinessSilences(props.cluster);
  const [system, setSystem] = useState('');
  const [minutes, setMinutes] = useState('60');
  const [comment, setComment] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
    await silences.refetch();
  };
  const duration = Number(minutes);
  const valid =
    system !== '' && Number.isInteger(duration) && duration >= 1 && duration <= 43_200 && comment.trim();
  return (
    <div style={{ marginBottom: 16 }} data-testid={ALERTING_IDS.businessSilences}>
      <Form
        data-testid={ALERTING_IDS.businessSilenceForm}
        onSubmit={(e) => {
          e.preventDefault();
          if (!valid) return;
          void run(() =>
            createBusinessSilence(props.cluster, {
              system,
              durationMinutes: duration,
              comment: comment.trim(),
            }),
          );
        }}
      >
        <label htmlFor="bs-system">{t('cmdb-alerting.businessSilence.system')}</label>
        <select id="bs-system" value={system} onChange={(e) => setSystem(e.target.value)}>
          <option value="" />
          {props.systems.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <label htmlFor="bs-minutes">{t('cmdb-alerting.silence.duration')}</label>
        <input id="bs-minutes" value={minutes} onChange={(e) => setMinutes(e.target.value)} />
        <label htmlFor="bs-comment">{t('cmdb-alerting.silence.comment')}</label>
        <input id="bs-comment" value={comment} onChange={(e) => setComment(e.target.value)} />
        <Hint>{t('cmdb-alerting.businessSilence.hint')}</Hint>
        <span />
        <span>
          <Button
            type="submit"
            color="secondary"
            disabled={busy || !valid}
            data-testid={ALERTING_IDS.businessSilenceCreate}
          >
            {t('cmdb-alerting.businessSilence.create')}
          </Button>
        </span>
      </Form>
      {error && (
        <div data-testid={ALERTING_IDS.actionError}>
          <ErrorState error={error} title={t('cmdb-alerting.businessSilence.failed')} />
        </div>
      )}
      {silences.error && <ErrorState error={silences.error} onRetry={() => void silences.refetch()} />}
      {silences.data && silences.data.items.length > 0 && (
        <Panel>
          <Table>
            <thead>
              <tr>
                <th>{t('cmdb-alerting.business.field.system')}</th>
                <th>{t('cmdb-alerting.businessSilence.labelSets')}</th>
                <th>{t('cmdb-alerting.silence.comment')}</th>
                <th>{t('cmdb-alerting.businessSilence.until')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {silences.data.items.map((g) => (
                <tr key={g.group} data-testid={ALERTING_IDS.businessSilenceRow}>
                  <td>{g.system}</td>
                  <td>
                    {g.silences.map((s) => (
                      <div key={s.id}>
                        <code>{s.matchers.map(matcherText).join(', ')}</code>
                      </div>
                    ))}
                  </td>
                  <td>{`${g.comment} (${g.createdBy})`}</td>
                  <td>{localTime(g.endsAt)}</td>
                  <td>
                    <ConfirmButton
                      label={t('cmdb-alerting.action.expire')}
                      question={t('cmdb-alerting.confirm.expire')}
                      testId={ALERTING_IDS.expireBusinessSilence}
                      onConfirm={() => void run(() => expireBusinessSilence(props.cluster, g.group))}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Panel>
      )}
    </div>
  );
}
