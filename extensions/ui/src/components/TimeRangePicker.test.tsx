// The dashboards' time range and auto refresh: the picker reports what is chosen, auto refresh calls the page's
// reload every chosen interval and stops when turned off, the button reloads at once.
import '../testing/dom.js';
import React, { useState } from 'react';
import { afterEach, beforeEach, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { fireEvent, screen } from '@testing-library/react';
import enUi from '../../../../locales/en/ui.json';
import zhUi from '../../../../locales/zh/ui.json';
import { cleanupPages, renderPart, speakEnglish } from '../testing/render.js';
import { UI_IDS } from '../test-ids.js';
import { TimeRangePicker, useAutoRefresh, type TimeRangeValue } from './TimeRangePicker.js';

beforeEach(() => {
  speakEnglish({ en: enUi, zh: zhUi });
  mock.timers.enable({ apis: ['setInterval'] });
});
afterEach(() => {
  cleanupPages();
  mock.timers.reset();
});

/** A dashboard in miniature: the picker's value in state, reloads counted. */
function Dashboard({ reloads }: { reloads: TimeRangeValue[] }) {
  const [value, setValue] = useState<TimeRangeValue>({ range: '1h', refresh: 0 });
  const reload = () => reloads.push(value);
  useAutoRefresh(value.refresh, reload);
  return <TimeRangePicker value={value} onChange={setValue} onRefresh={reload} />;
}

test('the chosen range is what the page reloads with; Refresh now reloads at once', () => {
  const reloads: TimeRangeValue[] = [];
  renderPart(<Dashboard reloads={reloads} />);
  assert.ok(screen.getByTestId(UI_IDS.timeRangePicker), 'the part is shown');
  fireEvent.change(screen.getByLabelText('Time range'), { target: { value: '7d' } });
  fireEvent.click(screen.getByLabelText('Refresh now'));
  assert.deepEqual(reloads, [{ range: '7d', refresh: 0 }]);
});

test('auto refresh reloads every chosen interval and stops when turned off', () => {
  const reloads: TimeRangeValue[] = [];
  renderPart(<Dashboard reloads={reloads} />);
  mock.timers.tick(60_000);
  assert.equal(reloads.length, 0, 'off by default');
  fireEvent.change(screen.getByLabelText('Auto refresh'), { target: { value: '10' } });
  mock.timers.tick(30_000);
  assert.equal(reloads.length, 3, 'every 10 s');
  fireEvent.change(screen.getByLabelText('Auto refresh'), { target: { value: '0' } });
  mock.timers.tick(60_000);
  assert.equal(reloads.length, 3, 'none once off');
});
