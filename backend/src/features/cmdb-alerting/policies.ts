import type { EscalationPolicyInput } from '@ks-gpu-ml/contracts';
import type { FieldIssue } from './receivers.js';

/**
 * A policy's steps may name only receivers its owner can use (its own, or the cluster's for a workspace's policy):
 * a typo would otherwise surface only when an alert escalates to nobody.
 */
export function policyIssues(
  input: EscalationPolicyInput,
  usableReceivers: ReadonlySet<string>,
): FieldIssue[] {
  return input.steps.flatMap((step, s) => [
    ...(step.receivers.length === 0 && !step.contacts?.length
      ? [
          {
            field: `body.steps.${s}.receivers`,
            problem: 'names no receiver, and the step reaches no contacts',
          },
        ]
      : []),
    ...step.receivers
      .map((name, r) => ({ name, r }))
      .filter(({ name }) => !usableReceivers.has(name))
      .map(({ name, r }) => ({
        field: `body.steps.${s}.receivers.${r}`,
        problem: `names receiver "${name}", which does not exist here`,
      })),
    ...(step.contacts ?? [])
      .map((c, k) => ({ name: c.via, k }))
      .filter(({ name }) => !usableReceivers.has(name))
      .map(({ name, k }) => ({
        field: `body.steps.${s}.contacts.${k}.via`,
        problem: `names receiver "${name}", which does not exist here`,
      })),
  ]);
}

/**
 * The policy an alert escalates by: the first, by name, of its workspace's policies whose labels the alert
 * carries, else the first such of the cluster's. The workspace is the one of the alert's `namespace` label; an
 * alert without one (a node's, a GPU's) follows the cluster's policies.
 */
export function choosePolicy<P extends { name: string; matchLabels: Record<string, string> }>(
  labels: Readonly<Record<string, string>>,
  workspace: string | undefined,
  policies: readonly { owner: string; spec: P }[],
): { owner: string; spec: P } | undefined {
  const matches = (p: P) => Object.entries(p.matchLabels).every(([k, v]) => labels[k] === v);
  const byName = (a: { spec: P }, b: { spec: P }) => a.spec.name.localeCompare(b.spec.name);
  const of = (owner: string) => policies.filter((p) => p.owner === owner && matches(p.spec)).sort(byName)[0];
  return (workspace ? of(workspace) : undefined) ?? of('');
}
