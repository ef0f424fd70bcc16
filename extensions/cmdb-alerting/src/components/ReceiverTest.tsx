// "Send test" on a receiver's row: one test message through its real channel, and the provider's answer shown as it
// came (WeCom errcode and errmsg, the SMTP server's reply, each voice provider's answer), or why it was refused
// (e.g. tested moments ago: the backend allows one test per receiver every 30 s).
import React, { useState } from 'react';
import { Button } from '@kubed/components';
import type { ReceiverTestResult } from '@ks-gpu-ml/contracts';
import { ErrorState, t, type ApiError } from '@ks-gpu-ml/ui';
import { testReceiver, type AlertingScope } from '../api.js';
import { ALERTING_IDS } from '../test-ids.js';
import { Badge } from './kit.js';

const OUTCOME_COLOUR = { delivered: 'resolved', retry: 'warning', failed: 'error' } as const;

export function ReceiverTest({ scope, name }: { scope: AlertingScope; name: string }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ReceiverTestResult>();
  const [error, setError] = useState<ApiError>();
  const run = async () => {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await testReceiver(scope, name));
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <Button
        size="sm"
        color="default"
        disabled={busy}
        data-testid={ALERTING_IDS.testReceiver}
        onClick={() => void run()}
      >
        {busy ? t('cmdb-alerting.receiverTest.sending') : t('cmdb-alerting.receiverTest.send')}
      </Button>
      {result && (
        <div data-testid={ALERTING_IDS.receiverTestResult} style={{ marginTop: 6, fontSize: 12 }}>
          <Badge
            value={OUTCOME_COLOUR[result.outcome]}
            label={t(`cmdb-alerting.delivery.${result.outcome}`)}
          />
          {result.message && <div>{result.message}</div>}
          <div>
            {t('cmdb-alerting.column.providerAnswer')}:{' '}
            <span style={{ fontFamily: 'monospace', wordBreak: 'break-word' }}>
              {result.providerAnswer ?? '-'}
            </span>
          </div>
          {result.perRecipient?.map((r) => (
            <div key={r.recipient} style={{ fontFamily: 'monospace' }}>
              {r.recipient}: {r.outcome}
              {r.detail ? ` (${r.detail})` : ''}
            </div>
          ))}
        </div>
      )}
      {error && (
        <div data-testid={ALERTING_IDS.receiverTestResult} style={{ marginTop: 6 }}>
          <ErrorState error={error} title={t('cmdb-alerting.receiverTest.refused')} />
        </div>
      )}
    </div>
  );
}
