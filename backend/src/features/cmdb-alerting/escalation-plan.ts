import type { EscalationPolicyInput } from '@ks-gpu-ml/contracts';

/**
 * The escalation planner: pure, no clock and no I/O, so every case is a unit test. A policy's chain runs
 * `repeat + 1` rounds of its steps; each step occurrence has a sequence number (round × steps + index) and a due
 * time: the alert's firing time plus the waits of all occurrences before it. Waits are in policy seconds; the engine
 * passes how many milliseconds one lasts (ALERT_ESCALATION_SECOND_MS: 1000 in production, short in tests).
 */
export interface PlanInput {
  policy: Pick<EscalationPolicyInput, 'steps' | 'repeat'>;
  /** When the alert started firing (ms since the epoch). */
  firingAt: number;
  /** Distinct people who acknowledged, in any order. */
  acknowledgedBy: readonly string[];
  resolved: boolean;
  /** How many step occurrences were already sent. */
  stepsSent: number;
  now: number;
  secondMs: number;
}

export interface StepOccurrence {
  /** 0-based sequence number over all rounds. */
  seq: number;
  round: number;
  index: number;
  /** Due time, ms since the epoch. */
  at: number;
}

export interface Plan {
  state: 'escalating' | 'resolved' | 'acknowledged' | 'exhausted';
  /** The step occurrences due now and not sent yet, oldest first (empty while waiting). */
  send: StepOccurrence[];
  /** The first occurrence not due yet, while escalating. */
  next?: StepOccurrence;
}

export const totalOccurrences = (policy: PlanInput['policy']): number =>
  policy.steps.length * (policy.repeat + 1);

export function occurrence(
  input: Pick<PlanInput, 'policy' | 'firingAt' | 'secondMs'>,
  seq: number,
): StepOccurrence {
  const { steps } = input.policy;
  let at = input.firingAt;
  for (let j = 0; j < seq; j++) at += steps[j % steps.length]!.waitSeconds * input.secondMs;
  return { seq, round: Math.floor(seq / steps.length), index: seq % steps.length, at };
}

/** The step whose acknowledgement count decides: the last one sent (the first before any was sent). */
function acksNeeded(input: PlanInput): number {
  const { steps } = input.policy;
  const current = steps[Math.max(0, input.stepsSent - 1) % steps.length]!;
  return current.acksRequired ?? 1;
}

/**
 * What to do now. Resolved and acknowledged stop the chain at once. After a gap (a backend that was down, steps
 * with no wait) every due occurrence is sent together, so nobody in the chain is skipped; the engine notifies each
 * receiver of them once.
 */
export function planEscalation(input: PlanInput): Plan {
  if (input.resolved) return { state: 'resolved', send: [] };
  if (new Set(input.acknowledgedBy).size >= acksNeeded(input)) return { state: 'acknowledged', send: [] };
  const total = totalOccurrences(input.policy);
  const send: StepOccurrence[] = [];
  for (let seq = input.stepsSent; seq < total; seq++) {
    const step = occurrence(input, seq);
    if (step.at > input.now) return { state: 'escalating', send, next: step };
    send.push(step);
  }
  return { state: send.length > 0 ? 'escalating' : 'exhausted', send };
}
