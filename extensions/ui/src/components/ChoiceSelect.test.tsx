// The choice select: each choice shown with its words, the chosen one handed back as the typed value it was (a
// number stays a number), and the current value selected.
import '../testing/dom.js';
import React from 'react';
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { fireEvent, screen } from '@testing-library/react';
import { cleanupPages, renderPart } from '../testing/render.js';
import { ChoiceSelect } from './ChoiceSelect.js';

afterEach(() => cleanupPages());

test('shows each choice with its words and hands back the chosen number as a number', () => {
  const chosen: number[] = [];
  renderPart(
    <ChoiceSelect
      ariaLabel="Page size"
      value={20}
      choices={[10, 20, 50] as const}
      label={(n) => `${n} a page`}
      onChange={(n) => chosen.push(n)}
    />,
  );
  const select = screen.getByLabelText<HTMLSelectElement>('Page size');
  assert.deepEqual(
    [...select.options].map((o) => o.textContent),
    ['10 a page', '20 a page', '50 a page'],
  );
  assert.equal(select.value, '20');
  fireEvent.change(select, { target: { value: '50' } });
  assert.deepEqual(chosen, [50]);
  assert.equal(typeof chosen[0], 'number');
});

test('hands back a string choice and carries its test id', () => {
  const chosen: string[] = [];
  renderPart(
    <ChoiceSelect
      testId="group"
      value="workspace"
      choices={['workspace', 'namespace']}
      label={(g) => g.toUpperCase()}
      onChange={(g) => chosen.push(g)}
    />,
  );
  fireEvent.change(screen.getByTestId('group'), { target: { value: 'namespace' } });
  assert.deepEqual(chosen, ['namespace']);
});

test('a visible label names it through its id, and a form can mark it invalid', () => {
  renderPart(
    <>
      <label htmlFor="r-type">Type</label>
      <ChoiceSelect
        id="r-type"
        aria-invalid
        value="b"
        choices={['a', 'b']}
        label={(c) => c}
        onChange={() => {}}
      />
    </>,
  );
  const select = screen.getByLabelText<HTMLSelectElement>('Type');
  assert.equal(select.value, 'b');
  assert.equal(select.getAttribute('aria-invalid'), 'true');
});
