import React from 'react';
import styled from 'styled-components';
import { t } from '@ks-gpu-ml/ui';

const Badge = styled.span<{ $on: boolean }>`
  display: inline-block;
  font-size: 12px;
  padding: 0 6px;
  border-radius: 3px;
  margin-right: 4px;
  color: ${(p) => (p.$on ? '#1c8058' : '#a16900')};
  background: ${(p) => (p.$on ? '#e7f6ef' : '#fff6e0')};
`;

const STATE_KEYS: Record<string, string> = {
  enforced: 'gpu-quota.enforcement.enforced',
  'enforced-as-total': 'gpu-quota.enforcement.enforcedAsTotal',
  recorded: 'gpu-quota.enforcement.recorded',
};

/** "base: enforced (kueue)" or "base: recorded, not enforced": what the API says, nothing more. */
export function Enforcement({ label, state, by }: { label: string; state: string; by: string[] }) {
  const text = STATE_KEYS[state] ? t(STATE_KEYS[state]) : state;
  return (
    <div>
      <Badge $on={state !== 'recorded'} data-testid="enforcement" data-state={state}>
        {label}: {text}
      </Badge>
      {by.length > 0 && <small style={{ color: '#79879c' }}>{by.join(', ')}</small>}
    </div>
  );
}
