import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../core/errors.js';
import { checkLevel, checkNamespaceFilter, gpuHoursRange, idleOptions, seriesRange } from './validate.js';

/** The 400 `fn` throws: its message key and the field it names. */
function refusal(fn: () => unknown): { key: string; field: unknown } {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AppError && err.statusCode === 400, String(err));
    return { key: err.key, field: err.details.field };
  }
  assert.fail('expected a 400');
}

const DAY = 86_400;

describe('seriesRange', () => {
  it('defaults end to now and start to an hour before end', () => {
    assert.deepEqual(seriesRange({}, 10_000), { start: 6400, end: 10_000 });
    assert.deepEqual(seriesRange({ end: 5000 }, 10_000), { start: 1400, end: 5000 });
  });

  it('refuses end ≤ start naming the field the caller set', () => {
    assert.deepEqual(
      refusal(() => seriesRange({ start: 100, end: 100 }, 10_000)),
      {
        key: 'GPU_MONITORING_RANGE_END_NOT_AFTER_START',
        field: 'querystring.end',
      },
    );
    assert.equal(refusal(() => seriesRange({ start: 20_000 }, 10_000)).field, 'querystring.start');
  });

  it('allows 31 days and refuses more, naming start', () => {
    assert.doesNotThrow(() => seriesRange({ start: 0, end: 31 * DAY }, 0));
    assert.deepEqual(
      refusal(() => seriesRange({ start: 0, end: 31 * DAY + 1 }, 0)),
      {
        key: 'GPU_MONITORING_RANGE_TOO_LONG',
        field: 'querystring.start',
      },
    );
  });
});

describe('gpuHoursRange', () => {
  it('allows one minute to 93 days, in whole seconds', () => {
    assert.deepEqual(gpuHoursRange({ start: 1000.4, end: 1060.6 }), { start: 1000, end: 1060 });
    assert.doesNotThrow(() => gpuHoursRange({ start: 0, end: 93 * DAY }));
    assert.equal(
      refusal(() => gpuHoursRange({ start: 0, end: 93 * DAY + 1 })).key,
      'GPU_MONITORING_RANGE_TOO_LONG',
    );
    assert.deepEqual(
      refusal(() => gpuHoursRange({ start: 0, end: 59 })),
      {
        key: 'GPU_MONITORING_RANGE_TOO_SHORT',
        field: 'querystring.end',
      },
    );
    assert.equal(refusal(() => gpuHoursRange({ start: 60, end: 0 })).field, 'querystring.end');
  });
});

describe('scope rules', () => {
  it('allows only the levels of LEVELS_BY_SCOPE', () => {
    assert.doesNotThrow(() => checkLevel('cluster', 'node'));
    assert.doesNotThrow(() => checkLevel('workspace', 'gpu'));
    assert.deepEqual(
      refusal(() => checkLevel('workspace', 'node')),
      {
        key: 'GPU_MONITORING_LEVEL_NOT_IN_SCOPE',
        field: 'querystring.level',
      },
    );
    assert.equal(refusal(() => checkLevel('namespace', 'workspace')).field, 'querystring.level');
    assert.equal(refusal(() => checkLevel('namespace', 'cluster')).field, 'querystring.level');
  });

  it('keeps a namespace filter inside the scope', () => {
    assert.doesNotThrow(() => checkNamespaceFilter('all', 'anything'));
    assert.doesNotThrow(() => checkNamespaceFilter(['a', 'b'], 'b'));
    assert.doesNotThrow(() => checkNamespaceFilter(['a'], undefined));
    assert.deepEqual(
      refusal(() => checkNamespaceFilter(['a'], 'b')),
      {
        key: 'GPU_MONITORING_NAMESPACE_OUT_OF_SCOPE',
        field: 'querystring.namespace',
      },
    );
    assert.equal(refusal(() => checkNamespaceFilter([], 'a')).field, 'querystring.namespace');
  });
});

describe('idleOptions', () => {
  it('turns minutes and percent into the query window and ratio', () => {
    assert.deepEqual(idleOptions({}), { windowSeconds: 1800, threshold: 0.05 });
    assert.deepEqual(idleOptions({ idleMinutes: 5, idlePercent: 10 }), {
      windowSeconds: 300,
      threshold: 0.1,
    });
  });
});
