import type { CachedCmdb } from '../../clients/cmdb/cached.js';
import type { KubeOwners } from '../../clients/cmdb/kube-owners.js';
import {
  resolveBusiness,
  type BusinessEnrichment,
  type BusinessLookupPort,
  type BusinessMappingConfig,
  type ImpactTranslate,
} from './business-resolve.js';

/**
 * The business mapping wired to its sources: the owner chain and namespaces from kube-apiserver, the CMDB (when
 * one is configured) behind its cache. One call per alert; it never throws (a source that fails is a step of the
 * chain saying so), so enrichment can never keep an alert from its receivers.
 */
export interface EnricherDeps {
  owners: KubeOwners;
  cmdb?: CachedCmdb;
  config: BusinessMappingConfig;
  translate: ImpactTranslate;
}

export type Enrich = (labels: Readonly<Record<string, string>>) => Promise<BusinessEnrichment>;

export function businessPort(deps: Pick<EnricherDeps, 'owners' | 'cmdb'>): BusinessLookupPort {
  const { owners, cmdb } = deps;
  return {
    ownerChain: (ref) => owners.ownerChain(ref),
    namespace: (name) => owners.namespace(name),
    ...(cmdb
      ? {
          cmdbForNamespace: (query) => cmdb.forNamespace(query),
          cmdbBusiness: (name) => cmdb.business(name),
        }
      : {}),
  };
}

export function createEnricher(deps: EnricherDeps): Enrich {
  const port = businessPort(deps);
  return (labels) => resolveBusiness(labels, port, deps.config, deps.translate);
}

/** The lines a notification gains: the impact sentence and the owners to reach, in the receiver's language. */
export function businessLines(business: BusinessEnrichment, language: 'en' | 'zh'): string[] {
  const owners = business.owners.value
    .map((o) => o.wecomUserId ?? o.name)
    .filter(Boolean)
    .slice(0, 10);
  return [business.impact[language], ...(owners.length ? [`@ ${owners.join(', ')}`] : [])];
}
