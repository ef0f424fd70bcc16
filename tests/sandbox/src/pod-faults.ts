// Pods that go wrong on request: KWOK's fault stages (tests/sandbox/kwok/pod-faults.yaml, loaded by cluster.ts)
// drive a pod carrying FAULT_ANNOTATION into what a kubelet reports for that fault.
import type { V1Pod } from '@kubernetes/client-node';
import { join } from 'node:path';
import { repoRoot } from './layout.js';

export const FAULT_STAGES = join(repoRoot, 'tests/sandbox/kwok/pod-faults.yaml');
export const FAULT_ANNOTATION = 'sandbox.ks-gpu-ml.io/fault';

/**
 * crash-loop: exits after 3 s, CrashLoopBackOff for 10 s, restartCount + 1 per round, lastState Error (exit 1);
 * oom-kill: once, 15 s after start, lastState OOMKilled (exit 137) and restartCount 1, then runs on;
 * never-ready: Running with Ready=False.
 */
export const FAULTS = ['crash-loop', 'oom-kill', 'never-ready'] as const;
export type Fault = (typeof FAULTS)[number];

/** A one-container pod on a KWOK node (no GPU) that goes wrong as `fault` says. */
export function faultyPod(name: string, namespace: string, fault: Fault): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, annotations: { [FAULT_ANNOTATION]: fault } },
    spec: {
      nodeSelector: { type: 'kwok' },
      containers: [{ name: 'main', image: 'sandbox.local/app:1' }],
    },
  };
}
