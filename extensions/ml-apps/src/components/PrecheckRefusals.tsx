import React from 'react';
import type { PrecheckRefusal } from '@ks-gpu-ml/contracts';
import { t } from '@ks-gpu-ml/ui';
import { ML_IDS } from '../test-ids.js';

/** Each limit the pre-check found, with its numbers: asked, used and max of a quota, or free on matching nodes. */
export function PrecheckRefusals({ refusals }: { refusals: readonly PrecheckRefusal[] }) {
  return (
    <ul>
      {refusals.map((r, i) => (
        <li key={i} data-testid={ML_IDS.refusal}>
          {r.source === 'quota'
            ? t('ml-apps.refusal.quota', {
                resource: r.resource,
                asked: r.asked,
                used: r.used ?? 0,
                max: r.max ?? 0,
                quota: r.quota ?? '',
              })
            : t('ml-apps.refusal.capacity', { resource: r.resource, asked: r.asked, free: r.free ?? 0 })}
        </li>
      ))}
    </ul>
  );
}
