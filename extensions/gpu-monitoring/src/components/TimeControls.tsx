// The time ranges and auto-refresh intervals the gpu-monitoring pages offer, and their picker.
import React from 'react';
import { TimeRangePicker, type RangePreset, type RefreshInterval, type TimeRangeValue } from '@ks-gpu-ml/ui';

export const RANGES: readonly RangePreset[] = ['1h', '6h', '24h', '7d'];
export const INTERVALS: readonly RefreshInterval[] = [0, 30, 60, 300];
export const DEFAULT_TIME: TimeRangeValue = { range: '1h', refresh: 0 };

export function TimeControls(props: {
  value: TimeRangeValue;
  onChange: (v: TimeRangeValue) => void;
  onRefresh: () => void;
}) {
  return <TimeRangePicker {...props} ranges={RANGES} intervals={INTERVALS} />;
}
