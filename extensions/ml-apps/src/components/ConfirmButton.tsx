import React, { useState } from 'react';
import { Button } from '@kubed/components';
import { t } from '@ks-gpu-ml/ui';
import { ML_IDS } from '../test-ids.js';

/** A button whose action runs only after the question it asks is confirmed. */
export function ConfirmButton(props: {
  label: string;
  question: string;
  testId: string;
  onConfirm: () => void;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button size="sm" data-testid={props.testId} onClick={() => setAsking(true)}>
        {props.label}
      </Button>
    );
  }
  return (
    <span>
      {props.question}{' '}
      <Button
        size="sm"
        color="error"
        data-testid={ML_IDS.confirm}
        onClick={() => {
          setAsking(false);
          props.onConfirm();
        }}
      >
        {t('ml-apps.confirm.yes')}
      </Button>{' '}
      <Button size="sm" data-testid={ML_IDS.cancel} onClick={() => setAsking(false)}>
        {t('ml-apps.form.cancel')}
      </Button>
    </span>
  );
}
