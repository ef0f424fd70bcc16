// What the console's BFF reads to render any page, before login (public) and after: version, theme, identity
// providers, configz, marketplace and the installer's ClusterConfiguration.
import { sendJson } from './errors.js';
import type { KubeReads } from './kube-reads.js';
import { KS_VERSION, configz } from './platform.js';
import type { Handler } from './request-context.js';
import type { RouteTable } from './routing.js';

const CFG = '/kapis/config.kubesphere.io/v1alpha2/configs';

const json =
  (body: unknown): Handler =>
  (ctx) =>
    sendJson(ctx.res, 200, body);

/** Routes that answer without a token (a token, when sent, only names the user in the log). */
export function publicConfigRoutes(reads: KubeReads): RouteTable {
  const version: Handler = async (ctx) =>
    sendJson(ctx.res, 200, { ...KS_VERSION, kubernetes: await reads.kubernetesVersion() });
  return [
    ['GET', '/healthz', (ctx) => void ctx.res.end('ok')],
    ['GET', '/version', version],
    ['GET', '/kapis/version', version],
    ['GET', `${CFG}/theme`, json({})],
    ['GET', `${CFG}/oauth`, json({ identityProviders: [] })],
  ];
}

export function configRoutes(): RouteTable {
  return [
    ['GET', `${CFG}/configz`, json(configz())],
    ['GET', `${CFG}/marketplace`, json({ url: '', account: null })],
    [
      'GET',
      '/apis/installer.kubesphere.io/v1alpha1/clusterconfigurations',
      json({
        apiVersion: 'installer.kubesphere.io/v1alpha1',
        kind: 'ClusterConfigurationList',
        metadata: {},
        items: [
          {
            apiVersion: 'installer.kubesphere.io/v1alpha1',
            kind: 'ClusterConfiguration',
            metadata: { name: 'ks-installer', namespace: 'kubesphere-system' },
            spec: {},
          },
        ],
      }),
    ],
  ];
}
