import { Counter, Gauge, type Registry } from 'prom-client';
import type { DeliveryState } from '../../clients/store/outbox.js';

/** The outcome of one delivery attempt, as the `outcome` label of the attempts counter. */
export type AttemptOutcome = 'delivered' | 'retry' | 'failed';

export interface DispatchMetrics {
  /** One send of `count` notifications ended with `outcome`. */
  attempted(outcome: AttemptOutcome, count: number): void;
  /** `count` notifications became dead letters. */
  deadLettered(count: number): void;
}

/** Follows intake-metrics.ts; the queue depth is read from the store when Prometheus scrapes. */
export function createDispatchMetrics(
  registry: Registry,
  depth: () => Promise<Record<DeliveryState, number>>,
): DispatchMetrics {
  const attempts = new Counter({
    name: 'ksgpuml_cmdb_alerting_delivery_attempts_total',
    help: 'Notifications sent by the outbox, by outcome (delivered, retry, failed)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const dead = new Counter({
    name: 'ksgpuml_cmdb_alerting_dead_letters_total',
    help: 'Notifications that became dead letters (permanent failure or retries exhausted)',
    registers: [registry],
  });
  new Gauge({
    name: 'ksgpuml_cmdb_alerting_outbox_rows',
    help: 'Outbox rows by state (pending and in-flight are the queue depth)',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      // A store that cannot answer leaves the last values: the scrape itself must not fail.
      const rows = await depth().catch(() => undefined);
      for (const [state, count] of Object.entries(rows ?? {})) this.set({ state }, count);
    },
  });
  return {
    attempted: (outcome, count) => attempts.inc({ outcome }, count),
    deadLettered: (count) => dead.inc(count),
  };
}
