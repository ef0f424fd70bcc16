import type { MappingObject, PodMapping } from '@ks-gpu-ml/contracts';
import { UpstreamError } from '../../clients/upstream.js';
import { AppError } from '../../core/errors.js';
import { resolveBusiness, type ObjectMeta, type ResolverDeps } from './business-resolve.js';

/** The configured keys set on an object, labels before annotations, in the config's order. */
export function keysOn(o: ObjectMeta, keys: readonly string[]): MappingObject['keys'] {
  const found: MappingObject['keys'] = [];
  for (const key of new Set(keys)) {
    const label = o.labels[key];
    if (label !== undefined) found.push({ key, where: 'label', value: label });
    const annotation = o.annotations[key];
    if (annotation !== undefined) found.push({ key, where: 'annotation', value: annotation });
  }
  return found;
}

const objectOf = (o: ObjectMeta, keys: readonly string[]): MappingObject => ({
  kind: o.kind,
  ...(o.namespace ? { namespace: o.namespace } : {}),
  name: o.name,
  keys: keysOn(o, keys),
});

/**
 * The mapping page's answer: which business system a pod resolves to and why — the same resolver the escalation
 * runs for an alert naming that pod, plus the objects it read (the owner chain, pod first, and the namespace) with
 * the configured keys each carries, so an operator sees where a label must go to change the answer.
 */
export async function explainPodMapping(
  deps: ResolverDeps,
  namespace: string,
  pod: string,
): Promise<PodMapping> {
  const { port, config } = deps;
  const chain = await port.ownerChain({ kind: 'Pod', namespace, name: pod }).catch((err: unknown) => {
    throw new UpstreamError('kube-apiserver', err, { key: 'CMDB_ALERTING_MAPPING_UNREADABLE', params: {} });
  });
  if (chain.length === 0)
    throw new AppError(404, 'NotFound', 'CMDB_ALERTING_POD_NOT_FOUND', { namespace, pod });
  const ns = await port.namespace(namespace).catch(() => undefined);
  const business = await resolveBusiness({ namespace, pod }, port, config, deps.translate);
  const workloadKeys = [...config.workloadKeys, ...config.importanceKeys, ...config.ownerKeys];
  const namespaceKeys = [
    ...config.namespaceKeys,
    ...config.importanceKeys,
    ...config.ownerKeys,
    config.workspaceLabel,
  ];
  return {
    namespace,
    pod,
    order: [...config.order],
    objects: [...chain.map((o) => objectOf(o, workloadKeys)), ...(ns ? [objectOf(ns, namespaceKeys)] : [])],
    business,
  };
}
