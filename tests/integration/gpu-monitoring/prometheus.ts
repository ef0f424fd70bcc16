// The sandbox's Prometheus as the gpu-monitoring integration tests read it: instant queries (an error answer
// fails the test, naming the query) and the rule groups as /api/v1/rules reports them.
import assert from 'node:assert/strict';
import { readSandboxEnv } from '../../sandbox/src/env.js';

export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/** An instant query at `time` (Unix seconds), or now. */
export async function query(promql: string, time?: number): Promise<Sample[]> {
  const form = new URLSearchParams({ query: promql });
  if (time !== undefined) form.set('time', String(time));
  const response = await fetch(`${readSandboxEnv().PROMETHEUS_URL}/api/v1/query`, {
    method: 'POST',
    body: form,
  });
  const body = (await response.json()) as { status: string; error?: string; data: { result: Sample[] } };
  assert.equal(body.status, 'success', `${body.error ?? ''}\n${promql}`);
  return body.data.result;
}

/** A sample's value. */
export const num = (s: Sample): number => Number(s.value[1]);

export interface RuleGroup {
  name: string;
  /** RFC 3339. */
  lastEvaluation: string;
  rules: { name: string; health: string; lastError?: string }[];
}

/** The rule groups Prometheus has loaded. */
export async function ruleGroups(): Promise<RuleGroup[]> {
  const response = await fetch(`${readSandboxEnv().PROMETHEUS_URL}/api/v1/rules`);
  const body = (await response.json()) as { data: { groups: RuleGroup[] } };
  return body.data.groups;
}
