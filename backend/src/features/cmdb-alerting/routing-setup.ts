import type { FastifyInstance } from 'fastify';
import {
  cmdbRoutingRoutes as spec,
  type CmdbSettingsInput,
  type EscalationPolicyInput,
  type ReceiverInput,
  type RoutingPolicyInput,
} from '@ks-gpu-ml/contracts';
import type { CachedCmdb } from '../../clients/cmdb/cached.js';
import { createSecretReader } from '../../clients/kube-secrets.js';
import { createConfigStore, type ConfigStore } from '../../clients/store/alert-config.js';
import { mountRoute } from '../../core/mount.js';
import type { FeatureDeps } from '../feature.js';
import { createCmdbSettingsService } from './cmdb-settings.js';
import { createConfigService } from './receivers-config.js';
import {
  chooseRouting,
  routedEscalation,
  routingIssues,
  routingOrder,
  windowTime,
  type RoutedAlert,
} from './routing.js';

export type RouteAlert = (
  alert: RoutedAlert,
  now: number,
) => Promise<{ owner: string; spec: EscalationPolicyInput } | null | undefined>;

/** How long a replica reuses the routing policies it read (a write on this replica clears it at once). */
const ROUTING_CACHE_MS = 2_000;

/**
 * Routing by business: the routing policies (stored per cluster; docs/adr/0043) and the function the escalation
 * engine asks when an alert's escalation starts, plus the cluster's CMDB connection settings and the CMDB the
 * enrichment asks. Platform admins' routes only.
 */
export function createRouting(
  store: ConfigStore<RoutingPolicyInput>,
  config: { receivers: ConfigStore<ReceiverInput>; policies: ConfigStore<EscalationPolicyInput> },
) {
  let cached: { at: number; items: RoutingPolicyInput[] } | undefined;
  const policiesNow = async (now: number) => {
    if (!cached || now - cached.at >= ROUTING_CACHE_MS || now < cached.at)
      cached = { at: now, items: (await store.list('')).map((r) => r.spec) };
    return cached.items;
  };
  const service = createConfigService<RoutingPolicyInput>({
    keys: { notFound: 'CMDB_ALERTING_ROUTING_NOT_FOUND', exists: 'CMDB_ALERTING_ROUTING_EXISTS' },
    store,
    issues: async (_owner, input) => {
      const [receivers, policies, routes] = await Promise.all([
        config.receivers.list(''),
        config.policies.list(''),
        store.list(''),
      ]);
      const otherDefault = routes.find((r) => r.spec.default && r.name !== input.name)?.name;
      return routingIssues(input, {
        receivers: new Set(receivers.map((r) => r.name)),
        policies: new Set(policies.map((p) => p.name)),
        ...(otherDefault ? { otherDefault } : {}),
      });
    },
  });
  const written =
    <A extends unknown[], R>(f: (...a: A) => Promise<R>) =>
    async (...a: A) => {
      try {
        return await f(...a);
      } finally {
        cached = undefined;
      }
    };
  const route: RouteAlert = async (alert, now) => {
    const chosen = chooseRouting(await policiesNow(now), alert, windowTime(alert.startsAt, now));
    if (!chosen) return undefined;
    const named = chosen.escalationPolicy
      ? (await config.policies.get('', chosen.escalationPolicy))?.spec
      : undefined;
    const policy = routedEscalation(chosen, named);
    return policy ? { owner: '', spec: policy } : null;
  };
  return {
    route,
    list: async () => {
      const { items } = await service.list('');
      return { items: routingOrder(items) };
    },
    create: written((input: RoutingPolicyInput) => service.create('', input)),
    update: written((name: string, input: RoutingPolicyInput) => service.update('', name, input)),
    remove: written((name: string) => service.remove('', name)),
  };
}

export async function setUpCmdbRouting(
  app: FastifyInstance,
  deps: FeatureDeps,
  config: { receivers: ConfigStore<ReceiverInput>; policies: ConfigStore<EscalationPolicyInput> },
): Promise<{ cmdb: () => CachedCmdb | undefined; route: RouteAlert }> {
  const settings = createCmdbSettingsService({
    store: createConfigStore<CmdbSettingsInput>(deps.store, 'alert_setting'),
    secrets: createSecretReader(deps.kube),
    onFailure: (key, detail) => app.log.warn({ key, detail }, 'cmdb-alerting: CMDB lookup failed'),
  });
  const routing = createRouting(createConfigStore<RoutingPolicyInput>(deps.store, 'alert_route'), config);
  app.addHook('onReady', async () => {
    await settings
      .refresh()
      .catch((err: unknown) => app.log.warn({ err }, 'cmdb-alerting: CMDB settings unreadable'));
  });
  await app.register(async (scoped) => {
    mountRoute(scoped, spec.getCmdbSettings, async () => settings.get());
    mountRoute(scoped, spec.updateCmdbSettings, async (ctx) => settings.put(ctx.body));
    mountRoute(scoped, spec.testCmdbConnection, async (ctx) => settings.test(ctx.body));
    mountRoute(scoped, spec.listRoutingPolicies, async () => routing.list());
    mountRoute(scoped, spec.createRoutingPolicy, async (ctx) => routing.create(ctx.body));
    mountRoute(scoped, spec.updateRoutingPolicy, async (ctx) => routing.update(ctx.params.name, ctx.body));
    mountRoute(scoped, spec.deleteRoutingPolicy, async (ctx) => routing.remove(ctx.params.name));
  });
  return { cmdb: () => settings.live(), route: routing.route };
}
