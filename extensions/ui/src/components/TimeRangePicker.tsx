import React, { useEffect, useRef } from 'react';
import styled from 'styled-components';
import { t } from '../i18n.js';
import {
  RANGE_PRESETS,
  REFRESH_INTERVALS,
  formatSeconds,
  type RangePreset,
  type RefreshInterval,
} from '../time-range.js';
import { UI_IDS } from '../test-ids.js';
import { ChoiceSelect } from './ChoiceSelect.js';

export interface TimeRangeValue {
  range: RangePreset;
  refresh: RefreshInterval;
}

const Row = styled.div`
  display: inline-flex;
  gap: 8px;
  align-items: center;
  select {
    height: 32px;
    border: 1px solid #ccd3db;
    border-radius: 4px;
    padding: 0 8px;
    background: #fff;
  }
`;

export function TimeRangePicker({
  value,
  onChange,
  onRefresh,
  ranges = RANGE_PRESETS,
  intervals = REFRESH_INTERVALS,
}: {
  value: TimeRangeValue;
  onChange: (value: TimeRangeValue) => void;
  /** Called by the refresh button; auto-refresh calls it too (see useAutoRefresh). */
  onRefresh?: () => void;
  /** The ranges offered (default: every preset). */
  ranges?: readonly RangePreset[];
  /** The auto-refresh intervals offered (default: all). */
  intervals?: readonly RefreshInterval[];
}) {
  return (
    <Row data-testid={UI_IDS.timeRangePicker}>
      <ChoiceSelect
        ariaLabel={t('ui.time.range')}
        value={value.range}
        choices={ranges}
        label={(r) => t('ui.time.last', { range: r })}
        onChange={(range) => onChange({ ...value, range })}
      />
      <ChoiceSelect
        ariaLabel={t('ui.time.autoRefresh')}
        value={value.refresh}
        choices={intervals}
        label={(s) =>
          s === 0 ? t('ui.time.refreshOff') : t('ui.time.refreshEvery', { interval: formatSeconds(s) })
        }
        onChange={(refresh) => onChange({ ...value, refresh })}
      />
      {onRefresh && (
        <button type="button" onClick={onRefresh} aria-label={t('ui.time.refreshNow')}>
          ⟳
        </button>
      )}
    </Row>
  );
}

/** Calls `callback` every `seconds` (0 = never) while the page is visible; always calls the latest callback. */
export function useAutoRefresh(seconds: number, callback: () => void): void {
  const saved = useRef(callback);
  saved.current = callback;
  useEffect(() => {
    if (!seconds) return;
    const id = setInterval(() => {
      if (typeof document === 'undefined' || document.visibilityState !== 'hidden') saved.current();
    }, seconds * 1000);
    return () => clearInterval(id);
  }, [seconds]);
}
