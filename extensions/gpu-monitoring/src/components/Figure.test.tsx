// The usage figures: each carries its raw number for tests and its text for people; memory names its total; a
// container on a shared GPU shows HAMi's figure (or none) with a note, never the device's utilization.
import '@ks-gpu-ml/ui/testing/dom';
import React from 'react';
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { screen } from '@testing-library/react';
import { cleanupPages, renderPart, speakEnglish } from '@ks-gpu-ml/ui/testing/render';
import { locales } from '../locales.js';
import { UsageFigures } from './Figure.js';

beforeEach(() => speakEnglish(locales));
afterEach(cleanupPages);

const figure = (key: string) => {
  const box = screen.getAllByTestId('figure').find((f) => f.dataset.key === key);
  assert.ok(box, `figure ${key}`);
  return box;
};

test('a GPU of its own: its utilization, and memory used of the total', () => {
  renderPart(
    <UsageFigures
      row={{ devices: 2, utilization: 0.5, memoryUsedBytes: 8 * 2 ** 30, memoryTotalBytes: 32 * 2 ** 30 }}
    />,
  );
  assert.equal(figure('devices').dataset.value, '2');
  assert.equal(figure('utilization').dataset.value, '0.5');
  assert.match(figure('utilization').textContent ?? '', /50%/);
  assert.match(figure('memory').textContent ?? '', /of 32(\.0)? GiB \(25%\)/);
  assert.equal(figure('power').dataset.value, undefined, 'no data is no number');
});

test('a shared GPU without HAMi: no number, the reason, and the note', () => {
  renderPart(<UsageFigures idPrefix="c-" row={{ devices: 1, utilization: 0.9, shared: true }} />);
  const box = figure('c-utilization');
  assert.equal(box.dataset.value, undefined);
  assert.match(box.textContent ?? '', /shared — per-pod utilization unavailable/);
  assert.match(box.textContent ?? '', /not this container's/);
  assert.doesNotMatch(box.textContent ?? '', /90%/);
});
