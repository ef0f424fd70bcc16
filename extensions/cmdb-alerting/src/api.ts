// The cmdb-alerting API as the pages use it: each call names its route spec (contracts' cmdbAlertingRoutes), which
// gives the URL, the body and the reply's type. Receivers and escalation policies exist per cluster and per
// workspace with the same shapes, so a page names its scope and `scoped` picks the routes; alerts are listed only
// at the cluster (platform admins), a workspace's members see and acknowledge the alerts its policy escalates.
import {
  cmdbAlertingRoutes as routes,
  cmdbBusinessRoutes as businessRoutes,
  clusterPolicyRoutes,
  clusterReceiverRoutes,
  workspacePolicyRoutes,
  workspaceReceiverRoutes,
  type BusinessSilenceInput,
  type EscalationPolicyInput,
  type ReceiverInput,
  type SilenceInput,
} from '@ks-gpu-ml/contracts';
import { sendRoute, useRoute, type AccessScope } from '@ks-gpu-ml/ui';

/** Where a page works: the cluster (platform admins) or one workspace. */
export type AlertingScope =
  { kind: 'cluster'; cluster: string | undefined } | { kind: 'workspace'; workspace: string };

/** The base of a scope's pages in the console. */
export const basePath = (scope: AlertingScope) =>
  scope.kind === 'cluster'
    ? `/clusters/${scope.cluster ?? 'host'}/cmdb-alerting`
    : `/workspaces/${scope.workspace}/cmdb-alerting`;

/** The question useCallerMay asks for a workspace page; a cluster page's menu already follows its RoleTemplates. */
export const accessOf = (scope: AlertingScope): AccessScope | null =>
  scope.kind === 'workspace' ? { scope: 'workspace', scopeName: scope.workspace } : null;

// The one-scope route sets have the same schemas; a page picks its scope's set and calls it with its parameters.
const receiverRoutes = (scope: AlertingScope) =>
  (scope.kind === 'cluster'
    ? clusterReceiverRoutes
    : workspaceReceiverRoutes) as typeof workspaceReceiverRoutes;
const policyRoutes = (scope: AlertingScope) =>
  (scope.kind === 'cluster' ? clusterPolicyRoutes : workspacePolicyRoutes) as typeof workspacePolicyRoutes;

/** The path parameters and cluster of a call in `scope` (a cluster route takes no workspace). */
function at(scope: AlertingScope, name?: string) {
  const params = {
    ...(scope.kind === 'workspace' ? { workspace: scope.workspace } : {}),
    ...(name !== undefined ? { name } : {}),
  } as { workspace: string; name: string };
  return { params, cluster: scope.kind === 'cluster' ? scope.cluster : undefined };
}

/** The routes a scope's pages call (the cluster's and a workspace's share their schemas). */
export interface ScopeRoutes {
  receivers: typeof workspaceReceiverRoutes;
  policies: typeof workspacePolicyRoutes;
  escalation: typeof routes.getWorkspaceAlertEscalation;
  acknowledge: typeof routes.acknowledgeWorkspaceAlert;
}

export const routesOf = (scope: AlertingScope): ScopeRoutes => ({
  receivers: receiverRoutes(scope),
  policies: policyRoutes(scope),
  escalation: (scope.kind === 'cluster'
    ? routes.getAlertEscalation
    : routes.getWorkspaceAlertEscalation) as typeof routes.getWorkspaceAlertEscalation,
  acknowledge: (scope.kind === 'cluster'
    ? routes.acknowledgeAlert
    : routes.acknowledgeWorkspaceAlert) as typeof routes.acknowledgeWorkspaceAlert,
});

// ---- alerts ----------------------------------------------------------------------------------------------------

export const useAlerts = (cluster: string | undefined) =>
  useRoute(routes.listAlerts, { params: {}, query: { limit: 500 }, cluster }, { refetchInterval: 10_000 });

export const useEscalation = (scope: AlertingScope, alertKey: string, enabled = true) =>
  useRoute(routesOf(scope).escalation, at(scope, alertKey), { refetchInterval: 5_000, enabled });

export const acknowledge = (scope: AlertingScope, alertKey: string) =>
  sendRoute(routesOf(scope).acknowledge, {
    ...at(scope, alertKey),
    body: undefined,
  });

// ---- delivery trail and dead letters (docs/adr/0034) ----------------------------------------------------------

const deliveryRoutes = (scope: AlertingScope) =>
  (scope.kind === 'cluster'
    ? routes.getAlertDeliveries
    : routes.getWorkspaceAlertDeliveries) as typeof routes.getWorkspaceAlertDeliveries;

/** The dead-letter routes of a scope (list, retry): the cluster's admins see all, a workspace's admins their own. */
export const deadLetterRoutes = (scope: AlertingScope) =>
  (scope.kind === 'cluster'
    ? { list: routes.listDeadLetters, retry: routes.retryDeadLetter }
    : { list: routes.listWorkspaceDeadLetters, retry: routes.retryWorkspaceDeadLetter }) as {
    list: typeof routes.listWorkspaceDeadLetters;
    retry: typeof routes.retryWorkspaceDeadLetter;
  };

export const useDeliveries = (scope: AlertingScope, alertKey: string, enabled = true) =>
  useRoute(deliveryRoutes(scope), at(scope, alertKey), { refetchInterval: 5_000, enabled });

export const useDeadLetters = (scope: AlertingScope, enabled = true) =>
  useRoute(
    deadLetterRoutes(scope).list,
    { ...at(scope), query: { limit: 500 } },
    { refetchInterval: 10_000, enabled },
  );

/** The alerts a workspace's policies escalate (its members; the cluster lists every alert with useAlerts). */
export const useWorkspaceAlerts = (workspace: string) =>
  useRoute(
    routes.listWorkspaceAlerts,
    { params: { workspace }, query: { limit: 200 } },
    { refetchInterval: 10_000 },
  );

export const retryDeadLetter = (scope: AlertingScope, id: number) =>
  sendRoute(deadLetterRoutes(scope).retry, { ...at(scope, String(id)), body: undefined });

/** "Send test": one test message through the receiver's channel; the provider's answer comes back. */
export const testReceiver = (scope: AlertingScope, name: string) =>
  sendRoute(
    (scope.kind === 'cluster'
      ? routes.testClusterReceiver
      : routes.testWorkspaceReceiver) as typeof routes.testWorkspaceReceiver,
    { ...at(scope, name), body: undefined },
  );

// ---- receivers -------------------------------------------------------------------------------------------------

export const useReceivers = (scope: AlertingScope, enabled = true) =>
  useRoute(receiverRoutes(scope).list, at(scope), { enabled });

export const saveReceiver = (scope: AlertingScope, body: ReceiverInput, existing: boolean) =>
  existing
    ? sendRoute(receiverRoutes(scope).update, { ...at(scope, body.name), body })
    : sendRoute(receiverRoutes(scope).create, { ...at(scope), body });

export const deleteReceiver = (scope: AlertingScope, name: string) =>
  sendRoute(receiverRoutes(scope).remove, { ...at(scope, name), body: undefined });

// ---- escalation policies ---------------------------------------------------------------------------------------

export const usePolicies = (scope: AlertingScope, enabled = true) =>
  useRoute(policyRoutes(scope).list, at(scope), { enabled });

export const usePolicy = (scope: AlertingScope, name: string, enabled = true) =>
  useRoute(policyRoutes(scope).get, at(scope, name), { enabled });

export const savePolicy = (scope: AlertingScope, body: EscalationPolicyInput, existing: boolean) =>
  existing
    ? sendRoute(policyRoutes(scope).update, { ...at(scope, body.name), body })
    : sendRoute(policyRoutes(scope).create, { ...at(scope), body });

export const deletePolicy = (scope: AlertingScope, name: string) =>
  sendRoute(policyRoutes(scope).remove, { ...at(scope, name), body: undefined });

// ---- silences (cluster only: Alertmanager cannot confine a silence to a workspace, ADR 0031) -------------------

export const useSilences = (cluster: string | undefined) =>
  useRoute(routes.listSilences, { params: {}, cluster }, { refetchInterval: 10_000 });

export const createSilence = (cluster: string | undefined, body: SilenceInput) =>
  sendRoute(routes.createSilence, { params: {}, cluster, body });

export const expireSilence = (cluster: string | undefined, id: string) =>
  sendRoute(routes.expireSilence, { params: { name: id }, cluster, body: undefined });

// ---- business mapping (cluster: platform admins, docs/adr/0042) --------------------------------------------------

export const usePodMapping = (namespace: string, pod: string, cluster?: string) =>
  useRoute(businessRoutes.explainPodMapping, { params: { name: pod }, query: { namespace }, cluster });

export const useBusinessSystems = (cluster: string | undefined) =>
  useRoute(businessRoutes.listBusinessSystems, { params: {}, cluster }, { refetchInterval: 30_000 });

export const useBusinessSilences = (cluster: string | undefined) =>
  useRoute(businessRoutes.listBusinessSilences, { params: {}, cluster }, { refetchInterval: 15_000 });

export const createBusinessSilence = (cluster: string | undefined, body: BusinessSilenceInput) =>
  sendRoute(businessRoutes.createBusinessSilence, { params: {}, cluster, body });

export const expireBusinessSilence = (cluster: string | undefined, group: string) =>
  sendRoute(businessRoutes.expireBusinessSilence, { params: { name: group }, cluster, body: undefined });
