// The container alerting rules cmdb-alerting ships (charts/cmdb-alerting/rules/): promtool accepts them and
// their unit tests pass, every alert speaks English and Chinese and carries a severity, and every
// kube-state-metrics selector is pinned to its job. Unit test: promtool only, no server.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { parse } from 'yaml';

const rulesDir = fileURLToPath(new URL('../../../../charts/cmdb-alerting/rules/', import.meta.url));
const ruleFile = join(rulesDir, 'containers.rules.yaml');
const testFiles = readdirSync(join(rulesDir, 'tests')).map((f) => join(rulesDir, 'tests', f));
const promtool = process.env.PROMTOOL ?? '/usr/bin/promtool';

interface AlertRule {
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const alerts = (parse(readFileSync(ruleFile, 'utf8')) as { groups: { rules: AlertRule[] }[] }).groups
  .flatMap((g) => g.rules)
  .filter((r) => r.alert);

function promtoolRun(args: string[]): { status: number | null; output: string } {
  const r = spawnSync(promtool, args, { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('containers.rules.yaml under promtool', () => {
  it('is installed (Debian prometheus package), so these checks cannot pass by not running', () => {
    assert.ok(existsSync(promtool), `${promtool} not found`);
  });

  it('passes promtool check rules', () => {
    const r = promtoolRun(['check', 'rules', ruleFile]);
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, /SUCCESS: 5 rules found/);
  });

  it('passes its promtool unit tests', () => {
    assert.ok(testFiles.length > 0);
    const r = promtoolRun(['test', 'rules', ...testFiles]);
    assert.equal(r.status, 0, r.output);
    assert.doesNotMatch(r.output, /FAILED/);
  });
});

describe('containers.rules.yaml alerts', () => {
  it('are the five container alerts issue #14 asks for', () => {
    assert.deepEqual(alerts.map((a) => a.alert).sort(), [
      'ContainerCrashLooping',
      'ContainerOOMKilled',
      'ContainerRestartingOften',
      'PodNotReady',
      'PodPendingTooLong',
    ]);
  });

  it('each has a severity and its summary and description in English and Chinese', () => {
    for (const a of alerts) {
      assert.ok(['critical', 'warning'].includes(a.labels?.severity ?? ''), `${a.alert} severity`);
      for (const key of ['summary', 'description', 'summary_zh', 'description_zh']) {
        assert.ok(a.annotations?.[key]?.trim(), `${a.alert} has ${key}`);
      }
      assert.match(a.annotations!.summary_zh!, /\p{Script=Han}/u, `${a.alert} summary_zh is Chinese`);
      assert.match(a.annotations!.description_zh!, /\p{Script=Han}/u, `${a.alert} description_zh`);
    }
  });

  it('read kube-state-metrics series only from its own job', () => {
    for (const a of alerts) {
      const selectors = a.expr.match(/kube_[a-z_]+\{[^}]*\}/g) ?? [];
      assert.ok(selectors.length > 0, `${a.alert} reads kube-state-metrics`);
      for (const s of selectors) assert.match(s, /\{job="kube-state-metrics"/, `${a.alert}: ${s}`);
      assert.doesNotMatch(a.expr, /kube_[a-z_]+(?![a-z_{])/, `${a.alert} has no unpinned series`);
    }
  });
});
