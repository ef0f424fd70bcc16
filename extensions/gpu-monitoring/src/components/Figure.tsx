// Labelled figures: one number with its text, a count, and the set every GPU usage row has.
import React from 'react';
import styled from 'styled-components';
import type { GpuUsageRow } from '@ks-gpu-ml/contracts';
import { t } from '@ks-gpu-ml/ui';
import {
  formatBytes,
  formatCelsius,
  formatCount,
  formatPercent,
  formatWatts,
  memoryRatio,
} from '../format.js';
import { utilizationCell } from '../shape.js';
import { Grid } from './layout.js';

const FigureBox = styled.div<{ tone?: string }>`
  border: 1px solid #e3e9ef;
  border-left: 4px solid ${(p) => p.tone ?? '#3385ff'};
  border-radius: 4px;
  padding: 12px 16px;
  background: #f9fbfd;
  .label {
    color: #79879c;
    font-size: 12px;
  }
  .value {
    font-size: 24px;
    font-weight: 600;
    color: #242e42;
    line-height: 1.4;
  }
  .note {
    color: #79879c;
    font-size: 12px;
  }
`;

interface FigureProps {
  id: string;
  label: string;
  text: string;
  value?: number | undefined;
  note?: string;
  tone?: string;
}

/** One labelled figure; `data-key` and `data-value` carry the raw number (absent = no data) for tests. */
export function Figure({ id, label, text, value, note, tone }: FigureProps) {
  return (
    <FigureBox
      tone={tone}
      data-testid="figure"
      data-key={id}
      {...(value !== undefined ? { 'data-value': String(value) } : {})}
    >
      <div className="label">{label}</div>
      <div className="value">{text}</div>
      {note && <div className="note">{note}</div>}
    </FigureBox>
  );
}

/** A figure that counts something. */
export function CountFigure({ count, ...figure }: Omit<FigureProps, 'text' | 'value'> & { count: number }) {
  return <Figure {...figure} text={formatCount(count)} value={count} />;
}

/** A usage row's utilization as text: its own, HAMi's on a shared GPU, or "shared — unavailable". */
export function utilizationText(
  row: Pick<GpuUsageRow, 'utilization' | 'shared' | 'sharedUtilization'>,
): string {
  const cell = utilizationCell(row);
  if (cell.kind === 'shared') return t('gpu-monitoring.sharedUnavailable');
  if (cell.kind === 'hami') return t('gpu-monitoring.sharedHami', { percent: formatPercent(cell.ratio) });
  return formatPercent(cell.ratio);
}

/** The figures every usage row has: devices, utilization, tensor activity, memory, power, temperature. */
export function UsageFigures({
  row,
  idPrefix = '',
}: {
  row: Omit<GpuUsageRow, 'requested'>;
  idPrefix?: string;
}) {
  return (
    <Grid min={160}>
      <CountFigure id={`${idPrefix}devices`} label={t('gpu-monitoring.col.devices')} count={row.devices} />
      <Figure
        id={`${idPrefix}utilization`}
        label={t('gpu-monitoring.col.utilization')}
        text={utilizationText(row)}
        value={row.shared ? row.sharedUtilization : row.utilization}
        {...(row.shared ? { note: t('gpu-monitoring.sharedNote') } : {})}
      />
      <Figure
        id={`${idPrefix}tensorActive`}
        label={t('gpu-monitoring.col.tensor')}
        text={formatPercent(row.tensorActive)}
        value={row.tensorActive}
      />
      <Figure
        id={`${idPrefix}memory`}
        label={t('gpu-monitoring.col.memory')}
        text={formatBytes(row.memoryUsedBytes)}
        value={row.memoryUsedBytes}
        {...(row.memoryTotalBytes !== undefined
          ? {
              note: t('gpu-monitoring.memoryOf', {
                total: formatBytes(row.memoryTotalBytes),
                percent: formatPercent(memoryRatio(row.memoryUsedBytes, row.memoryTotalBytes)),
              }),
            }
          : {})}
      />
      <Figure
        id={`${idPrefix}power`}
        label={t('gpu-monitoring.col.power')}
        text={formatWatts(row.powerWatts)}
        value={row.powerWatts}
      />
      <Figure
        id={`${idPrefix}temperature`}
        label={t('gpu-monitoring.col.temperature')}
        text={formatCelsius(row.temperatureC)}
        value={row.temperatureC}
      />
    </Grid>
  );
}
