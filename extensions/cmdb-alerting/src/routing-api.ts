// The CMDB connection and routing policy routes as the pages use them (cluster only: platform admins,
// docs/adr/0043), each naming its route spec (contracts' cmdbRoutingRoutes).
import {
  cmdbRoutingRoutes as routes,
  type CmdbConnectionTestInput,
  type CmdbSettingsInput,
  type RoutingPolicyInput,
} from '@ks-gpu-ml/contracts';
import { sendRoute, useRoute } from '@ks-gpu-ml/ui';

export const useCmdbSettings = (cluster: string | undefined) =>
  useRoute(routes.getCmdbSettings, { params: {}, cluster });

export const saveCmdbSettings = (cluster: string | undefined, body: CmdbSettingsInput) =>
  sendRoute(routes.updateCmdbSettings, { params: {}, cluster, body });

export const testCmdbConnection = (cluster: string | undefined, body: CmdbConnectionTestInput) =>
  sendRoute(routes.testCmdbConnection, { params: {}, cluster, body });

export const useRoutingPolicies = (cluster: string | undefined) =>
  useRoute(routes.listRoutingPolicies, { params: {}, cluster });

export const saveRoutingPolicy = (
  cluster: string | undefined,
  body: RoutingPolicyInput,
  existing: boolean,
) =>
  existing
    ? sendRoute(routes.updateRoutingPolicy, { params: { name: body.name }, cluster, body })
    : sendRoute(routes.createRoutingPolicy, { params: {}, cluster, body });

export const deleteRoutingPolicy = (cluster: string | undefined, name: string) =>
  sendRoute(routes.deleteRoutingPolicy, { params: { name }, cluster, body: undefined });
