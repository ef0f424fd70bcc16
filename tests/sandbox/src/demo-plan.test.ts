import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEMO_LABEL,
  demoPlan,
  GPU,
  jobObject,
  namespaceObject,
  podGpus,
  podObject,
  PROFILE_ANNOTATION,
  sandboxTarget,
  throwawayTarget,
  type DemoPlan,
} from './demo-plan.js';
import { WORKSPACE_LABEL, workspaceOf } from './tenants.js';

const plan = demoPlan(sandboxTarget);
const baseOf = (p: DemoPlan, namespace: string) =>
  p.projectQuotas.find((q) => q.namespace === namespace)!.rows[0]!;

describe('the demo plan', () => {
  it('puts workloads in both workspaces, in the sandbox tenants the users log in to', () => {
    const used = new Set(plan.workloads.map((wl) => workspaceOf(wl.namespace)));
    assert.deepEqual([...used].sort(), ['ws-alpha', 'ws-beta']);
    assert.deepEqual(
      plan.namespaces,
      [],
      'the tenants exist already; the demo neither makes nor deletes them',
    );
  });

  it('uses every dcgm-sim load profile, with exactly one idle notebook and one XID GPU', () => {
    const profiles = plan.workloads.map((wl) => wl.profile);
    assert.deepEqual([...new Set(profiles)].sort(), ['busy', 'idle', 'memory-leak', 'overheat', 'xid']);
    assert.equal(profiles.filter((p) => p === 'idle').length, 1);
    assert.equal(profiles.filter((p) => p === 'xid').length, 1);
    for (const wl of plan.workloads.filter((w) => w.kind === 'Pod'))
      assert.equal(podObject(wl).metadata?.annotations?.[PROFILE_ANNOTATION], wl.profile, wl.name);
  });

  it('has one project over its base within its max, and one whose job its max refuses', () => {
    const over = plan.projectQuotas.filter((q) => podGpus(plan, q.namespace) > q.rows[0]!.base);
    assert.ok(over.length >= 1, 'a project runs more than its base');
    for (const q of plan.projectQuotas)
      assert.ok(podGpus(plan, q.namespace) <= q.rows[0]!.max, `${q.namespace}: its pods fit its max`);
    const jobs = plan.workloads.filter((wl) => wl.kind === 'Job');
    assert.equal(jobs.length, 1);
    const job = jobs[0]!;
    assert.ok(
      podGpus(plan, job.namespace) + job.gpus > baseOf(plan, job.namespace).max,
      'the job does not fit',
    );
  });

  it("splits no more base or max to a workspace's projects than the workspace has", () => {
    for (const ws of plan.workspaceQuotas) {
      const projects = plan.projectQuotas.filter((q) => workspaceOf(q.namespace) === ws.workspace);
      assert.ok(projects.length > 0, ws.workspace);
      const sum = (pick: 'base' | 'max') => projects.reduce((s, q) => s + q.rows[0]![pick], 0);
      assert.ok(sum('base') <= ws.rows[0]!.base, `${ws.workspace}: Σ base`);
      for (const q of projects) assert.ok(q.rows[0]!.max <= ws.rows[0]!.max, `${q.namespace}: max`);
      assert.equal(ws.rows[0]!.resource, GPU);
    }
  });

  it('labels every object it makes, so removal finds exactly them', () => {
    for (const wl of plan.workloads) {
      const object = wl.kind === 'Job' ? jobObject(wl) : podObject(wl);
      assert.equal(object.metadata?.labels?.[DEMO_LABEL], 'true', wl.name);
      assert.equal(object.metadata?.namespace, wl.namespace);
    }
  });

  it('a throwaway target makes its own labelled namespaces, all named with the prefix', () => {
    const own = demoPlan(throwawayTarget('demo-it-a1b2c3'));
    assert.equal(own.namespaces.length, 3);
    for (const ns of own.namespaces) {
      const object = namespaceObject(ns);
      assert.match(object.metadata.name, /^demo-it-a1b2c3-[a-z]+$/);
      assert.ok(object.metadata.name.length <= 63);
      assert.equal(object.metadata.labels[WORKSPACE_LABEL], ns.workspace);
      assert.match(ns.workspace, /^demo-it-a1b2c3-ws-/);
    }
    const names = new Set(own.namespaces.map((ns) => ns.name));
    for (const wl of own.workloads) assert.ok(names.has(wl.namespace), wl.name);
    for (const q of own.projectQuotas) assert.ok(names.has(q.namespace), q.namespace);
  });
});
