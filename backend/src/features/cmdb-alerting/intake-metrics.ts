import { Counter, type Registry } from 'prom-client';

/** Why the intake refused a batch, as the `reason` label of the rejected counter. */
export type IntakeRejection = 'unauthorized' | 'too_large' | 'invalid' | 'store_unavailable';

export interface IntakeMetrics {
  /** Alerts in accepted batches: recorded now, or recognised as already recorded. */
  accepted(recorded: number, duplicates: number): void;
  rejected(reason: IntakeRejection): void;
}

export function createIntakeMetrics(registry: Registry): IntakeMetrics {
  const received = new Counter({
    name: 'ksgpuml_cmdb_alerting_intake_alerts_received_total',
    help: 'Alerts in webhook batches the intake accepted (recorded or deduplicated)',
    registers: [registry],
  });
  const deduplicated = new Counter({
    name: 'ksgpuml_cmdb_alerting_intake_alerts_deduplicated_total',
    help: 'Alerts already recorded (an HA peer or a retry sent them again), not stored a second time',
    registers: [registry],
  });
  const rejected = new Counter({
    name: 'ksgpuml_cmdb_alerting_intake_batches_rejected_total',
    help: 'Webhook batches refused, by reason (unauthorized, too_large, invalid, store_unavailable)',
    labelNames: ['reason'],
    registers: [registry],
  });
  return {
    accepted(recorded, duplicates) {
      received.inc(recorded + duplicates);
      deduplicated.inc(duplicates);
    },
    rejected: (reason) => rejected.inc({ reason }),
  };
}

/** The rejection an error answer stands for; undefined for answers that are not the intake's refusals. */
export function rejectionOf(statusCode: number): IntakeRejection | undefined {
  if (statusCode === 401) return 'unauthorized';
  if (statusCode === 413) return 'too_large';
  if (statusCode === 400) return 'invalid';
  if (statusCode === 503) return 'store_unavailable';
  return undefined;
}
