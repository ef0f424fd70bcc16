// A GPU's health as a coloured badge; an XID error names its code, with the driver's message on hover.
import React from 'react';
import styled from 'styled-components';
import type { GpuCard } from '@ks-gpu-ml/contracts';
import { t } from '@ks-gpu-ml/ui';

const HEALTH_COLORS = { ok: '#55bc8a', hot: '#f5a623', xid: '#ca2621' } as const;

const Badge = styled.span<{ color: string }>`
  display: inline-block;
  padding: 0 8px;
  border-radius: 10px;
  font-size: 12px;
  line-height: 20px;
  color: #fff;
  background: ${(p) => p.color};
`;

export function HealthBadge({ card }: { card: Pick<GpuCard, 'health' | 'xid'> }) {
  const text = t(`gpu-monitoring.health.${card.health}`);
  const title = card.xid ? `XID ${card.xid.code}: ${card.xid.message}` : undefined;
  return (
    <Badge color={HEALTH_COLORS[card.health]} title={title} data-testid="health" data-health={card.health}>
      {text}
      {card.xid ? ` ${card.xid.code}` : ''}
    </Badge>
  );
}
