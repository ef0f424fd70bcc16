// The fault stages only ever touch a running pod that asks for a fault, so every other pod keeps KWOK's
// default life (what the stages do to a pod is checked against the real KWOK in
// tests/integration/cmdb-alerting/rules-fire.test.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { FAULT_ANNOTATION, FAULT_STAGES, FAULTS } from './pod-faults.js';

interface Stage {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    resourceRef: { apiGroup: string; kind: string };
    selector: { matchExpressions: { key: string; operator: string; values?: string[] }[] };
    next: { statusTemplate: string };
  };
}
const stages = parseAllDocuments(readFileSync(FAULT_STAGES, 'utf8')).map((d) => d.toJSON() as Stage);
const requirement = (s: Stage, key: string) => s.spec.selector.matchExpressions.find((e) => e.key === key);

test('every stage is a KWOK v1alpha1 Pod stage with a status template', () => {
  assert.ok(stages.length >= FAULTS.length);
  for (const s of stages) {
    assert.equal(s.apiVersion, 'kwok.x-k8s.io/v1alpha1');
    assert.equal(s.kind, 'Stage');
    assert.deepEqual(s.spec.resourceRef, { apiGroup: 'v1', kind: 'Pod' });
    assert.ok(s.spec.next.statusTemplate.includes('containerStatuses:'), s.metadata.name);
  }
});

test('stages select only running, undeleted pods annotated with a known fault; each fault has one', () => {
  const covered = new Set<string>();
  for (const s of stages) {
    const fault = requirement(s, `.metadata.annotations["${FAULT_ANNOTATION}"]`);
    assert.equal(fault?.operator, 'In', s.metadata.name);
    for (const v of fault!.values!) {
      assert.ok((FAULTS as readonly string[]).includes(v), `${s.metadata.name}: ${v}`);
      covered.add(v);
    }
    assert.deepEqual(requirement(s, '.status.phase'), {
      key: '.status.phase',
      operator: 'In',
      values: ['Running'],
    });
    assert.equal(requirement(s, '.metadata.deletionTimestamp')?.operator, 'DoesNotExist');
  }
  assert.deepEqual([...covered].sort(), [...FAULTS].sort());
});
