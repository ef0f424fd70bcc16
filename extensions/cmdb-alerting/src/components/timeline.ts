// An escalation's timeline, pure: the policy's steps unrolled over its rounds (occurrence `seq` 1 … steps ×
// (repeat + 1), as the backend's planner counts them, ADR 0031) and, from the escalation's state and steps sent,
// which were sent, which one is next (and when) and which will not come because the alert was acknowledged or resolved.
import type { AlertEscalation, EscalationPolicy } from '@ks-gpu-ml/contracts';

export type OccurrenceStatus = 'sent' | 'next' | 'pending' | 'stopped';

export interface Occurrence {
  seq: number;
  round: number;
  step: number;
  receivers: string[];
  /** The wait after this step before the next one, in seconds. */
  waitSeconds: number;
  acksRequired: number;
  status: OccurrenceStatus;
  /** When it is due, for the next one. */
  dueAt?: string;
}

export function timelineOf(
  policy: Pick<EscalationPolicy, 'steps' | 'repeat'>,
  escalation: Pick<AlertEscalation, 'state' | 'stepsSent' | 'nextStepAt'>,
): Occurrence[] {
  const out: Occurrence[] = [];
  const rounds = policy.repeat + 1;
  for (let round = 0; round < rounds; round++) {
    for (const [i, step] of policy.steps.entries()) {
      const seq = round * policy.steps.length + i + 1;
      const sent = seq <= escalation.stepsSent;
      const running = escalation.state === 'escalating';
      const status: OccurrenceStatus = sent
        ? 'sent'
        : !running
          ? 'stopped'
          : seq === escalation.stepsSent + 1
            ? 'next'
            : 'pending';
      out.push({
        seq,
        round: round + 1,
        step: i + 1,
        receivers: step.receivers,
        waitSeconds: step.waitSeconds,
        acksRequired: step.acksRequired ?? 1,
        status,
        ...(status === 'next' && escalation.nextStepAt ? { dueAt: escalation.nextStepAt } : {}),
      });
    }
  }
  return out;
}

/** A wait in seconds as the message key (cmdb-alerting.wait.<key>) and numbers that say it: 30 s, 5 min, 1 h 30 min. */
export function waitParts(seconds: number): { key: string; params: Record<string, number> } {
  if (seconds < 60) return { key: 'seconds', params: { seconds } };
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return { key: 'minutes', params: { minutes } };
  const rest = minutes % 60;
  const hours = Math.floor(minutes / 60);
  return rest
    ? { key: 'hoursMinutes', params: { hours, minutes: rest } }
    : { key: 'hours', params: { hours } };
}
