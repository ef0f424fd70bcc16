import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interpolate, mergeLocales, t } from './i18n.js';

test('interpolate fills single-brace placeholders and leaves unknown ones', () => {
  assert.equal(interpolate('{used} of {max} GPUs', { used: 2, max: 4 }), '2 of 4 GPUs');
  assert.equal(interpolate('{missing} left', {}), '{missing} left');
  assert.equal(interpolate('no placeholders'), 'no placeholders');
});

test('t uses the console global t when present', () => {
  const g = globalThis as { t?: unknown };
  const saved = g.t;
  try {
    g.t = (key: string, opts?: Record<string, unknown>) => `[${key}:${JSON.stringify(opts ?? {})}]`;
    // Values go in unescaped (React escapes what it renders): owners "a / b" must not read "a &#x2F; b".
    assert.equal(t('ui.loading', { n: 1 }), '[ui.loading:{"n":1,"interpolation":{"escapeValue":false}}]');
    assert.equal(t('ui.loading'), '[ui.loading:{}]');
    delete g.t;
    assert.equal(t('ui.x {n}', { n: 1 }), 'ui.x 1');
  } finally {
    g.t = saved;
  }
});

test('mergeLocales: later tables win', () => {
  assert.deepEqual(
    mergeLocales({ en: { a: '1', b: '2' }, zh: { a: '一' } }, { en: { b: 'B' }, zh: { b: '二' } }),
    {
      en: { a: '1', b: 'B' },
      zh: { a: '一', b: '二' },
    },
  );
});
