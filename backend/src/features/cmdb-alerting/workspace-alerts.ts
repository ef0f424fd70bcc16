import type { ReceivedAlertQuery, WorkspaceAlertList } from '@ks-gpu-ml/contracts';
import type { EscalationStore } from '../../clients/store/alert-escalation.js';
import { AppError } from '../../core/errors.js';

/**
 * A workspace's alert list (docs/adr/0044): the alerts its own policies escalate — whom they concern — newest first,
 * with their state, step and who acknowledged. The cluster's admins keep the intake's list of every alert; a
 * workspace never sees alerts another scope's policy escalates (the same rule as one alert's escalation and trail).
 */
export interface WorkspaceAlerts {
  list(workspace: string, query: ReceivedAlertQuery): Promise<WorkspaceAlertList>;
}

export function createWorkspaceAlerts(deps: {
  store: Pick<EscalationStore<{ name: string }>, 'ofOwner' | 'acknowledgedByAll'>;
  onStoreError(err: unknown): void;
}): WorkspaceAlerts {
  return {
    async list(workspace, query) {
      const limit = query.limit ?? 100;
      const before = query.continue === undefined ? undefined : Number(query.continue);
      try {
        const rows = await deps.store.ofOwner(workspace, limit, before);
        // One query for the page's acknowledgements (≤ 500 keys: the query's limit), not one per alert.
        const acks = await deps.store.acknowledgedByAll(rows.map((r) => r.alertKey));
        const items = rows.map((r) => ({
          alertKey: r.alertKey,
          fingerprint: r.alert.fingerprint,
          startsAt: r.alert.startsAt,
          labels: r.alert.labels,
          policy: r.policy.name,
          state: r.state,
          stepsSent: r.stepsSent,
          acknowledgedBy: acks.get(r.alertKey) ?? [],
          ...(r.alert.business ? { system: r.alert.business.system.value } : {}),
        }));
        const last = rows.at(-1);
        return rows.length === limit && last ? { items, continue: String(last.id) } : { items };
      } catch (err) {
        deps.onStoreError(err);
        throw new AppError(503, 'ServiceUnavailable', 'CMDB_ALERTING_STORE_UNREADABLE');
      }
    },
  };
}
