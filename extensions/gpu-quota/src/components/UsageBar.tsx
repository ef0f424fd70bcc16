import React from 'react';
import styled from 'styled-components';
import { t } from '@ks-gpu-ml/ui';
import { QUOTA_IDS } from '../test-ids.js';

const Track = styled.div`
  position: relative;
  height: 10px;
  width: 220px;
  background: #eff4f9;
  border-radius: 5px;
`;
const Fill = styled.div<{ $over: boolean }>`
  position: absolute;
  left: 0;
  top: 0;
  bottom: 0;
  border-radius: 5px;
  background: ${(p) => (p.$over ? '#ca2621' : '#55bc8a')};
`;
const Mark = styled.div<{ $color: string }>`
  position: absolute;
  top: -3px;
  bottom: -3px;
  width: 2px;
  background: ${(p) => p.$color};
`;
const Caption = styled.div`
  font-size: 12px;
  color: #79879c;
  margin-top: 4px;
`;

export interface UsageBarProps {
  used: number;
  base: number;
  /** Undefined when no max is set (nothing limits use). */
  max: number | undefined;
  pending?: number;
}

/** Used as a bar, base and max as marks on it, and the figures in words. */
export function UsageBar({ used, base, max, pending = 0 }: UsageBarProps) {
  const scale = Math.max(max ?? 0, used, base, 1);
  const pct = (v: number) => `${Math.min(100, (v / scale) * 100)}%`;
  const over = max !== undefined && used > max;
  return (
    <div data-testid={QUOTA_IDS.usageBar} data-used={used} data-max={max ?? ''} data-base={base}>
      <Track
        role="meter"
        aria-valuemin={0}
        aria-valuemax={scale}
        aria-valuenow={used}
        aria-label={t('gpu-quota.usage.label')}
      >
        <Fill $over={over} style={{ width: pct(used) }} />
        {base > 0 && <Mark $color="#3385ff" style={{ left: pct(base) }} title={t('gpu-quota.col.base')} />}
        {max !== undefined && (
          <Mark $color="#242e42" style={{ left: `calc(${pct(max)} - 2px)` }} title={t('gpu-quota.col.max')} />
        )}
      </Track>
      <Caption data-testid={QUOTA_IDS.usageText}>
        {max === undefined
          ? t('gpu-quota.usage.unlimited', { used })
          : t('gpu-quota.usage.text', { used, max, base })}
        {pending > 0 && ` · ${t('gpu-quota.usage.pending', { pending })}`}
      </Caption>
    </div>
  );
}
