import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { parse } from 'yaml';
import { durationMs, placeRuleFile, SANDBOX_ALERT_FOR, shortenAlertWaits } from './alert-timing.js';

const charts = fileURLToPath(new URL('../../../charts/', import.meta.url));
type Rules = { groups: { rules: { alert?: string; record?: string; for?: string; expr: string }[] }[] };
const rulesOf = (text: string) => (parse(text) as Rules).groups.flatMap((g) => g.rules);

test('Prometheus durations', () => {
  assert.equal(durationMs('15m'), 900_000);
  assert.equal(durationMs('1h30m'), 5_400_000);
  assert.equal(durationMs('10s'), 10_000);
  assert.equal(durationMs('0s'), 0);
  assert.throws(() => durationMs('15 minutes'), /not a Prometheus duration/);
  assert.throws(() => durationMs(''), /not a Prometheus duration/);
});

test('alert waits longer than the sandbox limit are cut to it; the rest of the file is unchanged', () => {
  const text = [
    'groups:',
    '  - name: g',
    '    rules:',
    '      - record: a:b:c',
    '        expr: up',
    '      - alert: Long',
    '        expr: up == 0',
    '        for: 15m',
    '        labels: { severity: warning }',
    '      - alert: Short',
    '        expr: up == 0',
    '        for: 5s',
    '      - alert: NoWait',
    '        expr: up == 0',
  ].join('\n');
  const rules = rulesOf(shortenAlertWaits(text, '10s'));
  assert.deepEqual(
    rules.map((r) => [r.alert ?? r.record, r.for]),
    [
      ['a:b:c', undefined],
      ['Long', '10s'],
      ['Short', '5s'],
      ['NoWait', undefined],
    ],
  );
  assert.deepEqual(
    rules.map((r) => r.expr),
    ['up', 'up == 0', 'up == 0', 'up == 0'],
  );
});

test("cmdb-alerting's shipped rules load shortened, in a copy; gpu-monitoring's stay a link", () => {
  const dir = mkdtempSync(join(tmpdir(), 'rules-'));
  const source = join(charts, 'cmdb-alerting/rules/containers.rules.yaml');
  placeRuleFile('cmdb-alerting', source, join(dir, 'cmdb.rules.yaml'));
  placeRuleFile(
    'gpu-monitoring',
    join(charts, 'gpu-monitoring/rules/gpu.rules.yaml'),
    join(dir, 'gpu.rules.yaml'),
  );

  assert.ok(lstatSync(join(dir, 'gpu.rules.yaml')).isSymbolicLink());
  const shipped = rulesOf(readFileSync(source, 'utf8')).filter((r) => r.alert);
  const loaded = rulesOf(readFileSync(join(dir, 'cmdb.rules.yaml'), 'utf8')).filter((r) => r.alert);
  assert.ok(shipped.some((r) => r.for && durationMs(r.for) > durationMs(SANDBOX_ALERT_FOR)));
  assert.deepEqual(
    loaded.map((r) => r.alert),
    shipped.map((r) => r.alert),
  );
  for (const r of loaded) assert.ok(!r.for || durationMs(r.for) <= durationMs(SANDBOX_ALERT_FOR), r.alert);
});
