import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NO_DATA,
  formatBytes,
  formatCelsius,
  formatCount,
  formatHours,
  formatMemory,
  formatPercent,
  formatThreshold,
  formatTime,
  formatValue,
  formatWatts,
  memoryRatio,
} from './format.js';

test('an absent figure reads "—", never 0', () => {
  for (const f of [formatPercent, formatBytes, formatWatts, formatCelsius, formatCount, formatHours]) {
    assert.equal(f(undefined), NO_DATA);
    assert.equal(f(null), NO_DATA);
    assert.equal(f(Number.NaN), NO_DATA);
  }
  assert.equal(formatMemory(undefined, undefined), NO_DATA);
  // A real 0 is shown as 0.
  assert.equal(formatPercent(0), '0%');
  assert.equal(formatWatts(0), '0 W');
  assert.equal(formatCount(0), '0');
});

test('ratios are shown as percentages with at most one decimal', () => {
  assert.equal(formatPercent(0.375), '37.5%');
  assert.equal(formatPercent(1), '100%');
  assert.equal(formatPercent(0.12345), '12.3%');
  assert.equal(formatPercent(0.05), '5%');
});

test('bytes take the largest binary unit', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(80 * 1024 ** 3), '80 GiB');
  assert.equal(formatBytes(81_559_289_856), '76 GiB');
  assert.equal(formatMemory(40 * 1024 ** 3, 80 * 1024 ** 3), '40 GiB / 80 GiB');
  assert.equal(formatMemory(undefined, 80 * 1024 ** 3), '— / 80 GiB');
});

test('memoryRatio needs both figures and a non-zero total', () => {
  assert.equal(memoryRatio(20, 80), 0.25);
  assert.equal(memoryRatio(undefined, 80), undefined);
  assert.equal(memoryRatio(20, 0), undefined);
});

test('watts, °C, counts and GPU-hours', () => {
  assert.equal(formatWatts(249.6), '250 W');
  assert.equal(formatWatts(7.25), '7.3 W');
  assert.equal(formatCelsius(64.6), '65 °C');
  assert.equal(formatCount(8), '8');
  assert.equal(formatCount(2.5), '2.5');
  assert.equal(formatHours(12), '12.00');
  assert.equal(formatHours(1.006), '1.01');
});

test('formatValue picks the formatter for the unit', () => {
  assert.equal(formatValue('ratio', 0.5), '50%');
  assert.equal(formatValue('bytes', 1024), '1 KiB');
  assert.equal(formatValue('watts', 300), '300 W');
  assert.equal(formatValue('celsius', 70), '70 °C');
  assert.equal(formatValue('count', 3), '3');
  assert.equal(formatValue('ratio', undefined), NO_DATA);
});

test('formatThreshold reads a ratio or a percentage', () => {
  assert.equal(formatThreshold(0.05), '5%');
  assert.equal(formatThreshold(5), '5%');
  assert.equal(formatThreshold(1), '100%');
});

test('formatTime is local YYYY-MM-DD HH:MM:SS without slashes', () => {
  const at = new Date(2025, 0, 2, 3, 4, 5).getTime() / 1000;
  assert.equal(formatTime(at), '2025-01-02 03:04:05');
  assert.equal(formatTime(undefined), NO_DATA);
});
