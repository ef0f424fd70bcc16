// The chart's PrometheusRule template: committed = generator output, and rendered with the chart's values (by a
// renderer for exactly the Helm actions the template uses) it is a PrometheusRule carrying the rule file's groups
// unchanged - alert texts included - and the labels KubeSphere's Prometheus selects rules by. Unit test: no Helm.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import {
  HELM_ACTIONS,
  RULE_SETS,
  RULES_FILE,
  escapeForHelm,
  renderPrometheusRule,
} from './prometheus-rule.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const rulesText = readFileSync(`${root}${RULES_FILE}`, 'utf8');

interface RuleFile {
  groups: {
    name: string;
    interval?: string;
    rules: {
      record?: string;
      alert?: string;
      expr: string;
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
    }[];
  }[];
}
interface PrometheusRuleValues {
  enabled: boolean;
  namespace: string;
  labels: Record<string, string>;
}
interface PrometheusRule {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: RuleFile;
}

const rules = parse(rulesText) as RuleFile;
const RELEASE = { Namespace: 'extension-ns', Service: 'Helm' };

/**
 * Go-template rendering of the actions in HELM_ACTIONS and of raw strings {{`...`}}, with trim markers; any other
 * action is an error, so the template cannot grow an action this test does not evaluate.
 */
function renderHelm(text: string, values: PrometheusRuleValues): string {
  const pieces: (string | { action: string })[] = [];
  let last = 0;
  for (const m of text.matchAll(/\{\{(-?)\s*(`[^`]*`|[^`]*?)\s*(-?)\}\}/g)) {
    let before = text.slice(last, m.index);
    if (m[1]) before = before.replace(/\s+$/, '');
    pieces.push(before, { action: m[2]! });
    last = m.index! + m[0].length;
    if (m[3]) while (/\s/.test(text[last] ?? '')) last++;
  }
  pieces.push(text.slice(last));

  const out: string[] = [];
  const stack: { emit: boolean; dot: unknown }[] = [{ emit: true, dot: undefined }];
  const top = () => stack[stack.length - 1]!;
  for (const piece of pieces) {
    if (typeof piece === 'string') {
      if (top().emit) out.push(piece);
      continue;
    }
    const a = piece.action;
    const emit = top().emit;
    if (a.startsWith('`')) {
      if (emit) out.push(a.slice(1, -1));
    } else if (a === 'if .Values.prometheusRule.enabled') {
      stack.push({ emit: emit && values.enabled, dot: top().dot });
    } else if (a === 'with .Values.prometheusRule.labels') {
      const labels = values.labels;
      stack.push({ emit: emit && Object.keys(labels ?? {}).length > 0, dot: labels });
    } else if (a === 'end') {
      assert.ok(stack.length > 1, 'unbalanced {{ end }}');
      stack.pop();
    } else if (a === '.Values.prometheusRule.namespace | default .Release.Namespace') {
      if (emit) out.push(values.namespace || RELEASE.Namespace);
    } else if (a === '.Release.Service') {
      if (emit) out.push(RELEASE.Service);
    } else if (a === 'toYaml . | nindent 4') {
      const yaml = stringify(top().dot).replace(/\n$/, '');
      if (emit) out.push('\n' + yaml.replace(/^/gm, '    '));
    } else {
      throw new Error(`the test renderer does not know the Helm action {{ ${a} }}`);
    }
  }
  assert.equal(stack.length, 1, 'an {{ if }} or {{ with }} without {{ end }}');
  return out.join('');
}

for (const set of Object.values(RULE_SETS)) {
  const template = readFileSync(`${root}${set.templateFile}`, 'utf8');
  const rules = parse(readFileSync(`${root}${set.rulesFile}`, 'utf8')) as RuleFile;
  const chartValues = (
    parse(readFileSync(`${root}${set.valuesFile}`, 'utf8')) as { prometheusRule: PrometheusRuleValues }
  ).prometheusRule;
  const render = (values: PrometheusRuleValues) => renderHelm(template, values);
  const renderObject = (values: PrometheusRuleValues) => parse(render(values)) as PrometheusRule;

  describe(`${set.feature} PrometheusRule (${set.templateFile})`, () => {
    it('the committed template equals the generator output (regenerate after changing the rule file)', () => {
      assert.equal(
        template,
        renderPrometheusRule(undefined, set),
        `${set.templateFile} is stale: run npx tsx tools/charts/prometheus-rule.ts ${set.feature} > ${set.templateFile}`,
      );
    });

    it('uses only the Helm actions the renderer here evaluates, outside the escaped alert texts', () => {
      const actions = [...template.replace(/\{\{`[^`]*`\}\}/g, '').matchAll(/\{\{.*?\}\}/g)].map((m) => m[0]);
      assert.deepEqual([...new Set(actions)].sort(), [...HELM_ACTIONS].sort());
    });

    it("rendered with the chart's values: a PrometheusRule KubeSphere's Prometheus selects, with the file's groups", () => {
      const rule = renderObject(chartValues);
      assert.equal(rule.apiVersion, 'monitoring.coreos.com/v1');
      assert.equal(rule.kind, 'PrometheusRule');
      assert.equal(rule.metadata.name, set.feature);
      assert.equal(rule.metadata.namespace, RELEASE.Namespace);
      // ks-installer / kube-prometheus: Prometheus k8s, ruleSelector matchLabels {prometheus: k8s, role: alert-rules}.
      assert.deepEqual(chartValues.labels, { prometheus: 'k8s', role: 'alert-rules' });
      assert.equal(rule.metadata.labels.prometheus, 'k8s');
      assert.equal(rule.metadata.labels.role, 'alert-rules');
      assert.equal(rule.metadata.labels['kubesphere.io/extension-ref'], set.feature);
      assert.equal(rule.metadata.labels['app.kubernetes.io/managed-by'], 'Helm');
      assert.deepEqual(rule.spec, { groups: rules.groups });
      // The alert texts reach Prometheus as Go templates, unevaluated.
      const texts = rule.spec.groups.flatMap((g) => g.rules).map((r) => r.annotations?.summary ?? '');
      assert.ok(
        texts.some((t) => /\{\{ \$labels\.[a-z_]+ \}\}/.test(t)),
        'an alert text still holds {{ $labels.… }}',
      );
    });

    it('takes the selector labels, the namespace and enabled from values', () => {
      const custom = renderObject({
        enabled: true,
        namespace: 'monitoring',
        labels: { release: 'kube-prometheus-stack' },
      });
      assert.equal(custom.metadata.namespace, 'monitoring');
      assert.equal(custom.metadata.labels.release, 'kube-prometheus-stack');
      assert.equal(custom.metadata.labels.prometheus, undefined);
      assert.deepEqual(custom.spec, { groups: rules.groups });
      const bare = renderObject({ enabled: true, namespace: '', labels: {} });
      assert.deepEqual(Object.keys(bare.metadata.labels).sort(), [
        'app.kubernetes.io/managed-by',
        'app.kubernetes.io/part-of',
        'kubesphere.io/extension-ref',
      ]);
      assert.equal(parse(render({ ...chartValues, enabled: false })), null, 'disabled: no object');
    });

    it(
      'the rendered groups pass promtool check rules',
      { skip: !existsSync('/usr/bin/promtool') && 'no promtool' },
      () => {
        const dir = mkdtempSync(join(tmpdir(), 'prometheusrule-'));
        try {
          const file = join(dir, 'rendered.rules.yaml');
          writeFileSync(file, stringify(renderObject(chartValues).spec));
          const r = spawnSync('/usr/bin/promtool', ['check', 'rules', file], {
            encoding: 'utf8',
            timeout: 60_000,
          });
          assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    );
  });
}

describe('escapeForHelm', () => {
  it('escapeForHelm refuses what Helm would still evaluate', () => {
    assert.equal(escapeForHelm("a: '{{ $labels.x }}'"), "a: '{{`{{ $labels.x }}`}}'");
    assert.throws(() => escapeForHelm('a: {{ `x` }}'), /backquote/);
    assert.throws(() => escapeForHelm('a: {{ x'), /unpaired/);
    assert.throws(() => escapeForHelm('a: x }}'), /unpaired/);
  });
});

describe('gpu.rules.yaml alerting rules', () => {
  const alerts = rules.groups.flatMap((g) => g.rules).filter((r) => r.alert);

  // The repo keeps alert texts in English in the rule file (no zh copy, no translation keys): Alertmanager routes
  // and KubeSphere's notification templates show summary/description as they are. They name the GPU, node and pod
  // by label so the text stays useful to readers of either language.
  it('each has a severity and a summary and description naming what it is about', () => {
    assert.ok(alerts.length >= 6);
    for (const a of alerts) {
      assert.ok(['critical', 'warning', 'info'].includes(a.labels?.severity ?? ''), `${a.alert}: severity`);
      const { summary, description } = a.annotations ?? {};
      assert.ok(summary && description, `${a.alert}: summary and description`);
      assert.match(`${summary} ${description}`, /\{\{ \$labels\.(gpu|node|pod|namespace) \}\}/, a.alert);
    }
  });
});
